/**
 * The one permission table. Services call `assertCan(role, "resource.action")`; nothing else
 * compares roles. Channel-level rules (membership, announcement posters) live in lib/channels/access.ts
 * and build on these.
 */
import { forbidden } from "@/lib/errors";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";

export type TRole = WorkspaceRole;

const table = {
  "workspace.read": ["OWNER", "ADMIN", "MEMBER", "GUEST"],
  "workspace.update": ["OWNER", "ADMIN"],
  "members.list": ["OWNER", "ADMIN", "MEMBER", "GUEST"],
  "members.invite": ["OWNER", "ADMIN", "MEMBER"],
  "members.invite_admin": ["OWNER"],
  "members.manage": ["OWNER", "ADMIN"],
  "members.manage_admins": ["OWNER"],
  "channels.browse": ["OWNER", "ADMIN", "MEMBER"],
  "channels.create": ["OWNER", "ADMIN", "MEMBER"],
  "channels.create_announcement": ["OWNER", "ADMIN"],
  "channels.manage_any": ["OWNER", "ADMIN"],
  /** Topic and description of channels you are in; guests only in private ones (see lib/channels/access.ts). */
  "channels.set_topic": ["OWNER", "ADMIN", "MEMBER"],
  "channels.add_members": ["OWNER", "ADMIN", "MEMBER"],
  "dms.open": ["OWNER", "ADMIN", "MEMBER", "GUEST"],
  "messages.post_announcement": ["OWNER", "ADMIN"],
  "messages.delete_any": ["OWNER", "ADMIN"],
  /** Bots, their tokens and event URLs, incoming webhooks, slash commands, the audit log. */
  "integrations.manage": ["OWNER", "ADMIN"],
  /** Personal API tokens act with exactly the person's own rights. */
  "tokens.create_personal": ["OWNER", "ADMIN", "MEMBER", "GUEST"],
} as const satisfies Record<string, readonly TRole[]>;

export type TPermission = keyof typeof table;

/** Whether a workspace role grants a permission. */
export function can(role: TRole, permission: TPermission): boolean {
  return (table[permission] as readonly TRole[]).includes(role);
}

/** The roles that grant a permission (for rules checked inside SQL, lib/channels/access.ts). */
export function rolesWith(permission: TPermission): readonly TRole[] {
  return table[permission];
}

/** Throws 403 unless the role grants the permission. */
export function assertCan(role: TRole, permission: TPermission, message?: string): void {
  if (!can(role, permission)) throw forbidden(message);
}

/** Roles ordered by power, for "may not act on someone above you" checks. */
export const roleRank: Record<TRole, number> = { OWNER: 3, ADMIN: 2, MEMBER: 1, GUEST: 0 };
