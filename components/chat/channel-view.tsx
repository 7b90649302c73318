"use client";
/**
 * One conversation: header, the message list with my unsent messages at the end, and the composer
 * (or the reason there is none). While it is open and the tab is visible, it marks what I have seen
 * as read, so the sidebar badge clears here and in my other tabs.
 */
import { useQueryClient } from "@tanstack/react-query";
import dynamic from "next/dynamic";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { LoadingRow } from "@/components/ui/spinner";
import { useHasOpened } from "@/components/ui/use-has-opened";
import { useChat } from "@/components/chat/chat-provider";
import { ChannelFooter } from "@/components/chat/channel-footer";
import { getChannelTitle, isDirectMessage } from "@/components/chat/channel-identity";
import { ChannelHeader } from "@/components/chat/channel-header";
import { getConversationHref } from "@/components/chat/conversation-location";
import { useTimelineWithParsedFirstScreen } from "@/components/chat/message-body";
import { MessageExtrasProvider } from "@/components/chat/message-extras";
import { MessageList } from "@/components/chat/message-list";
import { ThreadPanel } from "@/components/chat/thread-panel";
import { OpenNavButton } from "@/components/chat/workspace-shell";
import { useChannel } from "@/components/workspace/queries";
import type { TChannelView } from "@/lib/channels/schema";
import { ApiError } from "@/lib/client/api";
import { queryKeys } from "@/lib/client/query-keys";
import { markChannelRead } from "@/lib/client/message-actions";
import type { TOutboxEntry } from "@/lib/client/outbox";
import { useTimeline } from "@/lib/client/queries";
import { recordRead } from "@/lib/client/sidebar-cache";
import { getReadPosition, type TTimeline } from "@/lib/client/timeline";

const NO_ENTRIES: readonly TOutboxEntry[] = [];

// Its code (about, members and settings panels, the channel schema's zod) loads when first opened.
const ChannelDetailsDialog = dynamic(() => import("@/components/workspace/channel-details-dialog").then((m) => m.ChannelDetailsDialog), { ssr: false });

/** My unsent messages in this conversation, live from the outbox. */
function usePendingMessages(channelId: string): readonly TOutboxEntry[] {
  const { outbox } = useChat();
  const all = useSyncExternalStore(outbox.subscribe, outbox.list, () => NO_ENTRIES);
  return useMemo(() => {
    // Thread replies show in their thread, and in the channel only when also sent there.
    const mine = all.filter((e) => e.channelId === channelId && (!e.threadRootId || e.broadcast));
    return mine.length ? mine : NO_ENTRIES;
  }, [all, channelId]);
}

/**
 * Marks the conversation read up to what is shown, soon after it is drawn and whenever more arrives
 * while the tab is visible. Not in the task that opens it: the send costs the main thread 7–22 ms in
 * profiles of a channel open (Chromium's websocket send; docs/performance.md, Channel open), so it
 * waits for the browser to be idle (300 ms at most); the open conversation's badge is hidden meanwhile
 * anyway. One mark at a time is scheduled, with the newest position when it runs, so a busy
 * conversation is still marked while messages keep arriving.
 */
function useMarkReadWhileVisible(channel: TChannelView | undefined, timeline: TTimeline | undefined): void {
  const queryClient = useQueryClient();
  const lastMarkedRef = useRef(0);
  const channelId = channel?.id;
  const isMember = !!channel?.isMember;
  const position = timeline ? getReadPosition(timeline) : 0;
  const positionRef = useRef(position);
  positionRef.current = position;
  const cancelScheduledRef = useRef<(() => void) | null>(null);

  const markIfVisible = useCallback(() => {
    const seq = positionRef.current;
    if (!channelId || !isMember || seq === 0 || document.visibilityState !== "visible" || seq <= lastMarkedRef.current) return;
    lastMarkedRef.current = seq;
    recordRead(queryClient, channelId, seq);
    markChannelRead(channelId, seq).catch(() => {
      lastMarkedRef.current = 0; // Try again on the next change or visit.
    });
  }, [queryClient, channelId, isMember]);

  useEffect(() => {
    document.addEventListener("visibilitychange", markIfVisible);
    return () => {
      document.removeEventListener("visibilitychange", markIfVisible);
      cancelScheduledRef.current?.();
      cancelScheduledRef.current = null;
    };
  }, [markIfVisible]);

  useEffect(() => {
    if (position === 0 || position <= lastMarkedRef.current || cancelScheduledRef.current) return;
    const run = () => {
      cancelScheduledRef.current = null;
      markIfVisible();
    };
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(run, { timeout: 300 });
      cancelScheduledRef.current = () => cancelIdleCallback(id);
    } else {
      const id = setTimeout(run, 100);
      cancelScheduledRef.current = () => clearTimeout(id);
    }
  }, [position, markIfVisible]);
}

/** "#general · Parley" in the tab, like Slack; restores the plain title on the way out. */
function useDocumentTitle(title: string | null): void {
  useEffect(() => {
    if (!title) return;
    const previous = document.title;
    document.title = `${title} · Parley`;
    return () => {
      document.title = previous;
    };
  }, [title]);
}

function ChannelUnavailable() {
  const { slug } = useChat();
  return (
    <div className="flex flex-1 flex-col">
      <div className="flex h-14 items-center border-b border-slate-200 px-4">
        <OpenNavButton />
      </div>
      <div className="flex flex-1 flex-col items-center justify-center gap-2 p-6 text-center">
        <h1 className="text-lg font-bold">This conversation is not available</h1>
        <p className="max-w-sm text-slate-600">It does not exist, or you do not have access to it.</p>
        <Link href={`/w/${encodeURIComponent(slug)}`} className="font-semibold text-[#1264a3] hover:underline">
          Back to the workspace
        </Link>
      </div>
    </div>
  );
}

function LoadFailed({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  return (
    <div role="alert" className="flex h-full flex-col items-center justify-center gap-2 text-sm text-slate-600">
      <p>Could not load this conversation: {error instanceof Error ? error.message : "unknown error"}</p>
      <button type="button" onClick={onRetry} className="font-semibold text-[#1264a3] hover:underline">
        Try again
      </button>
    </div>
  );
}

/**
 * `?ts=` (a search result, a permalink): the message to open the conversation at. The window around
 * it is loaded unless the loaded one already holds it; `focus` is what that load found (id null: the
 * message is gone, the newest page stands in). Without `?ts=`, a window left stopping short of the
 * newest messages goes back to them. `isWaiting` while either is loading (the list waits for it).
 */
function useFocusedMessage(channelId: string, focusTs: string | null, timeline: TTimeline | undefined) {
  const { channelSync } = useChat();
  const [focus, setFocus] = useState<TTimeline["focus"]>(null);
  // A failed return to the newest shows the window held (it still works: newer pages load on scrolling).
  const [hasReturnFailed, setReturnFailed] = useState(false);
  const timelineRef = useRef(timeline);
  timelineRef.current = timeline;
  const hasTimeline = !!timeline;
  useEffect(() => {
    const t = timelineRef.current;
    if (!t) return;
    if (!focusTs) {
      setFocus(null);
      setReturnFailed(false);
      if (t.hasNewer) void channelSync.reload(channelId).catch(() => setReturnFailed(true));
      return;
    }
    if (t.focus?.ts === focusTs) return setFocus(t.focus);
    const shown = t.messages.find((m) => m.ts === focusTs);
    if (shown) return setFocus({ ts: focusTs, id: shown.id });
    setFocus(null);
    let isCurrent = true;
    channelSync
      .reload(channelId, focusTs)
      .then((next) => isCurrent && setFocus(next.focus))
      .catch(() => isCurrent && setFocus({ ts: focusTs, id: null }));
    return () => {
      isCurrent = false;
    };
    // The target or the conversation changed, or the timeline arrived: not on every change of it.
  }, [channelSync, channelId, focusTs, hasTimeline]);
  const isResolving = !!focusTs && focus?.ts !== focusTs;
  const isReturning = !focusTs && !!timeline?.hasNewer && !hasReturnFailed;
  return { focus: isResolving ? null : focus, isWaiting: isResolving || isReturning };
}

/** The conversation as the sidebar already lists it (same shape as its details), to draw at once. */
function useListedChannel(channelId: string): TChannelView | undefined {
  const queryClient = useQueryClient();
  const { slug } = useChat();
  const [listed] = useState(() => queryClient.getQueryData<TChannelView[]>(queryKeys.sidebarChannels(slug))?.find((c) => c.id === channelId));
  return listed;
}

export function ChannelView({ channelId }: { channelId: string }) {
  const { me, slug } = useChat();
  const searchParams = useSearchParams();
  const focusTs = searchParams.get("ts");
  const channelQuery = useChannel(channelId);
  const timelineQuery = useTimeline(channelId, focusTs ?? undefined);
  const timeline = useTimelineWithParsedFirstScreen(timelineQuery.data);
  const { focus, isWaiting } = useFocusedMessage(channelId, focusTs, timelineQuery.data);
  const pending = usePendingMessages(channelId);
  const [isDetailsOpen, setDetailsOpen] = useState(false);
  const hasOpenedDetails = useHasOpened(isDetailsOpen);
  // `?thread=<root id>` (a search result that is a reply) opens that thread; so does `?thread_ts=`
  // (a permalink to a reply), whose root is the message the window centres on.
  const threadParam = searchParams.get("thread");
  const threadTsParam = searchParams.get("thread_ts");
  const [openThreadId, setOpenThreadId] = useState<string | null>(threadParam);
  useEffect(() => {
    if (threadParam) setOpenThreadId(threadParam);
  }, [threadParam]);
  useEffect(() => {
    if (threadTsParam && focus?.id) setOpenThreadId(focus.id);
  }, [threadTsParam, focus?.id]);
  // Back to the newest messages: the address without the message it was opened at (in place, as
  // switching conversations is: Next's router takes the new search params from history).
  const jumpToLatest = useCallback(() => window.history.replaceState(null, "", getConversationHref(slug, channelId)), [slug, channelId]);
  const closeThread = useCallback(() => setOpenThreadId(null), []);
  // Until its details arrive (fetched on every open), the sidebar's copy stands in.
  const listed = useListedChannel(channelId);
  const channel = channelQuery.data ?? (channelQuery.isError ? undefined : listed);
  const extras = useMemo(() => (channel ? { channel, openThread: setOpenThreadId, isInThreadPanel: false } : null), [channel]);
  useMarkReadWhileVisible(channel, timeline);
  useDocumentTitle(channel ? `${isDirectMessage(channel) ? "" : "#"}${getChannelTitle(channel, me.name)}` : null);

  const isUnavailable = [channelQuery.error, timelineQuery.error].some((e) => e instanceof ApiError && (e.status === 404 || e.status === 403));
  if (isUnavailable) return <ChannelUnavailable />;
  if (!channel) {
    return channelQuery.isError ? <LoadFailed error={channelQuery.error} onRetry={() => void channelQuery.refetch()} /> : <LoadingRow />;
  }

  return (
    <div className="relative flex min-h-0 flex-1" data-testid="channel-view" data-channel-id={channel.id}>
      <div className="flex min-h-0 min-w-0 flex-1 flex-col">
        <ChannelHeader channel={channel} myName={me.name} onOpenDetails={() => setDetailsOpen(true)} />
        {focus && !focus.id && (
          <p role="status" className="border-b border-amber-200 bg-amber-50 px-5 py-2 text-sm text-amber-900">
            That message could not be opened: it may have been deleted. Here are the latest messages.
          </p>
        )}
        <div className="min-h-0 flex-1">
          {timeline && !isWaiting ? (
            <MessageExtrasProvider value={extras}>
              <MessageList key={focus?.id ?? "newest"} channel={channel} timeline={timeline} pending={pending} focusId={focus?.id} onJumpToLatest={jumpToLatest} />
            </MessageExtrasProvider>
          ) : timelineQuery.isError ? (
            <LoadFailed error={timelineQuery.error} onRetry={() => void timelineQuery.refetch()} />
          ) : (
            <LoadingRow label="Loading messages…" />
          )}
        </div>
        <ChannelFooter channel={channel} />
      </div>
      {openThreadId && <ThreadPanel key={openThreadId} channel={channel} rootId={openThreadId} onClose={closeThread} onOpenThread={setOpenThreadId} highlightTs={focusTs} />}
      {hasOpenedDetails && <ChannelDetailsDialog channelId={channel.id} open={isDetailsOpen} onClose={() => setDetailsOpen(false)} />}
    </div>
  );
}
