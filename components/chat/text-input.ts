"use client";
/** Keyboard and sizing helpers shared by the composer and the inline message editor. */
import { useLayoutEffect, type RefObject } from "react";

/**
 * Whether this Enter belongs to an input method (Chinese, Japanese, Korean typists press Enter to
 * pick characters). Chrome and Safari order keydown and compositionend differently, so check both
 * the flag and keyCode 229 ("IME is processing this key").
 */
export function isComposingKey(e: React.KeyboardEvent): boolean {
  return e.nativeEvent.isComposing || e.keyCode === 229;
}

/** Enter alone (not Shift+Enter, not during IME composition) submits. */
export function isSubmitKey(e: React.KeyboardEvent): boolean {
  return e.key === "Enter" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !isComposingKey(e);
}

/** Grows a textarea with its content up to `maxHeightPx`, then it scrolls. */
export function useAutosize(ref: RefObject<HTMLTextAreaElement | null>, value: string, maxHeightPx = 240): void {
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    // Empty (every composer as a conversation opens): its own one-row height, without reading
    // scrollHeight, which would lay out the whole page in the opening commit.
    if (!value) {
      el.style.height = "";
      el.style.overflowY = "hidden";
      return;
    }
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, maxHeightPx)}px`;
    el.style.overflowY = el.scrollHeight > maxHeightPx ? "auto" : "hidden";
  }, [ref, value, maxHeightPx]);
}
