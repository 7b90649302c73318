/**
 * SQL of message search. No business rules: the service decides what to ask; the readable-conversation
 * rule comes from lib/channels/access.ts and is applied inside every query's WHERE.
 *
 * Index use: `"searchVector" @@ query` is served by the GIN index Message_searchVector_idx; newest/oldest
 * order is (ts, id), so pages are keyset ranges `(ts, id) < cursor` — never OFFSET.
 */
import { readableChannelIdsSql } from "@/lib/channels/access";
import { getDb } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export type TSearchFilter = {
  userId: string;
  workspaceId: string;
  tsquery: string | null;
  channelIds?: string[];
  senderIds?: string[];
  fromTs?: bigint;
  toTs?: bigint;
  hasLink?: boolean;
  hasPin?: boolean;
  hasReaction?: boolean;
  isThread?: boolean;
};

export type TSearchRow = {
  id: string;
  channelId: string;
  seq: number;
  ts: bigint;
  body: string;
  markup: string;
  threadRootId: string | null;
  rootTs: bigint | null;
  createdAt: Date;
  editedAt: Date | null;
  senderId: string;
  senderName: string;
  senderAvatarUrl: string | null;
  senderIsBot: boolean;
  overrideName: string | null;
  channelName: string | null;
  channelKind: "PUBLIC" | "PRIVATE" | "ANNOUNCEMENT" | "DM" | "GROUP_DM";
  channelArchivedAt: Date | null;
  score: string | null;
};

/** Relevance ranks at most this many of the newest matches (see docs/api.md, Search). */
export const RELEVANCE_CANDIDATES = 2000;

function whereSql(f: TSearchFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [
    Prisma.sql`m."channelId" IN (${readableChannelIdsSql(f.userId, { workspaceId: f.workspaceId })})`,
    Prisma.sql`m."deletedAt" IS NULL`,
  ];
  if (f.tsquery) parts.push(Prisma.sql`m."searchVector" @@ ${f.tsquery}::tsquery`);
  if (f.channelIds?.length) parts.push(Prisma.sql`m."channelId" IN (${Prisma.join(f.channelIds)})`);
  if (f.senderIds?.length) parts.push(Prisma.sql`m."senderId" IN (${Prisma.join(f.senderIds)})`);
  if (f.fromTs !== undefined) parts.push(Prisma.sql`m.ts >= ${f.fromTs}`);
  if (f.toTs !== undefined) parts.push(Prisma.sql`m.ts < ${f.toTs}`);
  if (f.hasLink) parts.push(Prisma.sql`m.body ~* '(https?://|www\\.)[^[:space:]]'`);
  if (f.hasPin) parts.push(Prisma.sql`m."pinnedAt" IS NOT NULL`);
  if (f.hasReaction) parts.push(Prisma.sql`EXISTS (SELECT 1 FROM "Reaction" r WHERE r."messageId" = m.id)`);
  if (f.isThread) parts.push(Prisma.sql`(m."threadRootId" IS NOT NULL OR m."replyCount" > 0)`);
  return Prisma.join(parts, " AND ");
}

const resultColumns = Prisma.sql`m.id, m."channelId", m.seq, m.ts, m.body, m.markup, m."threadRootId", root.ts AS "rootTs",
  m."createdAt", m."editedAt", m."senderId", u.name AS "senderName", u."avatarUrl" AS "senderAvatarUrl", u."isBot" AS "senderIsBot",
  m."overrideName", c.name AS "channelName", c.kind::text AS "channelKind", c."archivedAt" AS "channelArchivedAt"`;

const resultJoins = Prisma.sql`JOIN "User" u ON u.id = m."senderId"
  JOIN "Channel" c ON c.id = m."channelId"
  LEFT JOIN "Message" root ON root.id = m."threadRootId"`;

/** A page in time order: newest first (desc) or oldest first, after the keyset cursor. */
export function searchByTime(f: TSearchFilter, opts: { desc: boolean; after?: { ts: bigint; id: string }; limit: number }): Promise<TSearchRow[]> {
  const keyset = opts.after ? (opts.desc ? Prisma.sql`AND (m.ts, m.id) < (${opts.after.ts}, ${opts.after.id})` : Prisma.sql`AND (m.ts, m.id) > (${opts.after.ts}, ${opts.after.id})`) : Prisma.empty;
  const order = opts.desc ? Prisma.sql`ORDER BY m.ts DESC, m.id DESC` : Prisma.sql`ORDER BY m.ts ASC, m.id ASC`;
  return getDb().$queryRaw<TSearchRow[]>`
    SELECT ${resultColumns}, NULL::text AS score
    FROM "Message" m ${resultJoins}
    WHERE ${whereSql(f)} ${keyset}
    ${order}
    LIMIT ${opts.limit}`;
}

/**
 * A page by relevance: ts_rank_cd (cover density, normalised by length) over the newest
 * RELEVANCE_CANDIDATES matches, ties broken by time; keyset on (score, ts, id). Scores are rounded to a
 * numeric so the cursor compares exactly.
 */
export function searchByRelevance(f: TSearchFilter & { tsquery: string }, opts: { after?: { score: string; ts: bigint; id: string }; limit: number }): Promise<TSearchRow[]> {
  const keyset = opts.after ? Prisma.sql`WHERE (r.score, r.ts, r.id) < (${opts.after.score}::numeric, ${opts.after.ts}, ${opts.after.id})` : Prisma.empty;
  return getDb().$queryRaw<TSearchRow[]>`
    WITH cand AS (
      SELECT m.id, m.ts, round(ts_rank_cd(m."searchVector", ${f.tsquery}::tsquery, 1)::numeric, 6) AS score
      FROM "Message" m
      WHERE ${whereSql(f)}
      ORDER BY m.ts DESC, m.id DESC
      LIMIT ${RELEVANCE_CANDIDATES}
    ), r AS (SELECT * FROM cand)
    SELECT ${resultColumns}, r.score::text AS score
    FROM r JOIN "Message" m ON m.id = r.id ${resultJoins}
    ${keyset}
    ORDER BY r.score DESC, r.ts DESC, r.id DESC
    LIMIT ${opts.limit}`;
}

/** How many messages match, counting at most `cap` (a bounded count: a common word must not scan everything twice). */
export async function countMatches(f: TSearchFilter, cap: number): Promise<number> {
  const rows = await getDb().$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM (SELECT 1 FROM "Message" m WHERE ${whereSql(f)} LIMIT ${cap}) x`;
  return Number(rows[0]?.n ?? 0);
}

/** Conversations named `name` that the user may read (`in:#name`). */
export function findReadableChannelsByName(userId: string, workspaceId: string, name: string) {
  return getDb().$queryRaw<{ id: string; name: string }[]>`
    SELECT c.id, c.name FROM "Channel" c
    WHERE c."workspaceId" = ${workspaceId} AND lower(c.name) = ${name} AND c.id IN (${readableChannelIdsSql(userId, { workspaceId })})`;
}

/** The DM between two people, if it exists (`in:@person`). */
export function findDmByKey(workspaceId: string, dmKey: string) {
  return getDb().channel.findFirst({ where: { workspaceId, dmKey }, select: { id: true } });
}

/** Everyone who is or was in the workspace (for `from:` and `in:@`): deactivated people's messages stay findable. */
export function listWorkspacePeople(workspaceId: string) {
  return getDb().workspaceMember.findMany({ where: { workspaceId }, select: { userId: true, user: { select: { name: true, email: true } } } });
}

/** The other members of DMs (their names are the conversation's name). */
export function listDmMembers(channelIds: string[], excludeUserId: string) {
  if (channelIds.length === 0) return Promise.resolve([]);
  return getDb().channelMember.findMany({
    where: { channelId: { in: channelIds }, userId: { not: excludeUserId } },
    select: { channelId: true, user: { select: { id: true, name: true } } },
    orderBy: { joinedAt: "asc" },
  });
}
