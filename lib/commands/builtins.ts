/**
 * The commands Parley runs itself. Each answers the invoker with an ephemeral reply and reuses the
 * ordinary services, so the same rules apply as in the UI (who may add people, set the topic …).
 */
import { addChannelMembers, leaveChannel, updateChannel } from "@/lib/channels/service";
import type { TChannelAccess } from "@/lib/channels/access";
import * as repo from "@/lib/commands/repository";
import { BUILTIN_COMMANDS, type TBuiltinName, type TCommandInfo } from "@/lib/commands/schema";
import { emojiFromName } from "@/lib/emoji";
import { toAppError } from "@/lib/errors";
import { parseRemind } from "@/lib/reminders/parse";
import { createReminder } from "@/lib/reminders/service";
import type { TActor } from "@/lib/users/service";

export type TBuiltinContext = {
  actor: TActor;
  access: TChannelAccess;
  args: string;
  tzOffsetMinutes?: number;
  /** Every command the invoker may use here (for /help). */
  listAvailable: () => Promise<TCommandInfo[]>;
};

/** ok=false keeps the invoker's text in the composer so they can fix it. */
export type TBuiltinReply = { ok: boolean; text: string };

const ok = (text: string): TBuiltinReply => ({ ok: true, text });
const fail = (text: string): TBuiltinReply => ({ ok: false, text });

/** `<@U123>`, `<@U123|name>`, `@name` — names match a member's name without spaces, email, or email's local part. */
function resolvePeople(args: string, members: { id: string; name: string; email: string; isBot: boolean }[]): { ids: string[]; unknown: string[] } {
  const tokens = args.split(/[\s,，、]+/).filter(Boolean);
  const ids: string[] = [];
  const unknown: string[] = [];
  const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();
  for (const token of tokens) {
    const mention = /^<@([A-Za-z0-9_-]+)(?:\|[^>]*)?>$/.exec(token);
    if (mention) {
      const found = members.find((m) => m.id === mention[1]);
      if (found) ids.push(found.id);
      else unknown.push(token);
      continue;
    }
    const name = token.replace(/^@/, "");
    const key = squash(name);
    const matches = members.filter((m) => squash(m.name) === key || m.email.toLowerCase() === key || m.email.toLowerCase().split("@")[0] === key);
    if (matches.length === 1) ids.push(matches[0]!.id);
    else unknown.push(matches.length > 1 ? `${token} (more than one person has that name; use their email)` : token);
  }
  return { ids: [...new Set(ids)], unknown };
}

async function runInvite({ actor, access, args }: TBuiltinContext): Promise<TBuiltinReply> {
  if (!args.trim()) return fail("Usage: `/invite @name [@more …]` — names as shown in the member list (without spaces), or email addresses.");
  const members = await repo.listActiveMembers(access.channel.workspaceId);
  const { ids, unknown } = resolvePeople(args, members);
  if (unknown.length) return fail(`I could not find ${unknown.join(", ")} in this workspace. Nobody was added.`);
  await addChannelMembers({ actor, channelId: access.channel.id, input: { userIds: ids } });
  const names = ids.map((id) => members.find((m) => m.id === id)!.name);
  return ok(`Added ${names.join(", ")} to #${access.channel.name ?? "this conversation"}.`);
}

async function runLeave({ actor, access }: TBuiltinContext): Promise<TBuiltinReply> {
  await leaveChannel({ actor, channelId: access.channel.id });
  return ok(`You left #${access.channel.name}.`);
}

async function runTopic({ actor, access, args }: TBuiltinContext): Promise<TBuiltinReply> {
  const topic = args.trim();
  if (!topic) return ok(access.channel.topic ? `The topic is: ${access.channel.topic}` : "This conversation has no topic. Set one with `/topic <text>`.");
  await updateChannel({ actor, channelId: access.channel.id, input: { topic } });
  return ok(`Topic set to: ${topic}`);
}

async function runMute({ actor, access }: TBuiltinContext): Promise<TBuiltinReply> {
  const muted = await repo.toggleMuted(access.channel.id, actor.userId);
  if (muted === null) return fail("Join the conversation to mute it.");
  return ok(muted ? "Muted: this conversation shows no unread count. `/mute` again to unmute." : "Unmuted.");
}

async function runRemind({ actor, access, args, tzOffsetMinutes }: TBuiltinContext): Promise<TBuiltinReply> {
  const parsed = parseRemind(args, { tzOffsetMinutes });
  if (!parsed.ok) return fail(parsed.error);
  await createReminder({ actor, input: { workspaceId: access.channel.workspaceId, text: parsed.what, dueAt: parsed.dueAt } });
  return ok(`OK, I will remind you "${parsed.what}" ${describeWhen(parsed.dueAt, tzOffsetMinutes ?? 0)}.`);
}

/** "at 2026-11-26 09:00 (in 13 hours)", in the invoker's clock. */
function describeWhen(dueAt: Date, tzOffsetMinutes: number, now = Date.now()): string {
  const local = new Date(dueAt.getTime() - tzOffsetMinutes * 60_000).toISOString();
  const minutes = Math.round((dueAt.getTime() - now) / 60_000);
  const rel = minutes < 60 ? `${minutes} minute${minutes === 1 ? "" : "s"}` : minutes < 48 * 60 ? `${Math.round(minutes / 60)} hour${Math.round(minutes / 60) === 1 ? "" : "s"}` : `${Math.round(minutes / 1440)} days`;
  return `at ${local.slice(0, 10)} ${local.slice(11, 16)} (in ${rel})`;
}

const STATUS_EMOJI_RE = /^:[a-z0-9_+\-]{1,64}:$/;
const MAX_STATUS_CHARS = 100;

async function runStatus({ actor, args }: TBuiltinContext): Promise<TBuiltinReply> {
  const text = args.trim();
  if (!text) {
    const me = await repo.findUserStatus(actor.userId);
    const current = [me?.statusEmoji, me?.statusText].filter(Boolean).join(" ");
    return ok(current ? `Your status: ${current}. Clear it with \`/status clear\`.` : "You have no status. Usage: `/status [:emoji:] <text>` or `/status clear`.");
  }
  if (/^(clear|清除)$/i.test(text)) {
    await repo.updateUserStatus(actor.userId, { statusText: "", statusEmoji: "", statusExpiresAt: null });
    return ok("Status cleared.");
  }
  const [first, ...rest] = text.split(" ");
  const emoji = STATUS_EMOJI_RE.test(first!) ? first! : "";
  const statusText = (emoji ? rest.join(" ") : text).trim();
  if (!emoji && /^:[^\s]*:$/.test(first!)) return fail(`${first} is not an emoji name (letters, digits, _ + - between colons).`);
  if (emoji && !emojiFromName(emoji)) return fail(`${emoji} is not an emoji Parley knows; try one like :coffee: or :palm_tree:.`);
  if ([...statusText].length > MAX_STATUS_CHARS) return fail(`A status can be at most ${MAX_STATUS_CHARS} characters.`);
  await repo.updateUserStatus(actor.userId, { statusText, statusEmoji: emoji || (statusText ? ":speech_balloon:" : ""), statusExpiresAt: null });
  return ok(`Status set: ${[emoji || ":speech_balloon:", statusText].filter(Boolean).join(" ")}`);
}

async function runHelp({ listAvailable }: TBuiltinContext): Promise<TBuiltinReply> {
  const all = await listAvailable();
  const lines = all.map((c) => `• \`/${c.command}${c.usageHint ? ` ${c.usageHint}` : ""}\` — ${c.description || (c.botName ? `from ${c.botName}` : "")}`);
  return ok(`Commands you can use here:\n${lines.join("\n")}`);
}

const handlers: Record<TBuiltinName, (ctx: TBuiltinContext) => Promise<TBuiltinReply>> = {
  invite: runInvite,
  leave: runLeave,
  topic: runTopic,
  mute: runMute,
  remind: runRemind,
  status: runStatus,
  help: runHelp,
};

/** Runs a built-in; refusals from the services (403, 409 …) become the reply text. */
export async function runBuiltin(name: TBuiltinName, ctx: TBuiltinContext): Promise<TBuiltinReply> {
  try {
    return await handlers[name](ctx);
  } catch (err) {
    const e = toAppError(err);
    if (e.code === "internal" || e.code === "unavailable") throw err;
    return fail(`/${name} failed: ${e.message}`);
  }
}

export { BUILTIN_COMMANDS };
