/**
 * The socket handshake under pressure (server/realtime.ts admitSocket, HandshakeGate): one query per
 * connecting socket, a bounded number at once — queued sockets wait, none is refused — and rooms that
 * reflect memberships at the moment the socket joins, even while they change. Also `channels.syncMany`.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { addChannelMembers, createChannel, removeChannelMember } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import type { TSyncResult } from "@/lib/realtime/contract";
import type { TParleyNode } from "@/server/app";
import { createTrio, eventually, sessionCookie, startNode, TestClient, type TTrio } from "@/tests/realtime-client";

/**
 * A hook run right after a handshake's database read returns (the real read, on the real database):
 * lets a test land a membership change exactly between a socket's read and its joining the rooms.
 */
const hooks = vi.hoisted(() => ({ afterRead: undefined as undefined | (() => Promise<void>) }));
vi.mock("@/lib/channels/repository", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/channels/repository")>();
  return {
    ...real,
    findSocketSessions: async (userIds: string[]) => {
      const found = await real.findSocketSessions(userIds);
      const hook = hooks.afterRead;
      hooks.afterRead = undefined;
      await hook?.();
      return found;
    },
  };
});

const rid = () => randomBytes(6).toString("hex");
const msgId = () => `m${randomBytes(10).toString("hex")}`;

let node: TParleyNode;
let slug: string;
let general: string;
let secret: string;
let users: TTrio["users"];
const clients: TestClient[] = [];

function track(c: TestClient): TestClient {
  clients.push(c);
  return c;
}

beforeAll(async () => {
  await ensureDbReady();
  ({ users, slug, general, secret } = await createTrio("Handshakes", "hs"));
  node = await startNode();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe("socket handshake", () => {
  it("admits a burst far larger than its concurrency: every socket connects, in its rooms", async () => {
    const cookies = { alice: await sessionCookie(users.alice.id), bob: await sessionCookie(users.bob.id) };
    const burst = Array.from({ length: 60 }, (_, i) => track(new TestClient(node.port, i % 2 ? cookies.bob : cookies.alice, [])));
    await Promise.all(burst.map((c) => c.connect()));
    expect(burst.every((c) => c.socket.connected)).toBe(true);
    const sender = track(new TestClient(node.port, cookies.alice, []));
    await sender.connect();
    const m = await sender.sendReliably(general, `burst ${rid()}`, msgId());
    await eventually(() => expect(burst.filter((c) => c.frames.some((f) => f.event.message.id === m.id))).toHaveLength(burst.length));
  });

  it("a socket connecting while its membership is removed never gets a frame of that conversation", async () => {
    const carolCookie = await sessionCookie(users.carol.id);
    const alice = track(new TestClient(node.port, await sessionCookie(users.alice.id), []));
    await alice.connect();
    for (let round = 0; round < 12; round++) {
      const ch = await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `race-${rid()}`, kind: "PRIVATE", memberIds: [users.carol.id] } });
      const c = track(new TestClient(node.port, carolCookie, []));
      // The removal lands somewhere in the handshake (before, during or after its read).
      await Promise.all([
        c.connect(),
        (async () => {
          for (let i = 0; i < round % 4; i++) await new Promise((r) => setImmediate(r));
          await removeChannelMember({ actor: { userId: users.alice.id }, channelId: ch.id, userId: users.carol.id });
        })(),
      ]);
      const m = await alice.sendReliably(ch.id, `after removal ${round}`, msgId());
      // A frame sent after this one in Carol's own room proves anything for `ch` would have arrived by now.
      const marker = await alice.sendReliably(general, `marker ${round}`, msgId());
      await eventually(() => expect(c.frames.some((f) => f.event.message.id === marker.id)).toBe(true));
      expect(c.frames.filter((f) => f.event.channelId === ch.id || f.event.message.id === m.id)).toEqual([]);
      c.close();
    }
  });

  it("a membership removed between the handshake's read and its join: the read is repeated, no frame arrives", async () => {
    const alice = track(new TestClient(node.port, await sessionCookie(users.alice.id), []));
    await alice.connect();
    const ch = await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `gap-${rid()}`, kind: "PRIVATE", memberIds: [users.carol.id] } });
    let removed = false;
    hooks.afterRead = async () => {
      await removeChannelMember({ actor: { userId: users.alice.id }, channelId: ch.id, userId: users.carol.id });
      removed = true;
    };
    const c = track(new TestClient(node.port, await sessionCookie(users.carol.id), []));
    await c.connect();
    expect(removed).toBe(true);
    const m = await alice.sendReliably(ch.id, `not for carol ${rid()}`, msgId());
    const marker = await alice.sendReliably(general, `marker ${rid()}`, msgId());
    await eventually(() => expect(c.frames.some((f) => f.event.message.id === marker.id)).toBe(true));
    expect(c.frames.filter((f) => f.event.channelId === ch.id || f.event.message.id === m.id)).toEqual([]);
  });

  it("a socket connecting while it is added to a conversation ends up receiving it", async () => {
    const carolCookie = await sessionCookie(users.carol.id);
    const alice = track(new TestClient(node.port, await sessionCookie(users.alice.id), []));
    await alice.connect();
    for (let round = 0; round < 6; round++) {
      const ch = await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `join-${rid()}`, kind: "PRIVATE" } });
      const c = track(new TestClient(node.port, carolCookie, []));
      await Promise.all([c.connect(), addChannelMembers({ actor: { userId: users.alice.id }, channelId: ch.id, input: { userIds: [users.carol.id] } })]);
      // Live or after the server's resync hint, Carol's socket is in the room: a later message arrives live.
      await eventually(async () => {
        const m = await alice.sendReliably(ch.id, `hello ${round} ${rid()}`, msgId());
        await eventually(() => expect(c.frames.some((f) => f.event.message.id === m.id)).toBe(true), 1000);
      });
      c.close();
    }
  });
});

describe("channels.syncMany", () => {
  it("answers each conversation as channels.sync does, and lists the unreadable ones", async () => {
    const alice = track(new TestClient(node.port, await sessionCookie(users.alice.id), []));
    const carol = track(new TestClient(node.port, await sessionCookie(users.carol.id), []));
    await Promise.all([alice.connect(), carol.connect()]);
    for (let i = 0; i < 5; i++) await alice.sendReliably(secret, `s${i} 秘密`, msgId());
    for (let i = 0; i < 3; i++) await alice.sendReliably(general, `g${i}`, msgId());
    const asked = [
      { channelId: general, after: 0 },
      { channelId: secret, after: 2 },
      { channelId: "nosuchchannel", after: 0 },
    ];
    const many = await alice.request<{ results: TSyncResult[]; notFound: string[] }>("channels.syncMany", { channels: asked, limit: 3 });
    if (!many.ok) throw new Error(many.error.message);
    expect(many.data.notFound).toEqual(["nosuchchannel"]);
    for (const q of asked.slice(0, 2)) {
      const one = await alice.request<TSyncResult>("channels.sync", { ...q, limit: 3 });
      if (!one.ok) throw new Error(one.error.message);
      expect(many.data.results.find((r) => r.channelId === q.channelId)).toEqual(one.data);
      expect(one.data.events.length).toBeLessThanOrEqual(3);
    }
    const s = many.data.results.find((r) => r.channelId === secret)!;
    expect(s.events.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(s.hasMore).toBe(true); // A full page says "ask again after through", as channels.sync does.

    // Carol is not in the private conversation: it is not found, and nothing of it is sent.
    const hers = await carol.request<{ results: TSyncResult[]; notFound: string[] }>("channels.syncMany", { channels: [{ channelId: secret, after: 0 }, { channelId: general, after: 0 }] });
    if (!hers.ok) throw new Error(hers.error.message);
    expect(hers.data.notFound).toEqual([secret]);
    expect(hers.data.results.map((r) => r.channelId)).toEqual([general]);
    const bad = await carol.request("channels.syncMany", { channels: [] });
    expect(!bad.ok && bad.error.code).toBe("validation_failed");
  });
});
