/**
 * Who may read, post in and manage a conversation. Reads are scoped inside the query, so a channel
 * you may not see is simply not found. The rule: you are active in the workspace, and you are a
 * member of the conversation or it is public/announcement and you are not a guest.
 */
import { getDb, type Prisma } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";
import { can } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";

export const channelSelect = {
  id: true,
  workspaceId: true,
  kind: true,
  name: true,
  topic: true,
  description: true,
  isGeneral: true,
  archivedAt: true,
  createdById: true,
  createdAt: true,
  lastSeq: true,
  lastMessageAt: true,
} satisfies Prisma.ChannelSelect;

export type TChannelRow = Prisma.ChannelGetPayload<{ select: typeof channelSelect }>;

export type TChannelAccess = {
  channel: TChannelRow;
  role: WorkspaceRole;
  membership: { lastReadSeq: number; isPoster: boolean } | null;
  canPost: boolean;
  canManage: boolean;
};

/** Whether this person may post, given the channel and their place in it. */
export function computeCanPost(channel: Pick<TChannelRow, "kind" | "archivedAt">, role: WorkspaceRole, membership: { isPoster: boolean } | null): boolean {
  if (!membership || channel.archivedAt) return false;
  if (channel.kind === "ANNOUNCEMENT") return can(role, "messages.post_announcement") || membership.isPoster;
  return true;
}

/** Whether this person may rename, archive and remove people from the channel. */
export function computeCanManage(channel: Pick<TChannelRow, "kind" | "createdById">, role: WorkspaceRole, userId: string, isMember: boolean): boolean {
  if (channel.kind === "DM" || channel.kind === "GROUP_DM") return false;
  return can(role, "channels.manage_any") || (isMember && channel.createdById === userId && role !== "GUEST");
}

/**
 * Loads a channel the actor may read, with what they may do there; 404 when they may not see it.
 * One query on the hot path of every message read and write; its WHERE clause is the rule above.
 */
export async function getChannelAccess(actor: TActor, channelId: string): Promise<TChannelAccess> {
  const rows = await getDb().$queryRaw<(TChannelRow & { role: WorkspaceRole; cmId: string | null; lastReadSeq: number | null; isPoster: boolean | null })[]>`
    SELECT c.id, c."workspaceId", c.kind::text AS kind, c.name, c.topic, c.description, c."isGeneral", c."archivedAt",
           c."createdById", c."createdAt", c."lastSeq", c."lastMessageAt",
           wm.role::text AS role, cm.id AS "cmId", cm."lastReadSeq", cm."isPoster"
    FROM "Channel" c
    JOIN "WorkspaceMember" wm ON wm."workspaceId" = c."workspaceId" AND wm."userId" = ${actor.userId} AND wm.status = 'ACTIVE'
    LEFT JOIN "ChannelMember" cm ON cm."channelId" = c.id AND cm."userId" = ${actor.userId}
    WHERE c.id = ${channelId}
      AND (cm.id IS NOT NULL OR (c.kind IN ('PUBLIC', 'ANNOUNCEMENT') AND wm.role <> 'GUEST'))`;
  const r = rows[0];
  if (!r) throw notFound("Channel not found");
  const { role, cmId, lastReadSeq, isPoster, ...rest } = r;
  const channel: TChannelRow = { ...rest, lastSeq: Number(rest.lastSeq) };
  const membership = cmId ? { lastReadSeq: Number(lastReadSeq), isPoster: !!isPoster } : null;
  return {
    channel,
    role,
    membership,
    canPost: computeCanPost(channel, role, membership),
    canManage: computeCanManage(channel, role, actor.userId, !!membership),
  };
}

/** Throws unless the actor may post; says why. */
export function assertCanPost(access: TChannelAccess): void {
  if (access.canPost) return;
  if (access.channel.archivedAt) throw forbidden("This channel is archived; it is read-only");
  if (!access.membership) throw forbidden("Join the channel to post in it");
  throw forbidden("Only admins and named posters can post in this announcement channel");
}
