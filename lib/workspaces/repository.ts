import { getDb, type Prisma } from "@/lib/db";

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

export function findWorkspaceBySlugWithMember(slug: string, userId: string) {
  return getDb().workspace.findUnique({
    where: { slug },
    select: { ...workspaceSelect, members: { where: { userId }, select: { role: true, status: true } } },
  });
}

export function findWorkspaceByIdWithMember(id: string, userId: string) {
  return getDb().workspace.findUnique({
    where: { id },
    select: { ...workspaceSelect, members: { where: { userId }, select: { role: true, status: true } } },
  });
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

export function listMembers(workspaceId: string) {
  return getDb().workspaceMember.findMany({ where: { workspaceId }, select: memberSelect, orderBy: { joinedAt: "asc" } });
}

export function findMember(workspaceId: string, userId: string) {
  return getDb().workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: memberSelect });
}

export function countActiveOwners(workspaceId: string) {
  return getDb().workspaceMember.count({ where: { workspaceId, role: "OWNER", status: "ACTIVE" } });
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
