/**
 * A thread as the browser holds it: the root and its loaded replies, kept converged with the
 * channel's changes. Thread changes share the channel's seq with everything else in the channel,
 * so there is no gap-free sequence per thread; instead each message remembers the seq of the last
 * change applied to it (`seen`), starting at `head` (read before the page), and a change applies
 * only if it is newer. Changes arrive live and by the channel's catch-up, in any order, repeated.
 */
import type { TMessage, TThreadPage } from "@/lib/messages/schema";
import { parseTs } from "@/lib/messages/ts";

export type TThread = {
  root: TMessage;
  /** Loaded, not-deleted replies, ascending by seq. */
  replies: TMessage[];
  /** The channel's change seq the page was read at: every change up to it is reflected. */
  head: number;
  /** Per message id, the seq of the last change applied to it (when newer than `head`). */
  seen: Readonly<Record<string, number>>;
  /** More replies after the loaded ones exist on the server. */
  hasMore: boolean;
};

export function createThread(page: TThreadPage): TThread {
  return { root: page.root, replies: page.replies.filter((r) => !r.deletedAt), head: page.head, seen: {}, hasMore: page.hasMore };
}

/** Whether a message belongs to this thread (its root or one of its replies). */
export function isInThread(thread: Pick<TThread, "root">, message: TMessage): boolean {
  return message.id === thread.root.id || message.threadRootId === thread.root.id;
}

/**
 * Applies one change: the message's state after change `seq`. The ack of a new reply is its
 * creation change (`seq` = message.seq); other acks carry no change seq, so they wait for their event.
 */
export function applyThreadChange(thread: TThread, message: TMessage, seq: number): TThread {
  if (!isInThread(thread, message) || seq <= (thread.seen[message.id] ?? thread.head)) return thread;
  const index = thread.replies.findIndex((r) => r.id === message.id);
  // A reply beyond the loaded page arrives with that page.
  if (index < 0 && message.id !== thread.root.id && thread.hasMore && thread.replies.length && message.seq > thread.replies.at(-1)!.seq) return thread;
  const seen = { ...thread.seen, [message.id]: seq };
  if (message.id === thread.root.id) return { ...thread, root: message, seen };
  if (message.deletedAt) return { ...thread, replies: index >= 0 ? thread.replies.toSpliced(index, 1) : thread.replies, seen };
  if (index >= 0) return { ...thread, replies: thread.replies.with(index, message), seen };
  let at = thread.replies.length;
  while (at > 0 && thread.replies[at - 1]!.seq > message.seq) at--;
  return { ...thread, replies: thread.replies.toSpliced(at, 0, message), seen };
}

/** Appends the next page of replies (after the last loaded one), skipping any already present. */
export function appendRepliesPage(thread: TThread, page: TThreadPage): TThread {
  const known = new Set(thread.replies.map((r) => r.id));
  const newer = page.replies.filter((r) => !known.has(r.id) && !r.deletedAt && (thread.seen[r.id] ?? 0) <= page.head);
  // The page reflects every change up to its head: older changes of these replies are stale.
  const seen = { ...thread.seen, ...Object.fromEntries(newer.map((r) => [r.id, Math.max(page.head, thread.seen[r.id] ?? 0)])) };
  return { ...thread, replies: [...thread.replies, ...newer].sort((a, b) => a.seq - b.seq), seen, hasMore: page.hasMore };
}

/**
 * Whether the reply posted at `ts` may be on a page not loaded yet: the thread has more replies, and
 * the last loaded one is older. Replies are loaded oldest first, so a later reply is further on.
 */
export function isReplyBeyondLoaded(thread: TThread, ts: string): boolean {
  const wanted = parseTs(ts);
  const last = thread.replies.at(-1);
  if (!thread.hasMore || wanted === null || !last) return false;
  return parseTs(last.ts)! < wanted;
}
