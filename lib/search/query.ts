/**
 * Reading a search query the way Slack users type it, and turning its words into a tsquery that
 * matches what parley_search_vector indexed (same tokenizer: lib/search/tokenize.ts).
 *
 * - Words are ANDed: `deploy 项目` finds messages with both.
 * - "quoted phrase" (also “…” and 「…」) matches the words next to each other, in order.
 * - A word written without spaces that still splits into several tokens (`API接口`, `e-mail`,
 *   `项目进度`) is a phrase too — a Chinese word is matched as adjacent characters, never scattered.
 * - `-word` excludes; `word*` is a prefix (Latin words); a single Chinese character matches wherever
 *   it appears.
 * - Modifiers: `in:#channel`, `in:@person` (your DM with them), `from:@person` / `from:me`,
 *   `before:YYYY-MM-DD`, `after:YYYY-MM-DD`, `on:YYYY-MM-DD`, `during:YYYY-MM` (or a year),
 *   `has:link`, `has:pin`, `has:reaction`, `is:thread`. Several `in:` (or `from:`) mean any of them.
 *   The colon may be full-width (`in：#项目`), as Chinese input methods type it. Anything else with a
 *   colon (`12:30`, `https://…`) is ordinary text.
 */
import { AppError } from "@/lib/errors";
import { MAX_QUERY_TERMS } from "@/lib/search/schema";
import { tokenize, type TToken } from "@/lib/search/tokenize";

export type TTerm = { text: string; phrase: boolean; negated: boolean; prefix: boolean };

export type TParsedQuery = {
  terms: TTerm[];
  in: string[];
  from: string[];
  before?: string;
  after?: string;
  on?: string;
  during?: string;
  has: ("link" | "pin" | "reaction")[];
  is: "thread"[];
};

const MODIFIERS = new Set(["in", "from", "before", "after", "on", "during", "has", "is"]);
const OPEN_QUOTES: Record<string, string> = { '"': '"', "“": "”", "「": "」", "『": "』", "”": "”" };

function invalid(message: string, reason = "invalid_query"): AppError {
  return new AppError("validation_failed", message, [{ path: "query", message, reason }]);
}

/** Splits the raw query into pieces: quoted phrases stay whole, `key:"quoted value"` too. */
function splitQuery(q: string): { raw: string; quoted: boolean }[] {
  const out: { raw: string; quoted: boolean }[] = [];
  let i = 0;
  const chars = [...q];
  const isSpace = (c: string) => /\s/u.test(c);
  while (i < chars.length) {
    while (i < chars.length && isSpace(chars[i]!)) i++;
    if (i >= chars.length) break;
    let raw = "";
    let quoted = false;
    // A leading '-' may precede a quote: -"exact words"
    if (chars[i] === "-" && chars[i + 1] && OPEN_QUOTES[chars[i + 1]!]) {
      raw = "-";
      i++;
    }
    while (i < chars.length && !isSpace(chars[i]!)) {
      const c = chars[i]!;
      const close = OPEN_QUOTES[c];
      if (close) {
        // Quoted run (may contain spaces), up to the matching close quote or the end.
        quoted = true;
        i++;
        let inner = "";
        while (i < chars.length && chars[i] !== close && !(close === "”" && chars[i] === '"')) inner += chars[i++];
        i++; // skip the closing quote
        raw += `\u0000${inner}\u0000`;
        continue;
      }
      raw += c;
      i++;
    }
    out.push({ raw, quoted });
  }
  return out;
}

/** Parses a query string into terms and modifiers. Throws 422 on a malformed modifier. */
export function parseQuery(q: string): TParsedQuery {
  const parsed: TParsedQuery = { terms: [], in: [], from: [], has: [], is: [] };
  const pieces = splitQuery(q);
  if (pieces.length > MAX_QUERY_TERMS) throw invalid(`A search may have at most ${MAX_QUERY_TERMS} words and filters`);
  for (const piece of pieces) {
    const m = /^([A-Za-z]+)[:：](.*)$/su.exec(piece.raw);
    const key = m?.[1]!.toLowerCase();
    if (m && key && MODIFIERS.has(key) && m[2]!.length > 0) {
      const value = m[2]!.replaceAll("\u0000", "").trim();
      if (!value) throw invalid(`${key}: needs a value`);
      applyModifier(parsed, key, value);
      continue;
    }
    let text = piece.raw;
    let negated = false;
    if (text.startsWith("-") && text.length > 1) {
      negated = true;
      text = text.slice(1);
    }
    const phrase = text.includes("\u0000");
    text = text.replaceAll("\u0000", " ").trim();
    let prefix = false;
    if (!phrase && text.endsWith("*") && text.length > 1) {
      prefix = true;
      text = text.replace(/\*+$/, "");
    }
    if (!text) continue;
    parsed.terms.push({ text, phrase, negated, prefix });
  }
  return parsed;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTH_RE = /^(\d{4})(?:-(\d{2}))?$/;

function applyModifier(p: TParsedQuery, key: string, value: string): void {
  switch (key) {
    case "in":
      p.in.push(value);
      return;
    case "from":
      p.from.push(value);
      return;
    case "before":
    case "after":
    case "on":
      if (!DATE_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw invalid(`${key}: takes a date like 2026-11-25`, "invalid_date");
      p[key] = value;
      return;
    case "during":
      if (!MONTH_RE.test(value)) throw invalid("during: takes a month like 2026-11, or a year", "invalid_date");
      p.during = value;
      return;
    case "has": {
      const v = value.toLowerCase();
      if (v === "link" || v === "pin" || v === "reaction") {
        if (!p.has.includes(v)) p.has.push(v);
        return;
      }
      throw invalid(`has: takes link, pin or reaction (not "${value}")`);
    }
    case "is":
      if (value.toLowerCase() === "thread") {
        if (!p.is.includes("thread")) p.is.push("thread");
        return;
      }
      throw invalid(`is: takes thread (not "${value}")`);
  }
}

/** Start (inclusive) and end (exclusive) of the date filters, in microseconds since the epoch. */
export function dateWindow(p: TParsedQuery, tzOffsetMinutes: number): { from?: bigint; to?: bigint } {
  // Midnight of a day in the searcher's zone: getTimezoneOffset() is UTC − local, in minutes.
  const dayStart = (ymd: string, addDays = 0) => {
    const [y, mo, d] = ymd.split("-").map(Number);
    return BigInt(Date.UTC(y!, mo! - 1, d! + addDays) + tzOffsetMinutes * 60_000) * 1000n;
  };
  let from: bigint | undefined;
  let to: bigint | undefined;
  const narrowFrom = (v: bigint) => (from = from === undefined || v > from ? v : from);
  const narrowTo = (v: bigint) => (to = to === undefined || v < to ? v : to);
  if (p.after) narrowFrom(dayStart(p.after, 1)); // Slack: after:X means from the day after X
  if (p.before) narrowTo(dayStart(p.before));
  if (p.on) {
    narrowFrom(dayStart(p.on));
    narrowTo(dayStart(p.on, 1));
  }
  if (p.during) {
    const [y, mo] = p.during.split("-").map(Number);
    const start = mo ? `${y}-${String(mo).padStart(2, "0")}-01` : `${y}-01-01`;
    const endDate = mo ? new Date(Date.UTC(y!, mo, 1)) : new Date(Date.UTC(y! + 1, 0, 1));
    narrowFrom(dayStart(start));
    narrowTo(dayStart(endDate.toISOString().slice(0, 10)));
  }
  return { from, to };
}

function lexeme(t: TToken): string {
  // Tokens hold only letters and digits of the indexed scripts: no quote or backslash to escape.
  return `'${t.text}'`;
}

/**
 * The tsquery of one term: its tokens as a phrase with the distances the index stores; the single
 * character closing a CJK run is implied by the bigram before it and left out, except when the run
 * is one character (then it is a prefix: it starts whatever token holds that character).
 */
export function termToTsquery(term: TTerm): string | null {
  const kept = tokenize(term.text).filter((t) => !t.tail);
  if (kept.length === 0) return null;
  const parts: string[] = [];
  kept.forEach((t, i) => {
    const isSingleCjk = t.cjk && [...t.text].length === 1;
    const isPrefix = isSingleCjk || (term.prefix && i === kept.length - 1 && !t.cjk);
    const lex = lexeme(t) + (isPrefix ? ":*" : "");
    if (i === 0) parts.push(lex);
    else {
      const d = t.pos - kept[i - 1]!.pos;
      parts.push(d === 1 ? `<-> ${lex}` : `<${d}> ${lex}`);
    }
  });
  return kept.length > 1 ? `(${parts.join(" ")})` : parts[0]!;
}

/** The whole tsquery (positive terms ANDed, excluded ones negated), or null when there is no term. */
export function buildTsquery(terms: TTerm[]): { tsquery: string | null; positive: number } {
  const pos: string[] = [];
  const neg: string[] = [];
  for (const term of terms) {
    const q = termToTsquery(term);
    if (!q) continue;
    (term.negated ? neg : pos).push(q);
  }
  if (pos.length === 0) return { tsquery: null, positive: 0 };
  return { tsquery: [...pos, ...neg.map((q) => `!${q}`)].join(" & "), positive: pos.length };
}

/** What to mark in a result: exact lexemes and prefixes of the positive terms. */
export type TMatcher = { exact: Set<string>; prefixes: string[] };

export function buildMatcher(terms: TTerm[]): TMatcher {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const term of terms) {
    if (term.negated) continue;
    const kept = tokenize(term.text).filter((t) => !t.tail);
    kept.forEach((t, i) => {
      const isSingleCjk = t.cjk && [...t.text].length === 1;
      if (isSingleCjk || (term.prefix && i === kept.length - 1 && !t.cjk)) prefixes.push(t.text);
      else exact.add(t.text);
    });
  }
  return { exact, prefixes };
}
