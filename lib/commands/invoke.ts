/**
 * Running an app's slash command the way Slack does: POST the form fields, signed with the app's
 * signing secret, through the SSRF guard; wait 3 seconds for an answer; show it to the invoker only
 * (ephemeral) or post it in the channel as the app's bot (in_channel). Later answers arrive through
 * response_url and take the same path (`deliverCommandResponse`).
 */
import { randomBytes } from "node:crypto";
import { getChannelAccess } from "@/lib/channels/access";
import type { TCommandRow } from "@/lib/commands/repository";
import { issueResponsePath } from "@/lib/commands/response-url";
import { ZCommandResponse, type TCommandResponse } from "@/lib/commands/schema";
import { signSlackRequest } from "@/lib/events/signing";
import { toAppError } from "@/lib/errors";
import { sendEphemeral } from "@/lib/messages/ephemeral";
import type { TMessage } from "@/lib/messages/schema";
import { sendMessage } from "@/lib/messages/service";
import { OutboundError, safeFetch } from "@/lib/outbound/http";
import { fallbackText, ZAttachments, ZBlocks } from "@/lib/slack/blocks";

/** Slack gives an app 3 seconds to answer a slash command. */
export const COMMAND_TIMEOUT_MS = 3_000;
const MAX_RESPONSE_BYTES = 256 * 1024;

export type TBotRef = { id: string; userId: string; name: string; avatarUrl?: string | null };

/** Where an answer goes and who it is from. */
export type TReplyTarget = { workspaceId: string; channelId: string; userId: string; command: string; threadRootId?: string; bot: TBotRef; groupId: string | null };

/** Tells the invoker something went wrong with their command, as Parley. */
export async function replyError(target: Pick<TReplyTarget, "channelId" | "userId" | "threadRootId">, text: string): Promise<void> {
  await sendEphemeral({ channelId: target.channelId, userId: target.userId, message: { body: text, markup: "plain", threadRootId: target.threadRootId ?? null } });
}

function botSender(bot: TBotRef): TMessage["sender"] {
  return { id: bot.userId, name: bot.name, avatarUrl: bot.avatarUrl ?? null, isBot: true, botId: bot.id };
}

/**
 * Shows an app's answer: ephemeral to the invoker unless `response_type` is "in_channel", then posted
 * as the bot (which must be in the channel). Invalid blocks or attachments are refused with a reason
 * the caller can pass on. Returns an error text, or null when shown.
 */
export async function deliverCommandResponse(target: TReplyTarget, raw: unknown, opts: { echo?: string } = {}): Promise<string | null> {
  const parsed = ZCommandResponse.safeParse(raw);
  if (!parsed.success) return "invalid_response: expected JSON with text, blocks or attachments";
  const r: TCommandResponse = parsed.data;
  let blocks: unknown[] | undefined;
  let attachments: unknown[] | undefined;
  if (r.blocks !== undefined) {
    const b = ZBlocks.safeParse(r.blocks);
    if (!b.success) return `invalid_blocks: ${b.error.issues[0]?.path.join(".") ?? ""} ${b.error.issues[0]?.message ?? ""}`.trim();
    blocks = b.data as unknown[];
  }
  if (r.attachments !== undefined) {
    const a = ZAttachments.safeParse(r.attachments);
    if (!a.success) return `invalid_attachments: ${a.error.issues[0]?.path.join(".") ?? ""} ${a.error.issues[0]?.message ?? ""}`.trim();
    attachments = a.data as unknown[];
  }
  const text = r.text?.trim() ? r.text : fallbackText(blocks ?? null, attachments ?? null);
  if (r.delete_original) {
    await sendEphemeral({ channelId: target.channelId, userId: target.userId, message: { body: "", groupId: target.groupId, deleted: true } });
    if (!text.trim()) return null;
  }
  if (!text.trim() && !blocks?.length && !attachments?.length) return "no_text: the answer had no text, blocks or attachments";
  if (r.response_type === "in_channel") {
    const botActor = { userId: target.bot.userId, workspaceId: target.workspaceId };
    const access = await getChannelAccess(botActor, target.channelId).catch(() => null);
    if (!access?.membership) {
      await replyError(target, `${target.command}: ${target.bot.name} is not in this channel, so it cannot post here. Add it with /invite @${target.bot.name.replace(/\s+/g, "")} and try again.`);
      return null;
    }
    // Slack shares the command the person typed along with an in_channel answer to it.
    if (opts.echo) {
      await sendMessage({ actor: { userId: target.userId, workspaceId: target.workspaceId }, input: { channelId: target.channelId, body: opts.echo, ...(target.threadRootId ? { threadRootId: target.threadRootId } : {}) }, extras: { markup: "plain" } }).catch(
        () => undefined, // The person may not post here (announcement channel): the answer still goes out.
      );
    }
    await sendMessage({
      actor: botActor,
      // Slack's words when an answer has blocks but no text to fall back on.
      input: { channelId: target.channelId, body: text.trim() ? text : "This content can't be displayed.", ...(target.threadRootId ? { threadRootId: target.threadRootId } : {}) },
      extras: { markup: "mrkdwn", blocks: blocks ?? null, attachments: attachments ?? null },
    });
    return null;
  }
  await sendEphemeral({
    channelId: target.channelId,
    userId: target.userId,
    message: { body: text, markup: "mrkdwn", blocks: blocks ?? null, attachments: attachments ?? null, sender: botSender(target.bot), threadRootId: target.threadRootId ?? null, groupId: target.groupId, replace: !!r.replace_original },
  });
  return null;
}

function describeFailure(err: unknown): string {
  if (err instanceof OutboundError) {
    if (err.reason === "timeout") return `the app did not answer within ${COMMAND_TIMEOUT_MS / 1000} seconds`;
    if (err.reason === "blocked_address") return `its URL is not allowed (${err.message})`;
    if (err.reason === "too_large") return "the app's answer was too large";
    if (err.reason === "bad_url") return "its URL is not valid";
    return `could not reach the app (${err.message})`;
  }
  return toAppError(err).message;
}

/**
 * POSTs the command to its app and shows the answer. Returns false (and has told the invoker why)
 * when the app could not be asked or its answer could not be shown.
 */
export async function invokeBotCommand(opts: {
  cmd: TCommandRow;
  actor: { userId: string; name: string };
  channel: { id: string; name: string | null; workspaceId: string };
  workspace: { id: string; slug: string };
  text: string;
  threadRootId?: string;
  baseUrl: string;
}): Promise<boolean> {
  const { cmd, actor, channel, workspace, text, threadRootId, baseUrl } = opts;
  const command = `/${cmd.command}`;
  const bot: TBotRef = { id: cmd.bot.id, userId: cmd.bot.userId, name: cmd.bot.user.name };
  const { path, nonce } = issueResponsePath({ workspaceId: workspace.id, channelId: channel.id, userId: actor.userId, botId: bot.id, command, threadRootId });
  const target: TReplyTarget = { workspaceId: workspace.id, channelId: channel.id, userId: actor.userId, command, threadRootId, bot, groupId: nonce };
  if (cmd.bot.deactivatedAt) {
    await replyError(target, `${command} is not available: its app has been deactivated.`);
    return false;
  }
  const form = new URLSearchParams({
    token: "",
    team_id: workspace.id,
    team_domain: workspace.slug,
    channel_id: channel.id,
    channel_name: channel.name ?? "directmessage",
    user_id: actor.userId,
    user_name: actor.name,
    command,
    text,
    api_app_id: bot.id,
    is_enterprise_install: "false",
    response_url: new URL(path, baseUrl).toString(),
    trigger_id: `${Date.now()}.${randomBytes(8).toString("hex")}`,
  });
  const body = form.toString();
  const signature = signSlackRequest(cmd.bot.signingSecret, body);
  let res;
  try {
    res = await safeFetch(
      cmd.url,
      {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "Parley-Commands/1.0 (Slack compatible)", ...signature },
        body,
      },
      { timeoutMs: COMMAND_TIMEOUT_MS, maxBytes: MAX_RESPONSE_BYTES },
    );
  } catch (err) {
    await replyError(target, `${command} failed: ${describeFailure(err)}.`);
    return false;
  }
  if (res.status < 200 || res.status >= 300) {
    await replyError(target, `${command} failed: the app answered with HTTP ${res.status}.`);
    return false;
  }
  const answer = res.text.trim();
  if (!answer) return true; // Slack: an empty 200 shows nothing (the app may answer later via response_url).
  const isJson = /json/i.test(res.headers["content-type"] ?? "") || answer.startsWith("{");
  let payload: unknown = { text: answer };
  if (isJson) {
    try {
      payload = JSON.parse(answer);
    } catch {
      await replyError(target, `${command} failed: the app's answer was not valid JSON.`);
      return false;
    }
  }
  let problem: string | null;
  try {
    problem = await deliverCommandResponse(target, payload, { echo: text ? `${command} ${text}` : command });
  } catch (err) {
    // Posting as the bot was refused (rate limit, archived channel …): say so rather than fail the request.
    problem = toAppError(err).message;
  }
  if (problem) {
    await replyError(target, `${command} failed: the app's answer could not be shown (${problem}).`);
    return false;
  }
  return true;
}
