/** Queries the Slack Web API needs beyond the domain services: lookups by ts, ts-ranged history, id-cursor lists. */
import { channelSelect } from "@/lib/channels/repository";
import { getDb, type Prisma } from "@/lib/db";
import type { ChannelKind } from "@/lib/generated/prisma/enums";
import { messageSelect, SHOWN_IN_CHANNEL } from "@/lib/messages/repository";

/** Channel history (top level and broadcast replies) within a ts window, newest first. */
export function listHistoryByTs(channelId: string, window: { gt?: bigint; gte?: bigint; lt?: bigint; lte?: bigint }, take: number) {
  return getDb().message.findMany({
    where: { channelId, ...SHOWN_IN_CHANNEL, ts: window },
    select: messageSelect,
    orderBy: { ts: "desc" },
    take,
  });
}

/** A thread's replies within a ts window, oldest first. */
export function listRepliesByTs(rootId: string, window: { gt?: bigint; gte?: bigint; lt?: bigint; lte?: bigint }, take: number) {
  return getDb().message.findMany({ where: { threadRootId: rootId, deletedAt: null, ts: window }, select: messageSelect, orderBy: { ts: "asc" }, take });
}

/** Conversations of the given kinds the user may see in the workspace (public ones, and those they are in), by id cursor. */
export function listVisibleConversations(workspaceId: string, userId: string, kinds: ChannelKind[], excludeArchived: boolean, afterId: string | undefined, take: number) {
  const openKinds = kinds.filter((k) => k === "PUBLIC" || k === "ANNOUNCEMENT");
  const closedKinds = kinds.filter((k) => k !== "PUBLIC" && k !== "ANNOUNCEMENT");
  const where: Prisma.ChannelWhereInput = {
    workspaceId,
    OR: [{ kind: { in: openKinds } }, { kind: { in: closedKinds }, members: { some: { userId } } }],
    ...(excludeArchived ? { archivedAt: null } : {}),
    ...(afterId ? { id: { gt: afterId } } : {}),
  };
  return getDb().channel.findMany({ where, select: { ...channelSelect, _count: { select: { members: true } } }, orderBy: { id: "asc" }, take });
}

export type TConversationRow = Awaited<ReturnType<typeof listVisibleConversations>>[number];

export function findConversation(id: string) {
  return getDb().channel.findUnique({ where: { id }, select: { ...channelSelect, _count: { select: { members: true } } } });
}

/** Which of these channels the user is in. */
export async function memberChannelIds(userId: string, channelIds: string[]): Promise<Set<string>> {
  const rows = await getDb().channelMember.findMany({ where: { userId, channelId: { in: channelIds } }, select: { channelId: true } });
  return new Set(rows.map((r) => r.channelId));
}

/** Members of DMs and group DMs, for their `user` field. */
export async function dmMemberIds(channelIds: string[]): Promise<Map<string, string[]>> {
  const rows = await getDb().channelMember.findMany({ where: { channelId: { in: channelIds } }, select: { channelId: true, userId: true } });
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.channelId, [...(out.get(r.channelId) ?? []), r.userId]);
  return out;
}

export function findChannelByName(workspaceId: string, name: string) {
  return getDb().channel.findUnique({ where: { workspaceId_name: { workspaceId, name } }, select: { id: true } });
}

export function listChannelMemberIds(channelId: string, afterUserId: string | undefined, take: number) {
  return getDb().channelMember.findMany({
    where: { channelId, ...(afterUserId ? { userId: { gt: afterUserId } } : {}) },
    select: { userId: true },
    orderBy: { userId: "asc" },
    take,
  });
}

export const slackUserSelect = {
  userId: true,
  role: true,
  status: true,
  user: { select: { id: true, name: true, email: true, avatarUrl: true, isBot: true, statusText: true, statusEmoji: true, statusExpiresAt: true, updatedAt: true, bot: { select: { id: true } } } },
} satisfies Prisma.WorkspaceMemberSelect;

export type TSlackUserRow = Prisma.WorkspaceMemberGetPayload<{ select: typeof slackUserSelect }>;

export function listWorkspaceUsers(workspaceId: string, afterUserId: string | undefined, take: number) {
  return getDb().workspaceMember.findMany({
    where: { workspaceId, ...(afterUserId ? { userId: { gt: afterUserId } } : {}) },
    select: slackUserSelect,
    orderBy: { userId: "asc" },
    take,
  });
}

export function findWorkspaceUser(workspaceId: string, userId: string) {
  return getDb().workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: slackUserSelect });
}

export function findWorkspaceUserByEmail(workspaceId: string, email: string) {
  return getDb().workspaceMember.findFirst({ where: { workspaceId, user: { email } }, select: slackUserSelect });
}
