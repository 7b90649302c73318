/** Zod schemas and types of message search, shared by the HTTP route, the Web API, the UI and tests. */
import { z } from "zod";
import { countChars } from "@/lib/text";
import { ZId, zText } from "@/lib/validation";

/** Longest query accepted, in characters (Slack's own limit is about this size). */
export const MAX_QUERY_CHARS = 500;
/** Most terms (words, phrases, modifiers) in one query. */
export const MAX_QUERY_TERMS = 24;
/** Results per page. */
export const MAX_SEARCH_LIMIT = 100;

export const ZSearchSort = z.enum(["newest", "oldest", "relevance"], { error: "must be newest, oldest or relevance" });
export type TSearchSort = z.infer<typeof ZSearchSort>;

export const ZSearchInput = z.object({
  workspaceId: ZId,
  query: zText()
    .pipe(z.string().trim().min(1, "Type something to search for"))
    .refine((s) => countChars(s) <= MAX_QUERY_CHARS, `must be at most ${MAX_QUERY_CHARS} characters`),
  sort: ZSearchSort.default("newest"),
  limit: z.coerce.number({ error: "must be a number" }).int("must be a whole number").min(1, "must be at least 1").max(MAX_SEARCH_LIMIT, `must be at most ${MAX_SEARCH_LIMIT}`).default(20),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().max(400, "is not a cursor this API returned").optional(),
  /** The searcher's `Date.getTimezoneOffset()`, so `on:2026-11-25` means their day. */
  tzOffsetMinutes: z.coerce.number({ error: "must be a number" }).int().min(-840, "is out of range").max(840, "is out of range").default(0),
  /** Count the matches (up to MAX_COUNTED); the first page asks, later pages need not. */
  withTotal: z.boolean().default(true),
});
export type TSearchInput = z.input<typeof ZSearchInput>;

/** [start, end) offsets (UTF-16 code units, as JavaScript strings index) of a highlighted match. */
export type THighlight = [number, number];

export type TSearchMatch = {
  id: string;
  channelId: string;
  seq: number;
  /** Slack-style ts ("1764100000.000123"). */
  ts: string;
  createdAt: string;
  editedAt: string | null;
  channel: { id: string; name: string | null; kind: "PUBLIC" | "PRIVATE" | "ANNOUNCEMENT" | "DM" | "GROUP_DM"; archived: boolean; dmMembers?: { id: string; name: string }[] };
  sender: { id: string; name: string; avatarUrl: string | null; isBot: boolean };
  /** Set for thread replies: the root's id and ts (open the thread there). */
  threadRootId: string | null;
  threadTs: string | null;
  /** The whole message text. */
  body: string;
  markup: string;
  /** A window of the text around the first match, with the matches to mark (render as text + <mark>). */
  snippet: { text: string; highlights: THighlight[] };
  /** Relevance score (sort = relevance only). */
  score?: number;
};

export type TSearchResult = {
  matches: TSearchMatch[];
  /** Pass as `cursor` for the next page; null on the last. */
  nextCursor: string | null;
  /** Matches counted up to MAX_COUNTED (null when not asked for). */
  total: number | null;
  /** True when there are more than `total` matches (the count stopped). */
  totalIsLowerBound: boolean;
  /** What the query was understood as (for "searching in #x from @y"). */
  parsed: { terms: string[]; excluded: string[]; in: string[]; from: string[]; before?: string; after?: string; on?: string; has: string[]; is: string[] };
};
