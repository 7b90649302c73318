/**
 * The catch-up read for many conversations at once (lib/messages/sync.ts). Kept beside, not inside,
 * lib/messages/repository.ts: it answers the socket's catch-ups, which must stay cheap under a
 * reconnect storm, and reads nothing the send path writes to other than the change log.
 */
import { getDb } from "@/lib/db";

export type TSyncRow = { channelId: string; workspaceId: string; lastSeq: number; seq: number | null; type: string | null; messageId: string | null };

/**
 * For each requested conversation the user may read (the same rule as findReadableChannelWithAccess:
 * active in the workspace, and a member or it is public/announcement and they are not a guest), its
 * workspace, head and up to `limit` changes after the given seq — one query for all of them. A
 * conversation with nothing new comes back as one row with `seq` null; one they may not read, not at all.
 */
export async function listReadableChangesAfter(userId: string, wanted: { channelId: string; after: number }[], limit: number): Promise<TSyncRow[]> {
  if (wanted.length === 0) return [];
  const rows = await getDb().$queryRaw<TSyncRow[]>`
    SELECT c.id AS "channelId", c."workspaceId", c."lastSeq", e.seq, e.type, e."messageId"
    FROM unnest(${wanted.map((w) => w.channelId)}::text[], ${wanted.map((w) => w.after)}::int[]) AS r("channelId", after)
    JOIN "Channel" c ON c.id = r."channelId"
    JOIN "WorkspaceMember" wm ON wm."workspaceId" = c."workspaceId" AND wm."userId" = ${userId} AND wm.status = 'ACTIVE'
    LEFT JOIN "ChannelMember" cm ON cm."channelId" = c.id AND cm."userId" = ${userId}
    LEFT JOIN LATERAL (
      SELECT ev.seq, ev.type, ev."messageId" FROM "ChannelEvent" ev
      WHERE ev."channelId" = c.id AND ev.seq > r.after ORDER BY ev.seq LIMIT ${limit}
    ) e ON true
    WHERE cm.id IS NOT NULL OR (c.kind IN ('PUBLIC', 'ANNOUNCEMENT') AND wm.role <> 'GUEST')
    ORDER BY c.id, e.seq`;
  return rows.map((r) => ({ ...r, lastSeq: Number(r.lastSeq), seq: r.seq === null ? null : Number(r.seq) }));
}
