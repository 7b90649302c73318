/** Text with search matches marked: React text nodes and <mark> elements only, never HTML from the server. */
import type { THighlight } from "@/lib/search/schema";

/** Splits `text` at the highlight ranges (sorted, non-overlapping, clamped to the text). */
export function splitHighlights(text: string, highlights: readonly THighlight[]): { text: string; isMatch: boolean }[] {
  const parts: { text: string; isMatch: boolean }[] = [];
  let at = 0;
  for (const [rawStart, rawEnd] of highlights) {
    const start = Math.max(at, Math.min(rawStart, text.length));
    const end = Math.max(start, Math.min(rawEnd, text.length));
    if (start > at) parts.push({ text: text.slice(at, start), isMatch: false });
    if (end > start) parts.push({ text: text.slice(start, end), isMatch: true });
    at = end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), isMatch: false });
  return parts;
}

export function HighlightedText({ text, highlights }: { text: string; highlights: readonly THighlight[] }) {
  return (
    <>
      {splitHighlights(text, highlights).map((p, i) =>
        p.isMatch ? (
          <mark key={i} className="rounded-sm bg-amber-200 px-0.5 text-inherit">
            {p.text}
          </mark>
        ) : (
          <span key={i}>{p.text}</span>
        ),
      )}
    </>
  );
}
