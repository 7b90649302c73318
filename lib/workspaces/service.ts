/** Workspaces, their members and roles, and invites. */
import { randomBytes } from "node:crypto";
import { getChannelAccess } from "@/lib/channels/access";
import { AppError, forbidden, notFound } from "@/lib/errors";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";
import { assertCan, can, roleRank } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";
import { publish } from "@/lib/realtime/bus";
import { hashSecret } from "@/lib/secrets";
import type { TActor } from "@/lib/users/service";
import { findUserById } from "@/lib/users/repository";
import { endAllSessions } from "@/lib/users/service";
import * as repo from "@/lib/workspaces/repository";
import {
  ZCreateInvite,
  ZCreateWorkspace,
  ZInviteToken,
  ZMemberLookup,
  ZMemberSearch,
  ZUpdateMember,
  type TInvite,
  type TMember,
  type TMyWorkspace,
  type TWorkspace,
} from "@/lib/workspaces/schema";

export type TWorkspaceAccess = { workspace: TWorkspace; role: WorkspaceRole };

function toWorkspace(w: { id: string; name: string; slug: string; createdAt: Date }): TWorkspace {
  return { id: w.id, name: w.name, slug: w.slug, createdAt: w.createdAt.toISOString() };
}

function toMember(m: Awaited<ReturnType<typeof repo.listMembers>>[number]): TMember {
  return { userId: m.userId, name: m.user.name, email: m.user.email, avatarUrl: m.user.avatarUrl, isBot: m.user.isBot, role: m.role, status: m.status, joinedAt: m.joinedAt.toISOString() };
}

/**
 * Resolves a workspace the actor is an active member of. Not a member → 404 (nothing leaked);
 * deactivated → 403.
 */
export async function getWorkspaceAccess({ actor, slug, workspaceId }: { actor: TActor; slug?: string; workspaceId?: string }): Promise<TWorkspaceAccess> {
  const found = slug !== undefined ? await repo.findWorkspaceWithMember({ slug }, actor.userId) : workspaceId !== undefined ? await repo.findWorkspaceWithMember({ id: workspaceId }, actor.userId) : null;
  if (!found?.member) throw notFound("Workspace not found");
  if (found.member.status !== "ACTIVE") throw forbidden("Your account has been deactivated in this workspace");
  return { workspace: toWorkspace(found.workspace), role: found.member.role };
}

/** Creates a workspace with its #general channel; the creator is its owner. */
export async function createWorkspace({ actor, input }: { actor: TActor; input: unknown }): Promise<TMyWorkspace> {
  const data = ZCreateWorkspace.parse(input);
  await consume("write", `ws|${actor.userId}`);
  if (await repo.findWorkspaceBySlug(data.slug)) throw new AppError("conflict", `The URL "${data.slug}" is already taken`, [{ path: "slug", message: "is already taken" }]);
  try {
    const ws = await repo.transaction((tx) => repo.insertWorkspaceWithOwner(tx, { name: data.name, slug: data.slug, ownerId: actor.userId }));
    return { ...toWorkspace(ws), role: "OWNER" };
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw new AppError("conflict", `The URL "${data.slug}" is already taken`, [{ path: "slug", message: "is already taken" }]);
    throw err;
  }
}

/** Workspaces the actor is an active member of, with their role. */
export async function listMyWorkspaces({ actor }: { actor: TActor }): Promise<TMyWorkspace[]> {
  const rows = await repo.listWorkspacesOfUser(actor.userId);
  return rows.map((r) => ({ ...toWorkspace(r.workspace), role: r.role }));
}

/** Every workspace (operators only: the admin CLI). */
export async function listAllWorkspaces(): Promise<(TWorkspace & { memberCount: number })[]> {
  const rows = await repo.listAllWorkspaces();
  return rows.map((w) => ({ ...toWorkspace(w), memberCount: w._count.members }));
}

/**
 * The member list, or with `ids` ("a,b,c", at most 100) only those members: what a conversation needs
 * to name people, without every member of a large workspace. Deactivated members are listed for
 * admins only; ids of people who are not (visible) members are left out.
 */
export async function listMembers({ actor, slug, ids }: { actor: TActor; slug: string; ids?: unknown }): Promise<TMember[]> {
  const userIds = ids === undefined ? undefined : ZMemberLookup.parse({ ids }).ids;
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "members.list");
  const members = (await repo.listMembers(workspace.id, userIds)).map(toMember);
  return can(role, "members.manage") ? members : members.filter((m) => m.status === "ACTIVE");
}

/**
 * Members found by name or email (the people pickers, the member list): those whose name or email
 * contains the query, ignoring case and full-width forms (NFKC), by name, `limit` (1–100, 50 by
 * default) at a time; `nextCursor` asks for the next page, null after the last. An empty query
 * lists everyone. Active members only, unless `status` is "all" and the actor manages members (as
 * the full list shows them). `notInChannel` leaves out a conversation's members, for a conversation
 * the actor may read (else not found: its membership is not to be probed). A workspace of
 * thousands is never sent whole.
 */
export async function searchMembers({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<{ members: TMember[]; hasMore: boolean; nextCursor: string | null }> {
  const { q, limit, notInChannel, status, cursor } = ZMemberSearch.parse(input);
  const after = cursor === undefined ? undefined : decodeMemberCursor(cursor);
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "members.list");
  if (notInChannel && (await getChannelAccess(actor, notInChannel)).channel.workspaceId !== workspace.id) throw notFound("Channel not found");
  const includeDeactivated = status === "all" && can(role, "members.manage");
  const rows = await repo.searchMembers(workspace.id, { needle: q.normalize("NFKC"), limit, includeDeactivated, notInChannelId: notInChannel, after });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const hasMore = rows.length > limit;
  return { members: page.map(toMember), hasMore, nextCursor: hasMore && last ? Buffer.from(JSON.stringify([last.user.name, last.userId])).toString("base64url") : null };
}

function decodeMemberCursor(cursor: string): { name: string; userId: string } {
  try {
    const [name, userId] = JSON.parse(Buffer.from(cursor, "base64url").toString()) as unknown[];
    if (typeof name === "string" && typeof userId === "string") return { name, userId };
  } catch {
    // Falls through to the error below.
  }
  throw new AppError("validation_failed", "cursor: is not one this API returned");
}

/**
 * Changes a member's role or status. Admins manage members and guests; only owners touch owners and
 * admins; nobody changes themselves (no accidental lock-out); a workspace keeps at least one owner.
 * Deactivation ends every session of that person at once.
 */
export async function updateMember({ actor, slug, userId, input }: { actor: TActor; slug: string; userId: string; input: unknown }): Promise<TMember> {
  const data = ZUpdateMember.parse(input);
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "members.manage");
  if (userId === actor.userId) throw forbidden("You cannot change your own role or status");
  const target = await repo.findMember(workspace.id, userId);
  if (!target) throw notFound("Member not found");
  const touchesAdmins = roleRank[target.role] >= roleRank.ADMIN || (data.role !== undefined && roleRank[data.role] >= roleRank.ADMIN);
  if (touchesAdmins) assertCan(role, "members.manage_admins", "Only owners can change owners and admins");

  // Guests are not in #general; members are.
  const crossesGuest = !!data.role && data.role !== target.role && (data.role === "GUEST" || target.role === "GUEST");
  const updated = await repo.transaction(async (tx) => {
    const m = await repo.updateMemberRow(tx, workspace.id, userId, { role: data.role, status: data.status });
    const generalId = crossesGuest ? await repo.setGeneralMembership(tx, workspace.id, userId, data.role !== "GUEST") : undefined;
    return { m, generalId };
  });
  if (data.status === "DEACTIVATED" && target.status === "ACTIVE") await endAllSessions(userId, "deactivated");
  if (updated.generalId && data.role && data.role !== target.role) {
    if (data.role === "GUEST") publish({ kind: "channel.memberRemoved", workspaceId: workspace.id, channelId: updated.generalId, userIds: [userId] });
    else if (target.role === "GUEST") publish({ kind: "channel.memberAdded", workspaceId: workspace.id, channelId: updated.generalId, userIds: [userId] });
  }
  publish({ kind: "workspace.updated", workspaceId: workspace.id });
  return toMember(updated.m);
}

function inviteStatus(i: { acceptedAt: Date | null; revokedAt: Date | null; expiresAt: Date }): TInvite["status"] {
  if (i.acceptedAt) return "accepted";
  if (i.revokedAt) return "revoked";
  if (i.expiresAt.getTime() <= Date.now()) return "expired";
  return "pending";
}

function toInvite(i: Awaited<ReturnType<typeof repo.listInvites>>[number]): TInvite {
  return { id: i.id, email: i.email, role: i.role, expiresAt: i.expiresAt.toISOString(), createdAt: i.createdAt.toISOString(), createdBy: i.createdBy, status: inviteStatus(i) };
}

/**
 * Creates a single-use invite link, optionally bound to one email address. The secret is returned
 * once (as `path`) and stored only as a hash.
 */
export async function createInvite({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<{ invite: TInvite; token: string; path: string }> {
  const data = ZCreateInvite.parse(input ?? {});
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "members.invite");
  if (data.role === "ADMIN") assertCan(role, "members.invite_admin", "Only owners can invite admins");
  if (data.role === "GUEST" || data.role === "ADMIN") assertCan(role, "members.manage", "Only admins can invite guests and admins");
  await consume("invite", actor.userId, "Too many invites; try again later");
  if (data.email) {
    const existing = await repo.findMemberByEmail(workspace.id, data.email);
    if (existing) throw new AppError("conflict", `${data.email} is already a member of this workspace`);
  }
  const token = randomBytes(24).toString("base64url");
  const invite = await repo.insertInvite({ workspaceId: workspace.id, tokenHash: hashSecret(token), email: data.email ?? null, role: data.role, createdById: actor.userId, expiresAt: new Date(Date.now() + data.expiresInHours * 3600_000) });
  return { invite: toInvite(invite), token, path: `/invite/${token}` };
}

/** Invites of a workspace: admins see all, others their own. */
export async function listInvites({ actor, slug }: { actor: TActor; slug: string }): Promise<TInvite[]> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "members.invite");
  const rows = await repo.listInvites(workspace.id, can(role, "members.manage") ? undefined : actor.userId);
  return rows.map(toInvite);
}

/** Revokes a pending invite (its creator or an admin). */
export async function revokeInvite({ actor, slug, inviteId }: { actor: TActor; slug: string; inviteId: string }): Promise<TInvite> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  const invite = await repo.findInviteInWorkspace(inviteId, workspace.id);
  if (!invite) throw notFound("Invite not found");
  if (invite.createdBy.id !== actor.userId) assertCan(role, "members.manage");
  if (inviteStatus(invite) !== "pending") throw new AppError("conflict", `This invite is already ${inviteStatus(invite)}`);
  const updated = await repo.markInviteRevoked(invite.id);
  return toInvite(updated);
}

async function getUsableInvite(token: string) {
  const parsed = ZInviteToken.safeParse(token);
  if (!parsed.success) throw notFound("This invite link is not valid");
  const invite = await repo.findInviteByHash(hashSecret(parsed.data));
  if (!invite) throw notFound("This invite link is not valid");
  return invite;
}

/** What an invite link leads to, shown before accepting (no sign-in needed: the link is the secret). */
export async function getInvitePreview({ token }: { token: string }): Promise<{ workspace: TWorkspace; invitedBy: string; email: string | null; role: string; status: TInvite["status"]; expiresAt: string }> {
  const invite = await getUsableInvite(token);
  return { workspace: toWorkspace(invite.workspace), invitedBy: invite.createdBy.name, email: invite.email, role: invite.role, status: inviteStatus(invite), expiresAt: invite.expiresAt.toISOString() };
}

/**
 * Joins the signed-in person to the invite's workspace (and #general unless a guest). Expired,
 * revoked or already-used links → 410; a link bound to another address → 403.
 */
export async function acceptInvite({ actor, token }: { actor: TActor; token: string }): Promise<TMyWorkspace> {
  const invite = await getUsableInvite(token);
  const status = inviteStatus(invite);
  const existing = await repo.findMember(invite.workspaceId, actor.userId);
  if (existing?.status === "ACTIVE") return { ...toWorkspace(invite.workspace), role: existing.role };
  if (existing) throw forbidden("Your account has been deactivated in this workspace; ask an admin to reactivate it");
  if (status === "accepted") throw new AppError("gone", "This invite has already been used");
  if (status === "revoked") throw new AppError("gone", "This invite has been revoked");
  if (status === "expired") throw new AppError("gone", "This invite has expired");
  if (invite.email) {
    const me = await findUserById(actor.userId);
    if (me?.email !== invite.email) throw forbidden(`This invite is for ${invite.email}; sign in with that address to accept it`);
  }
  const generalId = await repo.transaction(async (tx) => {
    // Claim the invite first so two people racing for one link cannot both get in.
    if (!(await repo.claimInvite(tx, invite.id, actor.userId))) throw new AppError("gone", "This invite has already been used");
    await repo.insertMemberRow(tx, { workspaceId: invite.workspaceId, userId: actor.userId, role: invite.role });
    if (invite.role === "GUEST") return undefined;
    return repo.setGeneralMembership(tx, invite.workspaceId, actor.userId, true);
  });
  publish({ kind: "workspace.memberAdded", workspaceId: invite.workspaceId, userId: actor.userId });
  publish({ kind: "workspace.updated", workspaceId: invite.workspaceId });
  if (generalId) publish({ kind: "channel.memberAdded", workspaceId: invite.workspaceId, channelId: generalId, userIds: [actor.userId] });
  return { ...toWorkspace(invite.workspace), role: invite.role };
}

/** Adds an existing user to a workspace directly (admin CLI, tests). */
export async function addMemberDirect({ workspaceSlug, userId, role }: { workspaceSlug: string; userId: string; role: WorkspaceRole }): Promise<TMember> {
  const ws = await repo.findWorkspaceBySlug(workspaceSlug);
  if (!ws) throw notFound(`Workspace "${workspaceSlug}" not found`);
  const generalId = await repo.transaction(async (tx) => {
    await repo.upsertActiveMember(tx, { workspaceId: ws.id, userId, role });
    const id = await repo.setGeneralMembership(tx, ws.id, userId, role !== "GUEST");
    return role === "GUEST" ? undefined : id;
  });
  publish({ kind: "workspace.memberAdded", workspaceId: ws.id, userId });
  publish({ kind: "workspace.updated", workspaceId: ws.id });
  if (generalId) publish({ kind: "channel.memberAdded", workspaceId: ws.id, channelId: generalId, userIds: [userId] });
  const member = await repo.findMember(ws.id, userId);
  return toMember(member!);
}
