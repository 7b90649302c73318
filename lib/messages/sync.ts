/**
 * Catch-up over the socket (docs/realtime.md): the changes after the client's last seq, for one
 * conversation (`channels.sync`) or many at once (`channels.syncMany`, after a reconnect). Two
 * queries however many conversations are asked for — rights, heads and changes in one, the
 * messages' current state in the other — where one `getChangesSince` per conversation costs three.
 * Single-conversation catch-ups arriving together (every client of a restarted node asks at once)
 * are answered by those two queries together, up to SYNC_BATCH people at a time.
 * For socket actors, who are not scoped to one workspace (the HTTP catch-up keeps getChangesSince).
 */
import { createBatcher } from "@/lib/concurrency";
import { notFound } from "@/lib/errors";
import { findMessagesByIds, toMessage } from "@/lib/messages/repository";
import { ZSyncManyQuery, ZSyncQuery, type TMessage } from "@/lib/messages/schema";
import { listReadableChangesAfter, type TSyncRequest } from "@/lib/messages/sync-repository";
import type { TChangeType, TSyncResult } from "@/lib/realtime/contract";
import type { TActor } from "@/lib/users/service";

export type TSyncManyResult = { results: TSyncResult[]; notFound: string[] };

/**
 * People's catch-ups answered together, at most this many per query and SYNC_CONCURRENCY queries at
 * once; a lone one is answered at once. A reconnect storm of 10,000 sockets was 10,000 queries of
 * its own beside the handshakes (docs/performance.md, Connections). Each asks for one conversation,
 * up to 1,000 changes: a batch reads at most 32,000 rows.
 */
const SYNC_BATCH = 32;
const SYNC_CONCURRENCY = 2;

/** Answers each request: per conversation its user may read, the result `channels.sync` gives. */
async function syncMany(requests: TSyncRequest[]): Promise<Map<string, TSyncResult>[]> {
  const rows = await listReadableChangesAfter(requests);
  const ids = [...new Set(rows.map((r) => r.messageId).filter((id): id is string => !!id))];
  const byId = new Map<string, TMessage>(ids.length ? (await findMessagesByIds(ids)).map((m) => [m.id, toMessage(m)]) : []);
  const afters = requests.map((request) => new Map(request.wanted.map((w) => [w.channelId, w.after])));
  const found = requests.map(() => new Map<string, TSyncResult & { count: number }>());
  for (const r of rows) {
    const after = afters[r.request]!.get(r.channelId)!;
    const out = found[r.request]!;
    let res = out.get(r.channelId);
    if (!res) out.set(r.channelId, (res = { channelId: r.channelId, events: [], head: Math.max(r.lastSeq, after), through: after, hasMore: false, count: 0 }));
    if (r.seq === null) continue;
    res.count++;
    res.through = r.seq;
    res.head = Math.max(res.head, r.seq);
    const message = r.messageId ? byId.get(r.messageId) : undefined;
    if (message) res.events.push({ channelId: r.channelId, workspaceId: r.workspaceId, seq: r.seq, type: r.type as TChangeType, message });
  }
  return found.map((out, i) => new Map([...out].map(([id, { count, ...res }]) => [id, { ...res, hasMore: count === requests[i]!.limit }])));
}

const syncOne = createBatcher(syncMany, { maxBatch: SYNC_BATCH, concurrency: SYNC_CONCURRENCY });

/** `channels.sync`: changes after `after` in one conversation; 404 when the actor may not read it. */
export async function syncChannel({ actor, input }: { actor: TActor; input: unknown }): Promise<TSyncResult> {
  const q = ZSyncQuery.parse(input);
  const res = (await syncOne({ userId: actor.userId, wanted: [{ channelId: q.channelId, after: q.after }], limit: q.limit })).get(q.channelId);
  if (!res) throw notFound("Channel not found");
  return res;
}

/**
 * `channels.syncMany`: the same for many conversations in one request (each answered as
 * `channels.sync` would); those the actor may not read are listed in `notFound`.
 */
export async function syncManyChannels({ actor, input }: { actor: TActor; input: unknown }): Promise<TSyncManyResult> {
  const q = ZSyncManyQuery.parse(input);
  // One entry per conversation: the lowest `after` asked for covers every duplicate.
  const wanted = new Map<string, number>();
  for (const c of q.channels) wanted.set(c.channelId, Math.min(c.after, wanted.get(c.channelId) ?? c.after));
  const [found] = await syncMany([{ userId: actor.userId, wanted: [...wanted].map(([channelId, after]) => ({ channelId, after })), limit: q.limit }]);
  return { results: [...wanted.keys()].flatMap((id) => found.get(id) ?? []), notFound: [...wanted.keys()].filter((id) => !found.has(id)) };
}
