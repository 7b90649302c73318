/** Prisma access for reminders and Parley's own bot user. No business rules here. */
import { getDb } from "@/lib/db";

export function insertReminder(data: { workspaceId: string; userId: string; text: string; dueAt: Date }) {
  return getDb().reminder.create({ data, select: { id: true, dueAt: true } });
}

export type TClaimedReminder = { id: string; workspaceId: string; userId: string; text: string; dueAt: Date };

/**
 * Claims up to `limit` due, undelivered reminders for `leaseMs`: their dueAt moves to the end of the
 * lease, so another node (or this one after a crash) retries them only once it expires. SKIP LOCKED
 * lets several nodes claim at once without waiting for or double-claiming each other's rows.
 * Returns the reminders with their original due time.
 */
export async function claimDueReminders(limit: number, leaseMs: number): Promise<TClaimedReminder[]> {
  const rows = await getDb().$queryRaw<TClaimedReminder[]>`
    WITH due AS (
      SELECT id, "dueAt" FROM "Reminder"
      WHERE "deliveredAt" IS NULL AND "dueAt" <= now()
      ORDER BY "dueAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    UPDATE "Reminder" r SET "dueAt" = now() + make_interval(secs => ${leaseMs / 1000})
    FROM due WHERE r.id = due.id
    RETURNING r.id, r."workspaceId", r."userId", r.text, due."dueAt"`;
  return rows;
}

/** Marks a claimed reminder delivered; false if it already was (another node finished it first). */
export async function markDelivered(id: string): Promise<boolean> {
  const res = await getDb().reminder.updateMany({ where: { id, deliveredAt: null }, data: { deliveredAt: new Date() } });
  return res.count === 1;
}

/** Puts a reminder back to be retried at `at` (delivery failed). */
export function rescheduleReminder(id: string, at: Date) {
  return getDb().reminder.updateMany({ where: { id, deliveredAt: null }, data: { dueAt: at } });
}

/** When the earliest undelivered reminder falls due, if any. */
export async function findNextDueAt(): Promise<Date | null> {
  const row = await getDb().reminder.findFirst({ where: { deliveredAt: null }, orderBy: { dueAt: "asc" }, select: { dueAt: true } });
  return row?.dueAt ?? null;
}

export function findWorkspace(workspaceId: string) {
  return getDb().workspace.findUnique({ where: { id: workspaceId }, select: { id: true, slug: true } });
}

/**
 * Parley's built-in bot user of a workspace, created on first use: an account nobody can sign in to
 * (password hash "!" matches no password) that is an active member, so it can open DMs and post.
 */
export async function upsertParleyBot(workspaceId: string): Promise<{ id: string }> {
  const email = `parley-bot+${workspaceId}@bots.parley.invalid`;
  const user = await getDb().user.upsert({
    where: { email },
    create: { email, name: "Parley", passwordHash: "!", isBot: true },
    update: {},
    select: { id: true },
  });
  await getDb().workspaceMember.upsert({
    where: { workspaceId_userId: { workspaceId, userId: user.id } },
    create: { workspaceId, userId: user.id, role: "MEMBER" },
    update: { status: "ACTIVE" },
    select: { id: true },
  });
  return user;
}
