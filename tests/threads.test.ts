/** Threads: replies through sendMessage, listReplies (lib/messages/threads.ts), broadcast replies and unread counts. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getChannel, markRead } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import { refusalReason } from "@/lib/messages/refusals";
import { deleteMessage, getChangesSince, listMessages, sendMessage } from "@/lib/messages/service";
import { listReplies } from "@/lib/messages/threads";
import type { TMessage } from "@/lib/messages/schema";
import { createChannel, createMember, createWorkspace, expectAppError, resetSendLimit, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let alice: TTestUser;
let bob: TTestUser;
let carol: TTestUser;

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  [alice, bob, carol] = await Promise.all([createMember(ws, "MEMBER", "Alice"), createMember(ws, "MEMBER", "Bob"), createMember(ws, "MEMBER", "Carol")]);
});

beforeEach(async () => {
  await Promise.all([alice, bob, carol].map(resetSendLimit));
});

async function newRoot(kind: "PUBLIC" | "PRIVATE" = "PRIVATE"): Promise<TMessage> {
  const channel = await createChannel(ws, alice, { kind, memberIds: [bob.id] });
  return sendMessage({ actor: alice.actor, input: { channelId: channel.id, body: "thread root 主题" } });
}

function reply(u: TTestUser, root: TMessage, body: string, broadcast?: boolean): Promise<TMessage> {
  return sendMessage({ actor: u.actor, input: { channelId: root.channelId, body, threadRootId: root.id, ...(broadcast !== undefined ? { broadcast } : {}) } });
}

describe("threads", () => {
  it("lists the root and its replies in order, paged by seq cursor", async () => {
    const root = await newRoot();
    const replies: TMessage[] = [];
    for (let i = 1; i <= 5; i++) replies.push(await reply(i % 2 ? bob : alice, root, `回复 ${i}`));
    const page1 = await listReplies({ actor: bob.actor, input: { messageId: root.id, limit: 2 } });
    expect(page1.root.id).toBe(root.id);
    expect(page1.root.replyCount).toBe(5);
    expect(page1.replies.map((r) => r.body)).toEqual(["回复 1", "回复 2"]);
    expect(page1.hasMore).toBe(true);
    const page2 = await listReplies({ actor: bob.actor, input: { messageId: root.id, after: page1.replies.at(-1)!.seq, limit: 2 } });
    expect(page2.replies.map((r) => r.body)).toEqual(["回复 3", "回复 4"]);
    const page3 = await listReplies({ actor: bob.actor, input: { messageId: root.id, after: page2.replies.at(-1)!.seq, limit: 2 } });
    expect(page3.replies.map((r) => r.body)).toEqual(["回复 5"]);
    expect(page3.hasMore).toBe(false);
    expect(page3.head).toBe((await getChannel({ actor: alice.actor, channelId: root.channelId })).lastSeq);
    // A reply's id finds its thread; replies carry the root's ts as threadTs.
    const viaReply = await listReplies({ actor: alice.actor, input: { messageId: replies[2]!.id } });
    expect(viaReply.root.id).toBe(root.id);
    expect(viaReply.replies.map((r) => r.id)).toEqual(replies.map((r) => r.id));
    expect(viaReply.replies.every((r) => r.threadRootId === root.id && r.threadTs === root.ts)).toBe(true);
  });

  it("hides threads of channels you cannot read", async () => {
    const root = await newRoot("PRIVATE");
    await reply(bob, root, "secret reply");
    expect(refusalReason(await expectAppError(listReplies({ actor: carol.actor, input: { messageId: root.id } }), "not_found"))).toBe("thread_not_found");
    await expectAppError(listReplies({ actor: carol.actor, input: { messageId: "nonexistent0000" } }), "not_found");
    await expectAppError(listReplies({ actor: alice.actor, input: { messageId: root.id, limit: 0 } }), "validation_failed");
  });

  it("plain replies stay out of the channel's history and unread count; broadcast ones are in both", async () => {
    const root = await newRoot();
    const head = (await getChannel({ actor: bob.actor, channelId: root.channelId })).lastSeq;
    await markRead({ actor: bob.actor, input: { channelId: root.channelId, seq: head } });
    await reply(alice, root, "only in the thread");
    expect((await getChannel({ actor: bob.actor, channelId: root.channelId })).unreadCount).toBe(0);
    const shown = await reply(alice, root, "also in the channel", true);
    expect(shown.broadcast).toBe(true);
    expect((await getChannel({ actor: bob.actor, channelId: root.channelId })).unreadCount).toBe(1);
    const history = await listMessages({ actor: bob.actor, input: { channelId: root.channelId } });
    expect(history.messages.map((m) => m.body)).toEqual([root.body, "also in the channel"]);
    // broadcast without a thread means nothing.
    const plain = await sendMessage({ actor: alice.actor, input: { channelId: root.channelId, body: "top level", broadcast: true } });
    expect(plain.broadcast).toBe(false);
    const thread = await listReplies({ actor: bob.actor, input: { messageId: root.id } });
    expect(thread.replies.map((r) => r.body)).toEqual(["only in the thread", "also in the channel"]);
  });

  it("10 concurrent replies: reply count 10, gap-free seqs, every root update a change", async () => {
    const root = await newRoot();
    const head = (await getChannel({ actor: alice.actor, channelId: root.channelId })).lastSeq;
    const sent = await Promise.all(Array.from({ length: 10 }, (_, i) => reply(i % 2 ? alice : bob, root, `concurrent ${i}`)));
    const thread = await listReplies({ actor: alice.actor, input: { messageId: root.id } });
    expect(thread.root.replyCount).toBe(10);
    expect(thread.replies.map((r) => r.id).sort()).toEqual(sent.map((m) => m.id).sort());
    const changes = await getChangesSince({ actor: bob.actor, input: { channelId: root.channelId, after: head } });
    // Each reply is two changes: the reply created, the root's count updated.
    expect(changes.events.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => head + 1 + i));
    expect(changes.events.filter((e) => e.type === "message.created")).toHaveLength(10);
    expect(changes.events.filter((e) => e.type === "message.updated").every((e) => e.message.id === root.id)).toBe(true);
  });

  it("deleted replies leave the thread; a deleted root with replies still shows, emptied", async () => {
    const root = await newRoot();
    const r1 = await reply(bob, root, "keep");
    const r2 = await reply(bob, root, "remove");
    const head = (await getChannel({ actor: alice.actor, channelId: root.channelId })).lastSeq;
    await deleteMessage({ actor: bob.actor, input: { messageId: r2.id } });
    const after = await listReplies({ actor: alice.actor, input: { messageId: root.id } });
    expect(after.replies.map((r) => r.id)).toEqual([r1.id]);
    // The root's count goes down, as its own change right after the delete.
    expect(after.root.replyCount).toBe(1);
    const changes = await getChangesSince({ actor: alice.actor, input: { channelId: root.channelId, after: head } });
    expect(changes.events.map((e) => [e.seq, e.type, e.message.id])).toEqual([
      [head + 1, "message.deleted", r2.id],
      [head + 2, "message.updated", root.id],
    ]);
    await deleteMessage({ actor: alice.actor, input: { messageId: root.id } });
    const thread = await listReplies({ actor: alice.actor, input: { messageId: root.id } });
    expect(thread.root.deletedAt).not.toBeNull();
    expect(thread.root.body).toBe("");
    await expectAppError(reply(bob, root, "too late"), "not_found");
  });
});
