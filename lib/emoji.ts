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

const byName = new Map<string, string>();
const byUnicode = new Map<string, string>();
/** Every name once, in the dataset's order (grouped by kind, smileys first). */
const entries: TEntry[] = [];

for (const [hexcode, names] of Object.entries(shortcodes as Record<string, string | string[]>)) {
  const unicode = unicodeFromHexcode(hexcode);
  const list = Array.isArray(names) ? names : [names];
  for (const name of list) {
    byName.set(name, unicode);
    entries.push({ name, unicode });
  }
  // The first name is the canonical one ("+1" for 👍), as Slack stores it.
  if (list[0]) byUnicode.set(normalize(unicode), list[0]);
}

/** The unicode emoji for a Slack short name ("thumbsup", ":tada:", "+1::skin-tone-2"); null when unknown. */
export function emojiFromName(name: string): string | null {
  const bare = name.trim().replace(/^:(.*):$/, "$1").toLowerCase();
  const toned = SKIN_TONE_NAME.exec(bare);
  if (toned) {
    const base = byName.get(toned[1]!);
    if (!base) return null;
    return normalize(base) + String.fromCodePoint(Number.parseInt(SKIN_TONES[Number(toned[2]) - 2]!, 16));
  }
  return byName.get(bare) ?? null;
}

/** The Slack short name for a unicode emoji ("👍" → "+1", "👍🏼" → "+1::skin-tone-3"); null when unknown. */
export function nameFromEmoji(unicode: string): string | null {
  const text = normalize(unicode.trim());
  if (!text) return null;
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
  for (const entry of entries) {
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
