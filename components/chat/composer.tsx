"use client";
/**
 * The message box: grows with its text, Enter sends, Shift+Enter adds a line, and Enter never sends
 * while an input method is composing. Sending puts the message in the outbox (shown at once as
 * pending); the draft is kept per channel until then.
 */
import { useMemo, useRef, useState } from "react";
import { cn } from "@/components/ui/cn";
import { useChat } from "@/components/chat/chat-provider";
import { SendIcon } from "@/components/chat/icons";
import { isSubmitKey, useAutosize } from "@/components/chat/text-input";
import { loadDraft, saveDraft } from "@/lib/client/drafts";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/schema";
import { countChars } from "@/lib/validation";

/** Within this many characters of the limit, a counter appears. */
const COUNTER_MARGIN = 1_000;

/** What gets sent: no leading blank lines or trailing whitespace (indentation inside is kept). */
function normaliseForSending(text: string): string {
  return text.replace(/^(?:[ \t]*\r?\n)+/, "").trimEnd();
}

export function Composer({ channelId, placeholder }: { channelId: string; placeholder: string }) {
  const { me, outbox } = useChat();
  const [text, setText] = useState(() => loadDraft(me.id, channelId));
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useAutosize(textareaRef, text);

  const charCount = useMemo(() => countChars(text), [text]);
  const isTooLong = charCount > MAX_MESSAGE_CHARS;
  const canSend = text.trim().length > 0 && !isTooLong;

  const updateText = (next: string) => {
    setText(next);
    saveDraft(me.id, channelId, next);
  };

  const send = () => {
    if (!canSend) return;
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
      <div className={cn("rounded-lg border bg-white shadow-sm focus-within:shadow-md", isTooLong ? "border-red-400" : "border-slate-300 focus-within:border-slate-400")}>
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
          aria-label="Message"
          aria-invalid={isTooLong || undefined}
          aria-describedby={`composer-hint-${channelId}`}
          placeholder={placeholder}
          autoFocus
          className="block max-h-60 w-full resize-none bg-transparent px-3 pt-2.5 pb-1 text-[15px] leading-6 text-slate-900 placeholder:text-slate-400 focus:outline-none"
        />
        <div className="flex items-center justify-between gap-3 px-2 pb-1.5">
          <p id={`composer-hint-${channelId}`} className={cn("truncate pl-1 text-xs", isTooLong ? "font-medium text-red-600" : "text-slate-400")} aria-live="polite">
            {isTooLong
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
