"use client";
/**
 * Small, exact updates to the cached sidebar lists (`["channels", slug]`) from socket events, so an
 * unread badge appears or clears without refetching every list.
 */
import type { QueryClient } from "@tanstack/react-query";
import type { TChannelView, TSidebarHead } from "@/lib/channels/schema";
import { queryKeys } from "@/lib/client/query-keys";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import type { TMessage } from "@/lib/messages/schema";

/** Applies `update` to the channel in every cached sidebar list; false when no list holds it. */
function updateSidebarChannel(queryClient: QueryClient, channelId: string, update: (c: TChannelView) => TChannelView): boolean {
  let isFound = false;
  const sidebarQueries = queryClient
    .getQueryCache()
    .findAll({ queryKey: queryKeys.allSidebarChannels })
    .filter((q) => q.queryKey.length === 2);
  for (const query of sidebarQueries) {
    const channels = query.state.data as TChannelView[] | undefined;
    if (!Array.isArray(channels) || !channels.some((c) => c.id === channelId)) continue;
    isFound = true;
    queryClient.setQueryData<TChannelView[]>(query.queryKey, channels.map((c) => (c.id === channelId ? update(c) : c)));
  }
  return isFound;
}

/** A new message arrived: count it as unread (unless it is being read right now) and note the activity. */
export function recordNewMessage(queryClient: QueryClient, message: TMessage, options: { workspaceId: string; isUnread: boolean }): void {
  const isFound = updateSidebarChannel(queryClient, message.channelId, (c) => ({
    ...c,
    lastSeq: Math.max(c.lastSeq, message.seq),
    lastMessageAt: message.createdAt,
    unreadCount: options.isUnread && message.seq > c.lastReadSeq ? c.unreadCount + 1 : c.unreadCount,
  }));
  // A conversation the sidebar does not list yet (a DM someone just opened with me): refetch the
  // lists of that workspace only, not every workspace's on each message elsewhere.
  if (!isFound) invalidateWorkspaceSidebars(queryClient, options.workspaceId);
}

function invalidateWorkspaceSidebars(queryClient: QueryClient, workspaceId: string): void {
  void refreshAfterChange(queryClient, queryKeys.allSidebarChannels, (query) => {
    if (query.queryKey.length !== 2) return false;
    const channels = query.state.data as TChannelView[] | undefined;
    return !Array.isArray(channels) || channels.length === 0 || channels.some((c) => c.workspaceId === workspaceId);
  });
}

/** My read position moved (here or in another tab). */
export function recordRead(queryClient: QueryClient, channelId: string, lastReadSeq: number): void {
  let isPartlyRead = false;
  updateSidebarChannel(queryClient, channelId, (c) => {
    if (lastReadSeq <= c.lastReadSeq) return c;
    if (lastReadSeq < c.lastSeq) isPartlyRead = true;
    return { ...c, lastReadSeq, unreadCount: lastReadSeq >= c.lastSeq ? 0 : c.unreadCount };
  });
  // Only the server can count what is still unread after a partial read.
  if (isPartlyRead) void refreshAfterChange(queryClient, queryKeys.allSidebarChannels);
}

/**
 * Whether a sidebar list misses something the server's heads show: a conversation gone further than
 * the copy knows, read further elsewhere, added or gone. The copy's `lastSeq` only follows new
 * messages, so an edit or reaction since also counts (a harmless extra read).
 */
export function isSidebarBehind(cached: TChannelView[], heads: TSidebarHead[]): boolean {
  if (cached.length !== heads.length) return true;
  const byId = new Map(cached.map((c) => [c.id, c]));
  return heads.some((head) => {
    const c = byId.get(head.id);
    return !c || head.lastSeq > c.lastSeq || head.lastReadSeq > c.lastReadSeq;
  });
}
