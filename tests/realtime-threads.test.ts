/**
 * Reactions, pins and thread replies over real sockets: live delivery, catch-up after being offline
 * (the caught-up state equals a fresh load), and refusals in the ack.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listMyChannels } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import { listMessages } from "@/lib/messages/service";
import type { TMessage } from "@/lib/messages/schema";
import { listReplies } from "@/lib/messages/threads";
import { signUp } from "@/lib/users/service";
import { addMemberDirect, createWorkspace } from "@/lib/workspaces/service";
import type { TParleyNode } from "@/server/app";
import { eventually, sessionCookie, startNode, TestClient } from "@/tests/realtime-client";

const rid = () => randomBytes(6).toString("hex");
const msgId = () => `m${randomBytes(10).toString("hex")}`;

let node: TParleyNode;
let general: string;
const users: Record<"alice" | "bob", { id: string }> = {} as never;
const clients: TestClient[] = [];

async function client(who: keyof typeof users): Promise<TestClient> {
  const c = new TestClient(node.port, await sessionCookie(users[who].id), [general]);
  clients.push(c);
  await c.connect();
  await c.catchUp(general);
  return c;
}

async function ok<T>(c: TestClient, event: Parameters<TestClient["request"]>[0], input: unknown): Promise<T> {
  const res = await c.request<T>(event, input);
  if (!res.ok) throw new Error(`${event}: ${res.error.code} ${res.error.message}`);
  return res.data;
}

beforeAll(async () => {
  await ensureDbReady();
  for (const who of ["alice", "bob"] as const) users[who] = await signUp({ name: who, email: `${who}-${rid()}@example.test`, password: "correct horse battery" });
  const slug = `rtt-${rid()}`;
  await createWorkspace({ actor: { userId: users.alice.id }, input: { name: "Threads", slug } });
  await addMemberDirect({ workspaceSlug: slug, userId: users.bob.id, role: "MEMBER" });
  general = (await listMyChannels({ actor: { userId: users.alice.id }, slug })).find((c) => c.isGeneral)!.id;
  node = await startNode();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe("reactions, pins and threads in realtime", () => {
  it("a reaction reaches the other client live, once, as messages.updated", async () => {
    const a = await client("alice");
    const b = await client("bob");
    const m = await a.sendReliably(general, "react live", msgId());
    await eventually(() => expect(b.messages.get(general)?.get(m.id)).toBeDefined());
    const reacted = await ok<TMessage>(a, "reactions.add", { messageId: m.id, emoji: "👀" });
    expect(reacted.reactions).toEqual([{ emoji: "eyes", count: 1, userIds: [users.alice.id] }]);
    await eventually(() => expect(b.messages.get(general)?.get(m.id)?.reactions).toEqual(reacted.reactions));
    const frames = b.frames.filter((f) => f.event.message.id === m.id && f.event.type === "message.updated");
    expect(frames).toHaveLength(1);
    expect(frames[0]!.via).toBe("live");
  });

  it("reactions, pins and thread replies made while a client is offline arrive by catch-up and equal a fresh load", async () => {
    const a = await client("alice");
    const b = await client("bob");
    const root = await a.sendReliably(general, "offline thread root 离线", msgId());
    await eventually(() => expect(b.messages.get(general)?.get(root.id)).toBeDefined());
    b.socket.disconnect();

    await ok(a, "reactions.add", { messageId: root.id, emoji: "tada" });
    await ok(a, "reactions.add", { messageId: root.id, emoji: "heart" });
    await ok(a, "reactions.remove", { messageId: root.id, emoji: "tada" });
    await ok(a, "pins.add", { messageId: root.id });
    const reply = await ok<TMessage>(a, "messages.create", { channelId: general, body: "回复 while you were away", clientMsgId: msgId(), threadRootId: root.id });
    const shown = await ok<TMessage>(a, "messages.create", { channelId: general, body: "also in the channel", clientMsgId: msgId(), threadRootId: root.id, broadcast: true });
    expect(shown.broadcast).toBe(true);
    await ok(a, "reactions.add", { messageId: reply.id, emoji: "+1" });

    await b.connect();
    const fresh = await listMessages({ actor: { userId: users.bob.id }, input: { channelId: general } });
    const thread = await listReplies({ actor: { userId: users.bob.id }, input: { messageId: root.id } });
    await eventually(() => expect(b.last.get(general)).toBe(fresh.head));
    const mine = b.messages.get(general)!;
    // The root as caught up equals the root as freshly loaded: reactions, pin and reply count.
    expect(mine.get(root.id)).toEqual(fresh.messages.find((m) => m.id === root.id));
    expect(mine.get(root.id)).toMatchObject({ replyCount: 2, pinnedById: users.alice.id, reactions: [{ emoji: "heart", count: 1, userIds: [users.alice.id] }] });
    // Replies came too, each as it is now.
    expect(mine.get(reply.id)).toEqual(thread.replies.find((r) => r.id === reply.id));
    expect(mine.get(reply.id)!.reactions).toEqual([{ emoji: "+1", count: 1, userIds: [users.alice.id] }]);
    expect(mine.get(shown.id)).toEqual(fresh.messages.find((m) => m.id === shown.id));
    // The channel's history holds the broadcast reply, not the plain one.
    expect(fresh.messages.map((m) => m.id)).toEqual(expect.arrayContaining([root.id, shown.id]));
    expect(fresh.messages.map((m) => m.id)).not.toContain(reply.id);
    expect(b.frames.filter((f) => f.event.message.id === root.id && f.via === "sync").length).toBeGreaterThan(0);
  });

  it("refusals come back in the ack with the Slack reason", async () => {
    const a = await client("alice");
    const m = await a.sendReliably(general, "refusals", msgId());
    await ok(a, "reactions.add", { messageId: m.id, emoji: "smile" });
    const again = await a.request("reactions.add", { messageId: m.id, emoji: ":smile:" });
    expect(again).toMatchObject({ ok: false, error: { code: "conflict", details: { reason: "already_reacted" } } });
    const none = await a.request("reactions.remove", { messageId: m.id, emoji: "wave" });
    expect(none).toMatchObject({ ok: false, error: { code: "conflict", details: { reason: "no_reaction" } } });
    const unpinned = await a.request("pins.remove", { messageId: m.id });
    expect(unpinned).toMatchObject({ ok: false, error: { code: "conflict", details: { reason: "no_pin" } } });
    const bad = await a.request("reactions.add", { messageId: m.id, emoji: "not an emoji" });
    expect(bad).toMatchObject({ ok: false, error: { code: "validation_failed", details: { reason: "invalid_name" } } });
  });
});
