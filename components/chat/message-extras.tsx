"use client";
/**
 * What reactions, threads and pins add to a message row (components/chat/message-item.tsx renders
 * these): the pinned marker, the reaction bar and "N replies" under the body, and hover actions
 * (react, reply in thread, pin). The surrounding view says which channel and how to open a thread.
 */
import { createContext, useContext, useState } from "react";
import { useChat } from "@/components/chat/chat-provider";
import { AddReactionButton, ReactionBar } from "@/components/chat/reactions";
import { useMember } from "@/components/workspace/queries";
import type { TChannelView } from "@/lib/channels/schema";
import { setPinned } from "@/lib/client/message-actions";
import type { TMessage } from "@/lib/messages/schema";

type TMessageExtrasContext = {
  channel: TChannelView;
  /** Opens the thread side panel at this root. */
  openThread: (rootId: string) => void;
  /** Rows rendered inside the thread panel (no "reply in thread" there). */
  isInThreadPanel: boolean;
};

const MessageExtrasContext = createContext<TMessageExtrasContext | null>(null);
export const MessageExtrasProvider = MessageExtrasContext.Provider;

function useMessageExtras(): TMessageExtrasContext | null {
  return useContext(MessageExtrasContext);
}

/** Whether MessageHoverActions has anything to offer here (not in archived channels). */
export function useHasHoverActions(): boolean {
  const context = useMessageExtras();
  return !!context && !context.channel.archivedAt;
}

export const ThreadIcon = ({ className = "size-4" }: { className?: string }) => (
  <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinejoin="round" aria-hidden="true" className={className}>
    <path d="M3 4.5A1.5 1.5 0 0 1 4.5 3h11A1.5 1.5 0 0 1 17 4.5v8a1.5 1.5 0 0 1-1.5 1.5H8l-4 3v-3h0a1 1 0 0 1-1-1Z" />
  </svg>
);

export const PinIcon = ({ className = "size-4" }: { className?: string }) => (
  <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" className={className}>
    <path d="M7 2.5h6M8 2.5v5L5 11h10l-3-3.5v-5M10 11v6.5" />
  </svg>
);

/** "Pinned by Ann" above a pinned message. */
export function PinnedLabel({ message }: { message: TMessage }) {
  // Most rows are not pinned: no members query observer for them (one per row adds up on open).
  return message.pinnedAt ? <PinnedByLabel message={message} /> : null;
}

function PinnedByLabel({ message }: { message: TMessage }) {
  const { slug, me } = useChat();
  const isMine = message.pinnedById === me.id;
  const pinner = useMember(slug, isMine ? null : message.pinnedById);
  const by = isMine ? "you" : (pinner?.name ?? "someone");
  return (
    <p data-testid="pinned-label" className="flex items-center gap-1 text-xs text-amber-800">
      <PinIcon className="size-3.5" /> Pinned by {by}
    </p>
  );
}

/** Reactions and the thread link under a message's body. */
export function MessageFooter({ message }: { message: TMessage }) {
  const context = useMessageExtras();
  if (!context) return null;
  const canReact = !context.channel.archivedAt;
  const showReplies = !context.isInThreadPanel && !message.threadRootId && message.replyCount > 0;
  return (
    <>
      <ReactionBar message={message} canReact={canReact} />
      {showReplies && (
        <button
          type="button"
          data-testid="thread-link"
          onClick={() => context.openThread(message.id)}
          className="mt-1 flex items-center gap-1.5 rounded-md px-1 py-0.5 text-[13px] font-semibold text-[#1264a3] hover:bg-white hover:underline"
        >
          <ThreadIcon className="size-3.5" />
          {message.replyCount === 1 ? "1 reply" : `${message.replyCount.toLocaleString()} replies`}
        </button>
      )}
      {message.threadRootId && message.broadcast && !context.isInThreadPanel && (
        <button type="button" onClick={() => context.openThread(message.threadRootId!)} className="mt-0.5 text-xs text-slate-500 hover:underline">
          Replied to a thread
        </button>
      )}
    </>
  );
}

const actionClass = "rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-400";

/** Hover actions: add a reaction, reply in thread, pin or unpin. */
export function MessageHoverActions({ message }: { message: TMessage }) {
  const context = useMessageExtras();
  const { channelSync } = useChat();
  const [pinError, setPinError] = useState<string | null>(null);
  if (!context || context.channel.archivedAt) return null;
  const rootId = message.threadRootId ?? message.id;
  const canPin = context.channel.isMember;
  const togglePin = async () => {
    setPinError(null);
    try {
      channelSync.applyAcknowledged(await setPinned(message.id, !message.pinnedAt));
    } catch (err) {
      setPinError(err instanceof Error ? err.message : "Could not change the pin");
    }
  };
  return (
    <>
      <AddReactionButton message={message} />
      {!context.isInThreadPanel && (
        <button type="button" aria-label="Reply in thread" title="Reply in thread" onClick={() => context.openThread(rootId)} className={actionClass}>
          <ThreadIcon />
        </button>
      )}
      {canPin && (
        <button
          type="button"
          aria-label={message.pinnedAt ? "Unpin message" : "Pin message"}
          title={pinError ?? (message.pinnedAt ? "Unpin from channel" : "Pin to channel")}
          onClick={() => void togglePin()}
          className={actionClass}
        >
          <PinIcon className={message.pinnedAt ? "size-4 text-amber-700" : "size-4"} />
        </button>
      )}
      {pinError && (
        <span role="alert" className="self-center px-1 text-xs text-red-600">
          {pinError}
        </span>
      )}
    </>
  );
}
