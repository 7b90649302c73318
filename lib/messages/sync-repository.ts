/**
 * The catch-up read for many conversations at once (lib/messages/sync.ts). Kept beside, not inside,
 * lib/messages/repository.ts: it answers the socket's catch-ups, which must stay cheap under a
 * reconnect storm, and reads nothing the send path writes to other than the change log.
 */
import { READABLE_SQL, readableJoinsSql } from "@/lib/channels/access";
import { runHotQuery } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";

export type TSyncRow = { channelId: string; workspaceId: string; lastSeq: number; seq: number | null; type: string | null; messageId: string | null };

/** One person's catch-up: changes after `after` in each conversation, at most `limit` per conversation. */
export type TSyncRequest = { userId: string; wanted: { channelId: string; after: number }[]; limit: number };

/**
 * For each request, each conversation in it that its user may read (lib/channels/access.ts, the rule
 * of readableChannelIdsSql): its workspace, head and up to `limit` changes after the given seq — one
 * query for any number of people's catch-ups (`request` is the request's index). A conversation with
 * nothing new comes back as one row with `seq` null; one they may not read, not at all. The text is
 * the same every time (the lists travel as arrays): a prepared statement on the driver, not Prisma's
 * raw query, which cost ~0.25 ms of the server's main thread per catch-up.
 */
export async function listReadableChangesAfter(requests: TSyncRequest[]): Promise<(TSyncRow & { request: number })[]> {
  const pairs = requests.flatMap((r, i) => r.wanted.map((w) => ({ i, userId: r.userId, channelId: w.channelId, after: w.after, limit: r.limit })));
  if (pairs.length === 0) return [];
  const query = Prisma.sql`
    SELECT r.i AS request, c.id AS "channelId", c."workspaceId", c."lastSeq", e.seq, e.type, e."messageId"
    FROM unnest(${pairs.map((p) => p.i)}::int[], ${pairs.map((p) => p.userId)}::text[], ${pairs.map((p) => p.channelId)}::text[],
                ${pairs.map((p) => p.after)}::int[], ${pairs.map((p) => p.limit)}::int[]) AS r(i, "userId", "channelId", after, lim)
    JOIN "Channel" c ON c.id = r."channelId"
    ${readableJoinsSql(Prisma.raw(`r."userId"`))}
    LEFT JOIN LATERAL (
      SELECT ev.seq, ev.type, ev."messageId" FROM "ChannelChange" ev
      WHERE ev."channelId" = c.id AND ev.seq > r.after ORDER BY ev.seq LIMIT r.lim
    ) e ON true
    WHERE ${READABLE_SQL}
    ORDER BY r.i, c.id, e.seq`;
  const rows = await runHotQuery<TSyncRow & { request: number }>("readable_changes_after", query.text, query.values, "main");
  return rows.map((r) => ({ ...r, request: Number(r.request), lastSeq: Number(r.lastSeq), seq: r.seq === null ? null : Number(r.seq) }));
}
