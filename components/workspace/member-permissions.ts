/**
 * What the settings page offers, derived from the one permission table (lib/permissions) so the
 * buttons shown match what the server allows. The server still checks every change.
 */
import { can, roleRank, type TRole } from "@/lib/permissions";
import type { TMember } from "@/lib/workspaces/schema";

/** Whether I may change this member's role or status (never my own; admins only touch members and guests). */
export function canManageMember(myRole: TRole, myUserId: string | undefined, member: Pick<TMember, "userId" | "role">): boolean {
  if (!can(myRole, "members.manage") || member.userId === myUserId) return false;
  if (roleRank[member.role] >= roleRank.ADMIN) return can(myRole, "members.manage_admins");
  return true;
}

/** The roles I may give someone. */
export function getAssignableRoles(myRole: TRole): TRole[] {
  return can(myRole, "members.manage_admins") ? ["OWNER", "ADMIN", "MEMBER", "GUEST"] : ["MEMBER", "GUEST"];
}

/** The roles I may invite people as. */
export function getInvitableRoles(myRole: TRole): ("ADMIN" | "MEMBER" | "GUEST")[] {
  if (!can(myRole, "members.invite")) return [];
  const roles: ("ADMIN" | "MEMBER" | "GUEST")[] = ["MEMBER"];
  if (can(myRole, "members.manage")) roles.push("GUEST");
  if (can(myRole, "members.manage") && can(myRole, "members.invite_admin")) roles.unshift("ADMIN");
  return roles;
}
