/**
 * How a reaction's emoji is stored: Slack's short name. Accepts "thumbsup", ":thumbsup:",
 * "smile::skin-tone-2" (Slack's skin tones), custom-looking names, and the emoji itself ("👍" →
 * "+1", "👍🏼" → "+1::skin-tone-3"), converted with lib/emoji.ts (Slack's iamcal names).
 */
import { nameFromEmoji } from "@/lib/emoji";

const NAME_RE = /^[a-z0-9_+'-]{1,100}(?:::skin-tone-[2-6])?$/;

/** The short name to store, or null when the input is neither a known emoji nor a valid name. */
export function toEmojiName(input: string): string | null {
  const trimmed = input.trim();
  const bare = trimmed.replace(/^:(.+):$/, "$1").toLowerCase();
  if (NAME_RE.test(bare)) return bare;
  return nameFromEmoji(trimmed);
}
