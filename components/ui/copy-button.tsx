"use client";

import { useEffect, useState } from "react";
import { Button, type TButtonProps } from "@/components/ui/button";

/** Copies `text` to the clipboard and says "Copied" for a moment. */
export function CopyButton({ text, label = "Copy", ...buttonProps }: { text: string; label?: string } & Omit<TButtonProps, "onClick">) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");

  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState("copied");
    } catch {
      // Clipboard access needs a secure context or permission; the text stays selectable by hand.
      setState("failed");
    }
  };

  return (
    <Button variant="secondary" onClick={copy} aria-live="polite" {...buttonProps}>
      {state === "copied" ? "Copied" : state === "failed" ? "Select and copy" : label}
    </Button>
  );
}
