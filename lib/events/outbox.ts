/**
 * Turns committed domain changes into Events API deliveries (EventDelivery rows), with Slack's rules
 * for who gets what:
 * - message.channels / .groups / .im / .mpim: messages posted, edited (message_changed) or deleted
 *   (message_deleted) in conversations the bot is a member of, by the conversation's kind — the bot's
 *   own messages included (with bot_id; Bolt's ignoreSelf drops them);
 * - app_mention: a message whose text mentions the bot (<@botUserId>) in a conversation it is in;
 * - reaction_added / reaction_removed: on messages in conversations the bot is in;
 * - pin_added / pin_removed: messages pinned or unpinned in conversations the bot is in;
 * - member_joined_channel / member_left_channel: channels (not DMs) the bot is in;
 * - channel_created / channel_rename / channel_archive / channel_unarchive: public channels, every bot
 *   of the workspace; group_rename / group_archive / group_unarchive: private channels the bot is in.
 * Runs on the node that made the change (the bus is local), so each change is written once.
 */
import { createHash, createHmac, randomBytes } from "node:crypto";
import { wakeDispatcher } from "@/lib/events/config";
import * as repo from "@/lib/events/repository";
import { EVENT_SCOPES, type TEventType } from "@/lib/events/schema";
import type { TChannelKind } from "@/lib/channels/schema";
import type { TMessage } from "@/lib/messages/schema";
import type { TDomainEvent, TPinChange } from "@/lib/realtime/bus";
import { eventChannelType, messagePermalink, toSlackMessage, unixSeconds } from "@/lib/slack/format";

/** The deprecated verification token Slack puts in every envelope: stable per bot, derived from its secret. */
export function verificationTokenFor(signingSecret: string): string {
  return createHmac("sha256", signingSecret).update("parley-verification-token").digest("base64url").slice(0, 24);
}

/** A Slack-looking event id ("Ev" + 10 upper-case letters/digits); deterministic when `seed` is given. */
export function newEventId(seed?: string): string {
  const bytes = seed ? createHash("sha256").update(seed).digest() : randomBytes(16);
  const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  let out = "Ev";
  for (let i = 0; i < 10; i++) out += alphabet[bytes[i]! % alphabet.length];
  return out;
}

/** "seconds.micros" for now, the shape of Slack's event_ts. */
function nowTs(): string {
  const micros = BigInt(Date.now()) * 1000n + BigInt(Math.floor(Math.random() * 1000));
  return `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, "0")}`;
}

/** The event_callback envelope, exactly Slack's fields. */
export function buildEnvelope(bot: repo.TEventBot, event: Record<string, unknown>, eventId: string, context: { channelId?: string } = {}): Record<string, unknown> {
  const eventTime = Math.floor(Date.now() / 1000);
  const eventContext = Buffer.from(JSON.stringify({ et: event.type, tid: bot.workspaceId, aid: bot.id, ...(context.channelId ? { cid: context.channelId } : {}) })).toString("base64url");
  return {
    token: verificationTokenFor(bot.signingSecret),
    team_id: bot.workspaceId,
    context_team_id: bot.workspaceId,
    context_enterprise_id: null,
    api_app_id: bot.id,
    event,
    type: "event_callback",
    event_id: eventId,
    event_time: eventTime,
    authorizations: [{ enterprise_id: null, team_id: bot.workspaceId, user_id: bot.userId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${eventContext}`,
  };
}

/** Whether the bot subscribed to `type` and still holds the scope Slack requires for it. */
function wants(bot: repo.TEventBot, type: TEventType): boolean {
  return bot.eventSubscriptions.includes(type) && bot.scopes.includes(EVENT_SCOPES[type]);
}

function messageSubscription(kind: TChannelKind): TEventType {
  return kind === "DM" ? "message.im" : kind === "GROUP_DM" ? "message.mpim" : kind === "PRIVATE" ? "message.groups" : "message.channels";
}

type TPending = { bot: repo.TEventBot; type: TEventType; event: Record<string, unknown>; eventId?: string; channelId?: string };

/** The message event Slack sends for a new message. */
function messageEvent(m: TMessage, teamId: string, kind: TChannelKind): Record<string, unknown> {
  const event: Record<string, unknown> = { ...toSlackMessage(m, { teamId }), channel: m.channelId, event_ts: m.ts, channel_type: eventChannelType(kind) };
  if (m.clientMsgId && !m.sender.botId) event.client_msg_id = m.clientMsgId;
  return event;
}

/** Slack's pin_added / pin_removed: the pinned message whole (as it is now), who pinned it and when, the channel's pin count after. */
function pinEvent(type: "pin_added" | "pin_removed", pin: TPinChange, m: TMessage, teamId: string): Record<string, unknown> {
  const message = { ...toSlackMessage(m, { teamId }), permalink: messagePermalink(m.channelId, m.ts, m.threadTs) };
  const pinnedAt = unixSeconds(pin.pinnedAt);
  return {
    type,
    user: pin.userId,
    channel_id: m.channelId,
    item: { type: "message", channel: m.channelId, created: pinnedAt, created_by: pin.pinnedById, message },
    item_user: m.sender.id,
    pin_count: String(pin.pinCount),
    pinned_info: { channel: m.channelId, pinned_by: pin.pinnedById, pinned_ts: pinnedAt },
    ...(pin.added ? {} : { has_pins: pin.pinCount > 0 }),
    event_ts: nowTs(),
  };
}

function mentions(m: TMessage, userId: string): boolean {
  return m.body.includes(`<@${userId}>`) || m.body.includes(`<@${userId}|`);
}

async function fromChannelEvent(e: Extract<TDomainEvent, { kind: "channel.event" }>): Promise<TPending[]> {
  const { event: change, reaction, pin, edited } = e;
  const m = change.message;
  if (change.type === "message.updated" && !reaction && !pin && !edited) return []; // thread counters: Slack sends no event
  const bots = await repo.findLiveBotsInChannel(change.workspaceId, change.channelId);
  if (!bots.length) return [];
  const channel = await repo.findChannelForEvents(change.channelId);
  if (!channel) return [];
  const subscription = messageSubscription(channel.kind);
  const out: TPending[] = [];
  for (const bot of bots) {
    if (change.type === "message.created") {
      if (wants(bot, subscription)) out.push({ bot, type: subscription, event: messageEvent(m, change.workspaceId, channel.kind), channelId: m.channelId });
      if (wants(bot, "app_mention") && m.sender.id !== bot.userId && mentions(m, bot.userId)) {
        const slack = toSlackMessage(m, { teamId: change.workspaceId });
        const event: Record<string, unknown> = { ...slack, type: "app_mention", channel: m.channelId, event_ts: m.ts };
        delete event.subtype;
        if (m.clientMsgId && !m.sender.botId) event.client_msg_id = m.clientMsgId;
        out.push({ bot, type: "app_mention", event, channelId: m.channelId });
      }
    } else if (change.type === "message.deleted") {
      if (wants(bot, subscription)) {
        const ts = nowTs();
        out.push({
          bot,
          type: subscription,
          event: { type: "message", subtype: "message_deleted", hidden: true, channel: m.channelId, ts, deleted_ts: m.ts, event_ts: ts, channel_type: eventChannelType(channel.kind) },
          channelId: m.channelId,
        });
      }
    } else if (edited) {
      if (wants(bot, subscription)) {
        const ts = nowTs();
        out.push({
          bot,
          type: subscription,
          event: { type: "message", subtype: "message_changed", hidden: true, channel: m.channelId, ts, event_ts: ts, channel_type: eventChannelType(channel.kind), message: toSlackMessage(m, { teamId: change.workspaceId }) },
          channelId: m.channelId,
        });
      }
    } else if (reaction) {
      const type = reaction.added ? "reaction_added" : "reaction_removed";
      if (wants(bot, type)) {
        out.push({
          bot,
          type,
          event: { type, user: reaction.userId, reaction: reaction.emoji, item_user: m.sender.id, item: { type: "message", channel: m.channelId, ts: m.ts }, event_ts: nowTs() },
          channelId: m.channelId,
        });
      }
    } else if (pin) {
      const type = pin.added ? "pin_added" : "pin_removed";
      if (wants(bot, type)) out.push({ bot, type, event: pinEvent(type, pin, m, change.workspaceId), channelId: m.channelId });
    }
  }
  return out;
}

async function fromMembership(e: Extract<TDomainEvent, { kind: "channel.memberAdded" | "channel.memberRemoved" }>): Promise<TPending[]> {
  const bots = await repo.findLiveBotsInChannel(e.workspaceId, e.channelId);
  const type = e.kind === "channel.memberAdded" ? "member_joined_channel" : "member_left_channel";
  const interested = bots.filter((b) => wants(b, type));
  if (!interested.length) return [];
  const channel = await repo.findChannelForEvents(e.channelId);
  if (!channel || channel.kind === "DM" || channel.kind === "GROUP_DM") return [];
  const channelType = channel.kind === "PRIVATE" ? "G" : "C";
  // A join is delivered once per membership: the services re-announce members (poster changes), so the
  // event id comes from the membership's join time and a second announcement finds it already queued.
  const joinedAt = type === "member_joined_channel" ? new Map((await repo.findMemberships(e.channelId, e.userIds)).map((r) => [r.userId, r.joinedAt])) : undefined;
  const out: TPending[] = [];
  for (const userId of e.userIds) {
    if (joinedAt && !joinedAt.has(userId)) continue; // left again already
    const eventId = joinedAt ? newEventId(`join:${e.channelId}:${userId}:${joinedAt.get(userId)!.getTime()}`) : newEventId();
    for (const bot of interested) {
      out.push({ bot, type, eventId, channelId: e.channelId, event: { type, user: userId, channel: e.channelId, channel_type: channelType, team: e.workspaceId, event_ts: nowTs() } });
    }
  }
  return out;
}

async function fromChannelUpdate(e: Extract<TDomainEvent, { kind: "channel.updated" }>): Promise<TPending[]> {
  if (!e.changes?.length) return [];
  const channel = await repo.findChannelForEvents(e.channelId);
  if (!channel || channel.kind === "DM" || channel.kind === "GROUP_DM") return [];
  const isPublic = channel.kind !== "PRIVATE";
  const bots = isPublic ? await repo.findLiveBotsInWorkspace(e.workspaceId) : await repo.findLiveBotsInChannel(e.workspaceId, e.channelId);
  const created = Math.floor(channel.createdAt.getTime() / 1000);
  const out: TPending[] = [];
  for (const change of e.changes) {
    const type: TEventType | undefined = isPublic
      ? ({ created: "channel_created", renamed: "channel_rename", archived: "channel_archive", unarchived: "channel_unarchive" } as const)[change]
      : ({ created: undefined, renamed: "group_rename", archived: "group_archive", unarchived: "group_unarchive" } as const)[change];
    if (!type) continue;
    let event: Record<string, unknown>;
    if (change === "created") {
      event = { type, channel: { id: channel.id, name: channel.name, created, creator: channel.createdById, is_channel: true, is_private: false }, event_ts: nowTs() };
    } else if (change === "renamed") {
      event = { type, channel: { id: channel.id, name: channel.name, name_normalized: channel.name, created }, event_ts: nowTs() };
    } else {
      event = { type, channel: channel.id, ...(e.actorId ? { user: e.actorId } : {}), event_ts: nowTs() };
    }
    for (const bot of bots) if (wants(bot, type)) out.push({ bot, type, event, channelId: channel.id });
  }
  return out;
}

/**
 * Records the deliveries a domain event causes and wakes the dispatcher. Returns how many rows were
 * written. Events nobody subscribed to cost one or two indexed reads.
 */
export async function recordDomainEvent(e: TDomainEvent): Promise<number> {
  let pending: TPending[];
  switch (e.kind) {
    case "channel.event":
      pending = await fromChannelEvent(e);
      break;
    case "channel.memberAdded":
    case "channel.memberRemoved":
      pending = await fromMembership(e);
      break;
    case "channel.updated":
      pending = await fromChannelUpdate(e);
      break;
    default:
      return 0;
  }
  if (!pending.length) return 0;
  let rows = pending.map((p) => {
    const eventId = p.eventId ?? newEventId();
    return { seeded: !!p.eventId, row: { botId: p.bot.id, eventId, eventType: p.type, payload: buildEnvelope(p.bot, p.event, eventId, { channelId: p.channelId }) as object } };
  });
  const seeded = rows.filter((r) => r.seeded).map((r) => r.row);
  if (seeded.length) {
    const seen = new Set((await repo.findExistingEventIds([...new Set(seeded.map((r) => r.botId))], [...new Set(seeded.map((r) => r.eventId))])).map((r) => `${r.botId}:${r.eventId}`));
    rows = rows.filter((r) => !seen.has(`${r.row.botId}:${r.row.eventId}`));
  }
  if (!rows.length) return 0;
  await repo.insertDeliveries(rows.map((r) => r.row));
  wakeDispatcher();
  return rows.length;
}
