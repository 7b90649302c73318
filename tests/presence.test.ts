/**
 * Presence and typing stores: expiry, several connections per person, and the same behaviour in
 * memory and in Redis (the Redis half runs when Redis answers on 127.0.0.1:6379, as in CI).
 */
import { randomBytes } from "node:crypto";
import net from "node:net";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createMemoryPresenceStore, createRedisPresenceStore, type TPresenceStore } from "@/lib/realtime/presence";

const id = () => `u${randomBytes(6).toString("hex")}`;

const isRedisUp = await new Promise<boolean>((resolve) => {
  const s = net.connect({ host: "127.0.0.1", port: 6379 });
  s.once("connect", () => (s.destroy(), resolve(true)));
  s.once("error", () => resolve(false));
});
const redis = isRedisUp ? new Redis("redis://127.0.0.1:6379", { lazyConnect: false }) : undefined;
afterAll(() => redis?.disconnect());

function behavesLikeAPresenceStore(make: (now: () => number) => TPresenceStore) {
  it("a person is online while any of their connections is fresh", async () => {
    let t = 1_000_000;
    const store = make(() => t);
    const [alice, bob] = [id(), id()];
    await store.heartbeat(alice, "c1", 1000);
    await store.heartbeat(alice, "c2", 3000);
    expect(await store.listOnline([alice, bob])).toEqual([alice]);
    await store.setOffline(alice, "c2");
    expect(await store.listOnline([alice])).toEqual([alice]);
    t += 1500; // c1 expired
    expect(await store.listOnline([alice])).toEqual([]);
    await store.heartbeat(alice, "c1", 1000);
    expect(await store.listOnline([alice])).toEqual([alice]);
  });

  it("typing expires by itself", async () => {
    let t = 2_000_000;
    const store = make(() => t);
    const [channel, alice, bob] = [id(), id(), id()];
    await store.setTyping(channel, alice, 1000);
    await store.setTyping(channel, bob, 5000);
    expect((await store.listTyping(channel)).sort()).toEqual([alice, bob].sort());
    t += 2000;
    expect(await store.listTyping(channel)).toEqual([bob]);
  });
}

describe("presence in memory", () => behavesLikeAPresenceStore((now) => createMemoryPresenceStore(now)));

describe.skipIf(!isRedisUp)("presence in Redis", () => {
  // Fake clocks near the real one: Redis key expiry uses real time.
  behavesLikeAPresenceStore((now) => {
    const offset = Date.now() - now();
    return createRedisPresenceStore(redis!, () => now() + offset);
  });
});
