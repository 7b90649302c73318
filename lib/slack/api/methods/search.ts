/**
 * search.messages — Slack's message search for user tokens (xoxp, scope search:read), through the same
 * service as the app's search box (lib/search/service.ts): the same query syntax and permissions.
 *
 * Paging. Slack offers page numbers (`page`, `count`) and cursors (`cursor=*`, then `next_cursor`).
 * Cursors are Parley's keyset cursors. A page number is reached by walking keyset pages of up to 100
 * rows from the start (never OFFSET on the messages table), so deep pages cost more; page × count is
 * capped at MAX_COUNTED (1,000) — `paging.pages` never points past it, and the count stops there too
 * (Slack's own search stops at page 100). Use cursors to read further.
 */
import { findHighlights, withSlackMarkers } from "@/lib/search/highlight";
import { buildMatcher, parseQuery } from "@/lib/search/query";
import { MAX_COUNTED, meterSearch, searchMessagesUnmetered } from "@/lib/search/service";
import type { TSearchMatch, TSearchResult, TSearchSort } from "@/lib/search/schema";
import { channelTypeFlags, escapeSlackText, messagePermalink } from "@/lib/slack/format";
import { SlackError, bool, requireScope, str, toSlackError, type TMethodCtx } from "@/lib/slack/api/core";

const MAX_COUNT = 100;

function intArg(ctx: TMethodCtx, name: string, fallback: number, min: number, max: number): number {
  const raw = ctx.args[name];
  if (raw === undefined || raw === null || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new SlackError("invalid_arguments", `${name} must be a whole number`);
  return Math.min(Math.max(n, min), max);
}

function sortArg(ctx: TMethodCtx): TSearchSort {
  const sort = (str(ctx.args, "sort") ?? "score").toLowerCase();
  const dir = (str(ctx.args, "sort_dir") ?? "desc").toLowerCase();
  if (sort !== "score" && sort !== "timestamp") throw new SlackError("invalid_arguments", "sort must be score or timestamp");
  if (dir !== "asc" && dir !== "desc") throw new SlackError("invalid_arguments", "sort_dir must be asc or desc");
  // Relevance is always best first; sort_dir orders timestamps.
  if (sort === "score") return "relevance";
  return dir === "asc" ? "oldest" : "newest";
}

function toSlackMatch(ctx: TMethodCtx, m: TSearchMatch, highlight: ReturnType<typeof buildMatcher> | null): Record<string, unknown> {
  // Markers go in before Slack's escaping (which touches only & < >), so offsets stay right.
  const marked = highlight ? withSlackMarkers(m.body, findHighlights(m.body, highlight)) : m.body;
  const text = m.markup === "mrkdwn" ? marked : escapeSlackText(marked);
  const name = m.channel.name ?? (m.channel.kind === "DM" ? (m.channel.dmMembers?.[0]?.id ?? m.channelId) : (m.channel.dmMembers ?? []).map((p) => p.name).join(", "));
  return {
    iid: m.id,
    team: ctx.actor.workspaceId,
    type: "message",
    channel: { id: m.channelId, name, ...channelTypeFlags(m.channel.kind), is_shared: false, is_ext_shared: false, is_org_shared: false, is_archived: m.channel.archived },
    user: m.sender.id,
    username: m.sender.name,
    ts: m.ts,
    text,
    permalink: messagePermalink(m.channelId, m.ts, m.threadTs),
    ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
  };
}

export async function messages(ctx: TMethodCtx) {
  if (ctx.auth.kind !== "USER") throw new SlackError("not_allowed_token_type", "search.messages takes a user token (xoxp-), not a bot token");
  requireScope(ctx, "search:read");
  const query = str(ctx.args, "query");
  if (!query || !query.trim()) throw new SlackError("no_query", "query is required");
  const count = intArg(ctx, "count", 20, 1, MAX_COUNT);
  const sort = sortArg(ctx);
  const highlight = bool(ctx.args, "highlight", false) ? buildMatcher(parseQuery(query).terms) : null;
  const cursorArg = str(ctx.args, "cursor");
  const base = { workspaceId: ctx.actor.workspaceId, query, sort, tzOffsetMinutes: 0 };
  await meterSearch(ctx.actor).catch((err: unknown) => {
    throw toSlackError(err);
  });
  const run = (input: Parameters<typeof searchMessagesUnmetered>[1]) =>
    searchMessagesUnmetered(ctx.actor, input).catch((err: unknown) => {
      throw toSlackError(err);
    });

  if (cursorArg) {
    // Cursor mode: `*` starts, next_cursor continues.
    const result = await run({ ...base, limit: count, cursor: cursorArg === "*" ? undefined : cursorArg, withTotal: cursorArg === "*" });
    return shape(ctx, query, result, count, 1, highlight, result.nextCursor ?? "");
  }

  const maxPage = Math.max(1, Math.floor(MAX_COUNTED / count));
  const page = intArg(ctx, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  if (page > maxPage) {
    // Past the pages we walk to: an empty page that still says how many there are.
    const head = await run({ ...base, limit: 1 });
    return shape(ctx, query, { ...head, matches: [] }, count, page, highlight);
  }
  // Walk to the page: skip (page − 1) × count rows in keyset chunks of up to 100, ids and times only
  // read through the index order, then read the page itself.
  let toSkip = (page - 1) * count;
  let cursor: string | undefined;
  let total: TSearchResult["total"] = null;
  let lowerBound = false;
  while (toSkip > 0) {
    const chunk = await run({ ...base, limit: Math.min(toSkip, MAX_COUNT), cursor, withTotal: total === null });
    if (total === null) {
      total = chunk.total;
      lowerBound = chunk.totalIsLowerBound;
    }
    toSkip -= chunk.matches.length;
    cursor = chunk.nextCursor ?? undefined;
    if (!cursor) break;
  }
  const exhausted = (page - 1) * count > 0 && !cursor;
  const result: TSearchResult = exhausted
    ? { matches: [], nextCursor: null, total, totalIsLowerBound: lowerBound, parsed: { terms: [], excluded: [], in: [], from: [], has: [], is: [] } }
    : await run({ ...base, limit: count, cursor, withTotal: total === null });
  if (total !== null) {
    result.total = total;
    result.totalIsLowerBound = lowerBound;
  }
  return shape(ctx, query, result, count, page, highlight);
}

function shape(ctx: TMethodCtx, query: string, result: TSearchResult, count: number, page: number, highlight: ReturnType<typeof buildMatcher> | null, nextCursor?: string) {
  const total = result.total ?? 0;
  const pages = Math.max(1, Math.ceil(Math.min(total, MAX_COUNTED) / count));
  const first = result.matches.length === 0 ? 0 : (page - 1) * count + 1;
  const out: Record<string, unknown> = {
    query,
    messages: {
      total,
      matches: result.matches.map((m) => toSlackMatch(ctx, m, highlight)),
      paging: { count, total, page, pages },
      pagination: { total_count: total, page, per_page: count, page_count: pages, first, last: result.matches.length === 0 ? 0 : first + result.matches.length - 1 },
    },
  };
  if (nextCursor !== undefined) out.response_metadata = { next_cursor: nextCursor };
  return out;
}
