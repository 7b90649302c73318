/** Conversations: channels, DMs and group DMs, their members and read positions. */
import { AppError, forbidden, notFound } from "@/lib/errors";
import { assertCan } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";
import { publish, type TChannelChange } from "@/lib/realtime/bus";
import { assertCanPost, computeCanEditTopic, computeCanManage, computeCanPost, getChannelAccess, getChannelAccessWithCounts, type TChannelRow } from "@/lib/channels/access";
import * as repo from "@/lib/channels/repository";
import { countPinsByChannel } from "@/lib/messages/repository";
import {
  ZAddMembers,
  ZChannelMemberSearch,
  ZCreateChannel,
  ZMarkRead,
  ZOpenDm,
  ZSetPoster,
  ZSidebarHeadsQuery,
  ZUpdateChannel,
  type TChannel,
  type TChannelMember,
  type TChannelView,
  type TSidebarHead,
} from "@/lib/channels/schema";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

export { assertCanPost, getChannelAccess };

function toChannel(c: TChannelRow): TChannel {
  return {
    ...c,
    archivedAt: c.archivedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    lastMessageAt: c.lastMessageAt?.toISOString() ?? null,
  };
}

function isDm(kind: string): boolean {
  return kind === "DM" || kind === "GROUP_DM";
}

/** The sidebar: conversations the actor is in (archived ones left out), with unread counts. One query (listSidebarRows). */
export async function listMyChannels({ actor, slug }: { actor: TActor; slug: string }): Promise<TChannelView[]> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  const rows = await repo.listSidebarRows(actor.userId, workspace.id);
  return rows
    .map(({ lastReadSeq, isPoster, muted, memberCount, pinCount, dmMembers, unread, ...row }) => ({
      ...toChannel(row),
      isMember: true,
      lastReadSeq,
      unreadCount: unread,
      muted,
      memberCount,
      pinCount,
      ...(isDm(row.kind) ? { dmMembers: dmMembers ?? [] } : {}),
      canPost: computeCanPost(row, role, { isPoster }),
      canManage: computeCanManage(row, role, actor.userId, true),
      canEditTopic: computeCanEditTopic(row, role, true),
    }))
    .sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "") || (b.lastMessageAt ?? "").localeCompare(a.lastMessageAt ?? ""));
}

/** `channels.heads`: the sidebar's conversations with their heads and read positions only (one small query). */
export async function listSidebarHeads({ actor, input }: { actor: TActor; input: unknown }): Promise<{ channels: TSidebarHead[] }> {
  const { slug } = ZSidebarHeadsQuery.parse(input);
  const { workspace } = await getWorkspaceAccess({ actor, slug });
  return { channels: await repo.listSidebarHeads(actor.userId, workspace.id) };
}

/** Public and announcement channels to browse and join (archived ones included, marked). */
export async function browseChannels({ actor, slug }: { actor: TActor; slug: string }): Promise<TChannelView[]> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "channels.browse", "Guests can only see channels they were added to");
  const rows = await repo.listOpenChannels(workspace.id, actor.userId);
  const pinCounts = await countPinsByChannel(rows.map((r) => r.id));
  return rows.map(({ _count, members, ...row }) => {
    const m = members[0] ?? null;
    return {
      ...toChannel(row),
      isMember: !!m,
      lastReadSeq: m?.lastReadSeq ?? 0,
      unreadCount: 0,
      memberCount: _count.members,
      pinCount: pinCounts.get(row.id) ?? 0,
      canPost: computeCanPost(row, role, m),
      canManage: computeCanManage(row, role, actor.userId, !!m),
      canEditTopic: computeCanEditTopic(row, role, !!m),
    };
  });
}

/** One conversation as the actor sees it. */
export async function getChannel({ actor, channelId }: { actor: TActor; channelId: string }): Promise<TChannelView> {
  const { counts, ...access } = await getChannelAccessWithCounts(actor, channelId);
  return {
    ...toChannel(access.channel),
    isMember: !!access.membership,
    lastReadSeq: access.membership?.lastReadSeq ?? 0,
    unreadCount: counts.unread,
    memberCount: counts.memberCount,
    pinCount: counts.pinCount,
    ...(isDm(access.channel.kind) ? { dmMembers: counts.dmMembers ?? [] } : {}),
    canPost: access.canPost,
    canManage: access.canManage,
    canEditTopic: access.canEditTopic,
  };
}

async function assertActiveMembers(workspaceId: string, userIds: string[]): Promise<void> {
  if (userIds.length === 0) return;
  const found = await repo.countActiveWorkspaceMembers(workspaceId, userIds);
  if (found !== new Set(userIds).size) throw new AppError("validation_failed", "Some of those people are not active members of this workspace");
}

function conflictName(name: string): AppError {
  return new AppError("conflict", `A channel named #${name} already exists`, [{ path: "name", message: "is already taken" }]);
}

/** Creates a public, private or announcement channel; the creator is its first member. */
export async function createChannel({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<TChannelView> {
  const data = ZCreateChannel.parse(input);
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "channels.create", "Guests cannot create channels");
  if (data.kind === "ANNOUNCEMENT") assertCan(role, "channels.create_announcement", "Only admins can create announcement channels");
  await consume("write", `ch|${actor.userId}`);
  const memberIds = [...new Set([actor.userId, ...data.memberIds])];
  await assertActiveMembers(workspace.id, memberIds);
  if (await repo.findChannelByName(workspace.id, data.name)) throw conflictName(data.name);
  let channel: TChannelRow;
  try {
    channel = await repo.insertChannel({ workspaceId: workspace.id, kind: data.kind, name: data.name, topic: data.topic, description: data.description, createdById: actor.userId, memberIds });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflictName(data.name);
    throw err;
  }
  publish({ kind: "channel.memberAdded", workspaceId: workspace.id, channelId: channel.id, userIds: memberIds });
  if (channel.kind !== "PRIVATE") publish({ kind: "channel.updated", workspaceId: workspace.id, channelId: channel.id, changes: ["created"], actorId: actor.userId });
  return getChannel({ actor, channelId: channel.id });
}

/** Renames, sets topic/description, archives or unarchives. Topic: any member; the rest: creator or admins. */
export async function updateChannel({ actor, channelId, input }: { actor: TActor; channelId: string; input: unknown }): Promise<TChannelView> {
  const data = ZUpdateChannel.parse(input);
  const access = await getChannelAccess(actor, channelId);
  const { channel } = access;
  const renames = data.name !== undefined && data.name !== channel.name;
  const archives = data.archived !== undefined && data.archived !== !!channel.archivedAt;
  if (isDm(channel.kind) && (renames || archives)) throw new AppError("validation_failed", "Direct messages cannot be renamed or archived");
  if ((renames || archives) && !access.canManage) throw forbidden("Only the channel's creator or a workspace admin can rename or archive it");
  if ((data.topic !== undefined || data.description !== undefined) && !access.canEditTopic) {
    throw forbidden("Join the channel to change its topic");
  }
  if (archives && channel.isGeneral) throw forbidden("#general cannot be archived");
  if (channel.archivedAt && !archives && (renames || data.topic !== undefined || data.description !== undefined)) throw forbidden("This channel is archived; unarchive it first");
  if (renames && (await repo.findChannelByName(channel.workspaceId, data.name!, channelId))) {
    throw conflictName(data.name!);
  }
  try {
    await repo.updateChannelRow(channelId, {
      ...(renames ? { name: data.name } : {}),
      ...(data.topic !== undefined ? { topic: data.topic } : {}),
      ...(data.description !== undefined ? { description: data.description } : {}),
      ...(archives ? { archivedAt: data.archived ? new Date() : null } : {}),
    });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw conflictName(data.name!);
    throw err;
  }
  const changes: TChannelChange[] = [...(renames ? (["renamed"] as const) : []), ...(archives ? [data.archived ? ("archived" as const) : ("unarchived" as const)] : [])];
  publish({ kind: "channel.updated", workspaceId: channel.workspaceId, channelId, changes, actorId: actor.userId });
  return getChannel({ actor, channelId });
}

/** Joins a public or announcement channel. */
export async function joinChannel({ actor, channelId }: { actor: TActor; channelId: string }): Promise<TChannelView> {
  const access = await getChannelAccess(actor, channelId);
  if (access.membership) return getChannel({ actor, channelId });
  if (access.channel.kind !== "PUBLIC" && access.channel.kind !== "ANNOUNCEMENT") throw forbidden("This conversation is invite-only");
  if (access.channel.archivedAt) throw forbidden("This channel is archived");
  // Idempotent under a double click: a concurrent join is not an error.
  await repo.insertMembers(channelId, [{ userId: actor.userId, lastReadSeq: access.channel.lastSeq }]);
  publish({ kind: "channel.memberAdded", workspaceId: access.channel.workspaceId, channelId, userIds: [actor.userId] });
  return getChannel({ actor, channelId });
}

/** Leaves a channel. #general and direct messages cannot be left. */
export async function leaveChannel({ actor, channelId }: { actor: TActor; channelId: string }): Promise<{ left: true }> {
  const access = await getChannelAccess(actor, channelId);
  if (!access.membership) throw new AppError("conflict", "You are not a member of this channel");
  if (access.channel.isGeneral) throw forbidden("Everyone stays in #general");
  if (isDm(access.channel.kind)) throw forbidden("Direct messages cannot be left");
  await repo.deleteMember(channelId, actor.userId);
  publish({ kind: "channel.memberRemoved", workspaceId: access.channel.workspaceId, channelId, userIds: [actor.userId] });
  return { left: true };
}

/** Adds people to a channel the actor is in (guests cannot add; nobody adds to DMs). */
export async function addChannelMembers({ actor, channelId, input }: { actor: TActor; channelId: string; input: unknown }): Promise<TChannelMember[]> {
  const data = ZAddMembers.parse(input);
  const access = await getChannelAccess(actor, channelId);
  if (isDm(access.channel.kind)) throw forbidden("People cannot be added to a direct message; start a new one");
  if (!access.membership) throw forbidden("Join the channel to add people to it");
  assertCan(access.role, "channels.add_members", "Guests cannot add people to channels");
  if (access.channel.archivedAt) throw forbidden("This channel is archived");
  const userIds = [...new Set(data.userIds)];
  await assertActiveMembers(access.channel.workspaceId, userIds);
  await repo.insertMembers(channelId, userIds.map((userId) => ({ userId })));
  publish({ kind: "channel.memberAdded", workspaceId: access.channel.workspaceId, channelId, userIds });
  publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId });
  return listChannelMembers({ actor, channelId });
}

/** Removes someone from a channel (its creator or an admin). */
export async function removeChannelMember({ actor, channelId, userId }: { actor: TActor; channelId: string; userId: string }): Promise<{ removed: true }> {
  if (userId === actor.userId) {
    await leaveChannel({ actor, channelId });
    return { removed: true };
  }
  const access = await getChannelAccess(actor, channelId);
  if (!access.canManage) throw forbidden("Only the channel's creator or a workspace admin can remove people");
  if (access.channel.isGeneral) throw forbidden("Everyone stays in #general");
  const res = await repo.deleteMember(channelId, userId);
  if (res.count === 0) throw notFound("That person is not in this channel");
  publish({ kind: "channel.memberRemoved", workspaceId: access.channel.workspaceId, channelId, userIds: [userId] });
  publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId });
  return { removed: true };
}

/** Lets a member post in an announcement channel, or takes it back (admins). */
export async function setChannelPoster({ actor, channelId, userId, input }: { actor: TActor; channelId: string; userId: string; input: unknown }): Promise<TChannelMember[]> {
  const data = ZSetPoster.parse(input);
  const access = await getChannelAccess(actor, channelId);
  assertCan(access.role, "messages.post_announcement", "Only admins can name posters");
  if (access.channel.kind !== "ANNOUNCEMENT") throw new AppError("validation_failed", "Posters are named only in announcement channels");
  await assertActiveMembers(access.channel.workspaceId, [userId]);
  await repo.insertMembers(channelId, [{ userId, isPoster: data.isPoster }]);
  await repo.setPoster(channelId, userId, data.isPoster);
  publish({ kind: "channel.memberAdded", workspaceId: access.channel.workspaceId, channelId, userIds: [userId] });
  publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId });
  return listChannelMembers({ actor, channelId });
}

function toChannelMember(row: Awaited<ReturnType<typeof repo.listMembersWithUsers>>[number]): TChannelMember {
  const { memberships, ...user } = row.user;
  return { userId: row.userId, ...user, isPoster: row.isPoster, role: memberships[0]?.role ?? null, joinedAt: row.joinedAt.toISOString() };
}

/** Members of a conversation the actor may read, in the order they joined (the first 5,000). */
export async function listChannelMembers({ actor, channelId }: { actor: TActor; channelId: string }): Promise<TChannelMember[]> {
  const { channel } = await getChannelAccess(actor, channelId);
  const rows = await repo.listMembersWithUsers(channelId, channel.workspaceId);
  return rows.map(toChannelMember);
}

/**
 * A conversation's members whose name or email contains the query (any case, NFKC), by name, at
 * most `limit`; `hasMore` when others match too. What its members panel shows, however large it is.
 */
export async function searchChannelMembers({ actor, channelId, input }: { actor: TActor; channelId: string; input: unknown }): Promise<{ members: TChannelMember[]; hasMore: boolean }> {
  const { q, limit } = ZChannelMemberSearch.parse(input);
  const { channel } = await getChannelAccess(actor, channelId);
  const rows = await repo.listMembersWithUsers(channelId, channel.workspaceId, { needle: q.normalize("NFKC"), limit });
  return { members: rows.slice(0, limit).map(toChannelMember), hasMore: rows.length > limit };
}

/** Opens (or finds) the DM or group DM between the actor and up to 7 others. */
export async function openDm({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<TChannelView> {
  const data = ZOpenDm.parse(input);
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "dms.open");
  const people = [...new Set([actor.userId, ...data.userIds])].sort();
  if (people.length > 8) throw new AppError("validation_failed", "A group conversation holds at most 8 people");
  await assertActiveMembers(workspace.id, people);
  const dmKey = people.join(",");
  const find = () => repo.findDmByKey(workspace.id, dmKey);
  let channel = await find();
  if (!channel) {
    try {
      channel = await repo.insertChannel({ workspaceId: workspace.id, kind: people.length <= 2 ? "DM" : "GROUP_DM", dmKey, createdById: actor.userId, memberIds: people });
      publish({ kind: "channel.memberAdded", workspaceId: workspace.id, channelId: channel.id, userIds: people });
    } catch (err) {
      if ((err as { code?: string }).code !== "P2002") throw err;
      channel = await find();
    }
  }
  return getChannel({ actor, channelId: channel!.id });
}

/** Moves the actor's read position forward (never back) and tells their other tabs. */
export async function markRead({ actor, input }: { actor: TActor; input: unknown }): Promise<{ lastReadSeq: number }> {
  const data = ZMarkRead.parse(input);
  const access = await getChannelAccess(actor, data.channelId);
  if (!access.membership) return { lastReadSeq: 0 };
  const seq = Math.min(data.seq, access.channel.lastSeq);
  if (seq <= access.membership.lastReadSeq) return { lastReadSeq: access.membership.lastReadSeq };
  await repo.advanceReadPosition(data.channelId, actor.userId, seq);
  publish({ kind: "channel.read", workspaceId: access.channel.workspaceId, channelId: data.channelId, userId: actor.userId, lastReadSeq: seq });
  return { lastReadSeq: seq };
}

/** Ids of every conversation a user is in, in workspaces where they are active (socket rooms). */
export function listChannelIdsForUser(userId: string): Promise<{ workspaceIds: string[]; channelIds: string[] }> {
  return repo.listRoomIdsForUser(userId);
}

/**
 * Connecting sockets' rooms, each checked against its session in the same query (one query for all
 * of them): null for a socket whose user is gone or whose session version moved on (signed out
 * everywhere, password changed, deactivated).
 */
export async function getSocketSessions(claims: { userId: string; sessionVersion: number }[]): Promise<({ workspaceIds: string[]; channelIds: string[] } | null)[]> {
  const found = await repo.findSocketSessions([...new Set(claims.map((c) => c.userId))]);
  return claims.map((c) => {
    const s = found.get(c.userId);
    return s && s.sessionVersion === c.sessionVersion ? { workspaceIds: s.workspaceIds, channelIds: s.channelIds } : null;
  });
}

/** Per conversation, the users allowed to receive its live events now (cluster delivery check). */
export function listLiveReaders(channelIds: string[]): Promise<Map<string, Set<string>>> {
  return repo.listActiveMemberIds(channelIds);
}
