import { cn } from "@/components/ui/cn";

/** Each at least 4.5:1 against the white initials (WCAG AA for small text). */
const palette = ["bg-rose-600", "bg-amber-700", "bg-emerald-700", "bg-teal-700", "bg-sky-700", "bg-indigo-600", "bg-violet-600", "bg-fuchsia-700"];

let graphemes: Intl.Segmenter | undefined;

const isAscii = (code: number) => code < 0x80;
const isCommonHan = (code: number) => code >= 0x4e00 && code <= 0x9fff;

/** First grapheme of a string, so 张三 gives 张 and emoji or accented letters stay whole. */
function firstGrapheme(s: string): string {
  // Most names start with an ASCII letter or a common Han character followed by another such
  // character, and nothing joins those two into one grapheme: the first character is the answer,
  // without asking ICU (a segment() call is several µs, and a screen of avatars made many).
  const a = s.charCodeAt(0);
  const b = s.charCodeAt(1);
  if ((isAscii(a) || isCommonHan(a)) && a !== 13 && (s.length === 1 || isAscii(b) || isCommonHan(b))) return s[0]!;
  // One segmenter for all: creating one costs more than the rest of an avatar's render.
  graphemes ??= new Intl.Segmenter(undefined, { granularity: "grapheme" });
  const segment = graphemes.segment(s)[Symbol.iterator]().next();
  return segment.done ? "" : segment.value.segment;
}

function isCjk(grapheme: string): boolean {
  return /[\p{Script=Han}\p{Script=Hangul}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(grapheme);
}

/**
 * Initials for a name: "Ada Lovelace" → "AL", "张三" → "张", "Alice Chen 陈爱丽" → "AC" (one CJK character reads better than
 * two), blank → "?".
 */
export function getInitials(name: string): string {
  let initials = initialsByName.get(name);
  if (initials === undefined) {
    // A workspace has a bounded set of names; a page that somehow meets very many starts over.
    if (initialsByName.size >= MAX_REMEMBERED_NAMES) initialsByName.clear();
    initials = computeInitials(name);
    initialsByName.set(name, initials);
  }
  return initials;
}

/** Every row, sidebar item and header draws an avatar: each name's initials are worked out once. */
const initialsByName = new Map<string, string>();
const MAX_REMEMBERED_NAMES = 5000;

function computeInitials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return "?";
  const first = firstGrapheme(words[0]!);
  if (isCjk(first)) return first;
  // "Alice Chen 陈爱丽" gives "AC", not "A陈": mixing scripts in two letters reads as noise.
  const latinWords = words.filter((w) => !isCjk(firstGrapheme(w)));
  const last = latinWords.length > 1 ? firstGrapheme(latinWords[latinWords.length - 1]!) : "";
  return (first + last).toLocaleUpperCase();
}

function pickColor(seed: string): string {
  let hash = 0;
  for (const ch of seed) hash = (hash * 31 + ch.codePointAt(0)!) | 0;
  return palette[Math.abs(hash) % palette.length]!;
}

/** A square avatar with initials, coloured by a stable seed (the user id). */
export function Avatar({ name, seed, size = "md", className }: { name: string; seed?: string; size?: "sm" | "md" | "lg"; className?: string }) {
  const sizeClass = size === "sm" ? "size-6 text-[11px]" : size === "lg" ? "size-12 text-lg" : "size-9 text-sm";
  return (
    <span aria-hidden="true" className={cn("inline-flex shrink-0 items-center justify-center rounded-md font-semibold text-white select-none", sizeClass, pickColor(seed ?? name), className)}>
      {getInitials(name)}
    </span>
  );
}
