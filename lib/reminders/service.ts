/**
 * Reminders (`/remind`): stored with their due time, delivered by the scheduler as a DM from the
 * workspace's built-in "Parley" bot. Delivery is at-least-once (a claimed reminder whose node dies is
 * claimed again when its lease ends) and the DM is sent with a clientMsgId derived from the reminder,
 * so a second attempt finds the stored message instead of posting it twice.
 */
import { openDm } from "@/lib/channels/service";
import { AppError, toAppError } from "@/lib/errors";
import { sendMessage } from "@/lib/messages/service";
import { publish } from "@/lib/realtime/bus";
import * as repo from "@/lib/reminders/repository";
import type { TActor } from "@/lib/users/service";

/** How long a claimed reminder belongs to the node that claimed it. */
const LEASE_MS = 60_000;
const BATCH = 20;
const RETRY_AFTER_MS = 60_000;

/** Stores a reminder for the actor (the caller has parsed and checked the time) and wakes the scheduler. */
export async function createReminder({ actor, input }: { actor: TActor; input: { workspaceId: string; text: string; dueAt: Date } }): Promise<{ id: string; dueAt: Date }> {
  const row = await repo.insertReminder({ workspaceId: input.workspaceId, userId: actor.userId, text: input.text, dueAt: input.dueAt });
  publish({ kind: "reminder.scheduled", dueAt: row.dueAt.toISOString() });
  return row;
}

/** The id of Parley's own bot user in a workspace, creating it on first use. */
export async function ensureParleyBot(workspaceId: string): Promise<string> {
  try {
    return (await repo.upsertParleyBot(workspaceId)).id;
  } catch (err) {
    // Two nodes creating it at the same moment: one insert wins, the other finds it on a second try.
    if ((err as { code?: string }).code !== "P2002") throw err;
    return (await repo.upsertParleyBot(workspaceId)).id;
  }
}

/** Errors after which trying again cannot help (the person left, the workspace is gone). */
function isPermanent(err: unknown): boolean {
  const e = toAppError(err);
  return ["validation_failed", "forbidden", "not_found", "conflict"].includes(e.code);
}

async function deliverOne(r: repo.TClaimedReminder): Promise<"delivered" | "dropped" | "retry"> {
  try {
    const ws = await repo.findWorkspace(r.workspaceId);
    if (!ws) throw new AppError("not_found", "workspace gone");
    const botId = await ensureParleyBot(r.workspaceId);
    const bot: TActor = { userId: botId, workspaceId: r.workspaceId };
    const dm = await openDm({ actor: bot, slug: ws.slug, input: { userIds: [r.userId] } });
    await sendMessage({ actor: bot, input: { channelId: dm.id, body: `⏰ Reminder: ${r.text}`, clientMsgId: `reminder_${r.id}` }, extras: { markup: "plain" } });
    await repo.markDelivered(r.id);
    return "delivered";
  } catch (err) {
    if (isPermanent(err)) {
      console.warn(`[parley] reminder ${r.id} cannot be delivered, dropping it:`, toAppError(err).message);
      await repo.markDelivered(r.id);
      return "dropped";
    }
    console.warn(`[parley] reminder ${r.id} delivery failed, retrying later:`, (err as Error)?.message ?? err);
    await repo.rescheduleReminder(r.id, new Date(Date.now() + RETRY_AFTER_MS)).catch(() => undefined);
    return "retry";
  }
}

/** Claims and delivers every reminder due now; returns how many were delivered. Safe to run on many nodes at once. */
export async function deliverDueReminders(): Promise<{ delivered: number; dropped: number; retry: number }> {
  const out = { delivered: 0, dropped: 0, retry: 0 };
  for (;;) {
    const claimed = await repo.claimDueReminders(BATCH, LEASE_MS);
    for (const r of claimed) out[await deliverOne(r)]++;
    if (claimed.length < BATCH) return out;
  }
}

/** When the scheduler must next wake: the earliest undelivered reminder's due time, if any. */
export function getNextDueAt(): Promise<Date | null> {
  return repo.findNextDueAt();
}
