/**
 * The reliability scenarios (issue 4). Each runs traffic through the two-node cluster while
 * something fails, waits for the clients to converge, and ends with Harness.verify. `short` is the
 * CI size; `long` the figures in docs/reliability.md.
 */
import { Redis } from "ioredis";
import type { RecordingClient } from "@/tests/reliability/client";
import { msgId, sleep, type Harness, type TUser } from "@/tests/reliability/harness";

export type TSize = "short" | "long";
export type TResult = { figures: Record<string, string | number> };
export type TScenario = { name: string; run: (h: Harness, size: TSize) => Promise<TResult> };

const pick = <T>(size: TSize, short: T, long: T) => (size === "short" ? short : long);
/** One message every 250 ms per producer: 40 per 10 s, inside the 60 per 10 s limit per person. */
const PACE_MS = 250;

/** Producers (one person each) and consumers on one or two private conversations, plus an outsider. */
async function setup(h: Harness, opts: { producers: number; consumers: number; channels?: number; offset?: number }) {
  const offset = opts.offset ?? 0;
  const people = h.users.slice(offset, offset + opts.producers + opts.consumers + 1);
  if (people.length < opts.producers + opts.consumers + 1) throw new Error("not enough seeded people");
  const producers = people.slice(0, opts.producers);
  const consumers = people.slice(opts.producers, opts.producers + opts.consumers);
  const outsider = people.at(-1)!;
  const channelIds: string[] = [];
  for (let i = 0; i < (opts.channels ?? 1); i++) channelIds.push(await h.channel([...producers, ...consumers]));
  const producerClients = await Promise.all(producers.map((u: TUser) => h.client(u, channelIds)));
  const consumerClients = await Promise.all(consumers.map((u: TUser) => h.client(u, channelIds)));
  const outsiderClient = await h.client(outsider, []);
  const streams = producerClients.map((client, i) => ({ client, channelId: channelIds[i % channelIds.length]! }));
  return { channelIds, producerClients, consumerClients, outsiderClient, streams, all: [...producerClients, ...consumerClients, outsiderClient] };
}

async function finish(h: Harness, clients: RecordingClient[], figures: Record<string, string | number>): Promise<TResult> {
  figures.convergeMs = await h.converge(clients, 60_000);
  const failures = [...h.cluster.unexpectedExits.splice(0), ...(await h.verify(clients))];
  figures.frames = clients.reduce((n, c) => n + c.frames.length, 0);
  figures.acked = h.acked.size;
  figures.resyncHints = clients.reduce((n, c) => n + c.resyncHints, 0);
  if (failures.length > 0) throw new Error(`${failures.length} check(s) failed:\n  ${failures.slice(0, 20).join("\n  ")}`);
  return { figures };
}

export const scenarios: TScenario[] = [
  {
    name: "rate limits shared across nodes",
    async run(h) {
      // Someone no other scenario sends as, with one connection on each node (the balancer alternates).
      const person = h.users.at(-1)!;
      const channelId = await h.channel([person]);
      const clients = [await h.client(person, [channelId]), await h.client(person, [channelId])];
      const tries = 80;
      const started = Date.now();
      // Both connections at once, each sending its half as fast as acks come back.
      const results = (
        await Promise.all(
          clients.map(async (client, c) => {
            const out: string[] = [];
            for (let i = 0; i < tries / 2; i++) {
              const clientMsgId = msgId();
              const res = await client.request<{ id: string }>("messages.create", { channelId, body: `burst ${c}.${i}`, clientMsgId }, 20_000);
              if (res.ok) h.acked.set(clientMsgId, res.data.id);
              out.push(res.ok ? "ok" : res.error.code);
            }
            return out;
          }),
        )
      ).flat();
      const burstMs = Date.now() - started;
      const accepted = results.filter((r) => r === "ok").length;
      const limited = results.filter((r) => r === "rate_limited").length;
      if (accepted + limited !== tries) throw new Error(`unexpected answers: ${[...new Set(results)].join(", ")}`);
      // The budget lives in Redis (one counter for the cluster), not in each node.
      const redis = new Redis(h.cluster.harnessEnv().REDIS_URL!, { lazyConnect: false });
      const counted = Number((await redis.get(`parley:rl:messageSend:${person.id}`)) ?? 0);
      redis.disconnect();
      if (counted === 0) throw new Error("no shared counter in Redis");
      // 60 per 10 s per person (lib/rate-limit.ts). Meaningful only if the burst fit in the window
      // (a heavily loaded machine may send slower than the limit).
      if (burstMs < 8000 && accepted > 60) throw new Error(`accepted ${accepted} of ${tries} within ${burstMs} ms: the budget is not shared`);
      return finish(h, clients, { accepted, rateLimited: limited, burstMs, redisCounter: counted });
    },
  },
  {
    name: "node hard-killed and restarted mid-stream",
    async run(h, size) {
      const s = await setup(h, { producers: 6, consumers: 6, channels: 2 });
      const rounds = pick(size, 2, 5);
      const traffic = h.traffic(s.streams, pick(size, 40, 120), PACE_MS);
      for (let i = 0; i < rounds; i++) {
        await sleep(1500);
        const node = i % 2;
        await h.cluster.stopNode(node, "SIGKILL");
        await sleep(500);
        await h.cluster.startNode(node);
      }
      await traffic;
      return finish(h, s.all, { kills: rounds });
    },
  },
  {
    name: "graceful restart",
    async run(h, size) {
      const s = await setup(h, { producers: 6, consumers: 6, channels: 2 });
      const rounds = pick(size, 1, 3);
      const traffic = h.traffic(s.streams, pick(size, 30, 100), PACE_MS);
      for (let i = 0; i < rounds; i++) {
        await sleep(1500);
        await h.cluster.stopNode(i % 2, "SIGTERM");
        await h.cluster.startNode(i % 2);
      }
      await traffic;
      return finish(h, s.all, { restarts: rounds });
    },
  },
  {
    name: "clients drop and come back",
    async run(h, size) {
      const s = await setup(h, { producers: 4, consumers: 6, channels: 1 });
      const downs = pick(size, [1000, 5000], [1000, 30_000, 300_000]);
      const perProducer = Math.ceil((Math.max(...downs) + 4000) / PACE_MS);
      const traffic = h.traffic(s.streams, perProducer, PACE_MS);
      await sleep(1000);
      // Two consumers per duration, all offline at once for their own time.
      await Promise.all(
        downs.map(async (ms, i) => {
          const group = s.consumerClients.slice(i * 2, i * 2 + 2);
          for (const c of group) c.dropConnection();
          await sleep(ms);
          for (const c of group) c.reconnect();
        }),
      );
      await traffic;
      return finish(h, s.all, { offlineMs: downs.join("/") });
    },
  },
  {
    name: "a node cut off from Redis",
    async run(h, size) {
      const s = await setup(h, { producers: 6, consumers: 6, channels: 2 });
      const cutMs = 10_000;
      // A partition (the connection stays up, nothing gets through) with all the traffic inside it:
      // no later frame reveals the gap, so only the resync after healing brings the others up to date.
      const proxy0 = h.cluster.nodes[0]!.redisProxy;
      proxy0.pause();
      const t0 = Date.now();
      await h.traffic(s.streams, Math.floor((cutMs - 3000) / PACE_MS), PACE_MS, "partition");
      await sleep(cutMs - (Date.now() - t0));
      proxy0.heal();
      const afterPartitionMs = await h.converge(s.all, 30_000);
      // A hard cut (connections dropped and refused) of the other node, traffic ending inside it.
      const proxy1 = h.cluster.nodes[1]!.redisProxy;
      proxy1.cut();
      const t1 = Date.now();
      const hardCutMs = pick(size, 4000, 10_000);
      await h.traffic(s.streams, Math.floor((hardCutMs - 1500) / PACE_MS), PACE_MS, "cut");
      await sleep(hardCutMs - (Date.now() - t1));
      proxy1.heal();
      return finish(h, s.all, { partitionMs: cutMs, convergeAfterPartitionMs: afterPartitionMs, hardCutMs });
    },
  },
  {
    name: "Redis restarted",
    async run(h, size) {
      const s = await setup(h, { producers: 6, consumers: 6, channels: 2 });
      const traffic = h.traffic(s.streams, pick(size, 40, 120), PACE_MS);
      await sleep(1500);
      await h.cluster.restartRedis(pick(size, 1000, 5000));
      await traffic;
      return finish(h, s.all, {});
    },
  },
  {
    name: "PostgreSQL connections terminated",
    async run(h, size) {
      const s = await setup(h, { producers: 6, consumers: 6, channels: 2 });
      const traffic = h.traffic(s.streams, pick(size, 40, 120), PACE_MS);
      await sleep(1500);
      const killed = await h.cluster.terminateDbConnections(pick(size, 3000, 5000));
      await traffic;
      const retriable = s.producerClients.reduce((n, c) => n + (c.errorCodes.get("unavailable") ?? 0) + (c.errorCodes.get("internal") ?? 0) + (c.errorCodes.get("timeout") ?? 0), 0);
      return finish(h, s.all, { backendsTerminated: killed, retriedSends: retriable });
    },
  },
  {
    name: "slow consumer",
    async run(h, size) {
      const total = pick(size, 1000, 5000);
      const producers = pick(size, 25, 100);
      // People who have not just sent (the earlier scenarios' producers are 0-5), so the per-person limit is not in the way.
      const s = await setup(h, { producers, consumers: 2, channels: 1, offset: 6 });
      const slow = s.consumerClients[0]!;
      const rssBefore = Math.max(h.cluster.rssMb(0), h.cluster.rssMb(1));
      slow.setReading(false);
      let rssPeak = rssBefore;
      const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, h.cluster.rssMb(0), h.cluster.rssMb(1))), 200);
      const started = Date.now();
      // As fast as the rate limit allows: bursts of 50 per person, then the rest paced.
      await h.traffic(s.streams, total / producers, 100);
      const sendMs = Date.now() - started;
      await sleep(2000);
      clearInterval(sampler);
      const connectsBefore = slow.connects;
      slow.setReading(true);
      const result = await finish(h, s.all, { messages: total, sendMs, rssBeforeMb: rssBefore, rssPeakMb: rssPeak });
      result.figures.slowConsumerCutOff = slow.connects > connectsBefore ? "yes" : "no";
      if (rssPeak - rssBefore > 400) throw new Error(`node memory grew by ${rssPeak - rssBefore} MB`);
      return result;
    },
  },
  {
    name: "member removed from a private channel mid-stream",
    async run(h, size) {
      const s = await setup(h, { producers: 4, consumers: 6, channels: 1 });
      const [channelId] = s.channelIds;
      const traffic = h.traffic(s.streams, pick(size, 40, 120), PACE_MS);
      await sleep(2000);
      const removed = s.consumerClients.slice(0, 3);
      for (const c of removed) {
        await h.svc.removeChannelMember({ actor: { userId: h.owner.id }, channelId: channelId!, userId: c.userId });
        // Changes committed before this read may still reach them; none after.
        h.removals.push({ userId: c.userId, channelId: channelId!, headAtRemoval: await h.head(channelId!) });
        await sleep(500);
      }
      await traffic;
      return finish(h, s.all, { removed: removed.length });
    },
  },
  {
    name: "edits, deletes and reactions while offline",
    async run(h, size) {
      const s = await setup(h, { producers: 2, consumers: 4, channels: 1 });
      const [channelId] = s.channelIds;
      await h.traffic(s.streams, pick(size, 20, 60), 50);
      await h.converge(s.all, 30_000);
      for (const c of s.consumerClients) c.dropConnection();
      const messages = [...h.acked.values()];
      const producer = s.producerClients[0]!.userId;
      const own = (await h.db.query<{ id: string }>(`SELECT id FROM "Message" WHERE "channelId" = $1 AND "senderId" = $2 ORDER BY seq`, [channelId, producer])).rows.map((r) => r.id);
      let edits = 0;
      let deletes = 0;
      let reactions = 0;
      for (const [i, id] of own.entries()) {
        if (i % 3 === 0) (await h.svc.editMessage({ actor: { userId: producer }, input: { messageId: id, body: `edited ${i} ✓` } }), edits++);
        else if (i % 3 === 1) (await h.svc.deleteMessage({ actor: { userId: producer }, input: { messageId: id } }), deletes++);
        for (const u of [s.producerClients[1]!.userId, s.consumerClients[0]!.userId]) {
          await h.svc.addReaction({ actor: { userId: u }, input: { messageId: messages[i % messages.length]!, emoji: i % 2 ? "thumbsup" : "tada" } }).catch(() => undefined);
          reactions++;
        }
      }
      await sleep(500);
      for (const c of s.consumerClients) c.reconnect();
      const result = await finish(h, s.all, { edits, deletes, reactions });
      // The state each one caught up to equals what a fresh load sees.
      const fresh = await h.client(h.users.find((u) => u.id === s.consumerClients[0]!.userId)!, [channelId!]);
      await h.converge([fresh], 30_000);
      const snapshot = (c: RecordingClient) => JSON.stringify([...(c.state.get(channelId!)?.values() ?? [])].sort((a, b) => a.seq - b.seq).map((m) => [m.id, m.body, m.editedAt, m.deletedAt, m.reactions]));
      for (const c of s.consumerClients) if (snapshot(c) !== snapshot(fresh)) throw new Error(`client ${c.userId} state differs from a fresh load`);
      return result;
    },
  },
  {
    name: "many clients reconnecting at once",
    async run(h, size) {
      const count = pick(size, 200, 1000);
      const s = await setup(h, { producers: 4, consumers: 0, channels: 1 });
      const [channelId] = s.channelIds;
      const people = h.users.slice(5, 45);
      await h.svc.addChannelMembers({ actor: { userId: h.owner.id }, channelId: channelId!, input: { userIds: people.map((p) => p.id) } });
      const crowd: RecordingClient[] = [];
      for (let i = 0; i < count; i += 100) crowd.push(...(await Promise.all(Array.from({ length: Math.min(100, count - i) }, (_, k) => h.client(people[(i + k) % people.length]!, [channelId!])))));
      const traffic = h.traffic(s.streams, pick(size, 30, 60), PACE_MS);
      await sleep(1000);
      const dropped = Date.now();
      h.cluster.lb.dropAll();
      await sleep(200);
      // Everyone back and caught up.
      const until = Date.now() + 60_000;
      while (crowd.some((c) => !c.socket.connected) && Date.now() < until) await sleep(50);
      const reconnectedMs = Date.now() - dropped;
      await traffic;
      return finish(h, [...s.all, ...crowd], { clients: count, allReconnectedMs: reconnectedMs });
    },
  },
];
