/**
 * The delivery contract over real sockets: a started node, socket.io-client, the real database.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TSidebarHead } from "@/lib/channels/schema";
import { addChannelMembers, createChannel, removeChannelMember } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { signUp } from "@/lib/users/service";
import { addMemberDirect, updateMember } from "@/lib/workspaces/service";
import type { TParleyNode } from "@/server/app";
import { createTrio, eventually, sessionCookie, startNode, TestClient, type TTrio } from "@/tests/realtime-client";

const rid = () => randomBytes(6).toString("hex");
const msgId = () => `m${randomBytes(10).toString("hex")}`;

let node: TParleyNode;
let slug: string;
let general: string;
let secret: string;
let users: TTrio["users"];
const clients: TestClient[] = [];

async function client(who: keyof typeof users, watched: string[]): Promise<TestClient> {
  const c = new TestClient(node.port, await sessionCookie(users[who].id), watched);
  clients.push(c);
  await c.connect();
  return c;
}

beforeAll(async () => {
  await ensureDbReady();
  ({ users, slug, general, secret } = await createTrio("Realtime", "rt"));
  node = await startNode();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe("realtime delivery", () => {
  it("refuses a socket without a valid session", async () => {
    const anonymous = new TestClient(node.port, undefined, []);
    await expect(anonymous.connect()).rejects.toThrow(/unauthorized/);
    anonymous.close();
    const forged = new TestClient(node.port, "next-auth.session-token=eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0.forged.token.value.x", []);
    await expect(forged.connect()).rejects.toThrow(/unauthorized/);
    forged.close();
  });

  it("A sends, B receives it exactly once, live", async () => {
    const a = await client("alice", [general]);
    const b = await client("bob", [general]);
    await b.catchUp(general);
    const body = `hello 你好 ${rid()}`;
    const sent = await a.sendReliably(general, body, msgId());
    expect(sent.seq).toBeGreaterThan(0);
    await eventually(() => expect(b.visible(general).map((m) => m.body)).toContain(body));
    const framesForIt = b.frames.filter((f) => f.event.message.id === sent.id);
    expect(framesForIt).toHaveLength(1);
    expect(framesForIt[0]!.via).toBe("live");
  });

  it("the same clientMsgId sent twice stores one message", async () => {
    const a = await client("alice", [general]);
    const b = await client("bob", [general]);
    await b.catchUp(general);
    const id = msgId();
    const [r1, r2] = await Promise.all([
      a.request<{ id: string }>("messages.create", { channelId: general, body: "once", clientMsgId: id }),
      a.request<{ id: string }>("messages.create", { channelId: general, body: "once", clientMsgId: id }),
    ]);
    const r3 = await a.request<{ id: string }>("messages.create", { channelId: general, body: "once", clientMsgId: id });
    expect(r1.ok && r2.ok && r3.ok).toBe(true);
    const ids = new Set([r1, r2, r3].map((r) => (r.ok ? r.data.id : "")));
    expect(ids.size).toBe(1);
    expect(await getDb().message.count({ where: { senderId: users.alice.id, clientMsgId: id } })).toBe(1);
    await eventually(() => expect(b.visible(general).filter((m) => m.clientMsgId === id)).toHaveLength(1));
    expect(b.frames.filter((f) => f.event.message.clientMsgId === id && f.event.type === "message.created")).toHaveLength(1);
  });

  it("B disconnects, A sends 20, B reconnects and gets exactly those 20 in order", async () => {
    const a = await client("alice", [general]);
    const b = await client("bob", [general]);
    await b.catchUp(general);
    const before = b.frames.length;
    b.socket.disconnect();
    const bodies = Array.from({ length: 20 }, (_, i) => `offline-${i}-${rid()}`);
    for (const body of bodies) await a.sendReliably(general, body, msgId());
    await b.connect();
    await eventually(() => expect(b.frames.length - before).toBe(20));
    const got = b.frames.slice(before);
    expect(got.map((f) => f.event.message.body)).toEqual(bodies);
    expect(got.every((f) => f.via === "sync")).toBe(true);
    const seqs = got.map((f) => f.event.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(20);
  });

  it("the server restarts mid-conversation and nothing is lost, duplicated or reordered", async () => {
    const a = await client("alice", [general]);
    const b = await client("bob", [general]);
    await b.catchUp(general);
    const start = b.last.get(general) ?? 0;
    const bodies = Array.from({ length: 30 }, (_, i) => `restart-${i}-${rid()}`);
    const port = node.port;
    const sending = (async () => {
      for (const body of bodies) await a.sendReliably(general, body, msgId(), 60_000);
    })();
    // Restart while the sender is mid-stream.
    await eventually(() => expect((b.last.get(general) ?? 0) - start).toBeGreaterThanOrEqual(5));
    await node.close();
    node = await startNode(port);
    await sending;
    await eventually(() => expect(b.visible(general).filter((m) => m.body.startsWith("restart-")).map((m) => m.body)).toEqual(bodies), 20_000);
    // Exactly what the database holds, in conversation order.
    const stored = await getDb().message.findMany({ where: { channelId: general, body: { startsWith: "restart-" }, senderId: users.alice.id }, orderBy: { seq: "asc" }, select: { body: true } });
    expect(stored.map((m) => m.body)).toEqual(bodies);
    const applied = b.frames.filter((f) => f.event.message.body.startsWith("restart-") && f.event.type === "message.created");
    const uniqueIds = new Set(applied.map((f) => f.event.message.id));
    expect(uniqueIds.size).toBe(30);
  }, 90_000);

  it("edits and deletes made while a client is offline arrive by catch-up", async () => {
    const a = await client("alice", [general]);
    const b = await client("bob", [general]);
    const m1 = await a.sendReliably(general, "to edit", msgId());
    const m2 = await a.sendReliably(general, "to delete", msgId());
    await eventually(() => expect(b.visible(general).map((m) => m.id)).toEqual(expect.arrayContaining([m1.id, m2.id])));
    b.socket.disconnect();
    expect((await a.request("messages.update", { messageId: m1.id, body: "edited ✓" })).ok).toBe(true);
    expect((await a.request("messages.delete", { messageId: m2.id })).ok).toBe(true);
    await b.connect();
    await eventually(() => {
      const visible = b.visible(general);
      expect(visible.find((m) => m.id === m1.id)?.body).toBe("edited ✓");
      expect(visible.find((m) => m.id === m1.id)?.editedAt).toBeTruthy();
      expect(visible.find((m) => m.id === m2.id)).toBeUndefined();
    });
  });

  it("a non-member never receives a private channel's messages and cannot sync it", async () => {
    const b = await client("bob", [secret]);
    const c = await client("carol", []);
    const a = await client("alice", [secret]);
    const body = `private ${rid()}`;
    await a.sendReliably(secret, body, msgId());
    await eventually(() => expect(b.visible(secret).map((m) => m.body)).toContain(body));
    const res = await c.request("channels.sync", { channelId: secret, after: 0 });
    expect(res.ok).toBe(false);
    expect(!res.ok && res.error.code).toBe("not_found");
    const send = await c.request("messages.create", { channelId: secret, body: "let me in", clientMsgId: msgId() });
    expect(!send.ok && send.error.code).toBe("not_found");
    expect(c.frames.filter((f) => f.event.channelId === secret)).toHaveLength(0);
  });

  it("channels.heads answers how far each sidebar conversation has gone, and only for your own", async () => {
    const a = await client("alice", []);
    const c = await client("carol", []);
    const sent = await a.sendReliably(secret, `head ${rid()} 头`, msgId());
    const mine = await a.request<{ channels: TSidebarHead[] }>("channels.heads", { slug });
    expect(mine.ok && mine.data.channels.find((h) => h.id === secret)).toMatchObject({ id: secret, lastSeq: sent.seq });
    expect(mine.ok && mine.data.channels.some((h) => h.id === general)).toBe(true);
    const carols = await c.request<{ channels: TSidebarHead[] }>("channels.heads", { slug });
    expect(carols.ok && carols.data.channels.some((h) => h.id === secret)).toBe(false);
    const refused = await c.request("channels.heads", { slug: "no-such-workspace" });
    expect(!refused.ok && refused.error.code).toBe("not_found");
    const invalid = await c.request("channels.heads", { slug: 42 });
    expect(!invalid.ok && invalid.error.code).toBe("validation_failed");
  });

  it("people added to a channel start receiving it; people removed stop", async () => {
    const a = await client("alice", []);
    const c = await client("carol", []);
    const ch = await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `added-${rid()}`, kind: "PRIVATE" } });
    const joined = new Promise((resolve) => c.socket.once("channels.joined", resolve));
    await addChannelMembers({ actor: { userId: users.alice.id }, channelId: ch.id, input: { userIds: [users.carol.id] } });
    await joined;
    const m = await a.sendReliably(ch.id, "welcome", msgId());
    await eventually(() => expect(c.frames.some((f) => f.event.message.id === m.id)).toBe(true));
    const removed = new Promise((resolve) => c.socket.once("channels.removed", resolve));
    await removeChannelMember({ actor: { userId: users.alice.id }, channelId: ch.id, userId: users.carol.id });
    await removed;
    const before = c.frames.length;
    const after = await a.sendReliably(ch.id, "after removal", msgId());
    // Alice (still a member) sees it; Carol gets nothing more.
    const watcher = await client("alice", [ch.id]);
    await eventually(() => expect(watcher.visible(ch.id).some((x) => x.id === after.id)).toBe(true));
    expect(c.frames.slice(before).filter((f) => f.event.channelId === ch.id)).toHaveLength(0);
  });

  it("deactivating a member ends their sockets at once and refuses new ones", async () => {
    const dave = await signUp({ name: "dave", email: `dave-${rid()}@example.test`, password: "correct horse battery" });
    await addMemberDirect({ workspaceSlug: slug, userId: dave.id, role: "MEMBER" });
    const cookie = await sessionCookie(dave.id);
    const d = new TestClient(node.port, cookie, []);
    clients.push(d);
    await d.connect();
    const ended = new Promise<{ reason: string }>((resolve) => d.socket.once("session.ended", resolve));
    const disconnected = new Promise((resolve) => d.socket.once("disconnect", resolve));
    await updateMember({ actor: { userId: users.alice.id }, slug, userId: dave.id, input: { status: "DEACTIVATED" } });
    expect((await ended).reason).toBe("deactivated");
    await disconnected;
    const again = new TestClient(node.port, cookie, []);
    await expect(again.connect()).rejects.toThrow(/unauthorized/);
    again.close();
  });
});
