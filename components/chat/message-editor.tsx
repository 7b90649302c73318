"use client";
/** Inline editing of one of my messages: Enter saves, Escape cancels, Shift+Enter adds a line. */
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { useChat } from "@/components/chat/chat-provider";
import { isComposingKey, isSubmitKey, useAutosize } from "@/components/chat/text-input";
import { editMessage } from "@/lib/client/message-actions";
import type { TMessage } from "@/lib/messages/schema";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import { countChars } from "@/lib/text";

export function MessageEditor({ message, onDone }: { message: TMessage; onDone: () => void }) {
  const { channelSync } = useChat();
  const [text, setText] = useState(message.body);
  const [error, setError] = useState<string | null>(null);
  const [isSaving, setSaving] = useState(false);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  useAutosize(textareaRef, text, 320);

  const save = async () => {
    const body = text.trimEnd();
    if (body === message.body) return onDone();
    if (!body.trim()) return setError("A message cannot be empty. Delete it instead.");
    if (countChars(body) > MAX_MESSAGE_CHARS) return setError(`The limit is ${MAX_MESSAGE_CHARS.toLocaleString()} characters.`);
    setSaving(true);
    setError(null);
    try {
      channelSync.applyAcknowledged(await editMessage(message.id, body));
      onDone();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Could not save");
      setSaving(false);
    }
  };

  return (
    <div className="my-1 rounded-lg border border-slate-300 bg-white focus-within:border-slate-400 focus-within:shadow-sm">
      <textarea
        ref={textareaRef}
        value={text}
        aria-label="Edit message"
        autoFocus
        onFocus={(e) => e.currentTarget.setSelectionRange(e.currentTarget.value.length, e.currentTarget.value.length)}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === "Escape" && !isComposingKey(e)) {
            e.preventDefault();
            onDone();
          } else if (isSubmitKey(e)) {
            e.preventDefault();
            void save();
          }
        }}
        rows={1}
        className="block w-full resize-none bg-transparent px-3 py-2 text-[15px] leading-6 focus:outline-none"
      />
      <div className="flex items-center justify-between gap-2 px-2 pb-2">
        <p className="pl-1 text-xs text-slate-500" role={error ? "alert" : undefined}>
          {error ? <span className="text-red-600">{error}</span> : "Escape to cancel · Enter to save"}
        </p>
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" onClick={onDone} disabled={isSaving}>
            Cancel
          </Button>
          <Button size="sm" onClick={() => void save()} isLoading={isSaving} className="bg-[#007a5a]! hover:bg-[#006c4f]!">
            Save
          </Button>
        </div>
      </div>
    </div>
  );
}
