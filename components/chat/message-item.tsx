"use client";
/**
 * One row of the message list: a day divider when the day changes, the sender's avatar and name
 * unless it continues the previous message, the text, and hover actions (edit/delete; retry or
 * discard an unsent message).
 */
import { memo, useState } from "react";
import { cn } from "@/components/ui/cn";
import { formatDayLabel, formatFullDateTime, formatTime } from "@/components/chat/format-time";
import { PencilIcon, TrashIcon } from "@/components/chat/icons";
import { MessageEditor } from "@/components/chat/message-editor";
import { MessageFooter, MessageHoverActions, PinnedLabel, useHasHoverActions } from "@/components/chat/message-extras";
import { getRowAuthor, type TMessageRow } from "@/components/chat/message-rows";
import { MessageContent, SenderAvatar } from "@/components/chat/slack/message-content";
import type { TMessage } from "@/lib/messages/schema";

export type TMessageItemProps = {
  row: TMessageRow;
  me: { id: string; name: string };
  isContinuation: boolean;
  showDayDivider: boolean;
  canEdit: boolean;
  canDelete: boolean;
  isEditing: boolean;
  /** The message the conversation was opened at (a search result, a permalink): marked until the next jump. */
  isHighlighted?: boolean;
  onStartEdit: (messageId: string) => void;
  onStopEdit: () => void;
  onDelete: (message: TMessage) => void;
  onRetry: (clientMsgId: string) => void;
  onDiscard: (clientMsgId: string) => void;
};

function DayDivider({ iso }: { iso: string }) {
  return (
    <div role="separator" className="relative my-2 flex items-center justify-center px-5">
      <span className="absolute inset-x-0 top-1/2 border-t border-slate-200" aria-hidden="true" />
      <span className="relative rounded-full border border-slate-200 bg-white px-3 py-0.5 text-xs font-semibold text-slate-700">{formatDayLabel(iso)}</span>
    </div>
  );
}

function ActionButton({ label, onClick, children }: { label: string; onClick: () => void; children: React.ReactNode }) {
  return (
    <button type="button" aria-label={label} title={label} onClick={onClick} className="rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-400">
      {children}
    </button>
  );
}

function PendingStatus({ row, onRetry, onDiscard }: { row: Extract<TMessageRow, { kind: "pending" }>; onRetry: (id: string) => void; onDiscard: (id: string) => void }) {
  if (row.entry.status === "pending") return <p className="text-xs text-slate-400">Sending…</p>;
  return (
    <p role="alert" className="flex flex-wrap items-center gap-x-2 text-xs text-red-600">
      <span>Not sent: {row.entry.error ?? "the server refused it"}.</span>
      <button type="button" onClick={() => onRetry(row.entry.clientMsgId)} className="font-semibold text-[#1264a3] hover:underline">
        Retry
      </button>
      <button type="button" onClick={() => onDiscard(row.entry.clientMsgId)} className="font-semibold text-[#1264a3] hover:underline">
        Delete
      </button>
    </p>
  );
}

export const MessageItem = memo(function MessageItem(props: TMessageItemProps) {
  const { row, me, isContinuation, showDayDivider, canEdit, canDelete, isEditing, isHighlighted } = props;
  const author = getRowAuthor(row, me);
  const stored = row.kind === "stored" ? row.message : null;
  const body = stored ? stored.body : row.kind === "pending" ? row.entry.body : "";
  const edited = stored?.editedAt ? <span className="message-edited ml-1 text-xs text-slate-400">(edited)</span> : undefined;
  const hasExtraActions = useHasHoverActions();
  const hasActions = !!stored && !isEditing && (canEdit || canDelete || hasExtraActions);
  // The hover toolbar is drawn once the row is first pointed at or focused (it is hidden until then
  // anyway), as Slack does: its five buttons, icons and state were a large part of each row drawn on open.
  const [isToolbarWanted, setToolbarWanted] = useState(false);
  // Also while it cannot have one yet (pending): pointed at then, it has its toolbar once stored.
  const wantToolbar = isToolbarWanted ? undefined : () => setToolbarWanted(true);

  return (
    <div className={cn(!isContinuation && "pt-2")}>
      {showDayDivider && <DayDivider iso={author.createdAt} />}
      <article
        data-testid="message"
        data-seq={stored?.seq}
        data-message-id={stored?.id}
        data-pending={row.kind === "pending" ? "true" : undefined}
        data-failed={row.kind === "pending" && row.entry.status === "failed" ? "true" : undefined}
        data-highlighted={isHighlighted ? "true" : undefined}
        aria-current={isHighlighted ? "true" : undefined}
        aria-label={`${author.senderName}, ${formatTime(author.createdAt)}`}
        className={cn("group relative flex gap-2 px-5 py-0.5 hover:bg-slate-50", stored?.pinnedAt && "bg-amber-50/50", isEditing && "bg-amber-50/60 hover:bg-amber-50/60", isHighlighted && "message-highlighted")}
        onPointerEnter={wantToolbar}
        onFocus={wantToolbar}
      >
        <div className="w-9 shrink-0">
          {isContinuation ? (
            // Absolute and unwrapped: "5:18 PM" is wider than the gutter and must not make the row taller.
            <time dateTime={author.createdAt} title={formatFullDateTime(author.createdAt)} className="invisible absolute top-1 left-1 w-[3.25rem] text-right text-[11px] leading-5 whitespace-nowrap text-slate-400 group-hover:visible">
              {formatTime(author.createdAt)}
            </time>
          ) : (
            <SenderAvatar message={stored} name={author.senderName} seed={author.senderId} className="mt-0.5" />
          )}
        </div>
        <div className={cn("min-w-0 flex-1", row.kind === "pending" && "opacity-60")}>
          {stored && <PinnedLabel message={stored} />}
          {!isContinuation && (
            <header className="flex items-baseline gap-2">
              <span className="truncate font-bold text-slate-900">{author.senderName}</span>
              {author.isBot && <span className="rounded bg-slate-200 px-1 text-[10px] font-semibold text-slate-600 uppercase">App</span>}
              <time dateTime={author.createdAt} title={formatFullDateTime(author.createdAt)} className="shrink-0 text-xs text-slate-500">
                {formatTime(author.createdAt)}
              </time>
            </header>
          )}
          {isEditing && stored ? <MessageEditor message={stored} onDone={props.onStopEdit} /> : <MessageContent message={stored} body={body} trailing={edited} />}
          {row.kind === "pending" && <PendingStatus row={row} onRetry={props.onRetry} onDiscard={props.onDiscard} />}
          {stored && !isEditing && <MessageFooter message={stored} />}
        </div>
        {hasActions && isToolbarWanted && (
          <div className="absolute -top-3 right-4 z-10 hidden rounded-md border border-slate-200 bg-white p-0.5 shadow-sm group-focus-within:flex group-hover:flex">
            <MessageHoverActions message={stored} />
            {canEdit && (
              <ActionButton label="Edit message" onClick={() => props.onStartEdit(stored.id)}>
                <PencilIcon />
              </ActionButton>
            )}
            {canDelete && (
              <ActionButton label="Delete message" onClick={() => props.onDelete(stored)}>
                <TrashIcon className="text-red-600" />
              </ActionButton>
            )}
          </div>
        )}
      </article>
    </div>
  );
});
