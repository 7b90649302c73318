"use client";
/**
 * Loads the newest page and the details of the conversations someone is likely to open next, at
 * idle after the workspace has loaded (as Slack does), so that opening one draws from the cache at
 * once: those with unread messages first, then the most recently active. A few only, one at a time,
 * once per page load — a server sees at most PREFETCH_COUNT extra page and details reads per page
 * load, never a burst. Hovering or focusing a sidebar item prefetches that one too (sidebar-item.tsx).
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { warmFormattedText } from "@/components/chat/message-body";
import { prefetchChannel } from "@/components/workspace/queries";
import type { TChannelView } from "@/lib/channels/schema";
import { queryKeys } from "@/lib/client/query-keys";
import { prefetchTimeline, useSidebarChannels } from "@/lib/client/queries";
import { getSocket } from "@/lib/client/realtime";
import type { TTimeline } from "@/lib/client/timeline";

/** How many conversations are loaded ahead. */
export const PREFETCH_COUNT = 4;

/** The conversations to load ahead, most likely first: unread (not muted), then by latest activity. */
export function pickConversationsToPrefetch(channels: readonly TChannelView[], openChannelId: string | null, count = PREFETCH_COUNT): TChannelView[] {
  const score = (c: TChannelView) => (c.unreadCount > 0 && !c.muted ? 1 : 0);
  const activity = (c: TChannelView) => c.lastMessageAt ?? "";
  return channels
    // Nothing said yet: nothing worth loading ahead.
    .filter((c) => c.id !== openChannelId && !c.muted && c.lastMessageAt !== null)
    .toSorted((a, b) => score(b) - score(a) || activity(b).localeCompare(activity(a)))
    .slice(0, count);
}

/** Resolves when the browser is idle (or after `timeout` ms at the latest), with the time left in that idle period. */
function whenIdle(timeout: number): Promise<() => number> {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === "function") requestIdleCallback((deadline) => resolve(() => deadline.timeRemaining()), { timeout });
    else setTimeout(() => resolve(() => 5), 50);
  });
}

async function prefetchInTurn(queryClient: QueryClient, channels: TChannelView[], getOpenChannelId: () => string | null, isCancelled: () => boolean): Promise<void> {
  for (const channel of channels) {
    await whenIdle(2000);
    if (isCancelled()) return;
    if (channel.id === getOpenChannelId()) continue;
    await Promise.all([prefetchTimeline(queryClient, channel.id), prefetchChannel(queryClient, channel.id)]);
    const messages = queryClient.getQueryData<TTimeline>(queryKeys.timeline(channel.id))?.messages ?? [];
    // Parse the page's texts (its opening screen draws from them) in idle time only, a few at a time.
    for (let i = 0; i < messages.length; ) {
      const timeLeft = await whenIdle(2000);
      if (isCancelled()) return;
      do await warmFormattedText(messages[i]!.body, messages[i]!.markup);
      while (++i < messages.length && timeLeft() > 2);
    }
  }
}

/**
 * Starts the prefetch once the sidebar has loaded and the socket is connected: a timeline cached
 * before the first connect would be dropped by the reconnect rule (ChannelSync.resyncAfterReconnect),
 * and once connected, the live changes keep what is cached current.
 */
export function usePrefetchLikelyConversations(slug: string, openChannelId: string | null): void {
  const queryClient = useQueryClient();
  const channels = useSidebarChannels(slug).data;
  const channelsRef = useRef(channels);
  channelsRef.current = channels;
  const openRef = useRef(openChannelId);
  openRef.current = openChannelId;
  const hasStartedRef = useRef(false);
  const isLoaded = !!channels;

  useEffect(() => {
    if (!isLoaded || hasStartedRef.current) return;
    let isCancelled = false;
    const socket = getSocket();
    const start = () => {
      if (isCancelled || hasStartedRef.current) return;
      hasStartedRef.current = true;
      const picked = pickConversationsToPrefetch(channelsRef.current ?? [], openRef.current);
      void prefetchInTurn(queryClient, picked, () => openRef.current, () => isCancelled);
    };
    if (socket.connected) start();
    else socket.once("connect", start);
    return () => {
      isCancelled = true;
      hasStartedRef.current = false; // Mounted again (Strict Mode): start again; what is cached is skipped.
      socket.off("connect", start);
    };
  }, [isLoaded, queryClient]);
}
