/**
 * Events API delivery settings, kept on globalThis so the server's dispatcher and Next's route bundles
 * (separate module copies in one process) see the same values and the same wake-up hook.
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
};

const DEFAULTS: TEventsConfig = {
  retryDelaysMs: [1_000, 60_000, 300_000],
  disableAfterFailures: 10,
  deliveryTimeoutMs: 3_000,
  verifyTimeoutMs: 5_000,
  pollMs: 1_000,
  leaseMs: 30_000,
  concurrency: 8,
};

const holder = globalThis as unknown as { __parleyEvents?: { config: TEventsConfig; wake?: () => void } };

function state() {
  holder.__parleyEvents ??= { config: { ...DEFAULTS } };
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

/** Registers the running dispatcher's wake-up (one per process). */
export function setDispatcherWake(wake: (() => void) | undefined): void {
  state().wake = wake;
}

/** Tells this node's dispatcher that new rows are due now. */
export function wakeDispatcher(): void {
  state().wake?.();
}
