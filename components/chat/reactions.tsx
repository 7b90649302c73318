"use client";
/**
 * Reactions under a message: one chip per emoji with its count (highlighted when it includes mine;
 * click to add or take back mine; the tooltip names who reacted) and a button that opens the emoji
 * picker. Changes go to the server and come back as the message's new state (ack and event).
 */
import { useCallback, useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { cn } from "@/components/ui/cn";
import { useChat } from "@/components/chat/chat-provider";
import { EmojiPicker, recordEmojiUse, renderEmoji } from "@/components/chat/emoji-picker";
import { Popover } from "@/components/chat/popover";
import { useMemberNames } from "@/components/workspace/queries";
import { addReaction, removeReaction } from "@/lib/client/message-actions";
import type { TMessage, TReactionSummary } from "@/lib/messages/schema";

export const SmileyPlusIcon = ({ className = "size-4" }: { className?: string }) => (
  <svg viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" aria-hidden="true" className={className}>
    <path d="M17.5 10a7.5 7.5 0 1 1-5.2-7.14" />
    <path d="M7 12.2a4 4 0 0 0 6 0M7.5 8h.01M12.5 8h.01M16 1.5v5M13.5 4h5" />
  </svg>
);

/** How many reactors a tooltip names; the rest are counted ("and 12 others"). */
const NAMED_REACTORS = 10;

/** The people a reaction's tooltip names (other than me). */
function namedReactors(reaction: TReactionSummary, myId: string): string[] {
  return reaction.userIds.filter((id) => id !== myId).slice(0, NAMED_REACTORS);
}

/** "Ann, Bo and you reacted with :tada:", "Ann, Bo, … and 12 others reacted with :tada:". */
export function describeReaction(reaction: TReactionSummary, myId: string, names: Map<string, string>): string {
  const others = namedReactors(reaction, myId).map((id) => names.get(id) ?? "someone");
  const isMine = reaction.userIds.includes(myId);
  const unnamed = reaction.count - others.length - (isMine ? 1 : 0);
  const people = [...others, ...(isMine ? ["you"] : []), ...(unnamed > 0 ? [`${unnamed.toLocaleString()} ${unnamed === 1 ? "other" : "others"}`] : [])];
  const list = people.length > 1 ? `${people.slice(0, -1).join(", ")} and ${people.at(-1)}` : (people[0] ?? "");
  return `${list} reacted with :${reaction.emoji}:`;
}

/** Sends a reaction change and shows the result; returns the toggle and the last error. */
export function useReactionToggle(messageId: string) {
  const { channelSync } = useChat();
  const [error, setError] = useState<string | null>(null);
  const toggle = useCallback(
    async (emoji: string, isMine: boolean) => {
      setError(null);
      try {
        channelSync.applyAcknowledged(await (isMine ? removeReaction(messageId, emoji) : addReaction(messageId, emoji)));
        if (!isMine) recordEmojiUse(emoji);
      } catch (err) {
        setError(err instanceof Error ? err.message : "Could not change the reaction");
      }
    },
    [channelSync, messageId],
  );
  const clearError = useCallback(() => setError(null), []);
  return { toggle, error, clearError };
}

/** A refusal ("too many reactions") shown for a few seconds at the bottom of the window. */
function Toast({ text, onDone }: { text: string; onDone: () => void }) {
  useEffect(() => {
    const timer = setTimeout(onDone, 5000);
    return () => clearTimeout(timer);
  }, [text, onDone]);
  return createPortal(
    <p role="alert" className="fixed bottom-6 left-1/2 z-50 -translate-x-1/2 rounded-md bg-slate-900 px-4 py-2 text-sm text-white shadow-lg">
      {text}
    </p>,
    document.body,
  );
}

/** The button that opens the emoji picker and adds the picked reaction (or takes it back if already mine). */
export function AddReactionButton({ message, className }: { message: TMessage; className?: string }) {
  const { me } = useChat();
  const [anchor, setAnchor] = useState<HTMLButtonElement | null>(null);
  const [isOpen, setOpen] = useState(false);
  const { toggle, error, clearError } = useReactionToggle(message.id);
  const close = useCallback(() => setOpen(false), []);
  return (
    <>
      <button
        ref={setAnchor}
        type="button"
        aria-label="Add reaction"
        title="Add reaction"
        aria-expanded={isOpen}
        onClick={() => setOpen((v) => !v)}
        className={cn("rounded p-1.5 text-slate-500 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-slate-400", className)}
      >
        <SmileyPlusIcon />
      </button>
      {isOpen && (
        <Popover anchor={anchor} onClose={close} label="Pick a reaction" width={300}>
          <EmojiPicker
            onPick={(name) => {
              setOpen(false);
              const isMine = message.reactions.some((r) => r.emoji === name && r.userIds.includes(me.id));
              void toggle(name, isMine);
            }}
          />
        </Popover>
      )}
      {error && <Toast text={error} onDone={clearError} />}
    </>
  );
}

/** The reactions under a message, if it has any. */
export function ReactionBar({ message, canReact }: { message: TMessage; canReact: boolean }) {
  // Most rows have none: no members query observer or toggle state for them (they add up on open).
  return message.reactions.length > 0 ? <ReactionButtons message={message} canReact={canReact} /> : null;
}

function ReactionButtons({ message, canReact }: { message: TMessage; canReact: boolean }) {
  const { me, slug } = useChat();
  const names = useMemberNames(slug, [...new Set(message.reactions.flatMap((reaction) => namedReactors(reaction, me.id)))]);
  const { toggle, error } = useReactionToggle(message.id);
  return (
    <div className="mt-1 flex flex-wrap items-center gap-1" data-testid="reactions">
      {message.reactions.map((reaction) => {
        const isMine = reaction.userIds.includes(me.id);
        const label = describeReaction(reaction, me.id, names);
        return (
          <button
            key={reaction.emoji}
            type="button"
            data-testid="reaction"
            data-emoji={reaction.emoji}
            aria-pressed={isMine}
            aria-label={`${label}. ${reaction.count}`}
            title={label}
            disabled={!canReact}
            onClick={() => void toggle(reaction.emoji, isMine)}
            className={cn(
              "inline-flex h-6 items-center gap-1 rounded-full border px-2 text-sm leading-none disabled:cursor-default",
              isMine ? "border-sky-500 bg-sky-50 text-sky-800" : "border-slate-200 bg-slate-50 text-slate-700 hover:border-slate-400",
            )}
          >
            <span className="text-base">{renderEmoji(reaction.emoji)}</span>
            <span data-testid="reaction-count" className="text-xs font-semibold tabular-nums">
              {reaction.count}
            </span>
          </button>
        );
      })}
      {canReact && message.reactions.length > 0 && <AddReactionButton message={message} className="rounded-full border border-slate-200 bg-slate-50 p-1" />}
      {error && (
        <span role="alert" className="text-xs text-red-600">
          {error}
        </span>
      )}
    </div>
  );
}
