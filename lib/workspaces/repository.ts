import { dateFromEpochMs, epochMsSql, getDb, runHotQuery, type Prisma } from "@/lib/db";
import { containsText } from "@/lib/db/like";
import type { MemberStatus, WorkspaceRole } from "@/lib/generated/prisma/enums";

export const workspaceSelect = { id: true, name: true, slug: true, createdAt: true } satisfies Prisma.WorkspaceSelect;

export const memberSelect = {
  userId: true,
  role: true,
  status: true,
  joinedAt: true,
  user: { select: { name: true, email: true, avatarUrl: true, isBot: true } },
} satisfies Prisma.WorkspaceMemberSelect;

export const inviteSelect = {
  id: true,
  workspaceId: true,
  email: true,
  role: true,
  expiresAt: true,
  acceptedAt: true,
  revokedAt: true,
  createdAt: true,
  createdBy: { select: { id: true, name: true } },
} satisfies Prisma.InviteSelect;

export type TTx = Prisma.TransactionClient;

const workspaceWithMember = (key: "slug" | "id") => `
  SELECT w.id, w.name, w.slug, ${epochMsSql("w", "createdAt")}, m.role::text AS role, m.status::text AS status
  FROM "Workspace" w
  LEFT JOIN "WorkspaceMember" m ON m."workspaceId" = w.id AND m."userId" = $2
  WHERE w.${key} = $1`;
const WORKSPACE_WITH_MEMBER = { slug: workspaceWithMember("slug"), id: workspaceWithMember("id") };

/**
 * A workspace by slug or id, with the user's membership of it (null when not a member). One prepared
 * statement past Prisma: it runs before most workspace-wide reads (the sidebar, search).
 */
export async function findWorkspaceWithMember(where: { slug: string } | { id: string }, userId: string) {
  const key = "slug" in where ? "slug" : "id";
  const rows = await runHotQuery<{ id: string; name: string; slug: string; createdAt: number; role: WorkspaceRole | null; status: MemberStatus | null }>(
    `workspace_with_member_${key}`,
    WORKSPACE_WITH_MEMBER[key],
    ["slug" in where ? where.slug : where.id, userId],
    "main",
  );
  const r = rows[0];
  if (!r) return null;
  return { workspace: { id: r.id, name: r.name, slug: r.slug, createdAt: dateFromEpochMs(r.createdAt) }, member: r.role && r.status ? { role: r.role, status: r.status } : null };
}

export function findWorkspaceBySlug(slug: string) {
  return getDb().workspace.findUnique({ where: { slug }, select: workspaceSelect });
}

export function listWorkspacesOfUser(userId: string) {
  return getDb().workspaceMember.findMany({
    where: { userId, status: "ACTIVE" },
    select: { role: true, workspace: { select: workspaceSelect } },
    orderBy: { joinedAt: "asc" },
  });
}

export function listAllWorkspaces() {
  return getDb().workspace.findMany({ select: { ...workspaceSelect, _count: { select: { members: true } } }, orderBy: { createdAt: "asc" } });
}

/** The workspace's members, or only those of these users (an index lookup on the member key). */
export function listMembers(workspaceId: string, userIds?: readonly string[]) {
  return getDb().workspaceMember.findMany({
    where: userIds ? { workspaceId, userId: { in: [...userIds] } } : { workspaceId },
    select: memberSelect,
    orderBy: { joinedAt: "asc" },
  });
}

/**
 * Members whose name or email contains `needle` (any case), by name then id, after the member
 * `after` (keyset), leaving out those in `notInChannelId`; `limit` + 1 rows tell whether more match.
 */
export function searchMembers(
  workspaceId: string,
  search: { needle: string; limit: number; includeDeactivated: boolean; notInChannelId?: string; after?: { name: string; userId: string } },
) {
  const { needle, limit, includeDeactivated, notInChannelId, after } = search;
  const user = {
    ...(needle ? { OR: [{ name: containsText(needle) }, { email: containsText(needle) }] } : {}),
    ...(notInChannelId ? { channelMembers: { none: { channelId: notInChannelId } } } : {}),
  };
  const afterLast = after ? { OR: [{ user: { name: { gt: after.name } } }, { user: { name: after.name }, userId: { gt: after.userId } }] } : {};
  return getDb().workspaceMember.findMany({
    where: { workspaceId, ...(includeDeactivated ? {} : { status: "ACTIVE" as const }), user, ...afterLast },
    select: memberSelect,
    orderBy: [{ user: { name: "asc" } }, { userId: "asc" }],
    take: limit + 1,
  });
}

export function findMember(workspaceId: string, userId: string) {
  return getDb().workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: memberSelect });
}

export function findGeneralChannel(tx: TTx, workspaceId: string) {
  return tx.channel.findFirst({ where: { workspaceId, isGeneral: true }, select: { id: true } });
}

export function listInvites(workspaceId: string, createdById?: string) {
  return getDb().invite.findMany({ where: { workspaceId, ...(createdById ? { createdById } : {}) }, select: inviteSelect, orderBy: { createdAt: "desc" }, take: 200 });
}

export function findInviteByHash(tokenHash: string) {
  return getDb().invite.findUnique({
    where: { tokenHash },
    select: { ...inviteSelect, workspace: { select: workspaceSelect } },
  });
}

/** Runs `fn` in one database transaction. */
export function transaction<T>(fn: (tx: TTx) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn);
}

/** A workspace, its owner and its #general channel with the owner in it. */
export async function insertWorkspaceWithOwner(tx: TTx, data: { name: string; slug: string; ownerId: string }) {
  const w = await tx.workspace.create({ data: { name: data.name, slug: data.slug }, select: workspaceSelect });
  await tx.workspaceMember.create({ data: { workspaceId: w.id, userId: data.ownerId, role: "OWNER" } });
  await tx.channel.create({
    data: {
      workspaceId: w.id,
      kind: "PUBLIC",
      name: "general",
      isGeneral: true,
      description: "Company-wide announcements and conversation",
      createdById: data.ownerId,
      members: { create: { userId: data.ownerId } },
    },
  });
  return w;
}

export function updateMemberRow(tx: TTx, workspaceId: string, userId: string, data: { role?: WorkspaceRole; status?: MemberStatus }) {
  return tx.workspaceMember.update({ where: { workspaceId_userId: { workspaceId, userId } }, data, select: memberSelect });
}

export function insertMemberRow(tx: TTx, data: { workspaceId: string; userId: string; role: WorkspaceRole }) {
  return tx.workspaceMember.create({ data });
}

/** Makes the user an active member with this role, whether or not they were one. */
export async function upsertActiveMember(tx: TTx, data: { workspaceId: string; userId: string; role: WorkspaceRole }) {
  await tx.workspaceMember.createMany({ data: [data], skipDuplicates: true });
  await tx.workspaceMember.update({ where: { workspaceId_userId: { workspaceId: data.workspaceId, userId: data.userId } }, data: { role: data.role, status: "ACTIVE" } });
}

/** Puts the user in #general or takes them out; returns #general's id (undefined if none). */
export async function setGeneralMembership(tx: TTx, workspaceId: string, userId: string, isIn: boolean): Promise<string | undefined> {
  const general = await findGeneralChannel(tx, workspaceId);
  if (!general) return undefined;
  if (isIn) await tx.channelMember.createMany({ data: [{ channelId: general.id, userId }], skipDuplicates: true });
  else await tx.channelMember.deleteMany({ where: { channelId: general.id, userId } });
  return general.id;
}

export function findMemberByEmail(workspaceId: string, email: string) {
  return getDb().workspaceMember.findFirst({ where: { workspaceId, user: { email } }, select: { status: true } });
}

export function insertInvite(data: { workspaceId: string; tokenHash: string; email: string | null; role: WorkspaceRole; createdById: string; expiresAt: Date }) {
  return getDb().invite.create({ data, select: inviteSelect });
}

export function findInviteInWorkspace(id: string, workspaceId: string) {
  return getDb().invite.findFirst({ where: { id, workspaceId }, select: inviteSelect });
}

export function markInviteRevoked(id: string) {
  return getDb().invite.update({ where: { id }, data: { revokedAt: new Date() }, select: inviteSelect });
}

/** Marks a pending invite accepted; false when someone else claimed it first. */
export async function claimInvite(tx: TTx, id: string, userId: string): Promise<boolean> {
  const claimed = await tx.invite.updateMany({ where: { id, acceptedAt: null, revokedAt: null }, data: { acceptedAt: new Date(), acceptedById: userId } });
  return claimed.count === 1;
}
