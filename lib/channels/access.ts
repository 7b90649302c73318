/**
 * Who may read, post in and manage a conversation. Reads are scoped inside the query
 * (findReadableChannelWithAccess), so a channel you may not see is simply not found.
 */
import { findReadableChannelView, findReadableChannelWithAccess, type TChannelCounts, type TChannelRow } from "@/lib/channels/repository";
import { forbidden, notFound } from "@/lib/errors";
import { Prisma } from "@/lib/generated/prisma/client";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";
import { can, rolesWith } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";

export type { TChannelRow };

export type TChannelAccess = {
  channel: TChannelRow;
  role: WorkspaceRole;
  membership: { lastReadSeq: number; isPoster: boolean } | null;
  canPost: boolean;
  canManage: boolean;
  canEditTopic: boolean;
};

/** Whether this person may post, given the channel and their place in it. */
export function computeCanPost(channel: Pick<TChannelRow, "kind" | "archivedAt">, role: WorkspaceRole, membership: { isPoster: boolean } | null): boolean {
  if (!membership || channel.archivedAt) return false;
  if (channel.kind === "ANNOUNCEMENT") return can(role, "messages.post_announcement") || membership.isPoster;
  return true;
}

/**
 * computeCanPost as a SQL condition, for writes that check many senders in one statement (group
 * commit, lib/messages/repository.ts). The query must name the channel `c`, the sender's ACTIVE
 * workspace membership `wm` and their channel membership `cm` (LEFT JOINs: a missing row refuses).
 */
export function canPostSql(): Prisma.Sql {
  return Prisma.sql`(c.id IS NOT NULL AND wm.role IS NOT NULL AND cm."userId" IS NOT NULL AND c."archivedAt" IS NULL
    AND (c.kind <> 'ANNOUNCEMENT' OR cm."isPoster" OR wm.role::text = ANY(${[...rolesWith("messages.post_announcement")]}::text[])))`;
}

/** Whether this person may rename, archive and remove people from the channel. */
export function computeCanManage(channel: Pick<TChannelRow, "kind" | "createdById">, role: WorkspaceRole, userId: string, isMember: boolean): boolean {
  if (channel.kind === "DM" || channel.kind === "GROUP_DM") return false;
  return can(role, "channels.manage_any") || (isMember && channel.createdById === userId && role !== "GUEST");
}

/** Whether this person may change the topic and description: members; guests only in private channels. */
export function computeCanEditTopic(channel: Pick<TChannelRow, "kind">, role: WorkspaceRole, isMember: boolean): boolean {
  return isMember && (can(role, "channels.set_topic") || channel.kind === "PRIVATE");
}

/** Loads a channel the actor may read, with what they may do there; 404 when they may not see it. */
export async function getChannelAccess(actor: TActor, channelId: string): Promise<TChannelAccess> {
  return toAccess(actor, await findReadableChannelWithAccess(actor.userId, channelId));
}

/** getChannelAccess with what the conversation's header shows, read in the same statement. */
export async function getChannelAccessWithCounts(actor: TActor, channelId: string): Promise<TChannelAccess & { counts: TChannelCounts }> {
  const found = await findReadableChannelView(actor.userId, channelId);
  return { ...toAccess(actor, found), counts: found!.counts };
}

function toAccess(actor: TActor, found: Awaited<ReturnType<typeof findReadableChannelWithAccess>>): TChannelAccess {
  if (!found || (actor.workspaceId && found.channel.workspaceId !== actor.workspaceId)) throw notFound("Channel not found");
  const { channel, role, membership } = found;
  return {
    channel,
    role,
    membership,
    canPost: computeCanPost(channel, role, membership),
    canManage: computeCanManage(channel, role, actor.userId, !!membership),
    canEditTopic: computeCanEditTopic(channel, role, !!membership),
  };
}

/**
 * The ids of the conversations the user may read right now, among a workspace's or a given list, as
 * a SQL subquery for reads that span conversations (search, socket catch-ups). The same rule as
 * findReadableChannelWithAccess: an active member of the workspace, and a member of the conversation
 * or it is public/announcement and they are not a guest. Archived conversations stay readable by
 * those who may read them.
 */
export function readableChannelIdsSql(userId: string, among: { workspaceId: string } | { channelIds: string[] }): Prisma.Sql {
  const scope = "workspaceId" in among ? Prisma.sql`c."workspaceId" = ${among.workspaceId}` : Prisma.sql`c.id = ANY(${among.channelIds}::text[])`;
  return Prisma.sql`SELECT c.id
    FROM "Channel" c
    ${readableJoinsSql(Prisma.sql`${userId}`)}
    WHERE ${scope}
      AND ${READABLE_SQL}`;
}

/**
 * The read rule of readableChannelIdsSql for a conversation `c` and a user given as SQL (a value, or
 * a column when one query answers several people: the batched socket catch-ups): these joins, then
 * READABLE_SQL in the WHERE clause.
 */
export function readableJoinsSql(user: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`JOIN "WorkspaceMember" wm ON wm."workspaceId" = c."workspaceId" AND wm."userId" = ${user} AND wm.status = 'ACTIVE'
    LEFT JOIN "ChannelMember" cm ON cm."channelId" = c.id AND cm."userId" = ${user}`;
}

export const READABLE_SQL = Prisma.sql`(cm.id IS NOT NULL OR (c.kind IN ('PUBLIC', 'ANNOUNCEMENT') AND wm.role <> 'GUEST'))`;

/** Throws unless the actor may post; says why. */
export function assertCanPost(access: TChannelAccess): void {
  if (access.canPost) return;
  if (access.channel.archivedAt) throw forbidden("This channel is archived; it is read-only");
  if (!access.membership) throw forbidden("Join the channel to post in it");
  throw forbidden("Only admins and named posters can post in this announcement channel");
}
