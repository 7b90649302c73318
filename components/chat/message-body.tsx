"use client";
/**
 * A message's text, by its markup: Parley's Markdown (bold, italic, ~strike~, code, fenced code with
 * highlighting, links, lists, quotes, tables), Slack's mrkdwn (bots, webhooks; parsed by
 * lib/slack/mrkdwn.ts into the same syntax tree) or plain text. All three show Slack's tokens
 * (<@id> mentions, <#id> channels, <!here>, <url|label>) and :emoji: short names.
 * Raw HTML is never interpreted: without rehype-raw, react-markdown turns it into plain text; links
 * keep only http(s) and mailto URLs. A single newline is a line break, as people expect from a chat box.
 */
import "highlight.js/styles/github.css";
import "@/components/chat/message-body.css";
import { memo, startTransition, useEffect, useRef, useState, useSyncExternalStore } from "react";
import type { Options } from "react-markdown";
import { hasSlackRichContent, markdownParser, slackRichContent, useLazyModule, yieldToMain } from "@/components/chat/lazy-formatting";
import type { TMarkup } from "@/lib/messages/schema";

/** Resolves once the parser has loaded (or failed to: the texts then stay plain until a retry works). */
export function whenParserLoaded(): Promise<void> {
  return markdownParser.load();
}

/**
 * Code highlighting (highlight.js with ~40 grammars) is loaded on first need, not with the page: it
 * was the biggest part of the chat's JavaScript, and most conversations show no code block. Until
 * it arrives a block shows unhighlighted, then re-renders.
 */
let highlightPlugins: Options["rehypePlugins"] | null = null;
let highlighterLoad: Promise<void> | null = null;
const highlighterListeners = new Set<() => void>();

/**
 * Texts drawn unhighlighted while the highlighter loads (most recent last). Their highlighted trees
 * are built in slices before the listeners re-render them, so that re-render finds them cached.
 */
const awaitingHighlight = new Map<string, { body: string; markup: TMarkup }>();
const AWAITING_HIGHLIGHT_MAX = 200;

function loadHighlighter(): void {
  highlighterLoad ??= import("rehype-highlight").then(
    async ({ default: rehypeHighlight }) => {
      // Its module's evaluation, the grammars' registration and the parsing each get a task of their own.
      await yieldToMain();
      // One highlighter for the page: rehype-highlight builds a lowlight instance (registering ~40
      // grammars, each compiled again on first use) every time a processor is set up, which
      // react-markdown does for every text it parses.
      const highlight = rehypeHighlight({ plainText: ["text", "txt", "plain"] });
      highlightPlugins = [() => highlight];
      await yieldToMain();
      const waiting = [...awaitingHighlight.values()].reverse();
      awaitingHighlight.clear();
      await parseTextsInSlices(waiting);
      for (const listener of highlighterListeners) listener();
    },
    () => {
      highlighterLoad = null; // Offline for a moment: try again on the next code block.
    },
  );
}

export function subscribeHighlighter(listener: () => void): () => void {
  highlighterListeners.add(listener);
  return () => highlighterListeners.delete(listener);
}

/** Fenced or indented code blocks: the only elements highlighting touches (`pre > code`). */
const CODE_BLOCK = /```|~~~|^ {4}|^\t/m;

/**
 * Anything Markdown (or GFM autolinking) could act on: emphasis, code, links, HTML, entities, escapes,
 * headings, quotes, lists, tables, indented code, URLs and e-mail addresses, blank lines.
 */
export const MARKDOWN_SYNTAX = /[*_~`[\]<>#|!\\&=@:]|www\.|^\s*[-+]|^\s*\d+[.)](?:\s|$)|^ {4}|^\t|\n\s*\n/m;

/** The same for mrkdwn and plain markup: emphasis, code, tokens, entities, emoji, URLs, quotes, lists, blank lines. */
export const MRKDWN_SYNTAX = /[*_~`<>&:]|^\s*(?:[•◦▪‣-]|\d{1,9}[.)])\s|\n\s*\n/m;

/** Most chat messages are plain text: render those directly, as Markdown would, without parsing. */
export function PlainText({ text }: { text: string }) {
  const lines = text.trim().split("\n");
  return <p>{lines.flatMap((line, i) => (i === 0 ? [line] : [<br key={i} />, `\n${line}`]))}</p>;
}

/** How many parsed texts stay cached: a few screens of several conversations. */
const PARSED_CACHE_SIZE = 2000;
const parsedCache = new Map<string, React.ReactElement>();

function treeKey(text: string, markup: TMarkup, isHighlighted: boolean): string {
  return `${markup}${isHighlighted ? "+hl" : ""}\u0000${text}`;
}

/**
 * The element tree react-markdown builds for a text, cached by markup and text (least recently used
 * goes first). Parsing and highlighting are most of a row's render time, and every channel switch
 * and every scroll back remounts rows whose text has not changed. The tree holds only elements (the
 * link, image and token components render later, with their own context), so reusing it is safe.
 */
export function getMarkdownTree(text: string, markup: TMarkup): React.ReactElement {
  const parser = markdownParser.current();
  if (!parser) {
    void markdownParser.load();
    return <PlainText text={text} />;
  }
  const needsHighlight = CODE_BLOCK.test(text);
  if (needsHighlight && !highlightPlugins) loadHighlighter();
  const rehypePlugins = needsHighlight && highlightPlugins ? highlightPlugins : undefined;
  const key = treeKey(text, markup, !!rehypePlugins);
  const hit = parsedCache.get(key);
  if (hit) {
    parsedCache.delete(key);
    parsedCache.set(key, hit);
    return hit;
  }
  const tree = parser.parseToTree(text, markup, rehypePlugins);
  parsedCache.set(key, tree);
  if (parsedCache.size > PARSED_CACHE_SIZE) parsedCache.delete(parsedCache.keys().next().value!);
  if (needsHighlight && !rehypePlugins) {
    awaitingHighlight.set(key, { body: text, markup });
    if (awaitingHighlight.size > AWAITING_HIGHLIGHT_MAX) awaitingHighlight.delete(awaitingHighlight.keys().next().value!);
  }
  return tree;
}

/** Whether drawing this text now needs no parsing: it is plain, or its tree is cached. */
export function isFormattedTextParsed(text: string, markup: TMarkup): boolean {
  const syntax = markup === "md" ? MARKDOWN_SYNTAX : MRKDWN_SYNTAX;
  return !syntax.test(text) || parsedCache.has(treeKey(text, markup, !!highlightPlugins && CODE_BLOCK.test(text)));
}

/**
 * Longest stretch of parsing before the main thread is given back: well under the 50 ms after which
 * a task counts as long (it delays input and paint; Lighthouse's total blocking time adds it up),
 * since the text that crosses it still finishes — and the parser's first texts run cold, at several
 * times their later cost (30 ms here made tasks of 45–75 ms on a slow machine).
 */
const PARSE_SLICE_MS = 10;

/**
 * Parses these texts (first first) as drawing them would, yielding every PARSE_SLICE_MS — and before
 * the first, so that no parsing joins the task that called it (an effect, after a commit).
 */
export async function parseTextsInSlices(items: readonly { body: string; markup?: TMarkup }[], isCancelled: () => boolean = () => false): Promise<void> {
  let sliceStart = Number.NEGATIVE_INFINITY;
  for (const { body, markup = "md" } of items) {
    if (isFormattedTextParsed(body, markup)) continue;
    if (!markdownParser.current()) {
      await markdownParser.load();
      if (!markdownParser.current() || isCancelled()) return;
    }
    if (performance.now() - sliceStart > PARSE_SLICE_MS) {
      await yieldToMain();
      if (isCancelled()) return;
      sliceStart = performance.now();
    }
    getMarkdownTree(body, markup);
  }
}

/** How many of a conversation's newest messages its opening screen can show (800 px of one-liners). */
export const FIRST_SCREEN_MESSAGES = 30;

type TFirstScreenMessage = { body: string; markup?: TMarkup; blocks?: readonly unknown[] | null; attachments?: readonly unknown[] | null };

/** Whether the opening screen can be drawn without parsing or loading anything. */
function isFirstScreenReady(messages: readonly TFirstScreenMessage[]): boolean {
  return messages.every((m) => isFormattedTextParsed(m.body, m.markup ?? "md") && (!hasSlackRichContent(m) || slackRichContent.current() !== null));
}

/**
 * A timeline to draw once the texts of its opening screen are parsed (and the Block Kit code is
 * here if it shows any), `undefined` until then. Drawn straight away, the parsing would be part of
 * the list's first render, one task of 100–200 ms on a page load; parsed here first, it runs in
 * slices the browser can paint and answer input between. Once shown, later versions (new messages,
 * older pages) pass through at once. (Opened from the cache, as a switch between conversations
 * usually is, it is drawn in the same render.)
 */
export function useTimelineWithParsedFirstScreen<T extends { messages: readonly TFirstScreenMessage[] }>(timeline: T | undefined): T | undefined {
  const [, setParsedCount] = useState(0);
  const hasShownRef = useRef(false);
  const isReady = timeline !== undefined && (hasShownRef.current || isFirstScreenReady(timeline.messages.slice(-FIRST_SCREEN_MESSAGES)));
  useEffect(() => {
    if (isReady) {
      hasShownRef.current = true;
      return;
    }
    if (!timeline) return;
    let isCancelled = false;
    const firstScreen = timeline.messages.slice(-FIRST_SCREEN_MESSAGES);
    void Promise.all([firstScreen.some(hasSlackRichContent) ? slackRichContent.load() : undefined, parseTextsInSlices(firstScreen.toReversed(), () => isCancelled)]).then(() => {
      if (isCancelled) return;
      // Shown now even if the code could not be loaded (its texts plain until it is).
      hasShownRef.current = true;
      // A transition: React renders the list in slices too.
      startTransition(() => setParsedCount((n) => n + 1));
    });
    return () => {
      isCancelled = true;
    };
  }, [isReady, timeline]);
  return isReady ? timeline : undefined;
}

/**
 * Parses a text ahead of its first render (conversation-prefetch.ts), as FormattedText will: a
 * code block waits for the highlighter first, or its cached tree would be the unhighlighted one.
 */
export async function warmFormattedText(text: string, markup: TMarkup = "md"): Promise<void> {
  const syntax = markup === "md" ? MARKDOWN_SYNTAX : MRKDWN_SYNTAX;
  if (!syntax.test(text)) return;
  await markdownParser.load();
  if (CODE_BLOCK.test(text) && !highlightPlugins) {
    loadHighlighter();
    await highlighterLoad?.catch(() => undefined);
  }
  getMarkdownTree(text, markup);
}

const isHighlighterLoaded = () => highlightPlugins !== null;
const isHighlighterNotLoaded = () => false;

/** Message text without the message-body wrapper (also used inside Block Kit sections and attachments). */
export const FormattedText = memo(function FormattedText({ text, markup = "md" }: { text: string; markup?: TMarkup }) {
  // Re-render once the parser, then the highlighter, has loaded (only texts with code blocks look
  // different after the highlighter).
  useLazyModule(markdownParser);
  useSyncExternalStore(subscribeHighlighter, isHighlighterLoaded, isHighlighterNotLoaded);
  const syntax = markup === "md" ? MARKDOWN_SYNTAX : MRKDWN_SYNTAX;
  if (!syntax.test(text)) return <PlainText text={text} />;
  return getMarkdownTree(text, markup);
});

export const MessageBody = memo(function MessageBody({ body, markup = "md", trailing }: { body: string; markup?: TMarkup; trailing?: React.ReactNode }) {
  return (
    <div className="message-body text-[15px] text-slate-800">
      <FormattedText text={body} markup={markup} />
      {trailing}
    </div>
  );
});
