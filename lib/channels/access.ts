/**
 * Who may read, post in and manage a conversation. Reads are scoped inside the query
 * (`readableChannelWhere`), so a channel you may not see is simply not found.
 */
import { getDb, type Prisma } from "@/lib/db";
import { forbidden, notFound } from "@/lib/errors";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";
import { can } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";

/** Channels a user may read: active in the workspace, and a member or (not a guest and) it is open. */
export function readableChannelWhere(userId: string): Prisma.ChannelWhereInput {
  return {
    workspace: { members: { some: { userId, status: "ACTIVE" } } },
    OR: [
      { members: { some: { userId } } },
      { kind: { in: ["PUBLIC", "ANNOUNCEMENT"] }, workspace: { members: { some: { userId, status: "ACTIVE", role: { not: "GUEST" } } } } },
    ],
  };
}

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

/** Loads a channel the actor may read, with what they may do there; 404 when they may not see it. */
export async function getChannelAccess(actor: TActor, channelId: string): Promise<TChannelAccess> {
  const channel = await getDb().channel.findFirst({
    where: { id: channelId, ...readableChannelWhere(actor.userId) },
    select: {
      ...channelSelect,
      members: { where: { userId: actor.userId }, select: { lastReadSeq: true, isPoster: true } },
      workspace: { select: { members: { where: { userId: actor.userId }, select: { role: true } } } },
    },
  });
  if (!channel) throw notFound("Channel not found");
  const { members, workspace, ...row } = channel;
  const role = workspace.members[0]!.role;
  const membership = members[0] ?? null;
  return {
    channel: row,
    role,
    membership,
    canPost: computeCanPost(row, role, membership),
    canManage: computeCanManage(row, role, actor.userId, !!membership),
  };
}

/** Throws unless the actor may post; says why. */
export function assertCanPost(access: TChannelAccess): void {
  if (access.canPost) return;
  if (access.channel.archivedAt) throw forbidden("This channel is archived; it is read-only");
  if (!access.membership) throw forbidden("Join the channel to post in it");
  throw forbidden("Only admins and named posters can post in this announcement channel");
}
