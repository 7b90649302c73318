"use client";
/** react-query hooks for what the chat screens read over HTTP. Socket events keep these caches fresh. */
import { queryOptions, useQuery, type QueryClient } from "@tanstack/react-query";
import type { TChannelView } from "@/lib/channels/schema";
import { api, ApiError } from "@/lib/client/api";
import { apiPaths } from "@/lib/client/api-paths";
import { loadTimeline } from "@/lib/client/channel-sync";
import { queryKeys } from "@/lib/client/query-keys";
import { loadThread } from "@/lib/client/thread-cache";
import type { TMe } from "@/lib/client/types";
import type { TMessage } from "@/lib/messages/schema";

/** Retrying cannot fix "signed out", "forbidden" or "not found"; other failures get two more tries. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The signed-in person. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async ({ signal }) => (await api<{ user: TMe }>(apiPaths.me, { signal })).user,
    staleTime: 5 * 60_000,
    retry: shouldRetryQuery,
  });
}

/** My conversations in a workspace with unread counts (the sidebar). */
export function sidebarChannelsQuery(slug: string) {
  return queryOptions({
    queryKey: queryKeys.sidebarChannels(slug),
    queryFn: async ({ signal }) => (await api<{ channels: TChannelView[] }>(apiPaths.sidebarChannels(slug), { signal })).channels,
    retry: shouldRetryQuery,
  });
}

export function useSidebarChannels(slug: string) {
  return useQuery(sidebarChannelsQuery(slug));
}

/**
 * A conversation's timeline, loaded once at its newest page (or around a message); afterwards only
 * socket changes, catch-up, older and newer pages and jumps (ChannelSync.reload) change it — never a
 * refetch, which would lose the scroll window.
 */
export function useTimeline(channelId: string, focusTs?: string) {
  return useQuery({
    queryKey: queryKeys.timeline(channelId),
    // Loaded around `focusTs` when the conversation opens at a message (not cached yet).
    queryFn: () => loadTimeline(channelId, focusTs),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 10 * 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: shouldRetryQuery,
  });
}

/**
 * Loads a conversation's timeline into the cache before it is opened (no-op when cached or loading);
 * resolves when done, successful or not.
 */
export function prefetchTimeline(queryClient: QueryClient, channelId: string): Promise<void> {
  return queryClient.prefetchQuery({ queryKey: queryKeys.timeline(channelId), queryFn: () => loadTimeline(channelId), staleTime: Number.POSITIVE_INFINITY, gcTime: 10 * 60_000 });
}

/**
 * An open thread: the root and its replies, loaded once; afterwards the channel's changes keep it
 * current (ThreadCacheSync in components/chat/thread-panel.tsx).
 */
export function useThread(rootId: string) {
  return useQuery({
    queryKey: queryKeys.thread(rootId),
    queryFn: ({ signal }) => loadThread(rootId, signal),
    staleTime: Number.POSITIVE_INFINITY,
    gcTime: 60_000,
    refetchOnWindowFocus: false,
    refetchOnReconnect: false,
    retry: shouldRetryQuery,
  });
}

/** A conversation's pinned messages, most recently pinned first. */
export function usePins(channelId: string, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.pins(channelId),
    queryFn: async ({ signal }) => (await api<{ messages: TMessage[] }>(`/api/channels/${encodeURIComponent(channelId)}/pins`, { signal })).messages,
    enabled: options.enabled ?? true,
    retry: shouldRetryQuery,
  });
}
