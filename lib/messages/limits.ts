/**
 * Message limits the browser needs as well as the server. Kept apart from schema.ts, which builds
 * zod schemas when it loads: a page that only needs a number should not load and run zod for it.
 */

/** Slack's limit for a message's text, counted in characters (countChars), not UTF-16 units. */
export const MAX_MESSAGE_CHARS = 40_000;
export const HISTORY_PAGE_SIZE = 50;
