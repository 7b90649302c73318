/**
 * A conversation's timeline as the browser holds it: the loaded window of top-level messages (oldest
 * first) plus `last`, the last change seq applied (docs/realtime.md). Pure functions only, so the
 * delivery rules can be unit-tested without a browser; react-query stores the values.
 */
import type { TChannelEvent } from "@/lib/realtime/contract";
import type { THistoryPage, TMessage } from "@/lib/messages/schema";

export type TTimeline = {
  /** Visible messages in the loaded window, ascending by `seq`, no deleted ones, no thread replies. */
  messages: TMessage[];
  /** The last change seq applied; every change up to it is reflected in `messages`. */
  last: number;
  /** Whether older history exists before the first loaded message. */
  hasOlder: boolean;
  /**
   * Whether newer history exists after the last loaded message: the window was opened around an
   * earlier message (a search result, a permalink) and does not reach the newest yet. New messages
   * past the window are left for the newer pages (or a return to the newest) to bring.
   */
  hasNewer: boolean;
  /** The message a window opened around: its ts as asked, and the id the server centred on (null: it is gone). */
  focus: { ts: string; id: string | null } | null;
  /** How many messages were prepended by older pages; drives Virtuoso's `firstItemIndex`. */
  prependedCount: number;
  /** Ids removed by a change, so an older page read before the delete cannot bring them back. */
  removedIds: ReadonlySet<string>;
};

export type TApplyOutcome = "applied" | "stale" | "gap";

/**
 * A timeline from a history page: the newest page, or the page around `focusTs` (then `focus` says
 * which message it centred on). `head` was read with the page, so `last = head`.
 */
export function createTimeline(page: THistoryPage, focusTs?: string): TTimeline {
  return {
    messages: page.messages.filter(isVisible),
    last: page.head,
    hasOlder: page.hasMore,
    hasNewer: !!page.hasNewer,
    focus: focusTs && page.focusId ? { ts: focusTs, id: page.focusId } : null,
    prependedCount: 0,
    removedIds: new Set(),
  };
}

/** Whether a message belongs in the channel's main list. */
export function isVisible(message: TMessage): boolean {
  return !message.deletedAt && (!message.threadRootId || message.broadcast);
}

/** Whether `incoming` is at least as new as `existing` (edits only move forward; a delete is final). */
function isAtLeastAsNew(incoming: TMessage, existing: TMessage): boolean {
  if (existing.deletedAt) return !!incoming.deletedAt;
  if (incoming.deletedAt) return true;
  return (incoming.editedAt ?? "") >= (existing.editedAt ?? "");
}

/**
 * Puts a message's current state into the window: replaces it by id, inserts it in seq order, or
 * removes it once deleted. Messages older than the loaded window are left for the older page to bring.
 */
export function upsertMessage(timeline: TTimeline, message: TMessage): TTimeline {
  const index = timeline.messages.findIndex((m) => m.id === message.id);
  if (index >= 0) {
    const existing = timeline.messages[index]!;
    if (!isAtLeastAsNew(message, existing)) return timeline;
    if (!isVisible(message)) {
      const removedIds = new Set(timeline.removedIds).add(message.id);
      return { ...timeline, messages: timeline.messages.toSpliced(index, 1), removedIds };
    }
    return { ...timeline, messages: timeline.messages.with(index, message) };
  }
  if (!isVisible(message)) {
    return message.deletedAt ? { ...timeline, removedIds: new Set(timeline.removedIds).add(message.id) } : timeline;
  }
  if (timeline.removedIds.has(message.id)) return timeline;
  const oldest = timeline.messages[0];
  if (timeline.hasOlder && oldest && message.seq < oldest.seq) return timeline;
  const newest = timeline.messages.at(-1);
  if (timeline.hasNewer && newest && message.seq > newest.seq) return timeline;
  const insertAt = findInsertIndex(timeline.messages, message.seq);
  return { ...timeline, messages: timeline.messages.toSpliced(insertAt, 0, message) };
}

/** First index whose seq is greater than `seq` (binary search; new messages land at the end). */
function findInsertIndex(messages: TMessage[], seq: number): number {
  let low = 0;
  let high = messages.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (messages[mid]!.seq <= seq) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Applies one change by seq: ignores what was already applied and reports a gap instead of applying
 * out of order. Catch-up results (`isCatchUp`) may skip numbers the server left out, so they apply.
 */
export function applyChange(timeline: TTimeline, event: TChannelEvent, isCatchUp = false): { timeline: TTimeline; outcome: TApplyOutcome } {
  if (event.seq <= timeline.last) return { timeline, outcome: "stale" };
  if (event.seq > timeline.last + 1 && !isCatchUp) return { timeline, outcome: "gap" };
  return { timeline: { ...upsertMessage(timeline, event.message), last: event.seq }, outcome: "applied" };
}

/** Applies a catch-up page in order, then moves `last` to what the server says it covered. */
export function applyCatchUp(timeline: TTimeline, events: TChannelEvent[], coveredUpTo: number): TTimeline {
  let next = timeline;
  for (const event of events) next = applyChange(next, event, true).timeline;
  return next.last >= coveredUpTo ? next : { ...next, last: coveredUpTo };
}

/** Prepends an older history page (messages before the window), skipping any already present or removed. */
export function prependOlderPage(timeline: TTimeline, page: THistoryPage): TTimeline {
  const oldestSeq = timeline.messages[0]?.seq ?? Number.POSITIVE_INFINITY;
  const known = new Set(timeline.messages.map((m) => m.id));
  const older = page.messages.filter((m) => m.seq < oldestSeq && isVisible(m) && !known.has(m.id) && !timeline.removedIds.has(m.id));
  return { ...timeline, messages: [...older, ...timeline.messages], hasOlder: page.hasMore, prependedCount: timeline.prependedCount + older.length };
}

/**
 * Appends a newer history page (messages after the window, read with `after`), skipping any already
 * present or removed. Once the window reaches the newest, `last` goes back to the page's head: while
 * the window ended early, changes past it were passed over but still moved `last`, so the caller
 * catches up from there (`reachedNewest`) and every change since the page was read is applied.
 */
export function appendNewerPage(timeline: TTimeline, page: THistoryPage): { timeline: TTimeline; reachedNewest: boolean } {
  if (!timeline.hasNewer) return { timeline, reachedNewest: false };
  const newestSeq = timeline.messages.at(-1)?.seq ?? 0;
  const known = new Set(timeline.messages.map((m) => m.id));
  const newer = page.messages.filter((m) => m.seq > newestSeq && isVisible(m) && !known.has(m.id) && !timeline.removedIds.has(m.id));
  const hasNewer = !!page.hasNewer;
  const last = hasNewer ? timeline.last : Math.min(timeline.last, page.head);
  return { timeline: { ...timeline, messages: [...timeline.messages, ...newer], hasNewer, last }, reachedNewest: !hasNewer };
}

/**
 * The newest seq the reader has seen, for `channels.read`; 0 (nothing to mark) while the window
 * stops short of the newest messages, which the reader has not seen.
 */
export function getReadPosition(timeline: TTimeline): number {
  if (timeline.hasNewer) return 0;
  return Math.max(timeline.last, timeline.messages.at(-1)?.seq ?? 0);
}
