/**
 * Parley's reminder scheduler, one per node (started by server/app.ts). It sleeps until the earliest
 * undelivered reminder is due — no polling loop — and is woken early when a reminder is created on
 * this node (the `reminder.scheduled` bus event). Reminders created on other nodes are found by those
 * nodes, and by everyone at the latest after MAX_SLEEP_MS (a safety net for a node that died).
 */
import { subscribe } from "@/lib/realtime/bus";
import { deliverDueReminders, getNextDueAt } from "@/lib/reminders/service";

const MAX_SLEEP_MS = 5 * 60_000;
const ERROR_BACKOFF_MS = 10_000;

export type TReminderScheduler = { stop: () => void; /** Runs a delivery pass now (tests, admin). */ runNow: () => Promise<void> };

/** Starts the scheduler; `stop()` clears its timer and bus subscription. */
export function startReminderScheduler(): TReminderScheduler {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wakeAt = Infinity;
  let stopped = false;
  let running: Promise<void> | null = null;
  let again = false;

  const arm = (at: number) => {
    if (stopped) return;
    const when = Math.min(at, Date.now() + MAX_SLEEP_MS);
    if (timer && when >= wakeAt) return;
    clearTimeout(timer);
    wakeAt = when;
    timer = setTimeout(() => {
      timer = undefined;
      wakeAt = Infinity;
      void run();
    }, Math.max(0, when - Date.now()));
    timer.unref?.();
  };

  const run = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await deliverDueReminders();
        } while (again && !stopped);
        const next = await getNextDueAt();
        arm(next ? next.getTime() : Infinity);
      } catch (err) {
        console.warn("[parley] reminder scheduler pass failed:", (err as Error)?.message ?? err);
        arm(Date.now() + ERROR_BACKOFF_MS);
      }
    })().finally(() => (running = null));
    return running;
  };

  const unsubscribe = subscribe((e) => {
    if (e.kind === "reminder.scheduled") arm(new Date(e.dueAt).getTime());
  });
  void run();

  return {
    stop: () => {
      stopped = true;
      unsubscribe();
      clearTimeout(timer);
    },
    runNow: run,
  };
}
