"use client";
/**
 * Keeps the caches that sit beside the timelines — open threads and pinned-message lists — current
 * from every message state the channel sync sees (live, catch-up, acks).
 */
import type { QueryClient } from "@tanstack/react-query";
import { api } from "@/lib/client/api";
import type { ChannelSync } from "@/lib/client/channel-sync";
import { queryKeys } from "@/lib/client/query-keys";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { appendRepliesPage, applyThreadChange, createThread, type TThread } from "@/lib/client/thread";
import type { TMessage, TThreadPage } from "@/lib/messages/schema";

/** Replies loaded when a thread opens (threads are rarely longer). */
const THREAD_PAGE_SIZE = 200;

/**
 * Changes seen while a thread is loading, per root: the page was read at some `head`, and a change
 * after it may arrive before the cache exists. They are applied to the loaded thread (those at or
 * before its head are ignored there), so none is lost in between.
 */
const changesWhileLoading = new Map<string, { message: TMessage; seq: number }[]>();

/** Loads a thread for the cache, with the changes that arrived meanwhile applied. */
export async function loadThread(rootId: string, signal?: AbortSignal): Promise<TThread> {
  const buffer: { message: TMessage; seq: number }[] = [];
  changesWhileLoading.set(rootId, buffer);
  try {
    const page = await api<TThreadPage>(`/api/messages/${encodeURIComponent(rootId)}/replies?limit=${THREAD_PAGE_SIZE}`, { signal });
    let thread = createThread(page);
    for (const change of buffer) thread = applyThreadChange(thread, change.message, change.seq);
    return thread;
  } finally {
    if (changesWhileLoading.get(rootId) === buffer) changesWhileLoading.delete(rootId);
  }
}

/** Loads the replies after the last loaded one into the cached thread (long threads). */
export async function loadMoreReplies(queryClient: QueryClient, rootId: string): Promise<void> {
  const thread = queryClient.getQueryData<TThread>(queryKeys.thread(rootId));
  const last = thread?.replies.at(-1);
  if (!thread?.hasMore || !last) return;
  // Replies arriving meanwhile are beyond the loaded page, so the cache skips them: apply them after.
  const buffer: { message: TMessage; seq: number }[] = [];
  changesWhileLoading.set(rootId, buffer);
  try {
    const page = await api<TThreadPage>(`/api/messages/${encodeURIComponent(rootId)}/replies?after=${last.seq}&limit=${THREAD_PAGE_SIZE}`);
    queryClient.setQueryData<TThread>(queryKeys.thread(rootId), (t) => {
      if (!t) return t;
      let next = appendRepliesPage(t, page);
      for (const change of buffer) next = applyThreadChange(next, change.message, change.seq);
      return next;
    });
  } finally {
    if (changesWhileLoading.get(rootId) === buffer) changesWhileLoading.delete(rootId);
  }
}

/** Starts following; returns the stop function. */
export function followThreadsAndPins(queryClient: QueryClient, channelSync: ChannelSync): () => void {
  return channelSync.onChange((message, seq) => {
    const rootId = message.threadRootId ?? message.id;
    changesWhileLoading.get(rootId)?.push({ message, seq });
    if (queryClient.getQueryData(queryKeys.thread(rootId))) {
      queryClient.setQueryData<TThread>(queryKeys.thread(rootId), (t) => (t ? applyThreadChange(t, message, seq) : t));
    }
    const pins = queryClient.getQueryData<TMessage[]>(queryKeys.pins(message.channelId));
    if (!pins) return;
    const listed = pins.find((p) => p.id === message.id);
    // Pins change rarely: ask the server rather than order changes that may arrive out of order.
    const isPinned = !!message.pinnedAt && !message.deletedAt;
    if (isPinned !== !!listed || (listed && (listed.body !== message.body || listed.reactions.length !== message.reactions.length))) {
      void refreshAfterChange(queryClient, queryKeys.pins(message.channelId));
    }
  });
}
