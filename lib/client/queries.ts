"use client";
/** react-query hooks for what the chat screens read over HTTP. Socket events keep these caches fresh. */
import { useQuery } from "@tanstack/react-query";
import type { TChannelView } from "@/lib/channels/schema";
import { api, ApiError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import type { TMe } from "@/lib/client/types";

/** Retrying cannot fix "signed out", "forbidden" or "not found"; other failures get two more tries. */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/** The signed-in person. */
export function useMe() {
  return useQuery({
    queryKey: queryKeys.me,
    queryFn: async ({ signal }) => (await api<{ user: TMe }>("/api/me", { signal })).user,
    staleTime: 5 * 60_000,
    retry: shouldRetryQuery,
  });
}

/** My conversations in a workspace with unread counts (the sidebar). */
export function useSidebarChannels(slug: string) {
  return useQuery({
    queryKey: queryKeys.sidebarChannels(slug),
    queryFn: async ({ signal }) => (await api<{ channels: TChannelView[] }>(`/api/workspaces/${encodeURIComponent(slug)}/channels`, { signal })).channels,
    retry: shouldRetryQuery,
  });
}
