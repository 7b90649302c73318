"use client";
/**
 * The message box: grows with its text, Enter sends, Shift+Enter adds a line, and Enter never sends
 * while an input method is composing. Sending puts the message in the outbox (shown at once as
 * pending); the draft is kept per channel until then. Text starting with "/" is a slash command: the
 * menu lists commands as it is typed, and Enter runs it instead of sending (the text stays when the
 * command fails, so nothing is lost); replies appear just above the box, visible only to me.
 */
import { useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useChat } from "@/components/chat/chat-provider";
import { CommandEphemerals } from "@/components/chat/command-ephemerals";
import { CommandMenu, CommandUsageHint, runCommandRequest, useCommandMenu } from "@/components/chat/command-menu";
import { SendIcon } from "@/components/chat/icons";
import { isComposingKey, isSubmitKey, useAutosize } from "@/components/chat/text-input";
import { queryKeys } from "@/lib/client/query-keys";
import { loadDraft, saveDraft } from "@/lib/client/drafts";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import { countChars } from "@/lib/text";

/** Within this many characters of the limit, a counter appears. */
const COUNTER_MARGIN = 1_000;

/** What gets sent: no leading blank lines or trailing whitespace (indentation inside is kept). */
function normaliseForSending(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
}

/** "/topic hi" is a command; "/ hi", "//x" and text with the slash later on are messages. */
function isCommandText(text: string): boolean {
  return /^\/[^\s/]/.test(text);
}

export function Composer({ channelId, placeholder }: { channelId: string; placeholder: string }) {
  const { me, outbox, slug } = useChat();
  const queryClient = useQueryClient();
  const menuId = useId();
  const [text, setText] = useState(() => loadDraft(me.id, channelId));
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useAutosize(textareaRef, text);

  const charCount = useMemo(() => countChars(text), [text]);
  const isTooLong = charCount > MAX_MESSAGE_CHARS;
  const menu = useCommandMenu(slug, text);
  // Commands in flight; another may be run meanwhile (its reply often arrives before this answer).
  const [runningCount, setRunningCount] = useState(0);
  const isRunning = runningCount > 0;
  const [commandError, setCommandError] = useState<string | null>(null);
  const canSend = text.trim().length > 0 && !isTooLong;

  // The text as of the last keystroke, for async completions (a command's answer) to compare with.
  const latestTextRef = useRef(text);
  const updateText = (next: string) => {
    latestTextRef.current = next;
    setText(next);
    setCommandError(null);
    saveDraft(me.id, channelId, next);
  };

  const runCommand = async (typed: string, commandText: string) => {
    setRunningCount((n) => n + 1);
    setCommandError(null);
    try {
      const result = await runCommandRequest({ channelId, text: commandText });
      // Clear only what was run: the reply can arrive (over the socket) before this answer, and
      // the person may already be typing the next thing.
      if (result.ok && latestTextRef.current === typed) updateText("");
      // A command may change the topic, membership, mute state or my status: refetch what shows them.
      void refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
      void refreshAfterChange(queryClient, queryKeys.channel(channelId));
    } catch (err) {
      setCommandError(err instanceof Error ? err.message : "The command could not be run");
    } finally {
      setRunningCount((n) => n - 1);
      textareaRef.current?.focus();
    }
  };

  const send = () => {
    if (!canSend) return;
    if (isCommandText(text)) {
      void runCommand(text, normaliseForSending(text));
      return;
    }
    outbox.add(channelId, normaliseForSending(text));
    updateText("");
    textareaRef.current?.focus();
  };

  return (
    <form
      className="shrink-0 px-4 pb-4 sm:px-5"
      onSubmit={(e) => {
        e.preventDefault();
        send();
      }}
    >
      <CommandEphemerals channelId={channelId} />
      <CommandMenu state={menu} listId={menuId} onChoose={updateText} />
      {!menu.isOpen && menu.current && <CommandUsageHint command={menu.current} />}
      <div className={cn("rounded-lg border bg-white shadow-sm focus-within:shadow-md", isTooLong ? "border-red-400" : "border-slate-300 focus-within:border-slate-400")}>
        <textarea
          ref={textareaRef}
          value={text}
          onChange={(e) => updateText(e.target.value)}
          onKeyDown={(e) => {
            if (isComposingKey(e)) return;
            if (menu.isOpen) {
              const handled = menu.onKey(e.key);
              if (handled !== false) {
                e.preventDefault();
                if (typeof handled === "string") updateText(handled);
                return;
              }
            }
            if (!isSubmitKey(e)) return;
            e.preventDefault();
            send();
          }}
          rows={1}
          aria-label="Message"
          aria-autocomplete="list"
          aria-controls={menu.isOpen ? menuId : undefined}
          aria-activedescendant={menu.isOpen ? `${menuId}-${menu.activeIndex}` : undefined}
          aria-invalid={isTooLong || undefined}
          aria-describedby={`composer-hint-${channelId}`}
          placeholder={placeholder}
          autoFocus
          className="block max-h-60 w-full resize-none bg-transparent px-3 pt-2.5 pb-1 text-[15px] leading-6 text-slate-900 placeholder:text-slate-400 focus:outline-none"
        />
        <div className="flex items-center justify-between gap-3 px-2 pb-1.5">
          <p id={`composer-hint-${channelId}`} className={cn("truncate pl-1 text-xs", isTooLong || commandError ? "font-medium text-red-600" : "text-slate-500")} aria-live="polite">
            {commandError
              ? commandError
              : isRunning
                ? "Running the command…"
                : isTooLong
                  ? `Too long to send: ${charCount.toLocaleString()} / ${MAX_MESSAGE_CHARS.toLocaleString()} characters`
                  : charCount > MAX_MESSAGE_CHARS - COUNTER_MARGIN
                    ? `${charCount.toLocaleString()} / ${MAX_MESSAGE_CHARS.toLocaleString()} characters`
                    : <span className="hidden sm:inline"><b className="font-semibold">Enter</b> to send · <b className="font-semibold">Shift + Enter</b> for a new line</span>}
          </p>
          <button
            type="submit"
            aria-label="Send"
            disabled={!canSend}
            className="inline-flex size-8 items-center justify-center rounded-md bg-[#007a5a] text-white transition-colors hover:bg-[#006c4f] disabled:bg-transparent disabled:text-slate-300"
          >
            <SendIcon className="size-4" />
          </button>
        </div>
      </div>
    </form>
  );
}
