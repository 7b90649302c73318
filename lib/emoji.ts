/**
 * Emoji short names ↔ unicode, with Slack's names. The names come from emojibase-data's "iamcal"
 * shortcode set, which is the dataset Slack itself uses (":+1:", ":thumbsup:", ":white_check_mark:"),
 * so names stored for reactions and written in mrkdwn match what Slack clients and bots send.
 * Only the 48 KB shortcode file is loaded (no labels or images), so this is cheap in the browser too.
 * Skin tones follow Slack: "+1::skin-tone-3" ↔ 👍🏼.
 */
import shortcodes from "emojibase-data/en/shortcodes/iamcal.json";

const VARIATION_SELECTOR = "\uFE0F";
const SKIN_TONES = ["1F3FB", "1F3FC", "1F3FD", "1F3FE", "1F3FF"] as const;
const SKIN_TONE_NAME = /^(.+)::skin-tone-([2-6])$/;

/** A short name as Slack writes it, without colons: letters, digits, _ + - (and a skin tone suffix). */
export const EMOJI_NAME = /^[a-z0-9_+-]+(?:::skin-tone-[2-6])?$/;

function unicodeFromHexcode(hexcode: string): string {
  const text = String.fromCodePoint(...hexcode.split("-").map((hex) => Number.parseInt(hex, 16)));
  // A lone symbol such as ❤ (2764) or ☀ (2600) shows as plain text unless asked for emoji style.
  return [...text].length === 1 && !/\p{Emoji_Presentation}/u.test(text) ? text + VARIATION_SELECTOR : text;
}

/** Variation selectors differ between keyboards and datasets; comparisons ignore them. */
function normalize(unicode: string): string {
  return unicode.replaceAll(VARIATION_SELECTOR, "");
}

type TEntry = { name: string; unicode: string };
type TTable = {
  byName: Map<string, string>;
  byUnicode: Map<string, string>;
  /** Every name once, in the dataset's order (grouped by kind, smileys first). */
  entries: TEntry[];
};

const source = Object.entries(shortcodes as Record<string, string | string[]>);
let table: TTable | null = null;
/** A table being built by prepareEmojiTable, and the next source entry it takes. */
let building: { table: TTable; next: number } | null = null;

function addToTable(into: TTable, [hexcode, names]: [string, string | string[]]): void {
  const unicode = unicodeFromHexcode(hexcode);
  const list = Array.isArray(names) ? names : [names];
  for (const name of list) {
    into.byName.set(name, unicode);
    into.entries.push({ name, unicode });
  }
  // The first name is the canonical one ("+1" for 👍), as Slack stores it.
  if (list[0]) into.byUnicode.set(normalize(unicode), list[0]);
}

const emptyTable = (): TTable => ({ byName: new Map(), byUnicode: new Map(), entries: [] });

/** The table, finished here and now if prepareEmojiTable has not finished it yet. */
function getTable(): TTable {
  if (table) return table;
  const into = building?.table ?? emptyTable();
  for (let i = building?.next ?? 0; i < source.length; i++) addToTable(into, source[i]!);
  building = null;
  return (table = into);
}

/**
 * Builds the table ahead of its first use a slice of `sliceMs` at a time, calling `yieldToMain`
 * between slices: in the browser the whole build (~1,900 emoji, 20–30 ms on a slow machine) is
 * otherwise part of whatever task first needs a name. A lookup meanwhile finishes it at once.
 */
export async function prepareEmojiTable(yieldToMain: () => Promise<void>, sliceMs = 8): Promise<void> {
  building ??= table ? null : { table: emptyTable(), next: 0 };
  while (building) {
    const started = performance.now();
    do addToTable(building.table, source[building.next++]!);
    while (building.next < source.length && performance.now() - started < sliceMs);
    if (building.next >= source.length) {
      table = building.table;
      building = null;
      return;
    }
    await yieldToMain();
  }
}

/** The unicode emoji for a Slack short name ("thumbsup", ":tada:", "+1::skin-tone-2"); null when unknown. */
export function emojiFromName(name: string): string | null {
  const bare = name.trim().replace(/^:(.*):$/, "$1").toLowerCase();
  const toned = SKIN_TONE_NAME.exec(bare);
  if (toned) {
    const base = getTable().byName.get(toned[1]!);
    if (!base) return null;
    return normalize(base) + String.fromCodePoint(Number.parseInt(SKIN_TONES[Number(toned[2]) - 2]!, 16));
  }
  return getTable().byName.get(bare) ?? null;
}

/** The Slack short name for a unicode emoji ("👍" → "+1", "👍🏼" → "+1::skin-tone-3"); null when unknown. */
export function nameFromEmoji(unicode: string): string | null {
  const text = normalize(unicode.trim());
  if (!text) return null;
  const { byUnicode } = getTable();
  const direct = byUnicode.get(text);
  if (direct) return direct;
  // A single skin tone modifier after the base emoji: Slack names it base::skin-tone-N.
  const codePoints = [...text];
  const last = codePoints.at(-1)!.codePointAt(0)!.toString(16).toUpperCase();
  const tone = SKIN_TONES.indexOf(last as (typeof SKIN_TONES)[number]);
  if (tone >= 0 && codePoints.length > 1) {
    const base = byUnicode.get(codePoints.slice(0, -1).join(""));
    if (base) return `${base}::skin-tone-${tone + 2}`;
  }
  return null;
}

/**
 * Emoji whose short name matches `query` (for pickers and ":ta" completion): the exact name first,
 * then names starting with the query (shortest first), then names containing it. Each emoji appears
 * once, under the name that matched best.
 */
export function searchEmoji(query: string, limit = 20): TEntry[] {
  const q = query.trim().replace(/^:|:$/g, "").toLowerCase();
  if (!q || limit <= 0) return [];
  const exact: TEntry[] = [];
  const prefix: TEntry[] = [];
  const inside: TEntry[] = [];
  for (const entry of getTable().entries) {
    if (entry.name === q) exact.push(entry);
    else if (entry.name.startsWith(q)) prefix.push(entry);
    else if (entry.name.includes(q)) inside.push(entry);
  }
  prefix.sort((a, b) => a.name.length - b.name.length);
  const seen = new Set<string>();
  const result: TEntry[] = [];
  for (const entry of [...exact, ...prefix, ...inside]) {
    if (seen.has(entry.unicode)) continue;
    seen.add(entry.unicode);
    result.push(entry);
    if (result.length >= limit) break;
  }
  return result;
}
