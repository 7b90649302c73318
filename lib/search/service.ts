/**
 * Full-text message search. Results come only from conversations the actor may read right now (the
 * rule of lib/channels/access.ts, applied inside the query), never deleted messages, and edited
 * messages by their current text (the vector is rewritten with the body: by the send path, or by the
 * database trigger for every other write).
 */
import { AppError } from "@/lib/errors";
import { formatTs } from "@/lib/messages/ts";
import { consume } from "@/lib/rate-limit";
import { makeSnippet } from "@/lib/search/highlight";
import { buildMatcher, buildTsquery, dateWindow, parseQuery, type TParsedQuery } from "@/lib/search/query";
import * as repo from "@/lib/search/repository";
import { ZSearchInput, type TSearchInput, type TSearchMatch, type TSearchResult, type TSearchSort } from "@/lib/search/schema";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

/** Spends one point of the person's search budget (429 when exhausted). */
export function meterSearch(actor: TActor): Promise<void> {
  return consume("search", actor.userId, "Too many searches; wait a moment");
}

/** Matches are counted up to this many ("1,000+ results"). */
export const MAX_COUNTED = 1000;

type TCursor = { s: TSearchSort; t: string; i: string; r?: string };

function encodeCursor(c: TCursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function badCursor(): AppError {
  return new AppError("validation_failed", "cursor: is not a cursor this search returned", [{ path: "cursor", message: "is not a cursor this search returned" }]);
}

function decodeCursor(raw: string, sort: TSearchSort, ranked: boolean): { ts: bigint; id: string; score?: string } {
  let c: TCursor;
  try {
    c = JSON.parse(Buffer.from(raw, "base64url").toString()) as TCursor;
  } catch {
    throw badCursor();
  }
  if (!c || c.s !== sort || typeof c.t !== "string" || !/^\d{1,20}$/.test(c.t) || typeof c.i !== "string" || !/^[A-Za-z0-9_-]{1,64}$/.test(c.i)) throw badCursor();
  if (ranked && (typeof c.r !== "string" || !/^\d{1,6}(\.\d{1,6})?$/.test(c.r))) throw badCursor();
  return { ts: BigInt(c.t), id: c.i, score: c.r };
}

function queryError(message: string, reason: string): AppError {
  return new AppError("validation_failed", message, [{ path: "query", message, reason }]);
}

const squash = (s: string) => s.replace(/\s+/g, "").toLowerCase();

/** `@name`, `name`, `<@U123>`, an email or its local part, or `me` → a person of the workspace. */
function resolvePerson(raw: string, people: Awaited<ReturnType<typeof repo.listWorkspacePeople>>, actorId: string): string {
  const mention = /^<@([A-Za-z0-9_-]+)(?:\|[^>]*)?>$/.exec(raw);
  if (mention) {
    if (people.some((p) => p.userId === mention[1])) return mention[1]!;
    throw queryError(`Nobody in this workspace is ${raw}`, "user_not_found");
  }
  const name = raw.replace(/^[@＠]/, "");
  if (name.toLowerCase() === "me" || name === "我") return actorId;
  const key = squash(name);
  const byId = people.find((p) => p.userId === name);
  if (byId) return byId.userId;
  const found = people.filter((p) => squash(p.user.name) === key || p.user.email.toLowerCase() === key || p.user.email.toLowerCase().split("@")[0] === key);
  if (found.length === 1) return found[0]!.userId;
  if (found.length > 1) throw queryError(`More than one person is called @${name}; use their email`, "ambiguous_user");
  throw queryError(`Nobody in this workspace is called @${name}`, "user_not_found");
}

/** Turns `in:` and `from:` values into conversation and person ids the actor may use. */
async function resolveScopes(actor: TActor, workspaceId: string, parsed: TParsedQuery): Promise<{ channelIds?: string[]; senderIds?: string[] }> {
  const needPeople = parsed.from.length > 0 || parsed.in.some((v) => /^[@＠<]/.test(v));
  const people = needPeople ? await repo.listWorkspacePeople(workspaceId) : [];
  let channelIds: string[] | undefined;
  if (parsed.in.length) {
    channelIds = [];
    for (const value of parsed.in) {
      if (/^[@＠]|^<@/.test(value)) {
        const other = resolvePerson(value, people, actor.userId);
        const dm = await repo.findDmByKey(workspaceId, [...new Set([actor.userId, other])].sort().join(","));
        // No DM yet means nothing to find there, not an error.
        channelIds.push(dm?.id ?? "-");
        continue;
      }
      const name = value.replace(/^[#＃]/, "").toLowerCase();
      const found = await repo.findReadableChannelsByName(actor.userId, workspaceId, name);
      if (!found.length) throw queryError(`No channel named #${name} that you can see`, "channel_not_found");
      channelIds.push(...found.map((c) => c.id));
    }
  }
  const senderIds = parsed.from.length ? parsed.from.map((v) => resolvePerson(v, people, actor.userId)) : undefined;
  return { channelIds, senderIds };
}

/**
 * Searches the messages of a workspace the actor may read. `query` takes Slack's syntax (see
 * lib/search/query.ts); pages are keyset cursors over (ts, id), or (score, ts, id) by relevance.
 */
export async function searchMessages(actor: TActor, input: TSearchInput | Record<string, unknown>): Promise<TSearchResult> {
  return searchMessagesUnmetered(actor, input, { meter: true });
}

/**
 * searchMessages for callers that already spent the person's `search` budget for this request (the
 * Web API walking to a Slack page number makes several keyset queries for one call).
 */
export async function searchMessagesUnmetered(actor: TActor, input: TSearchInput | Record<string, unknown>, opts: { meter?: boolean } = {}): Promise<TSearchResult> {
  const data = ZSearchInput.parse(input);
  const { workspace } = await getWorkspaceAccess({ actor, workspaceId: data.workspaceId });
  if (opts.meter) await meterSearch(actor);

  const parsed = parseQuery(data.query);
  const { tsquery } = buildTsquery(parsed.terms);
  const hasFilter = parsed.in.length > 0 || parsed.from.length > 0;
  if (!tsquery && !hasFilter) {
    throw queryError(
      parsed.terms.length ? "Add a word to look for (letters or digits; excluded words alone find nothing)" : "Add a word to look for, or an in: or from: filter",
      "no_terms",
    );
  }
  const scopes = await resolveScopes(actor, workspace.id, parsed);
  const window = dateWindow(parsed, data.tzOffsetMinutes);
  const filter: repo.TSearchFilter = {
    userId: actor.userId,
    workspaceId: workspace.id,
    tsquery,
    channelIds: scopes.channelIds,
    senderIds: scopes.senderIds,
    fromTs: window.from,
    toTs: window.to,
    hasLink: parsed.has.includes("link"),
    hasPin: parsed.has.includes("pin"),
    hasReaction: parsed.has.includes("reaction"),
    isThread: parsed.is.includes("thread"),
  };
  // Relevance needs words to rank by; with filters only, newest first is what it means.
  const sort: TSearchSort = data.sort === "relevance" && !tsquery ? "newest" : data.sort;
  const after = data.cursor ? decodeCursor(data.cursor, data.sort, sort === "relevance") : undefined;
  const limit = data.limit;

  const [rows, counted] = await Promise.all([
    sort === "relevance"
      ? repo.searchByRelevance({ ...filter, tsquery: tsquery! }, { after: after ? { score: after.score!, ts: after.ts, id: after.id } : undefined, limit: limit + 1 })
      : repo.searchByTime(filter, { desc: sort === "newest", after: after ? { ts: after.ts, id: after.id } : undefined, limit: limit + 1 }),
    data.withTotal ? repo.countMatches(filter, MAX_COUNTED + 1) : Promise.resolve(null),
  ]);
  const page = rows.slice(0, limit);
  const hasMore = rows.length > limit;
  const last = page.at(-1);

  const dmIds = [...new Set(page.filter((r) => r.channelKind === "DM" || r.channelKind === "GROUP_DM").map((r) => r.channelId))];
  const dmMembers = new Map<string, { id: string; name: string }[]>();
  for (const m of await repo.listDmMembers(dmIds, actor.userId)) {
    const list = dmMembers.get(m.channelId) ?? [];
    list.push({ id: m.user.id, name: m.user.name });
    dmMembers.set(m.channelId, list);
  }

  const matcher = buildMatcher(parsed.terms);
  const matches: TSearchMatch[] = page.map((r) => ({
    id: r.id,
    channelId: r.channelId,
    seq: Number(r.seq),
    ts: formatTs(BigInt(r.ts)),
    createdAt: new Date(r.createdAt).toISOString(),
    editedAt: r.editedAt ? new Date(r.editedAt).toISOString() : null,
    channel: {
      id: r.channelId,
      name: r.channelName,
      kind: r.channelKind,
      archived: !!r.channelArchivedAt,
      ...(r.channelKind === "DM" || r.channelKind === "GROUP_DM" ? { dmMembers: dmMembers.get(r.channelId) ?? [] } : {}),
    },
    sender: { id: r.senderId, name: r.overrideName || r.senderName, avatarUrl: r.senderAvatarUrl, isBot: r.senderIsBot },
    threadRootId: r.threadRootId,
    threadTs: r.rootTs !== null && r.rootTs !== undefined ? formatTs(BigInt(r.rootTs)) : null,
    body: r.body,
    markup: r.markup,
    snippet: makeSnippet(r.body, matcher),
    ...(sort === "relevance" && r.score !== null ? { score: Number(r.score) } : {}),
  }));

  return {
    matches,
    nextCursor: hasMore && last ? encodeCursor({ s: data.sort, t: String(last.ts), i: last.id, ...(sort === "relevance" ? { r: String(last.score) } : {}) }) : null,
    total: counted === null ? null : Math.min(counted, MAX_COUNTED),
    totalIsLowerBound: counted !== null && counted > MAX_COUNTED,
    parsed: {
      terms: parsed.terms.filter((t) => !t.negated).map((t) => (t.phrase ? `"${t.text}"` : t.text)),
      excluded: parsed.terms.filter((t) => t.negated).map((t) => t.text),
      in: parsed.in,
      from: parsed.from,
      before: parsed.before,
      after: parsed.after,
      on: parsed.on ?? parsed.during,
      has: parsed.has,
      is: parsed.is,
    },
  };
}
