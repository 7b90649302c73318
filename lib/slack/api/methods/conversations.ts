/** conversations.* — listing, reading, joining, creating and opening conversations. */
import type { TChannelAccess } from "@/lib/channels/access";
import type { TChannelKind } from "@/lib/channels/schema";
import { addChannelMembers, createChannel, joinChannel, leaveChannel, openDm, updateChannel } from "@/lib/channels/service";
import type { ChannelKind } from "@/lib/generated/prisma/enums";
import { listPins } from "@/lib/messages/pins";
import * as messagesRepo from "@/lib/messages/repository";
import { formatTs } from "@/lib/messages/ts";
import { channelTypeFlags, toSlackMessage, tsArg, unixSeconds } from "@/lib/slack/format";
import * as slackRepo from "@/lib/slack/repository";
import { SlackError, bool, channelScope, decodeCursor, encodeCursor, limitArg, requireScope, str, toSlackError, type TMethodCtx } from "@/lib/slack/api/core";
import { channelAccess, channelArg, resolveChannelId, tokenWorkspace } from "@/lib/slack/api/shared";
import { messageByTs } from "@/lib/slack/api/methods/chat";

type TChannelLike = {
  id: string;
  kind: TChannelKind;
  name: string | null;
  topic: string;
  description: string;
  isGeneral: boolean;
  archivedAt: Date | null;
  createdById: string | null;
  createdAt: Date;
  workspaceId: string;
};

/** A conversation in Slack's shape. `dmUserIds` are the members of a DM, for its `user` field. */
export function toSlackChannel(c: TChannelLike, opts: { userId: string; isMember: boolean; numMembers?: number; dmUserIds?: string[]; lastReadSeq?: number }) {
  const flags = channelTypeFlags(c.kind);
  const created = unixSeconds(c.createdAt);
  const out: Record<string, unknown> = {
    id: c.id,
    created,
    is_archived: !!c.archivedAt,
    is_general: c.isGeneral,
    context_team_id: c.workspaceId,
    is_shared: false,
    is_org_shared: false,
    is_ext_shared: false,
    is_pending_ext_shared: false,
    ...flags,
    updated: created * 1000,
  };
  if (flags.is_im) {
    out.user = opts.dmUserIds?.find((u) => u !== opts.userId) ?? opts.userId;
    out.is_open = true;
  } else {
    const name = c.name ?? (opts.dmUserIds ? `mpdm-${opts.dmUserIds.join("--")}-1` : c.id);
    Object.assign(out, {
      name,
      name_normalized: name,
      creator: c.createdById ?? "",
      is_member: opts.isMember,
      topic: { value: c.topic, creator: "", last_set: 0 },
      purpose: { value: c.description, creator: "", last_set: 0 },
      is_announcement: c.kind === "ANNOUNCEMENT",
    });
    if (opts.numMembers !== undefined) out.num_members = opts.numMembers;
  }
  return out;
}

const TYPE_KINDS: Record<string, ChannelKind[]> = {
  public_channel: ["PUBLIC", "ANNOUNCEMENT"],
  private_channel: ["PRIVATE"],
  im: ["DM"],
  mpim: ["GROUP_DM"],
};

function kindsArg(ctx: TMethodCtx): ChannelKind[] {
  const raw = str(ctx.args, "types") ?? "public_channel";
  const kinds: ChannelKind[] = [];
  for (const t of raw.split(",").map((s) => s.trim()).filter(Boolean)) {
    const k = TYPE_KINDS[t];
    if (!k) throw new SlackError("invalid_types", `Unknown conversation type "${t}"; use public_channel, private_channel, im or mpim`);
    kinds.push(...k);
  }
  return kinds;
}

export async function list(ctx: TMethodCtx) {
  const kinds = kindsArg(ctx);
  for (const k of new Set(kinds)) requireScope(ctx, channelScope(k, "read"));
  const limit = limitArg(ctx.args, 100, 1000);
  const after = decodeCursor(ctx.args);
  const rows = await slackRepo.listVisibleConversations(ctx.actor.workspaceId, ctx.actor.userId, kinds, bool(ctx.args, "exclude_archived"), after, limit + 1);
  const page = rows.slice(0, limit);
  const ids = page.map((c) => c.id);
  const [mine, dmMembers] = await Promise.all([
    slackRepo.memberChannelIds(ctx.actor.userId, ids),
    slackRepo.dmMemberIds(page.filter((c) => c.kind === "DM" || c.kind === "GROUP_DM").map((c) => c.id)),
  ]);
  const channels = page.map((c) => toSlackChannel(c, { userId: ctx.actor.userId, isMember: mine.has(c.id), numMembers: c._count.members, dmUserIds: dmMembers.get(c.id) }));
  return { channels, response_metadata: { next_cursor: rows.length > limit ? encodeCursor(page.at(-1)!.id) : "" } };
}

async function describe(ctx: TMethodCtx, access: TChannelAccess) {
  const c = access.channel;
  const row = await slackRepo.findConversation(c.id);
  const dm = c.kind === "DM" || c.kind === "GROUP_DM" ? (await slackRepo.dmMemberIds([c.id])).get(c.id) : undefined;
  return toSlackChannel({ ...c, archivedAt: c.archivedAt ? new Date(c.archivedAt) : null, createdAt: new Date(c.createdAt) }, {
    userId: ctx.actor.userId,
    isMember: !!access.membership,
    numMembers: bool(ctx.args, "include_num_members", true) ? row?._count.members : undefined,
    dmUserIds: dm,
  });
}

export async function info(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  requireScope(ctx, channelScope(access.channel.kind, "read"));
  const channel = await describe(ctx, access);
  if (access.membership) Object.assign(channel, { last_read: "0000000000.000000" });
  return { channel };
}

/** Slack's oldest/latest/inclusive window, narrowed by a cursor (the last ts of the previous page). */
function tsWindow(ctx: TMethodCtx, cursor: string | undefined, direction: "back" | "forward") {
  const oldest = ctx.args.oldest !== undefined && ctx.args.oldest !== "" ? tsArg(ctx.args.oldest) : null;
  const latest = ctx.args.latest !== undefined && ctx.args.latest !== "" ? tsArg(ctx.args.latest) : null;
  if ((ctx.args.oldest !== undefined && ctx.args.oldest !== "" && oldest === null) || (ctx.args.latest !== undefined && ctx.args.latest !== "" && latest === null)) {
    throw new SlackError("invalid_ts_oldest", "oldest and latest must be timestamps like 1764100000.000123");
  }
  const inclusive = bool(ctx.args, "inclusive");
  const window: { gt?: bigint; gte?: bigint; lt?: bigint; lte?: bigint } = {};
  if (oldest !== null) window[inclusive ? "gte" : "gt"] = oldest;
  if (latest !== null) window[inclusive ? "lte" : "lt"] = latest;
  if (cursor !== undefined) {
    const at = tsArg(cursor);
    if (at === null) throw new SlackError("invalid_cursor", "The cursor is not one this API returned");
    if (direction === "back") {
      delete window.lte;
      window.lt = at;
    } else {
      delete window.gte;
      window.gt = at;
    }
  }
  return window;
}

export async function history(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId);
  requireScope(ctx, channelScope(access.channel.kind, "history"));
  const limit = limitArg(ctx.args, 100, 999);
  const rows = await slackRepo.listHistoryByTs(channelId, tsWindow(ctx, decodeCursor(ctx.args), "back"), limit + 1);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const pinCount = await messagesRepo.countPins(channelId);
  return {
    messages: page.map((r) => toSlackMessage(messagesRepo.toMessage(r), { teamId: ctx.actor.workspaceId })),
    has_more: hasMore,
    pin_count: pinCount,
    response_metadata: { next_cursor: hasMore ? encodeCursor(formatTs(page.at(-1)!.ts)) : "" },
  };
}

export async function replies(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId);
  requireScope(ctx, channelScope(access.channel.kind, "history"));
  const found = await messageByTs(channelId, ctx.args.ts).catch(() => {
    throw new SlackError("thread_not_found", "No thread with that ts in this conversation");
  });
  const root = found.threadRootId ? await messagesRepo.findMessageById(found.threadRootId) : found;
  if (!root) throw new SlackError("thread_not_found", "No thread with that ts in this conversation");
  const limit = limitArg(ctx.args, 1000, 1000);
  const cursor = decodeCursor(ctx.args);
  const rows = await slackRepo.listRepliesByTs(root.id, tsWindow(ctx, cursor, "forward"), limit + 1);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const rootMessage = toSlackMessage(messagesRepo.toMessage(root), { teamId: ctx.actor.workspaceId });
  if (root.replyCount > 0) rootMessage.thread_ts = formatTs(root.ts);
  return {
    // Slack always puts the parent first, on every page.
    messages: [rootMessage, ...page.map((r) => toSlackMessage(messagesRepo.toMessage(r), { teamId: ctx.actor.workspaceId }))],
    has_more: hasMore,
    response_metadata: { next_cursor: hasMore ? encodeCursor(formatTs(page.at(-1)!.ts)) : "" },
  };
}

export async function members(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  requireScope(ctx, channelScope(access.channel.kind, "read"));
  const limit = limitArg(ctx.args, 100, 1000);
  const rows = await slackRepo.listChannelMemberIds(channelId, decodeCursor(ctx.args), limit + 1);
  const page = rows.slice(0, limit);
  return { members: page.map((r) => r.userId), response_metadata: { next_cursor: rows.length > limit ? encodeCursor(page.at(-1)!.userId) : "" } };
}

export async function join(ctx: TMethodCtx) {
  requireScope(ctx, "channels:join");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  if (access.channel.kind !== "PUBLIC" && access.channel.kind !== "ANNOUNCEMENT") throw new SlackError("method_not_supported_for_channel_type", "Only public channels can be joined");
  if (access.channel.archivedAt) throw new SlackError("is_archived", "The channel is archived");
  const already = !!access.membership;
  if (!already) await joinChannel({ actor: ctx.actor, channelId }).catch((err: unknown) => { throw toSlackError(err); });
  const after = await channelAccess(ctx, channelId, { member: false });
  return { channel: await describe(ctx, after), ...(already ? { warning: "already_in_channel", response_metadata: { warnings: ["already_in_channel"] } } : {}) };
}

export async function create(ctx: TMethodCtx) {
  const isPrivate = bool(ctx.args, "is_private");
  requireScope(ctx, isPrivate ? "groups:write" : "channels:manage");
  const name = str(ctx.args, "name", { required: true, error: "invalid_name_required" });
  if (!/^[\p{L}\p{N}\p{M}_-]{1,80}$/u.test(name) || name !== name.toLowerCase()) {
    throw new SlackError(name.length > 80 ? "invalid_name_maxlength" : "invalid_name_specials", "Channel names are lower case, without spaces or punctuation other than - and _, at most 80 characters");
  }
  const ws = await tokenWorkspace(ctx);
  const view = await createChannel({ actor: ctx.actor, slug: ws.slug, input: { name, kind: isPrivate ? "PRIVATE" : "PUBLIC" } }).catch((err: unknown) => {
    throw toSlackError(err);
  });
  const access = await channelAccess(ctx, view.id, { member: false });
  return { channel: await describe(ctx, access) };
}

export async function open(ctx: TMethodCtx) {
  const existing = str(ctx.args, "channel");
  if (existing) {
    const access = await channelAccess(ctx, existing, { member: true });
    return { no_op: true, already_open: true, channel: bool(ctx.args, "return_im") ? await describe(ctx, access) : { id: access.channel.id } };
  }
  const users = (str(ctx.args, "users", { required: true, error: "users_list_not_supplied" }) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (users.length === 0) throw new SlackError("users_list_not_supplied", "Name one to eight users");
  if (users.length > 7) throw new SlackError("too_many_users", "A group conversation holds at most 8 people");
  requireScope(ctx, users.length > 1 ? "mpim:write" : "im:write");
  for (const u of users) if (!(await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, u))) throw new SlackError("user_not_found", `No user ${u} in this workspace`);
  const ws = await tokenWorkspace(ctx);
  const view = await openDm({ actor: ctx.actor, slug: ws.slug, input: { userIds: users } }).catch((err: unknown) => {
    throw toSlackError(err, "user_not_found");
  });
  const access = await channelAccess(ctx, view.id, { member: true });
  return { channel: bool(ctx.args, "return_im") ? await describe(ctx, access) : { id: view.id } };
}

export async function invite(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: true });
  requireScope(ctx, channelScope(access.channel.kind, "write"));
  const users = (str(ctx.args, "users", { required: true, error: "no_user" }) ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (users.includes(ctx.actor.userId)) throw new SlackError("cant_invite_self", "You are already in the channel");
  for (const u of users) if (!(await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, u))) throw new SlackError("user_not_found", `No user ${u} in this workspace`);
  const already = await slackRepo.listChannelMemberIds(channelId, undefined, 100_000);
  const inChannel = new Set(already.map((r) => r.userId));
  if (users.every((u) => inChannel.has(u))) throw new SlackError("already_in_channel", "They are already in the channel");
  await addChannelMembers({ actor: ctx.actor, channelId, input: { userIds: users.filter((u) => !inChannel.has(u)) } }).catch((err: unknown) => {
    throw toSlackError(err, "user_not_found");
  });
  return { channel: await describe(ctx, await channelAccess(ctx, channelId, { member: true })) };
}

export async function leave(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  if (!access.membership) return { not_in_channel: true };
  if (access.channel.kind === "DM") throw new SlackError("method_not_supported_for_channel_type", "You cannot leave a DM");
  if (access.channel.isGeneral) throw new SlackError("cant_leave_general", "Everyone stays in #general");
  await leaveChannel({ actor: ctx.actor, channelId }).catch((err: unknown) => { throw toSlackError(err); });
  return {};
}

async function setField(ctx: TMethodCtx, field: "topic" | "purpose") {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: true });
  requireScope(ctx, channelScope(access.channel.kind, "write"));
  const value = str(ctx.args, field) ?? "";
  if (access.channel.archivedAt) throw new SlackError("is_archived", "The channel is archived");
  await updateChannel({ actor: ctx.actor, channelId, input: field === "topic" ? { topic: value } : { description: value } }).catch((err: unknown) => {
    const e = toSlackError(err);
    throw e.error === "invalid_arguments" ? new SlackError("too_long", e.message) : e;
  });
  return { channel: await describe(ctx, await channelAccess(ctx, channelId, { member: true })) };
}

export const setTopic = (ctx: TMethodCtx) => setField(ctx, "topic");
export const setPurpose = (ctx: TMethodCtx) => setField(ctx, "purpose");

async function setArchived(ctx: TMethodCtx, archived: boolean) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  requireScope(ctx, channelScope(access.channel.kind, "write"));
  if (access.channel.kind === "DM" || access.channel.kind === "GROUP_DM") throw new SlackError("method_not_supported_for_channel_type", "DMs cannot be archived");
  if (access.channel.isGeneral) throw new SlackError("cant_archive_general", "#general cannot be archived");
  if (archived && access.channel.archivedAt) throw new SlackError("already_archived", "The channel is already archived");
  if (!archived && !access.channel.archivedAt) throw new SlackError("not_archived", "The channel is not archived");
  await updateChannel({ actor: ctx.actor, channelId, input: { archived } }).catch((err: unknown) => { throw toSlackError(err); });
  return {};
}

export const archive = (ctx: TMethodCtx) => setArchived(ctx, true);
export const unarchive = (ctx: TMethodCtx) => setArchived(ctx, false);

export async function rename(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: false });
  requireScope(ctx, channelScope(access.channel.kind, "write"));
  const name = str(ctx.args, "name", { required: true, error: "invalid_name_required" });
  await updateChannel({ actor: ctx.actor, channelId, input: { name } }).catch((err: unknown) => {
    const e = toSlackError(err);
    throw e.error === "invalid_arguments" ? new SlackError("invalid_name_specials", e.message) : e;
  });
  return { channel: await describe(ctx, await channelAccess(ctx, channelId, { member: false })) };
}

export async function pinsList(ctx: TMethodCtx) {
  requireScope(ctx, "pins:read");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  await channelAccess(ctx, channelId);
  const pins = await listPins({ actor: ctx.actor, input: { channelId } }).catch((err: unknown) => { throw toSlackError(err); });
  return {
    items: pins.map((m) => ({ type: "message", channel: channelId, created: m.pinnedAt ? unixSeconds(m.pinnedAt) : 0, created_by: m.pinnedById, message: toSlackMessage(m, { teamId: ctx.actor.workspaceId }) })),
  };
}
