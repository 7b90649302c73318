/**
 * Catch-up over the socket (docs/realtime.md): the changes after the client's last seq, for one
 * conversation (`channels.sync`) or many at once (`channels.syncMany`, after a reconnect). Two
 * queries however many conversations are asked for — rights, heads and changes in one, the
 * messages' current state in the other — where one `getChangesSince` per conversation costs three.
 * For socket actors, who are not scoped to one workspace (the HTTP catch-up keeps getChangesSince).
 */
import { notFound } from "@/lib/errors";
import { findMessagesByIds, toMessage } from "@/lib/messages/repository";
import { ZSyncManyQuery, ZSyncQuery } from "@/lib/messages/schema";
import { listReadableChangesAfter } from "@/lib/messages/sync-repository";
import type { TChangeType, TSyncResult } from "@/lib/realtime/contract";
import type { TActor } from "@/lib/users/service";

export type TSyncManyResult = { results: TSyncResult[]; notFound: string[] };

async function syncChannels(actor: TActor, wanted: { channelId: string; after: number }[], limit: number): Promise<Map<string, TSyncResult>> {
  const rows = await listReadableChangesAfter(actor.userId, wanted, limit);
  const ids = [...new Set(rows.map((r) => r.messageId).filter((id): id is string => !!id))];
  const byId = new Map(ids.length ? (await findMessagesByIds(ids)).map((m) => [m.id, toMessage(m)]) : []);
  const afterOf = new Map(wanted.map((w) => [w.channelId, w.after]));
  const out = new Map<string, TSyncResult & { count: number }>();
  for (const r of rows) {
    const after = afterOf.get(r.channelId)!;
    let res = out.get(r.channelId);
    if (!res) out.set(r.channelId, (res = { channelId: r.channelId, events: [], head: Math.max(r.lastSeq, after), through: after, hasMore: false, count: 0 }));
    if (r.seq === null) continue;
    res.count++;
    res.through = r.seq;
    res.head = Math.max(res.head, r.seq);
    const message = r.messageId ? byId.get(r.messageId) : undefined;
    if (message) res.events.push({ channelId: r.channelId, workspaceId: r.workspaceId, seq: r.seq, type: r.type as TChangeType, message });
  }
  const results = new Map<string, TSyncResult>();
  for (const [id, { count, ...res }] of out) results.set(id, { ...res, hasMore: count === limit });
  return results;
}

/** `channels.sync`: changes after `after` in one conversation; 404 when the actor may not read it. */
export async function syncChannel({ actor, input }: { actor: TActor; input: unknown }): Promise<TSyncResult> {
  const q = ZSyncQuery.parse(input);
  const res = (await syncChannels(actor, [{ channelId: q.channelId, after: q.after }], q.limit)).get(q.channelId);
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
  const found = await syncChannels(actor, [...wanted].map(([channelId, after]) => ({ channelId, after })), q.limit);
  return { results: [...wanted.keys()].flatMap((id) => found.get(id) ?? []), notFound: [...wanted.keys()].filter((id) => !found.has(id)) };
}
