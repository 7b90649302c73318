"use client";
/**
 * Keeps cached timelines converged with the server (docs/realtime.md): live changes are applied by
 * seq; on a gap, after a reconnect and on the periodic head check, the changes after `last` are
 * fetched (looping while `hasMore`) and applied in order. One catch-up per channel at a time.
 */
import type { QueryClient } from "@tanstack/react-query";
import { ApiError, api } from "@/lib/client/api";
import { apiPaths } from "@/lib/client/api-paths";
import { queryKeys } from "@/lib/client/query-keys";
import { getSocket, RealtimeError, request } from "@/lib/client/realtime";
import { appendNewerPage, applyCatchUp, applyChange, createTimeline, prependOlderPage, upsertMessage, type TTimeline } from "@/lib/client/timeline";
import { HISTORY_PAGE_SIZE } from "@/lib/messages/limits";
import type { THistoryPage, TMessage } from "@/lib/messages/schema";
import type { TChannelEvent, TSyncResult } from "@/lib/realtime/contract";

const CATCH_UP_PAGE_SIZE = 500;
/** Retry delays of a failed catch-up: doubling from 1 s to 30 s (the head check's interval), with jitter. */
const CATCH_UP_RETRY_MIN_MS = 1000;
const CATCH_UP_RETRY_MAX_MS = 30_000;

/**
 * The newest page of a conversation, or the page around the message `focusTs`, as a fresh timeline.
 * A message that is gone (deleted, or a ts that never was) opens the newest page, its focus saying so.
 */
export async function loadTimeline(channelId: string, focusTs?: string): Promise<TTimeline> {
  const newest = () => api<THistoryPage>(apiPaths.newestPage(channelId));
  if (!focusTs) return createTimeline(await newest());
  try {
    return createTimeline(await api<THistoryPage>(`/api/channels/${encodeURIComponent(channelId)}/messages?around_ts=${encodeURIComponent(focusTs)}&limit=${HISTORY_PAGE_SIZE}`), focusTs);
  } catch (err) {
    // 404 is also what a conversation I may not read answers: the newest page then fails the same way.
    // 422: a malformed ts in the address.
    if (!(err instanceof ApiError && (err.status === 404 || err.status === 422))) throw err;
    return { ...createTimeline(await newest()), focus: { ts: focusTs, id: null } };
  }
}

/** Changes after `after`, over the socket when connected, else over HTTP. */
async function fetchChangesAfter(channelId: string, after: number): Promise<TSyncResult> {
  if (getSocket().connected) return request("channels.sync", { channelId, after, limit: CATCH_UP_PAGE_SIZE });
  return api<TSyncResult>(`/api/channels/${encodeURIComponent(channelId)}/events?after=${after}&limit=${CATCH_UP_PAGE_SIZE}`);
}

export class ChannelSync {
  private readonly running = new Map<string, Promise<void>>();
  private readonly needsAnotherPass = new Set<string>();
  /** Catch-ups waiting to be tried again (catchUpLater), by channel. */
  private readonly retries = new Map<string, { timer: ReturnType<typeof setTimeout>; delayMs: number }>();
  private readonly loadingOlder = new Map<string, Promise<void>>();
  private readonly loadingNewer = new Map<string, Promise<void>>();
  private readonly changeListeners = new Set<(message: TMessage, seq: number) => void>();

  constructor(private readonly queryClient: QueryClient) {}

  /**
   * Hears every message state this sync sees — live, by catch-up, or from an ack (with the message's
   * own seq) — for caches kept beside the timelines (open threads, pins). Returns the stop function.
   */
  onChange(listener: (message: TMessage, seq: number) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private notifyChange(message: TMessage, seq: number): void {
    for (const listener of this.changeListeners) listener(message, seq);
  }

  private getTimeline(channelId: string): TTimeline | undefined {
    return this.queryClient.getQueryData<TTimeline>(queryKeys.timeline(channelId));
  }

  private setTimeline(channelId: string, update: (t: TTimeline) => TTimeline): void {
    this.queryClient.setQueryData<TTimeline>(queryKeys.timeline(channelId), (t) => (t ? update(t) : t));
  }

  /** Applies a live change to the channel's cached timeline, if any; a gap starts a catch-up. */
  applyLiveChange(event: TChannelEvent): void {
    this.notifyChange(event.message, event.seq);
    const timeline = this.getTimeline(event.channelId);
    if (!timeline) return; // Not loaded: it will be read fresh when opened.
    const { timeline: next, outcome } = applyChange(timeline, event);
    if (outcome === "applied") this.queryClient.setQueryData(queryKeys.timeline(event.channelId), next);
    else if (outcome === "gap") void this.catchUp(event.channelId);
  }

  /** Puts a message we got from an ack (send, edit, delete) into the timeline without moving `last`. */
  applyAcknowledged(message: TMessage): void {
    this.notifyChange(message, message.seq);
    this.setTimeline(message.channelId, (t) => upsertMessage(t, message));
  }

  /**
   * Fetches and applies every change after the timeline's `last`. Concurrent calls share one run;
   * a call during a run schedules one more pass so nothing that arrived meanwhile is missed.
   */
  catchUp(channelId: string): Promise<void> {
    const inFlight = this.running.get(channelId);
    if (inFlight) {
      this.needsAnotherPass.add(channelId);
      return inFlight;
    }
    const run = (async () => {
      do {
        this.needsAnotherPass.delete(channelId);
        await this.catchUpOnce(channelId);
      } while (this.needsAnotherPass.has(channelId));
    })()
      .then(
        () => {
          clearTimeout(this.retries.get(channelId)?.timer);
          this.retries.delete(channelId);
        },
        (err: unknown) => {
          this.catchUpLater(channelId, err);
          throw err;
        },
      )
      .finally(() => this.running.delete(channelId));
    this.running.set(channelId, run);
    return run;
  }

  /**
   * A catch-up that failed in a way another try may fix (timed out, a busy or restarting server, the
   * network) is tried again after a growing delay, while the timeline is cached: the changes it
   * missed would otherwise wait for the next gap, reconnect or head check.
   */
  private catchUpLater(channelId: string, err: unknown): void {
    const isWorthRetrying = err instanceof RealtimeError ? err.isRetryable : err instanceof ApiError ? err.status >= 500 || err.status === 429 : true;
    if (!isWorthRetrying) return;
    const previous = this.retries.get(channelId);
    clearTimeout(previous?.timer);
    const delayMs = Math.min(CATCH_UP_RETRY_MAX_MS, (previous?.delayMs ?? CATCH_UP_RETRY_MIN_MS / 2) * 2);
    const timer = setTimeout(() => {
      if (this.getTimeline(channelId)) void this.catchUp(channelId).catch(() => undefined);
      else this.retries.delete(channelId);
    }, delayMs * (0.5 + Math.random() / 2));
    this.retries.set(channelId, { timer, delayMs });
  }

  private async catchUpOnce(channelId: string): Promise<void> {
    for (;;) {
      const before = this.getTimeline(channelId);
      if (!before) return;
      const result = await fetchChangesAfter(channelId, before.last);
      // Re-read: live changes may have been applied while we waited; applyChange skips those.
      const coveredUpTo = result.hasMore ? result.through : result.head;
      for (const event of result.events) this.notifyChange(event.message, event.seq);
      this.setTimeline(channelId, (t) => applyCatchUp(t, result.events, coveredUpTo));
      if (!result.hasMore || result.events.length === 0) return;
    }
  }

  /** Loads the page before the oldest loaded message (scrolling up). */
  loadOlder(channelId: string): Promise<void> {
    const inFlight = this.loadingOlder.get(channelId);
    if (inFlight) return inFlight;
    const timeline = this.getTimeline(channelId);
    const oldest = timeline?.messages[0];
    if (!timeline?.hasOlder || !oldest) return Promise.resolve();
    const run = api<THistoryPage>(`/api/channels/${encodeURIComponent(channelId)}/messages?before=${oldest.seq}&limit=${HISTORY_PAGE_SIZE}`)
      // Only onto the window it was read for: a reload (reload) may have replaced it meanwhile.
      .then((page) => this.setTimeline(channelId, (t) => (t.messages[0]?.seq === oldest.seq ? prependOlderPage(t, page) : t)))
      .finally(() => this.loadingOlder.delete(channelId));
    this.loadingOlder.set(channelId, run);
    return run;
  }

  /** Loads the page after the newest loaded message (scrolling down a window opened around an earlier message). */
  loadNewer(channelId: string): Promise<void> {
    const inFlight = this.loadingNewer.get(channelId);
    if (inFlight) return inFlight;
    const timeline = this.getTimeline(channelId);
    const newest = timeline?.messages.at(-1);
    if (!timeline?.hasNewer || !newest) return Promise.resolve();
    const run = api<THistoryPage>(`/api/channels/${encodeURIComponent(channelId)}/messages?after=${newest.seq}&limit=${HISTORY_PAGE_SIZE}`)
      .then((page) => {
        let reachedNewest = false;
        this.setTimeline(channelId, (t) => {
          if (t.messages.at(-1)?.seq !== newest.seq) return t; // replaced meanwhile, as in loadOlder
          const next = appendNewerPage(t, page);
          reachedNewest = next.reachedNewest;
          return next.timeline;
        });
        if (reachedNewest) return this.catchUp(channelId);
      })
      .finally(() => this.loadingNewer.delete(channelId));
    this.loadingNewer.set(channelId, run);
    return run;
  }

  /**
   * Replaces the cached timeline with a fresh one: the page around the message `focusTs`, or the
   * newest page without it. Older or newer pages still loading for the window it replaces are dropped
   * when they arrive (they apply only to the window they were read for).
   */
  async reload(channelId: string, focusTs?: string): Promise<TTimeline> {
    const timeline = await loadTimeline(channelId, focusTs);
    this.queryClient.setQueryData(queryKeys.timeline(channelId), timeline);
    return timeline;
  }

  /**
   * The server's `channels.resync` hint (live events may have been lost between servers): catch up
   * the listed conversations that are cached, or, without a list, do what a reconnect does.
   */
  resync(channelIds: string[] | undefined, openChannelId: string | null): void {
    if (!channelIds) return this.resyncAfterReconnect(openChannelId);
    for (const channelId of channelIds) {
      if (this.getTimeline(channelId)) void this.catchUp(channelId).catch(() => undefined);
    }
  }

  /**
   * After a reconnect: catch up the open channel and drop the other cached timelines, whose live
   * changes may have been missed while disconnected; they reload when opened.
   */
  resyncAfterReconnect(openChannelId: string | null): void {
    this.queryClient.removeQueries({
      queryKey: queryKeys.allTimelines,
      predicate: (query) => query.queryKey[1] !== openChannelId && query.getObserversCount() === 0,
    });
    if (openChannelId) void this.catchUp(openChannelId).catch(() => undefined);
  }
}
