/**
 * The audit trail: who did what through tokens, webhooks and integration settings. Writing an entry
 * never fails the action it records (it is logged instead).
 */
import * as repo from "@/lib/integrations/repository";
import type { Prisma } from "@/lib/db";
import { assertCan } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

export type TAuditEntry = {
  workspaceId: string;
  actorId?: string | null;
  tokenId?: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Prisma.InputJsonValue;
  ip?: string;
};

export async function audit(entry: TAuditEntry): Promise<void> {
  try {
    await repo.insertAudit(entry);
  } catch (err) {
    console.error("[parley] audit write failed:", (err as Error).message);
  }
}

/** The newest entries first, for workspace admins. */
export async function listAudit({ actor, slug, before, limit = 100 }: { actor: TActor; slug: string; before?: string; limit?: number }) {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "integrations.manage");
  const rows = await repo.listAudit(workspace.id, Math.min(Math.max(limit, 1), 500), before ? new Date(before) : undefined);
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
