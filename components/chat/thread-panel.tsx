"use client";
/**
 * The thread side panel: the root message, its replies (live: the channel's changes keep the cached
 * thread current, see lib/client/thread-cache.ts) and a composer whose replies go through the outbox
 * like any message — shown as pending, retried until acknowledged, never lost — with "Also send to
 * the channel".
 */
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { LoadingRow } from "@/components/ui/spinner";
import { cn } from "@/components/ui/cn";
import { useChat } from "@/components/chat/chat-provider";
import { getChannelTitle, isDirectMessage } from "@/components/chat/channel-identity";
import { SendIcon } from "@/components/chat/icons";
import { MessageBody } from "@/components/chat/message-body";
import { MessageExtrasProvider } from "@/components/chat/message-extras";
import { MessageItem } from "@/components/chat/message-item";
import { buildRows, getRowAuthor, isContinuation, type TMessageRow } from "@/components/chat/message-rows";
import { isSubmitKey, useAutosize } from "@/components/chat/text-input";
import type { TChannelView } from "@/lib/channels/schema";
import { ApiError } from "@/lib/client/api";
import { loadDraft, saveDraft } from "@/lib/client/drafts";
import { deleteMessage } from "@/lib/client/message-actions";
import type { TOutboxEntry } from "@/lib/client/outbox";
import { useThread } from "@/lib/client/queries";
import { loadMoreReplies } from "@/lib/client/thread-cache";
import { isReplyBeyondLoaded } from "@/lib/client/thread";
import { useQueryClient } from "@tanstack/react-query";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import type { TMessage } from "@/lib/messages/schema";
import { can } from "@/lib/permissions";
import { countChars } from "@/lib/text";

const NO_ENTRIES: readonly TOutboxEntry[] = [];

/** My unsent replies in this thread, live from the outbox. */
function usePendingReplies(rootId: string): readonly TOutboxEntry[] {
  const { outbox } = useChat();
  const all = useSyncExternalStore(outbox.subscribe, outbox.list, () => NO_ENTRIES);
  return useMemo(() => {
    const mine = all.filter((e) => e.threadRootId === rootId);
    return mine.length ? mine : NO_ENTRIES;
  }, [all, rootId]);
}

function ThreadComposer({ channel, rootId, onSent }: { channel: TChannelView; rootId: string; onSent: () => void }) {
  const { me, outbox } = useChat();
  const draftKey = `thread.${rootId}`;
  const [text, setText] = useState(() => loadDraft(me.id, draftKey));
  const [alsoToChannel, setAlsoToChannel] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useAutosize(textareaRef, text);
  const isTooLong = countChars(text) > MAX_MESSAGE_CHARS;
  const canSend = text.trim().length > 0 && !isTooLong;
  const channelLabel = isDirectMessage(channel) ? "the conversation" : `#${getChannelTitle(channel, me.name)}`;

  const updateText = (next: string) => {
    setText(next);
    saveDraft(me.id, draftKey, next);
  };
  const send = () => {
    if (!canSend) return;
    outbox.add(channel.id, text.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd(), { threadRootId: rootId, broadcast: alsoToChannel });
    updateText("");
    setAlsoToChannel(false);
    onSent();
    textareaRef.current?.focus();
  };

  return (
    <form
      className="shrink-0 p-3"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <div className={cn("rounded-lg border bg-white", isTooLong ? "border-red-400" : "border-slate-300 focus-within:border-slate-400")}>
        <textarea
          ref={textareaRef}
          value={text}
          onChange={(e) => updateText(e.target.value)}
          onKeyDown={(e) => {
            if (!isSubmitKey(e)) return;
            e.preventDefault();
            send();
          }}
          rows={1}
          aria-label="Reply"
          placeholder="Reply…"
          autoFocus
          className="block max-h-48 w-full resize-none bg-transparent px-3 pt-2 pb-1 text-[15px] leading-6 focus:outline-none"
        />
        <div className="flex items-center justify-between gap-2 px-2 pb-1.5">
          <label className="flex items-center gap-1.5 pl-1 text-xs text-slate-600">
            <input type="checkbox" checked={alsoToChannel} onChange={(e) => setAlsoToChannel(e.target.checked)} />
            Also send to {channelLabel}
          </label>
          <button
            type="submit"
            aria-label="Send reply"
            disabled={!canSend}
            className="inline-flex size-8 items-center justify-center rounded-md bg-[#007a5a] text-white hover:bg-[#006c4f] disabled:bg-transparent disabled:text-slate-300"
          >
            <SendIcon className="size-4" />
          </button>
        </div>
      </div>
      {isTooLong && <p className="mt-1 text-xs text-red-600">Too long to send (the limit is {MAX_MESSAGE_CHARS.toLocaleString()} characters).</p>}
    </form>
  );
}

type TThreadPanelProps = {
  channel: TChannelView;
  rootId: string;
  onClose: () => void;
  onOpenThread: (rootId: string) => void;
  /** A reply to show and mark when the thread opens (a search result, a permalink to a reply). */
  highlightTs?: string | null;
};

export function ThreadPanel({ channel, rootId, onClose, onOpenThread, highlightTs }: TThreadPanelProps) {
  const { me, role, outbox, channelSync } = useChat();
  const thread = useThread(rootId);
  const pending = usePendingReplies(rootId);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [toDelete, setToDelete] = useState<TMessage | null>(null);
  const [deleteError, setDeleteError] = useState<string | undefined>();
  const [isDeleting, setDeleting] = useState(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const isAtBottomRef = useRef(true);
  const queryClient = useQueryClient();
  const [moreState, setMoreState] = useState<"idle" | "loading" | "failed">("idle");
  const loadMore = () => {
    setMoreState("loading");
    loadMoreReplies(queryClient, rootId).then(
      () => setMoreState("idle"),
      () => setMoreState("failed"),
    );
  };

  const replies = thread.data?.replies;
  const rows = useMemo(() => buildRows(replies ?? [], pending), [replies, pending]);
  const canDeleteAny = !!role && can(role, "messages.delete_any");
  const isWritable = channel.isMember && !channel.archivedAt;

  const scrollToBottom = useCallback(() => {
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, []);
  // Follow new replies while the reader is at the bottom.
  useEffect(() => {
    if (isAtBottomRef.current) scrollToBottom();
  }, [rows.length, scrollToBottom]);
  // The marked reply in a long thread may be on a later page: load on until it is drawn (or a page fails).
  const canLoadTowardsHighlight = !!highlightTs && !!thread.data && isReplyBeyondLoaded(thread.data, highlightTs);
  useEffect(() => {
    if (canLoadTowardsHighlight && moreState === "idle") loadMore();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [canLoadTowardsHighlight, moreState, replies]);
  // Once, when the marked reply is first drawn: bring it into view (after the effect above).
  const hasShownHighlightRef = useRef(false);
  useEffect(() => {
    if (!highlightTs || hasShownHighlightRef.current) return;
    const el = scrollRef.current?.querySelector("[data-highlighted]");
    if (!el) return;
    hasShownHighlightRef.current = true;
    el.scrollIntoView({ block: "center" });
    isAtBottomRef.current = false;
  }, [rows.length, highlightTs]);

  const extras = useMemo(() => ({ channel, openThread: onOpenThread, isInThreadPanel: true }), [channel, onOpenThread]);
  const stopEditing = useCallback(() => setEditingId(null), []);
  const retry = useCallback((id: string) => outbox.retry(id), [outbox]);
  const discard = useCallback((id: string) => outbox.remove(id), [outbox]);
  const askDelete = useCallback((m: TMessage) => {
    setDeleteError(undefined);
    setToDelete(m);
  }, []);
  const confirmDelete = async () => {
    if (!toDelete) return;
    setDeleting(true);
    try {
      channelSync.applyAcknowledged(await deleteMessage(toDelete.id));
      setToDelete(null);
    } catch (err) {
      setDeleteError(err instanceof Error ? err.message : "Could not delete");
    } finally {
      setDeleting(false);
    }
  };

  const renderRow = (row: TMessageRow, previous: TMessageRow | undefined) => {
    const isMine = getRowAuthor(row, me).senderId === me.id;
    return (
      <MessageItem
        key={row.key}
        row={row}
        me={me}
        isContinuation={isContinuation(previous, row, me)}
        showDayDivider={false}
        canEdit={isWritable && isMine}
        canDelete={isWritable && (isMine || canDeleteAny)}
        isEditing={row.kind === "stored" && row.message.id === editingId}
        isHighlighted={!!highlightTs && row.kind === "stored" && row.message.ts === highlightTs}
        onStartEdit={setEditingId}
        onStopEdit={stopEditing}
        onDelete={askDelete}
        onRetry={retry}
        onDiscard={discard}
      />
    );
  };

  const isGone = thread.error instanceof ApiError && thread.error.status === 404;
  const root = thread.data?.root;
  return (
    <aside
      data-testid="thread-panel"
      data-root-id={rootId}
      aria-label="Thread"
      className="absolute inset-0 z-20 flex min-h-0 flex-col border-l border-slate-200 bg-white md:static md:z-auto md:w-[420px] md:shrink-0"
    >
      <header className="flex h-14 shrink-0 items-center gap-2 border-b border-slate-200 px-4">
        <h2 className="text-lg font-bold">Thread</h2>
        <span className="truncate text-sm text-slate-500">{isDirectMessage(channel) ? getChannelTitle(channel, me.name) : `#${getChannelTitle(channel, me.name)}`}</span>
        <button type="button" onClick={onClose} aria-label="Close thread" title="Close thread" className="ml-auto rounded-md p-1.5 text-xl leading-none text-slate-600 hover:bg-slate-100">
          ×
        </button>
      </header>
      <MessageExtrasProvider value={extras}>
        <div
          ref={scrollRef}
          className="min-h-0 flex-1 overflow-y-auto pb-2"
          onScroll={(e) => {
            const el = e.currentTarget;
            isAtBottomRef.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
          }}
        >
          {isGone ? (
            <p className="p-6 text-center text-sm text-slate-600">This thread is no longer available.</p>
          ) : thread.isError ? (
            <p role="alert" className="p-6 text-center text-sm text-red-600">
              Could not load the thread: {thread.error instanceof Error ? thread.error.message : "unknown error"}
            </p>
          ) : !root ? (
            <LoadingRow label="Loading thread…" />
          ) : (
            <>
              <div data-testid="thread-root">{renderRow({ kind: "stored", key: `m:${root.id}`, message: root }, undefined)}</div>
              <div role="separator" className="my-2 flex items-center gap-3 px-5 text-xs text-slate-500">
                <span data-testid="thread-reply-count">{root.replyCount === 1 ? "1 reply" : `${root.replyCount.toLocaleString()} replies`}</span>
                <span className="flex-1 border-t border-slate-200" />
              </div>
              <div data-testid="thread-replies">{rows.map((row, i) => renderRow(row, rows[i - 1]))}</div>
              {thread.data?.hasMore && (
                <button type="button" onClick={loadMore} disabled={moreState === "loading"} className="mx-5 mt-2 text-sm font-semibold text-[#1264a3] hover:underline disabled:text-slate-400">
                  {moreState === "loading" ? "Loading…" : moreState === "failed" ? "Could not load more replies. Retry" : "Show more replies"}
                </button>
              )}
            </>
          )}
        </div>
      </MessageExtrasProvider>
      {root && !isGone && channel.canPost && !root.deletedAt && <ThreadComposer channel={channel} rootId={rootId} onSent={() => requestAnimationFrame(scrollToBottom)} />}
      <ConfirmDialog
        open={!!toDelete}
        title="Delete message"
        confirmLabel="Delete"
        isPending={isDeleting}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setToDelete(null)}
      >
        <p>Are you sure you want to delete this message? This cannot be undone.</p>
        {toDelete && (
          <div className="max-h-40 overflow-hidden rounded-md border border-slate-200 p-3">
            <MessageBody body={toDelete.body} markup={toDelete.markup} />
          </div>
        )}
      </ConfirmDialog>
    </aside>
  );
}
