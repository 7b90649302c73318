"use client";
/**
 * The virtualised message list (react-virtuoso). Opens at the newest message, or centred on the
 * message it was opened at (`focusId`: a search result, a permalink; marked), loads older pages as
 * the reader nears the top (prepending keeps the scroll position through `firstItemIndex`) and newer
 * ones near the bottom of a window that stops short of the newest, follows new messages while the
 * reader is at the bottom, and jumps down when I send.
 */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import { Avatar } from "@/components/ui/avatar";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Spinner } from "@/components/ui/spinner";
import { useChat } from "@/components/chat/chat-provider";
import { ChannelGlyph, getChannelTitle, isDirectMessage } from "@/components/chat/channel-identity";
import { ChevronDownIcon } from "@/components/chat/icons";
import { MessageBody } from "@/components/chat/message-body";
import { MessageItem } from "@/components/chat/message-item";
import { buildRows, estimateRowHeight, getRowAuthor, isContinuation, showsDayDivider, type TMessageRow } from "@/components/chat/message-rows";
import type { TChannelView } from "@/lib/channels/schema";
import { deleteMessage } from "@/lib/client/message-actions";
import type { TOutboxEntry } from "@/lib/client/outbox";
import type { TTimeline } from "@/lib/client/timeline";
import type { TMessage } from "@/lib/messages/schema";
import { can } from "@/lib/permissions";

/** Virtuoso counts item indexes from here down as older pages are prepended; any large number works. */
const FIRST_ITEM_INDEX = 1_000_000_000;
/** Start fetching the previous page this many rows before the top, so scrolling rarely waits. */
const PREFETCH_ROWS = 40;
/** Pixels rendered beyond the viewport, so scrolling shows rows that are already drawn. */
const OVERSCAN = { top: 800, bottom: 400 };
const NO_OVERSCAN = { top: 0, bottom: 0 };
/** Past any list's height: the browser clamps it to the bottom. */
const OPEN_AT_BOTTOM = Number.MAX_SAFE_INTEGER;
const HIDDEN = { visibility: "hidden" } as const;

type TListContext = {
  channel: TChannelView;
  myName: string;
  hasOlder: boolean;
  isLoadingOlder: boolean;
  olderError: string | null;
  onRetryOlder: () => void;
  hasNewer: boolean;
  newerError: string | null;
  onRetryNewer: () => void;
};

/** Top of the list: a spinner while older history loads, or the start of the conversation. */
function ListHeader({ context }: { context: TListContext }) {
  const { channel, myName, hasOlder, isLoadingOlder, olderError, onRetryOlder } = context;
  if (olderError) {
    return (
      <p className="flex justify-center gap-2 py-4 text-sm text-red-600">
        Could not load older messages.
        <button type="button" className="font-semibold text-[#1264a3] hover:underline" onClick={onRetryOlder}>
          Retry
        </button>
      </p>
    );
  }
  if (hasOlder || isLoadingOlder) {
    return (
      <div role="status" data-testid="loading-older" className="flex items-center justify-center gap-2 py-4 text-sm text-slate-500">
        <Spinner /> Loading older messages…
      </div>
    );
  }
  const title = getChannelTitle(channel, myName);
  return (
    <div data-testid="channel-start" className="px-5 pt-10 pb-4">
      {channel.kind === "DM" && channel.dmMembers?.[0] ? (
        <Avatar name={channel.dmMembers[0].name} seed={channel.dmMembers[0].id} size="lg" className="mb-2" />
      ) : (
        <div className="mb-2 flex size-12 items-center justify-center rounded-lg bg-slate-100 text-slate-600">
          <ChannelGlyph channel={channel} className="size-6" />
        </div>
      )}
      <h2 className="text-xl font-bold break-words text-slate-900">{isDirectMessage(channel) ? title : `#${title}`}</h2>
      <p className="mt-1 text-[15px] text-slate-600">
        {isDirectMessage(channel) ? `This is the very beginning of your conversation with ${title}.` : `This is the very beginning of the #${title} channel.`}
      </p>
      {channel.description && (
        <div className="mt-2 text-slate-600">
          <MessageBody body={channel.description} />
        </div>
      )}
    </div>
  );
}

/** Bottom of the list: a spinner while newer messages load (a window opened at an earlier message). */
function ListFooter({ context }: { context: TListContext }) {
  if (context.newerError) {
    return (
      <p className="flex justify-center gap-2 py-4 text-sm text-red-600">
        Could not load newer messages.
        <button type="button" className="font-semibold text-[#1264a3] hover:underline" onClick={context.onRetryNewer}>
          Retry
        </button>
      </p>
    );
  }
  if (context.hasNewer) {
    return (
      <div role="status" data-testid="loading-newer" className="flex items-center justify-center gap-2 py-4 text-sm text-slate-500">
        <Spinner /> Loading newer messages…
      </div>
    );
  }
  return <div className="h-3" />;
}

const listComponents = { Header: ListHeader, Footer: ListFooter };

function isAtVeryBottom(scroller: HTMLElement): boolean {
  return scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight <= 1;
}

/** Calls `callback` once its place in the DOM is committed (a layout effect: before the browser paints). */
function OnLayout({ callback }: { callback: () => void }) {
  useLayoutEffect(callback, [callback]);
  return null;
}

/** Loads pages at one end of the list (older or newer), one at a time while `canLoad`, keeping the last error for Retry. */
function usePageLoader(canLoad: boolean, loadPage: () => Promise<void>) {
  const [isLoading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(() => {
    if (!canLoad || isLoading) return;
    setLoading(true);
    setError(null);
    loadPage()
      .catch((err: unknown) => setError(err instanceof Error ? err.message : "Failed"))
      .finally(() => setLoading(false));
  }, [canLoad, isLoading, loadPage]);
  return { load, isLoading, error };
}

type TMessageListProps = {
  channel: TChannelView;
  timeline: TTimeline;
  pending: readonly TOutboxEntry[];
  /** Open centred on this message and mark it. The list is keyed by it: a new one means a new list. */
  focusId?: string | null;
  /** Back to the newest messages, for a window that stops short of them. */
  onJumpToLatest: () => void;
};

export function MessageList({ channel, timeline, pending, focusId, onJumpToLatest }: TMessageListProps) {
  const { me, role, channelSync, outbox } = useChat();
  const virtuosoRef = useRef<VirtuosoHandle>(null);
  const rows = useMemo(() => buildRows(timeline.messages, pending), [timeline.messages, pending]);
  // Only the first layout uses them (react-virtuoso measures every row it draws).
  const [heightEstimates] = useState(() => rows.map((row, i) => estimateRowHeight(row, isContinuation(rows[i - 1], row, me), showsDayDivider(rows[i - 1], row, me))));
  // Where the focused message is when the list opens (-1: none, or not in the window: open at the newest).
  const [focusIndex] = useState(() => (focusId ? rows.findIndex((r) => r.kind === "stored" && r.message.id === focusId) : -1));
  const isFocusOpen = focusIndex >= 0;
  const [editingId, setEditingId] = useState<string | null>(null);
  const [messageToDelete, setMessageToDelete] = useState<TMessage | null>(null);
  const [deleteError, setDeleteError] = useState<string | undefined>();
  const [isDeleting, setDeleting] = useState(false);
  const [isAtBottom, setAtBottom] = useState(true);
  // Older history is fetched only once the opening screen has been drawn at the bottom: fetching
  // and prepending a page before would delay the first paint (and on the way down the list briefly
  // reports its top rows as shown). Measured by scripts/bench/channel-open.ts.
  const [isOpened, setOpened] = useState(false);
  const firstShownRef = useRef(Number.POSITIVE_INFINITY);
  // Opening at the newest message: react-virtuoso's initialTopMostItemIndex keeps the list hidden
  // for four animation frames plus up to 150 ms while it measures (~400 ms in all, measured);
  // initialScrollTop (clamped to the bottom by the browser) gets there in a frame or two. The list
  // stays hidden until it is at the bottom, so the oldest rows of the page never flash, and while it
  // settles (rows measured taller than estimated, the page before prepended) it is kept at the
  // bottom until the reader scrolls. Either state ends after a moment whatever happens.
  // Opened at a message instead, the list is drawn where Virtuoso puts it (initialTopMostItemIndex)
  // and nothing holds it at the bottom.
  const [hasReachedBottom, setReachedBottom] = useState(isFocusOpen);
  const isSettlingRef = useRef(!isFocusOpen);
  useEffect(() => {
    const shown = setTimeout(() => setReachedBottom(true), 500);
    const settled = setTimeout(() => (isSettlingRef.current = false), 2000);
    return () => {
      clearTimeout(shown);
      clearTimeout(settled);
    };
  }, []);
  // Shown as soon as a scroll lands at the very bottom: react-virtuoso reports "at the bottom"
  // (atBottomStateChange) only 50 ms after it knows (a throttle), which every open waited for.
  // A list too short to scroll never scrolls: atBottomStateChange still covers it.
  const scrollerRef = useRef<HTMLElement | null>(null);
  const watchOpeningScroll = useCallback((scroller: HTMLElement | Window | null) => {
    if (!(scroller instanceof HTMLElement)) return;
    scrollerRef.current = scroller;
    const onScroll = () => {
      if (!isAtVeryBottom(scroller)) return;
      setReachedBottom(true);
      scroller.removeEventListener("scroll", onScroll);
    };
    scroller.addEventListener("scroll", onScroll, { passive: true });
  }, []);
  // Sooner still: when the newest row is drawn with the list already scrolled to the bottom, it is
  // shown in that same commit. The scroll event saying so comes only with the next frame, after a
  // frame of the hidden list has been painted (measured: 15–45 ms of every open).
  const showIfDrawnAtBottom = useCallback(() => {
    const scroller = scrollerRef.current;
    if (!scroller || !isAtVeryBottom(scroller)) return;
    // Shown now, before this frame paints; the state follows after it (a render now would delay the paint).
    scroller.style.visibility = "";
    setTimeout(() => setReachedBottom(true), 0);
  }, []);
  const onAtBottomChange = useCallback((atBottom: boolean) => {
    setAtBottom(atBottom);
    if (atBottom) setReachedBottom(true);
    else if (isSettlingRef.current) virtuosoRef.current?.scrollToIndex({ index: "LAST", align: "end" });
  }, []);
  const keepAtBottomWhileSettling = useCallback(() => {
    if (isSettlingRef.current) virtuosoRef.current?.scrollToIndex({ index: "LAST", align: "end" });
  }, []);
  const stopSettling = useCallback(() => {
    isSettlingRef.current = false;
  }, []);
  useEffect(() => {
    if (!hasReachedBottom) return;
    const done = () => setOpened(true);
    if (typeof requestIdleCallback === "function") {
      const id = requestIdleCallback(done, { timeout: 300 });
      return () => cancelIdleCallback(id);
    }
    const id = setTimeout(done, 100);
    return () => clearTimeout(id);
  }, [hasReachedBottom]);

  const canDeleteAny = !!role && can(role, "messages.delete_any");
  const isWritable = channel.isMember && !channel.archivedAt;
  const firstItemIndex = FIRST_ITEM_INDEX - timeline.prependedCount;

  const older = usePageLoader(isOpened && timeline.hasOlder, useCallback(() => channelSync.loadOlder(channel.id), [channelSync, channel.id]));
  const newer = usePageLoader(isOpened && timeline.hasNewer, useCallback(() => channelSync.loadNewer(channel.id), [channelSync, channel.id]));
  // Once, when opened: the page before, if the opening screen is near the top. Later calls come
  // from rangeChanged/startReached.
  useEffect(() => {
    if (isOpened && firstShownRef.current - firstItemIndex < PREFETCH_ROWS) older.load();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [isOpened]);

  // I just sent something: show it, wherever I had scrolled to (from an earlier window, with the
  // newest messages around it).
  const newestPendingId = pending.at(-1)?.clientMsgId;
  const hasNewer = timeline.hasNewer;
  // Opened at a message while an earlier send is still on its way: that one does not pull the reader away.
  const pendingAtFocusOpenRef = useRef(isFocusOpen ? newestPendingId : undefined);
  useEffect(() => {
    if (!newestPendingId || newestPendingId === pendingAtFocusOpenRef.current) return;
    if (hasNewer) onJumpToLatest();
    else virtuosoRef.current?.scrollToIndex({ index: "LAST", align: "end" });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [newestPendingId]);
  const jumpToLatest = () => {
    if (hasNewer) onJumpToLatest();
    else virtuosoRef.current?.scrollToIndex({ index: "LAST", align: "end", behavior: "smooth" });
  };

  const confirmDelete = async () => {
    if (!messageToDelete) return;
    setDeleting(true);
    setDeleteError(undefined);
    try {
      channelSync.applyAcknowledged(await deleteMessage(messageToDelete.id));
      setMessageToDelete(null);
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : "Could not delete");
    } finally {
      setDeleting(false);
    }
  };

  const stopEditing = useCallback(() => setEditingId(null), []);
  const openDeleteConfirm = useCallback((message: TMessage) => {
    setDeleteError(undefined);
    setMessageToDelete(message);
  }, []);
  const retrySend = useCallback((clientMsgId: string) => outbox.retry(clientMsgId), [outbox]);
  const discardUnsent = useCallback((clientMsgId: string) => outbox.remove(clientMsgId), [outbox]);

  const renderRow = (index: number, row: TMessageRow) => {
    const previous = rows[index - firstItemIndex - 1];
    const isMine = getRowAuthor(row, me).senderId === me.id;
    const isNewest = index - firstItemIndex === rows.length - 1;
    return (
      <>
        {isNewest && !hasReachedBottom && <OnLayout callback={showIfDrawnAtBottom} />}
        <MessageItem
          row={row}
          me={me}
          isContinuation={isContinuation(previous, row, me)}
          showDayDivider={showsDayDivider(previous, row, me)}
          canEdit={isWritable && isMine}
          canDelete={isWritable && (isMine || canDeleteAny)}
          isEditing={row.kind === "stored" && row.message.id === editingId}
          isHighlighted={!!focusId && row.kind === "stored" && row.message.id === focusId}
          onStartEdit={setEditingId}
          onStopEdit={stopEditing}
          onDelete={openDeleteConfirm}
          onRetry={retrySend}
          onDiscard={discardUnsent}
        />
      </>
    );
  };

  return (
    <div className="relative h-full">
      <Virtuoso<TMessageRow, TListContext>
        ref={virtuosoRef}
        data-testid="message-list"
        className="h-full"
        data={rows}
        context={{
          channel,
          myName: me.name,
          hasOlder: timeline.hasOlder,
          isLoadingOlder: older.isLoading,
          olderError: older.error,
          onRetryOlder: older.load,
          hasNewer,
          newerError: newer.error,
          onRetryNewer: newer.load,
        }}
        components={listComponents}
        firstItemIndex={firstItemIndex}
        scrollerRef={watchOpeningScroll}
        initialScrollTop={isFocusOpen ? undefined : OPEN_AT_BOTTOM}
        initialTopMostItemIndex={isFocusOpen ? { index: focusIndex, align: "center" } : undefined}
        style={hasReachedBottom ? undefined : HIDDEN}
        onWheel={stopSettling}
        onTouchStart={stopSettling}
        onKeyDown={stopSettling}
        onPointerDown={stopSettling}
        alignToBottom
        heightEstimates={heightEstimates}
        computeItemKey={(_, row) => row.key}
        itemContent={renderRow}
        startReached={older.load}
        endReached={newer.load}
        rangeChanged={(range) => {
          firstShownRef.current = range.startIndex;
          if (range.startIndex - firstItemIndex < PREFETCH_ROWS) older.load();
          if (firstItemIndex + rows.length - 1 - range.endIndex < PREFETCH_ROWS) newer.load();
        }}
        // Following means the newest: a window that stops short of it has nothing to follow.
        followOutput={(isFollowing) => (isFollowing && !hasNewer ? "auto" : false)}
        atBottomStateChange={onAtBottomChange}
        // atBottomThreshold lets "at the bottom" be 120 px short of it: while settling, any change
        // of the list's height goes back to the very bottom.
        totalListHeightChanged={keepAtBottomWhileSettling}
        atBottomThreshold={120}
        // Until the opening screen is drawn, only what is in view: rows above it would double the
        // work before the first paint (they are drawn right after, before anyone can scroll).
        increaseViewportBy={isOpened ? OVERSCAN : NO_OVERSCAN}
      />
      {(!isAtBottom || hasNewer) && (
        <button
          type="button"
          onClick={jumpToLatest}
          className="absolute right-5 bottom-3 z-10 flex items-center gap-1 rounded-full border border-slate-200 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 shadow-md hover:bg-slate-50"
        >
          <ChevronDownIcon className="size-4" />
          Jump to latest
        </button>
      )}
      <ConfirmDialog
        open={!!messageToDelete}
        title="Delete message"
        confirmLabel="Delete"
        isPending={isDeleting}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setMessageToDelete(null)}
      >
        <p>Are you sure you want to delete this message? This cannot be undone.</p>
        {messageToDelete && (
          <div className="max-h-40 overflow-hidden rounded-md border border-slate-200 p-3">
            <MessageBody body={messageToDelete.body} markup={messageToDelete.markup} />
          </div>
        )}
      </ConfirmDialog>
    </div>
  );
}
