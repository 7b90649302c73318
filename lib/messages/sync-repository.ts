/**
 * The catch-up read for many conversations at once (lib/messages/sync.ts). Kept beside, not inside,
 * lib/messages/repository.ts: it answers the socket's catch-ups, which must stay cheap under a
 * reconnect storm, and reads nothing the send path writes to other than the change log.
 */
import { readableChannelIdsSql } from "@/lib/channels/access";
import { getDb } from "@/lib/db";

export type TSyncRow = { channelId: string; workspaceId: string; lastSeq: number; seq: number | null; type: string | null; messageId: string | null };

/**
 * For each requested conversation the user may read (lib/channels/access.ts readableChannelIdsSql),
 * its workspace, head and up to `limit` changes after the given seq — one query for all of them. A
 * conversation with nothing new comes back as one row with `seq` null; one they may not read, not at all.
 */
export async function listReadableChangesAfter(userId: string, wanted: { channelId: string; after: number }[], limit: number): Promise<TSyncRow[]> {
  if (wanted.length === 0) return [];
  const channelIds = wanted.map((w) => w.channelId);
  const rows = await getDb().$queryRaw<TSyncRow[]>`
    SELECT c.id AS "channelId", c."workspaceId", c."lastSeq", e.seq, e.type, e."messageId"
    FROM unnest(${channelIds}::text[], ${wanted.map((w) => w.after)}::int[]) AS r("channelId", after)
    JOIN "Channel" c ON c.id = r."channelId"
    LEFT JOIN LATERAL (
      SELECT ev.seq, ev.type, ev."messageId" FROM "ChannelChange" ev
      WHERE ev."channelId" = c.id AND ev.seq > r.after ORDER BY ev.seq LIMIT ${limit}
    ) e ON true
    WHERE c.id IN (${readableChannelIdsSql(userId, { channelIds })})
    ORDER BY c.id, e.seq`;
  return rows.map((r) => ({ ...r, lastSeq: Number(r.lastSeq), seq: r.seq === null ? null : Number(r.seq) }));
}
