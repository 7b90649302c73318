/**
 * The Events API dispatcher, one per server process (started by server/app.ts). It listens to the
 * domain bus and writes deliveries (lib/events/outbox.ts), then POSTs them to the bots' URLs, signed
 * like Slack, through the SSRF guard. Rows are claimed with FOR UPDATE SKIP LOCKED, so several nodes
 * share the work without sending a row twice; a node that dies mid-delivery leaves its rows to be
 * retried when their lease runs out. New rows written on this node wake it at once; rows written
 * elsewhere and retries coming due are found by polling (every `pollMs`).
 *
 * A delivery succeeds with a 2xx within 3 s. Otherwise it is retried after each of `retryDelaysMs`
 * (Slack: 1 s, 1 min, 5 min) with X-Slack-Retry-Num / X-Slack-Retry-Reason, unless the app answered
 * `X-Slack-No-Retry: 1`. After `disableAfterFailures` failed attempts in a row the bot's endpoint is
 * disabled with the reason until an admin re-enables it (lib/events/service.ts reenableEvents).
 */
import { acquireRecorder, addDispatcherWake, getEventsConfig } from "@/lib/events/config";
import { recordDomainEvent } from "@/lib/events/outbox";
import * as repo from "@/lib/events/repository";
import { signSlackRequest } from "@/lib/events/signing";
import { audit } from "@/lib/integrations/audit";
import { OutboundError, redactUrl, safeFetch } from "@/lib/outbound/http";
import { subscribe } from "@/lib/realtime/bus";

/** Slack's X-Slack-Retry-Reason values. */
type TRetryReason = "http_timeout" | "http_error" | "connection_failed" | "too_many_redirects" | "unknown_error";

const MAX_RESPONSE_BYTES = 64 * 1024;
const PRUNE_EVERY_MS = 3600_000;

export type TEventsWorker = {
  /** Looks for due deliveries now. */
  wake: () => void;
  /** Resolves once nothing is being recorded or delivered (tests). */
  idle: () => Promise<void>;
  stop: () => Promise<void>;
};

type TFailure = { reason: TRetryReason; text: string; noRetry: boolean };

/** What went wrong, in words an admin can act on; never the URL's query or any header. */
function describeFailure(err: unknown, timeoutMs: number): TFailure {
  if (err instanceof OutboundError) {
    switch (err.reason) {
      case "timeout":
        return { reason: "http_timeout", text: `timeout after ${timeoutMs / 1000} s`, noRetry: false };
      case "http_error":
        return { reason: "http_error", text: err.message, noRetry: false };
      case "too_large":
        return { reason: "unknown_error", text: "the response was too large", noRetry: false };
      default:
        return { reason: "connection_failed", text: err.message, noRetry: false };
    }
  }
  return { reason: "unknown_error", text: "unexpected error", noRetry: false };
}

function parseRetryReason(lastError: string | null): TRetryReason {
  const prefix = lastError?.split(":")[0];
  return prefix === "http_timeout" || prefix === "http_error" || prefix === "connection_failed" || prefix === "too_many_redirects" ? prefix : "unknown_error";
}

/** One attempt at one claimed delivery (the claim only returns rows of live bots); records the outcome. */
async function deliver(row: repo.TClaimedDelivery): Promise<void> {
  const cfg = getEventsConfig();
  const attempts = row.attempts + 1;
  const body = JSON.stringify(row.payload);
  const headers: Record<string, string> = { "content-type": "application/json", ...signSlackRequest(row.signingSecret, body) };
  if (row.attempts > 0) {
    headers["X-Slack-Retry-Num"] = String(row.attempts);
    headers["X-Slack-Retry-Reason"] = parseRetryReason(row.lastError);
  }
  let failure: TFailure;
  try {
    const res = await safeFetch(row.eventsUrl, { method: "POST", headers, body }, { timeoutMs: cfg.deliveryTimeoutMs, maxBytes: MAX_RESPONSE_BYTES, maxRedirects: 0 });
    if (res.status >= 200 && res.status < 300) {
      await repo.recordSuccess({ id: row.id, botId: row.botId, attempts });
      return;
    }
    const noRetry = res.headers["x-slack-no-retry"] === "1";
    failure =
      res.status >= 300 && res.status < 400
        ? { reason: "too_many_redirects", text: `HTTP ${res.status} redirect (not followed)`, noRetry }
        : { reason: "http_error", text: `HTTP ${res.status}`, noRetry };
  } catch (err) {
    failure = describeFailure(err, cfg.deliveryTimeoutMs);
  }
  const delay = failure.noRetry ? undefined : cfg.retryDelaysMs[attempts - 1];
  const nextAttemptAt = delay === undefined ? null : new Date(Date.now() + delay);
  const streak = await repo.recordFailure({ id: row.id, botId: row.botId, attempts }, `${failure.reason}: ${failure.text}`, nextAttemptAt);
  if (streak >= cfg.disableAfterFailures) {
    const reason = `${failure.text} (${streak} failed attempts in a row)`;
    if (await repo.disableBotEvents(row.botId, reason)) {
      console.warn(`[parley] events to ${redactUrl(row.eventsUrl)} disabled: ${reason}`);
      await audit({ workspaceId: row.workspaceId, action: "bot.events_disabled", targetType: "bot", targetId: row.botId, details: { reason } });
    }
  }
}

/** Starts the outbox writer and the dispatcher loop; `stop()` waits for work in flight. */
export function startEventsWorker(): TEventsWorker {
  let stopped = false;
  let pumping = false;
  let again = false;
  let inFlight = 0;
  const tracked = new Set<Promise<unknown>>();
  let lastErrorLog = 0;

  const track = <T>(p: Promise<T>): Promise<T> => {
    tracked.add(p);
    void p.finally(() => tracked.delete(p)).catch(() => {});
    return p;
  };

  const logError = (what: string, err: unknown) => {
    // A database outage would otherwise log every poll.
    if (Date.now() - lastErrorLog < 30_000) return;
    lastErrorLog = Date.now();
    console.warn(`[parley] events: ${what} failed:`, (err as Error)?.message ?? err);
  };

  const pump = async (): Promise<void> => {
    if (stopped) return;
    if (pumping) {
      again = true;
      return;
    }
    pumping = true;
    try {
      do {
        again = false;
        const cfg = getEventsConfig();
        const free = cfg.concurrency - inFlight;
        if (free <= 0) break;
        const rows = await repo.claimDueDeliveries(free, cfg.leaseMs);
        for (const row of rows) {
          inFlight++;
          void track(
            deliver(row)
              .catch((err) => logError("delivery", err))
              .finally(() => {
                inFlight--;
                void pump();
              }),
          );
        }
        if (rows.length === free) again = true;
      } while (again && !stopped);
    } catch (err) {
      logError("claiming deliveries", err);
    } finally {
      pumping = false;
    }
  };

  const wake = () => void track(pump());
  const removeWake = addDispatcherWake(wake);
  const releaseRecorder = acquireRecorder(() =>
    subscribe((e) => {
      if (e.kind !== "channel.event" && e.kind !== "channel.memberAdded" && e.kind !== "channel.memberRemoved" && e.kind !== "channel.updated") return;
      void track(recordDomainEvent(e).catch((err) => logError("recording an event", err)));
    }),
  );
  let timer: ReturnType<typeof setTimeout> | undefined;
  const poll = () => {
    timer = setTimeout(() => {
      wake();
      if (!stopped) poll();
    }, getEventsConfig().pollMs);
    timer.unref?.();
  };
  poll();
  wake();
  // The outbox keeps a week of history for the integrations page, then forgets it.
  const prune = () => void track(repo.pruneFinishedDeliveries(new Date(Date.now() - getEventsConfig().keepFinishedMs)).catch((err) => logError("pruning deliveries", err)));
  const pruneTimer = setInterval(prune, PRUNE_EVERY_MS);
  pruneTimer.unref?.();
  prune();

  const idle = async () => {
    while (tracked.size) await Promise.allSettled([...tracked]);
  };

  return {
    wake,
    idle,
    stop: async () => {
      stopped = true;
      releaseRecorder();
      removeWake();
      clearTimeout(timer);
      clearInterval(pruneTimer);
      await idle();
    },
  };
}
