/**
 * Snippets and highlight ranges for search results. Ranges are offsets into plain text, never markup:
 * the UI renders text nodes and <mark> elements, the Web API wraps them in Slack's \uE000 / \uE001.
 */
import type { TMatcher } from "@/lib/search/query";
import type { THighlight } from "@/lib/search/schema";
import { tokenize } from "@/lib/search/tokenize";

/** Characters of context shown before the first match in a long message. */
const CONTEXT_BEFORE = 60;
/** Longest snippet, in UTF-16 units. */
export const SNIPPET_CHARS = 280;

/** Where the matcher's tokens occur in `text`, merged and sorted. */
export function findHighlights(text: string, matcher: TMatcher): THighlight[] {
  const ranges: THighlight[] = [];
  for (const t of tokenize(text)) {
    if (matcher.exact.has(t.text)) {
      ranges.push([t.start, t.end]);
      continue;
    }
    const p = matcher.prefixes.find((pre) => t.text.startsWith(pre));
    if (p === undefined) continue;
    // A single Chinese character marks only itself, not the bigram that starts with it.
    ranges.push(t.cjk ? [t.start, t.start + p.length] : [t.start, t.end]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: THighlight[] = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  return merged;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A window of `text` around the first match (whole text when short), with the ranges inside it. */
export function makeSnippet(text: string, matcher: TMatcher): { text: string; highlights: THighlight[] } {
  const all = findHighlights(text, matcher);
  if (text.length <= SNIPPET_CHARS) return { text, highlights: all };
  let start = Math.max(0, (all[0]?.[0] ?? 0) - CONTEXT_BEFORE);
  // Start at a space near the window's edge when there is one, and never inside a surrogate pair.
  const space = text.lastIndexOf(" ", start);
  if (space >= 0 && start - space < 15) start = space + 1;
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start -= 1;
  let end = Math.min(text.length, start + SNIPPET_CHARS);
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end += 1;
  const prefix = start > 0 ? "…" : "";
  const suffix = end < text.length ? "…" : "";
  const shift = prefix.length - start;
  const highlights = all
    .filter(([a, b]) => b > start && a < end)
    .map(([a, b]): THighlight => [Math.max(a, start) + shift, Math.min(b, end) + shift]);
  return { text: prefix + text.slice(start, end) + suffix, highlights };
}

/** Text with Slack's highlight markers around the matches (search.messages `highlight=true`). */
export function withSlackMarkers(text: string, highlights: THighlight[]): string {
  let out = "";
  let at = 0;
  for (const [a, b] of highlights) {
    out += `${text.slice(at, a)}\uE000${text.slice(a, b)}\uE001`;
    at = b;
  }
  return out + text.slice(at);
}
