/**
 * Slash commands: the registry apps' commands live in (admins manage it), the list the composer
 * offers, and running "/cmd args" — built-ins here, everything else by its app (lib/commands/invoke.ts).
 * Every reply to the invoker is ephemeral.
 */
import { getChannelAccess, type TChannelAccess } from "@/lib/channels/access";
import { runBuiltin } from "@/lib/commands/builtins";
import { deliverCommandResponse, invokeBotCommand, replyError } from "@/lib/commands/invoke";
import * as repo from "@/lib/commands/repository";
import { redeemResponseUrl } from "@/lib/commands/response-url";
import { BUILTIN_COMMANDS, isBuiltinCommand, ZCommandName, ZCreateCommand, ZRunCommand, ZUpdateCommand, type TCommandInfo, type TRunResult } from "@/lib/commands/schema";
import { env } from "@/lib/env";
import { AppError, notFound } from "@/lib/errors";
import { sendEphemeral } from "@/lib/messages/ephemeral";
import { assertCan, can } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

function toInfo(row: repo.TCommandRow, isAdmin: boolean): TCommandInfo {
  return {
    command: row.command,
    description: row.description,
    usageHint: row.usageHint,
    builtin: false,
    botName: row.bot.user.name,
    ...(isAdmin ? { id: row.id, botId: row.botId, url: row.url } : {}),
  };
}

function builtinInfos(): TCommandInfo[] {
  return BUILTIN_COMMANDS.map((c) => ({ command: c.command, description: c.description, usageHint: c.usageHint, builtin: true }));
}

function conflictCommand(command: string): AppError {
  return new AppError("conflict", `/${command} is already registered in this workspace`, [{ path: "command", message: "is already taken" }]);
}

async function adminAccess(actor: TActor, slug: string) {
  const access = await getWorkspaceAccess({ actor, slug });
  assertCan(access.role, "integrations.manage", "Only workspace admins manage slash commands");
  return access;
}

/** Built-ins and registered commands, for the composer's "/" list. Admins also get ids and URLs. */
export async function listCommands({ actor, slug }: { actor: TActor; slug: string }): Promise<TCommandInfo[]> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  const isAdmin = can(role, "integrations.manage");
  const rows = await repo.listCommands(workspace.id);
  return [...builtinInfos(), ...rows.filter((r) => isAdmin || !r.bot.deactivatedAt).map((r) => toInfo(r, isAdmin))];
}

/** Registers an app's command (admins). The name must be free and not a built-in. */
export async function createCommand({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<TCommandInfo> {
  const data = ZCreateCommand.parse(input);
  const { workspace } = await adminAccess(actor, slug);
  const bot = await repo.findBot(workspace.id, data.botId);
  if (!bot) throw new AppError("validation_failed", "botId: is not an app of this workspace", [{ path: "botId", message: "is not an app of this workspace" }]);
  if (bot.deactivatedAt) throw new AppError("validation_failed", "botId: that app is deactivated", [{ path: "botId", message: "is deactivated" }]);
  try {
    return toInfo(await repo.insertCommand({ workspaceId: workspace.id, ...data }), true);
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflictCommand(data.command);
    throw err;
  }
}

/** Changes a registered command's name, URL, description or usage hint (admins). */
export async function updateCommand({ actor, slug, commandId, input }: { actor: TActor; slug: string; commandId: string; input: unknown }): Promise<TCommandInfo> {
  const data = ZUpdateCommand.parse(input);
  const { workspace } = await adminAccess(actor, slug);
  if (!(await repo.findCommandById(workspace.id, commandId))) throw notFound("Command not found");
  try {
    return toInfo(await repo.updateCommand(commandId, data), true);
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflictCommand(data.command ?? "");
    throw err;
  }
}

/** Removes a registered command (admins). */
export async function deleteCommand({ actor, slug, commandId }: { actor: TActor; slug: string; commandId: string }): Promise<{ deleted: true }> {
  const { workspace } = await adminAccess(actor, slug);
  if (!(await repo.findCommandById(workspace.id, commandId))) throw notFound("Command not found");
  await repo.deleteCommand(commandId);
  return { deleted: true };
}

/** "/Topic  hello" → { name: "topic", args: "hello" }; null when the name is not a possible command. */
export function splitCommand(text: string): { name: string; args: string } | null {
  const m = /^\s*\/(\S+)(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) return null;
  const name = ZCommandName.safeParse(m[1]);
  return name.success ? { name: name.data, args: (m[2] ?? "").trim() } : null;
}

/**
 * Runs "/cmd args" typed in a conversation the actor can read. Replies (results, usage hints,
 * errors) reach the actor as ephemeral messages; the result says whether it worked, so the composer
 * can keep the text when it did not. `baseUrl` is where response_url should point when NEXTAUTH_URL
 * is not set (the request's own origin).
 */
export async function runCommand({ actor, input, baseUrl }: { actor: TActor; input: unknown; baseUrl?: string }): Promise<TRunResult> {
  const data = ZRunCommand.parse(input);
  const access: TChannelAccess = await getChannelAccess(actor, data.channelId);
  await consume("write", `cmd|${actor.userId}`, "You are running commands too fast; slow down");
  const thread = data.threadRootId ? { threadRootId: data.threadRootId } : {};
  const reply = (text: string) => sendEphemeral({ channelId: data.channelId, userId: actor.userId, message: { body: text, markup: "mrkdwn", ...thread } });
  const split = splitCommand(data.text);
  const typed = data.text.trim().split(/\s+/)[0]!;
  if (!split) {
    const error = `${typed} is not a valid command. Type /help to see what you can use.`;
    await reply(error);
    return { ok: false, command: typed, error };
  }
  const command = `/${split.name}`;
  const workspace = await repo.findWorkspace(access.channel.workspaceId);
  if (!workspace) throw notFound("Workspace not found");
  if (isBuiltinCommand(split.name)) {
    const out = await runBuiltin(split.name, {
      actor,
      access,
      args: split.args,
      tzOffsetMinutes: data.tzOffsetMinutes,
      listAvailable: () => listCommands({ actor, slug: workspace.slug }),
    });
    await reply(out.text);
    return out.ok ? { ok: true, command } : { ok: false, command, error: out.text };
  }
  const cmd = await repo.findCommandByName(workspace.id, split.name);
  if (!cmd) {
    const error = `${command} is not a command here. Type /help to see what you can use.`;
    await reply(error);
    return { ok: false, command, error };
  }
  const me = await repo.findUserStatus(actor.userId);
  const ok = await invokeBotCommand({
    cmd,
    actor: { userId: actor.userId, name: me?.name ?? "" },
    channel: { id: access.channel.id, name: access.channel.name, workspaceId: workspace.id },
    workspace,
    text: split.args,
    threadRootId: data.threadRootId,
    baseUrl: env.NEXTAUTH_URL ?? baseUrl ?? "http://localhost",
  });
  return ok ? { ok: true, command } : { ok: false, command, error: `${command} failed` };
}

/**
 * An app answering through response_url (JSON body, Slack's fields). Resolves with Slack's answer:
 * "ok", or throws AppError whose message is Slack's error name.
 */
export async function postToResponseUrl({ id, secret, body }: { id: string; secret: string; body: unknown }): Promise<void> {
  const ctx = redeemResponseUrl(id, secret);
  const bot = await repo.findBotById(ctx.botId);
  if (!bot || bot.workspaceId !== ctx.workspaceId || bot.deactivatedAt) throw new AppError("not_found", "invalid_response_url");
  const target = {
    workspaceId: ctx.workspaceId,
    channelId: ctx.channelId,
    userId: ctx.userId,
    command: ctx.command,
    threadRootId: ctx.threadRootId,
    bot: { id: bot.id, userId: bot.userId, name: bot.user.name, avatarUrl: bot.user.avatarUrl },
    groupId: ctx.nonce,
  };
  let problem: string | null;
  try {
    problem = await deliverCommandResponse(target, body);
  } catch (err) {
    // The invoker may have lost access meanwhile (left a private channel): nothing to show them.
    if ((err as { code?: string }).code === "not_found") throw new AppError("not_found", "channel_not_found");
    throw err;
  }
  if (problem) {
    await replyError(target, `${ctx.command}: the app sent an answer that could not be shown (${problem}).`).catch(() => undefined);
    throw new AppError("validation_failed", problem.split(":")[0]!);
  }
}
