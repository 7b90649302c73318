/**
 * Events API delivery settings, kept on globalThis so the server's dispatcher and Next's route bundles
 * (separate module copies in one process) see the same values, wake-ups and bus subscription.
 */
export type TEventsConfig = {
  /** Waits before each retry; attempts = 1 + its length. Slack: at once, then 1 min, then 5 min. */
  retryDelaysMs: number[];
  /** Failed attempts in a row (any events) after which the endpoint is disabled until an admin re-enables it. */
  disableAfterFailures: number;
  /** A delivery succeeds only with a 2xx within this time (Slack: 3 s). */
  deliveryTimeoutMs: number;
  /** The url_verification handshake's timeout. */
  verifyTimeoutMs: number;
  /** How often the dispatcher looks for due rows when nothing woke it. */
  pollMs: number;
  /** How long a claimed row is reserved for the node that claimed it. */
  leaseMs: number;
  /** Deliveries in flight at once per node. */
  concurrency: number;
  /** Finished deliveries (delivered or given up) are deleted after this long. */
  keepFinishedMs: number;
};

const DEFAULTS: TEventsConfig = {
  retryDelaysMs: [1_000, 60_000, 300_000],
  disableAfterFailures: 10,
  deliveryTimeoutMs: 3_000,
  verifyTimeoutMs: 5_000,
  pollMs: 1_000,
  leaseMs: 30_000,
  concurrency: 8,
  keepFinishedMs: 7 * 24 * 3600_000,
};

type TState = { config: TEventsConfig; wakes: Set<() => void>; recorder?: { refs: number; unsubscribe: () => void } };
const holder = globalThis as unknown as { __parleyEvents?: TState };

function state(): TState {
  holder.__parleyEvents ??= { config: { ...DEFAULTS }, wakes: new Set() };
  return holder.__parleyEvents;
}

/** The settings in force. */
export function getEventsConfig(): TEventsConfig {
  return state().config;
}

/** Changes delivery settings (tests use short retry delays); unspecified fields keep their value. */
export function configureEvents(partial: Partial<TEventsConfig>): TEventsConfig {
  const s = state();
  s.config = { ...s.config, ...partial };
  return s.config;
}

/** Restores the defaults. */
export function resetEventsConfig(): void {
  state().config = { ...DEFAULTS };
}

/** Registers a running dispatcher's wake-up; returns its removal. */
export function addDispatcherWake(wake: () => void): () => void {
  state().wakes.add(wake);
  return () => state().wakes.delete(wake);
}

/** Tells this process's dispatchers that new rows are due now. */
export function wakeDispatcher(): void {
  for (const wake of state().wakes) wake();
}

/**
 * Holds the one bus subscription that records deliveries in this process, however many nodes run in
 * it (tests start several): two would write every event twice. `subscribe` runs for the first holder;
 * the returned release unsubscribes after the last.
 */
export function acquireRecorder(subscribe: () => () => void): () => void {
  const s = state();
  if (!s.recorder) s.recorder = { refs: 0, unsubscribe: subscribe() };
  s.recorder.refs++;
  let released = false;
  return () => {
    if (released || !s.recorder) return;
    released = true;
    if (--s.recorder.refs === 0) {
      s.recorder.unsubscribe();
      s.recorder = undefined;
    }
  };
}
