"use client";
/**
 * The message formatting code, loaded with import() rather than with the page's first scripts:
 * the Markdown parser (formatting.tsx: react-markdown and its remark plugins), asked for as soon as
 * the workspace's code runs, and Block Kit blocks with legacy attachments (slack/rich-content.ts, with
 * the zod schemas that check them), asked for when a message has them. Each is then evaluated in
 * tasks of its own instead of inside the page's hydration, and a page without bot messages never
 * loads zod. Until a module is here, message-body.tsx and message-content.tsx show the plain text;
 * the conversation's list waits for what its first screen needs before it draws.
 */
import { useSyncExternalStore } from "react";

export type TLazyModule<T> = {
  /** The module once loaded, else null. */
  current: () => T | null;
  /** Loads it (once); resolves when it is here, or when loading failed (tried again on the next call). */
  load: () => Promise<void>;
  subscribe: (listener: () => void) => () => void;
};

export function lazyModule<T>(importer: () => Promise<T>): TLazyModule<T> {
  let value: T | null = null;
  let loading: Promise<void> | null = null;
  const listeners = new Set<() => void>();
  return {
    current: () => value,
    load() {
      if (value) return Promise.resolve();
      loading ??= importer().then(
        (module) => {
          value = module;
          for (const listener of listeners) listener();
        },
        () => {
          loading = null; // Offline for a moment: try again on the next need.
        },
      );
      return loading;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Lets the browser run other tasks (input, rendering) before the caller goes on. */
export function yieldToMain(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  return scheduler?.yield ? scheduler.yield() : new Promise((resolve) => setTimeout(resolve, 0));
}

// Evaluated in tasks of their own rather than one (~90–130 ms on a slow machine, all counted as
// blocking): react-markdown with its parser and HTML tables, then the GFM extensions, then the emoji
// short names (48 KB), whose lookup table is built in slices after, then Parley's own parts.
export const markdownParser = lazyModule(async () => {
  await import("react-markdown");
  await yieldToMain();
  await import("remark-gfm");
  await yieldToMain();
  const { prepareEmojiTable } = await import("@/lib/emoji");
  await yieldToMain();
  await prepareEmojiTable(yieldToMain);
  return import("@/components/chat/formatting");
});
export const slackRichContent = lazyModule(() => import("@/components/chat/slack/rich-content"));

if (typeof window !== "undefined") void markdownParser.load();

/** The module once loaded (re-rendering then), null before. The same on the server (tests load it first). */
export function useLazyModule<T>(module: TLazyModule<T>): T | null {
  return useSyncExternalStore(module.subscribe, module.current, module.current);
}

/** Whether a message shows Block Kit blocks or attachments (drawn by slackRichContent). */
export function hasSlackRichContent(message: { blocks?: readonly unknown[] | null; attachments?: readonly unknown[] | null }): boolean {
  return !!(message.blocks?.length || message.attachments?.length);
}
