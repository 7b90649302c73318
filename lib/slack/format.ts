/**
 * Parley objects in Slack's Web API and Events API shapes. Slack ids are Parley ids: user ids,
 * channel ids, and the workspace id as team_id. Message text uses Slack's tokens (<@id>, <#id>, <!here>,
 * <url|label>) in both directions; Parley's own Markdown messages have their &, < and > escaped on the
 * way out as Slack does, keeping those tokens intact.
 */
import type { TChannelKind } from "@/lib/channels/schema";
import { publicBaseUrl } from "@/lib/env";
import type { TMessage } from "@/lib/messages/schema";
import { parseTs } from "@/lib/messages/ts";

/** Slack's token syntax inside message text. */
const SLACK_TOKEN = /<(?:@[A-Za-z0-9_-]+|#[A-Za-z0-9_-]+(?:\|[^<>]*)?|![a-z]+(?:\^[^<>|]*)?(?:\|[^<>]*)?|(?:https?|mailto):[^<>\s|]+(?:\|[^<>]*)?)>/g;

/** Escapes &, < and > as Slack does, leaving Slack tokens (mentions, channel links, <!here>, links) alone. */
export function escapeSlackText(text: string): string {
  let out = "";
  let last = 0;
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  for (const m of text.matchAll(SLACK_TOKEN)) {
    out += esc(text.slice(last, m.index)) + m[0];
    last = m.index! + m[0].length;
  }
  return out + esc(text.slice(last));
}

/** The message's text as a Slack client reads it. */
export function slackText(m: Pick<TMessage, "body" | "markup">): string {
  return m.markup === "mrkdwn" ? m.body : escapeSlackText(m.body);
}

function isoToTs(iso: string): string {
  const micros = BigInt(new Date(iso).getTime()) * 1000n;
  const s = micros / 1_000_000n;
  return `${s}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}

/** A message as Slack's conversations.history and message events show it. */
export function toSlackMessage(m: TMessage, opts: { teamId?: string } = {}): Record<string, unknown> {
  const out: Record<string, unknown> = { type: "message", ts: m.ts, user: m.sender.id, text: slackText(m) };
  if (opts.teamId) out.team = opts.teamId;
  if (m.sender.botId) {
    out.bot_id = m.sender.botId;
    out.app_id = m.sender.botId;
    out.bot_profile = { id: m.sender.botId, app_id: m.sender.botId, name: m.sender.name, deleted: false, icons: m.sender.avatarUrl ? { image_48: m.sender.avatarUrl } : {} };
  }
  if (m.subtype) out.subtype = m.subtype;
  if (m.overrideName) out.username = m.overrideName;
  if (m.overrideIcon) out.icons = m.overrideIcon.startsWith(":") ? { emoji: m.overrideIcon } : { image_48: m.overrideIcon };
  if (m.blocks?.length) out.blocks = m.blocks;
  if (m.attachments?.length) out.attachments = m.attachments;
  if (m.threadTs) {
    out.thread_ts = m.threadTs;
    if (m.broadcast) out.subtype = "thread_broadcast";
  } else if (m.replyCount > 0) {
    out.thread_ts = m.ts;
    out.reply_count = m.replyCount;
  }
  if (m.editedAt) out.edited = { user: m.sender.id, ts: isoToTs(m.editedAt) };
  if (m.reactions.length) out.reactions = m.reactions.map((r) => ({ name: r.emoji, users: r.userIds, count: r.count }));
  if (m.pinnedAt) out.pinned_to = [m.channelId];
  return out;
}

/** A message's link as chat.getPermalink gives it ("…/archives/C…/p1712345678123456", replies with their thread). */
export function messagePermalink(channelId: string, ts: string, threadTs?: string | null): string {
  const thread = threadTs ? `?thread_ts=${threadTs}&cid=${channelId}` : "";
  return `${publicBaseUrl()}/archives/${channelId}/p${ts.replace(".", "")}${thread}`;
}

/** Slack's conversation type flags for a channel kind. */
export function channelTypeFlags(kind: TChannelKind) {
  return {
    is_channel: kind === "PUBLIC" || kind === "ANNOUNCEMENT",
    is_group: kind === "PRIVATE",
    is_im: kind === "DM",
    is_mpim: kind === "GROUP_DM",
    is_private: kind !== "PUBLIC" && kind !== "ANNOUNCEMENT",
  };
}

/** The Events API's `channel_type` for a channel kind. */
export function eventChannelType(kind: TChannelKind): "channel" | "group" | "im" | "mpim" {
  return kind === "DM" ? "im" : kind === "GROUP_DM" ? "mpim" : kind === "PRIVATE" ? "group" : "channel";
}

/** Seconds since the epoch, as Slack's `created` fields. */
export function unixSeconds(iso: string | Date): number {
  return Math.floor(new Date(iso).getTime() / 1000);
}

/** A ts from a request, or null; accepts Slack's "1764100000.000123" (and numbers). */
export function tsArg(value: unknown): bigint | null {
  return parseTs(value);
}
