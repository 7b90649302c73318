/**
 * How message text becomes search tokens — the TypeScript twin of the SQL function
 * `parley_search_vector(text)` (migrations `*_search`, `*_search_fold_speed`). The send path stores
 * `toTsvectorText` in `Message."searchVector"`; a trigger uses the SQL function for every other write.
 *
 * Rules (both sides):
 * - Case folding by a fixed table (ASCII, Latin, Greek, Cyrillic, Armenian, Vietnamese letters, and
 *   full-width Ａ-Ｚ ａ-ｚ ０-９ → ASCII), applied with `translate()` in SQL. Not `lower()`: its result
 *   depends on the database's locale (PGlite and a PostgreSQL cluster may differ), and the index must
 *   mean the same thing everywhere and agree with this file.
 * - A token is a run of word characters (letters of alphabetic scripts, digits), cut to 64 characters,
 *   or a run of CJK characters (Han, kana, hangul), which has no spaces between words: each character
 *   starts one token — the bigram of it and the next, or itself alone when it ends the run. So
 *   "项目进度" → 项目 目进 进度 度, and any Chinese word of two or more characters is a phrase of
 *   adjacent bigrams; a single character is a prefix match (`度:*`).
 * - Every token takes the next position (clamped to tsvector's 16383), so phrases work across
 *   scripts ("API接口" → api 接口 口).
 * The generated-SQL builders at the end emit the same character classes and fold table, and
 * tests/search.test.ts checks the migration contains them and that both sides agree on a corpus.
 */

/** [first, last] code points of the scripts written without spaces (each character starts a bigram). */
export const CJK_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x11ff], // Hangul Jamo
  [0x3005, 0x3007], // 々 〆 〇
  [0x3040, 0x309f], // Hiragana
  [0x30a0, 0x30ff], // Katakana (ー included)
  [0x3130, 0x318f], // Hangul compatibility Jamo
  [0x31f0, 0x31ff], // Katakana phonetic extensions
  [0x3400, 0x4dbf], // CJK extension A
  [0x4e00, 0x9fff], // CJK unified ideographs
  [0xac00, 0xd7af], // Hangul syllables
  [0xf900, 0xfaff], // CJK compatibility ideographs
  [0xff66, 0xff9f], // half-width katakana
  [0x20000, 0x3134f], // CJK extensions B–G
];

/** [first, last] code points of word characters of alphabetic scripts (after folding). */
export const WORD_RANGES: readonly (readonly [number, number])[] = [
  [0x30, 0x39],
  [0x61, 0x7a],
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2af], // Latin-1 letters, Latin extended A/B, IPA
  [0x300, 0x36f], // combining marks (decomposed accents stay inside their word)
  [0x370, 0x37d],
  [0x37f, 0x386],
  [0x388, 0x3ff], // Greek (without its ; and ·)
  [0x400, 0x52f], // Cyrillic
  [0x531, 0x587], // Armenian
  [0x5d0, 0x5ea], // Hebrew letters
  [0x620, 0x64a],
  [0x660, 0x669], // Arabic letters and digits
  [0x900, 0x963],
  [0x966, 0x96f], // Devanagari
  [0xe01, 0xe4e], // Thai (no spaces either, but kept whole: no dictionary here)
  [0x1e00, 0x1eff], // Latin extended additional (Vietnamese)
  [0x2c60, 0x2c7f], // Latin extended C
];

/** Longest token kept; longer runs (hashes, base64) are cut, the same way on both sides. */
export const MAX_TOKEN_CHARS = 64;
/** tsvector positions stop at 16383. */
export const MAX_POSITION = 16383;

const FOLD_SOURCE_RANGES: readonly (readonly [number, number])[] = [
  [0x41, 0x5a],
  [0xc0, 0xde],
  [0x100, 0x24f],
  [0x370, 0x3ff],
  [0x400, 0x52f],
  [0x531, 0x556],
  [0x1e00, 0x1eff],
];

function buildFold(): { from: string; to: string } {
  let from = "";
  let to = "";
  for (const [a, b] of FOLD_SOURCE_RANGES) {
    for (let c = a; c <= b; c++) {
      const s = String.fromCharCode(c);
      const lower = s.toLowerCase();
      if (lower !== s && lower.length === 1) {
        from += s;
        to += lower;
      }
    }
  }
  // Full-width Latin letters and digits (Chinese input methods type them) fold to ASCII.
  for (let c = 0; c < 26; c++) {
    from += String.fromCharCode(0xff21 + c) + String.fromCharCode(0xff41 + c);
    to += String.fromCharCode(0x61 + c).repeat(2);
  }
  for (let c = 0; c < 10; c++) {
    from += String.fromCharCode(0xff10 + c);
    to += String.fromCharCode(0x30 + c);
  }
  return { from, to };
}

/** The fold table: `from[i]` becomes `to[i]` (one UTF-16 unit each, so offsets are unchanged). */
export const FOLD = buildFold();
const foldMap = new Map<string, string>([...FOLD.from].map((ch, i) => [ch, FOLD.to[i]!]));

const FOLD_RE = new RegExp(`[${[...FOLD.from].map((c) => `\\u{${c.codePointAt(0)!.toString(16)}}`).join("")}]`, "gu");

/** Case-folds text the way the index does. Keeps length and offsets (every mapping is one UTF-16 unit to one). */
export function foldText(text: string): string {
  // On the send path: one regex pass, and no copy when nothing folds.
  return text.replace(FOLD_RE, (ch) => foldMap.get(ch) ?? ch);
}

function jsClass(ranges: readonly (readonly [number, number])[]): string {
  const hex = (c: number) => `\\u{${c.toString(16)}}`;
  return `[${ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join("")}]`;
}

const CJK_CLASS = jsClass(CJK_RANGES);
const TOKEN_RE = new RegExp(`${CJK_CLASS}+|${jsClass(WORD_RANGES)}+`, "gu");
const CJK_START_RE = new RegExp(`^${CJK_CLASS}`, "u");

export type TToken = {
  /** The lexeme as stored in the index. */
  text: string;
  /** 1-based position, as in the tsvector. */
  pos: number;
  /** UTF-16 offsets in the original text of what the token covers (a bigram covers two characters). */
  start: number;
  end: number;
  /** A CJK token (bigram, or a single character ending its run). */
  cjk: boolean;
  /** The single character that ends a CJK run (redundant for matching within the run). */
  tail: boolean;
};

/** Splits text into search tokens with their positions and source offsets. */
export function tokenize(text: string): TToken[] {
  const folded = foldText(text);
  const out: TToken[] = [];
  let pos = 0;
  for (const m of folded.matchAll(TOKEN_RE)) {
    const run = m[0];
    const base = m.index;
    if (CJK_START_RE.test(run)) {
      const chars = [...run];
      let offset = base;
      for (let i = 0; i < chars.length; i++) {
        const isLast = i === chars.length - 1;
        const tokenText = isLast ? chars[i]! : chars[i]! + chars[i + 1]!;
        pos += 1;
        out.push({ text: tokenText, pos: Math.min(pos, MAX_POSITION), start: offset, end: offset + tokenText.length, cjk: true, tail: isLast && chars.length > 1 });
        offset += chars[i]!.length;
      }
    } else {
      pos += 1;
      // UTF-16 length ≥ characters: only a long run needs splitting into characters to cut it.
      const cut = run.length <= MAX_TOKEN_CHARS ? run : [...run].slice(0, MAX_TOKEN_CHARS).join("");
      out.push({ text: cut, pos: Math.min(pos, MAX_POSITION), start: base, end: base + run.length, cjk: false, tail: false });
    }
  }
  return out;
}

/** Code point order (= UTF-8 byte order); JavaScript's < compares UTF-16 units, which differs past U+FFFF. */
function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** The tsvector the SQL function stores, as text (`'lexeme':1,4 …`), for the agreement tests. */
export function toTsvectorText(text: string): string {
  const positions = new Map<string, number[]>();
  for (const t of tokenize(text)) {
    const list = positions.get(t.text) ?? [];
    list.push(t.pos);
    positions.set(t.text, list);
  }
  // PostgreSQL sorts lexemes by their UTF-8 bytes (a prefix first), which is code point order, and
  // keeps positions sorted (they already are: tokens come in order) and distinct, at most 256.
  const entries = [...positions.entries()];
  entries.sort((a, b) => compareCodePoints(a[0], b[0]));
  return entries.map(([lex, pos]) => `'${lex}':${(pos.length > 1 ? [...new Set(pos)].slice(0, 256) : pos).join(",")}`).join(" ");
}

// ---- SQL twin ------------------------------------------------------------------------------------

function sqlClass(ranges: readonly (readonly [number, number])[]): string {
  const esc = (c: number) => (c <= 0xffff ? `\\u${c.toString(16).padStart(4, "0")}` : `\\U${c.toString(16).padStart(8, "0")}`);
  return `[${ranges.map(([a, b]) => (a === b ? esc(a) : `${esc(a)}-${esc(b)}`)).join("")}]`;
}

function sqlLiteral(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Compact SQL bracket class of exactly these characters (runs of consecutive code points merged). */
function sqlCharClass(chars: string): string {
  const codes = [...new Set([...chars].map((c) => c.codePointAt(0)!))].sort((a, b) => a - b);
  const ranges: [number, number][] = [];
  for (const c of codes) {
    const last = ranges.at(-1);
    if (last && c === last[1] + 1) last[1] = c;
    else ranges.push([c, c]);
  }
  return sqlClass(ranges);
}

/**
 * The non-ASCII part of the fold table in groups, each applied only when the text holds one of its
 * upper-case letters. PostgreSQL's translate() compares every character of the text with every
 * character of the table, so one 590-character table cost ~280 µs for a short message; ASCII goes
 * through lower(… COLLATE "C") (ASCII-only in every locale, so still deterministic), and Chinese or
 * English text skips the groups after one cheap regex test each. The result is the same mapping.
 */
function foldGroups(): { from: string; to: string }[] {
  const groups = [
    { test: (c: number) => c >= 0xc0 && c < 0x370, from: "", to: "" },
    { test: (c: number) => c >= 0x1e00 && c <= 0x1eff, from: "", to: "" },
    { test: (c: number) => c >= 0x370 && c < 0x600, from: "", to: "" },
    { test: (c: number) => c >= 0xff00, from: "", to: "" },
  ];
  [...FOLD.from].forEach((ch, i) => {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) return;
    const g = groups.find((x) => x.test(code));
    if (!g) throw new Error(`fold table: no group for U+${code.toString(16)}`);
    g.from += ch;
    g.to += FOLD.to[i]!;
  });
  return groups.filter((g) => g.from).map(({ from, to }) => ({ from, to }));
}

/**
 * The SQL of `parley_search_vector(text)`: the same fold table, classes, bigrams and positions as
 * `tokenize`. IMMUTABLE (it depends on nothing but its argument), so indexes and triggers may rely on it.
 */
export function buildSearchVectorFunctionSql(): string {
  const cjk = sqlClass(CJK_RANGES);
  const re = `${cjk}+|${sqlClass(WORD_RANGES)}+`;
  let folded = `lower(body COLLATE "C")`;
  for (const g of foldGroups()) {
    folded = `(SELECT CASE WHEN f ~ ${sqlLiteral(sqlCharClass(g.from))} THEN translate(f, ${sqlLiteral(g.from)}, ${sqlLiteral(g.to)}) ELSE f END FROM (SELECT ${folded} AS f) x)`;
  }
  return `CREATE OR REPLACE FUNCTION parley_search_vector(body text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
  SELECT coalesce(string_agg(quote_literal(t.tok) || ':' || least(t.pos, ${MAX_POSITION}), ' ')::tsvector, ''::tsvector)
  FROM (
    SELECT CASE WHEN r.cjk THEN substr(r.run, g.i, 2) ELSE left(r.run, ${MAX_TOKEN_CHARS}) END AS tok,
           row_number() OVER (ORDER BY r.ord, g.i) AS pos
    FROM (
      SELECT mm.m[1] AS run, mm.m[1] ~ ${sqlLiteral(`^${cjk}`)} AS cjk, mm.ord
      FROM regexp_matches(${folded}, ${sqlLiteral(re)}, 'g') WITH ORDINALITY AS mm(m, ord)
    ) r
    CROSS JOIN LATERAL generate_series(1, CASE WHEN r.cjk THEN char_length(r.run) ELSE 1 END) AS g(i)
  ) t
$fn$;`;
}
