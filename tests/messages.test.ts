/** Messages and the delivery contract (docs/realtime.md) through lib/messages/service.ts. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getChannel, joinChannel, leaveChannel, listChannelMembers, markRead, updateChannel } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { deleteMessage, editMessage, getChangesSince, listMessages, sendMessage } from "@/lib/messages/service";
import type { TMessage } from "@/lib/messages/schema";
import { createChannel, createMember, createWorkspace, expectAppError, resetSendLimit, seedMessages, uniq, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let admin: TTestUser;
let alice: TTestUser;
let bob: TTestUser;
let carol: TTestUser;

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  [admin, alice, bob, carol] = await Promise.all([createMember(ws, "ADMIN", "Admin"), createMember(ws, "MEMBER", "Alice"), createMember(ws, "MEMBER", "Bob"), createMember(ws, "MEMBER", "Carol")]);
});

// The flood limit (60 messages / 10 s per person) is not what these tests are about.
beforeEach(async () => {
  await Promise.all([ws.owner, admin, alice, bob, carol].map(resetSendLimit));
});

function send(user: TTestUser, channelId: string, body: string, extra: { clientMsgId?: string; threadRootId?: string } = {}): Promise<TMessage> {
  return sendMessage({ actor: user.actor, input: { channelId, body, ...extra } });
}

/** A channel with Alice (creator), Bob and Carol. */
async function newRoom(): Promise<string> {
  return (await createChannel(ws, alice, { memberIds: [bob.id, carol.id] })).id;
}

async function lastSeqOf(channelId: string): Promise<number> {
  return (await getChannel({ actor: alice.actor, channelId })).lastSeq;
}

/** Every change of a channel, following `hasMore` the way a client does. */
async function allChangesAfter(user: TTestUser, channelId: string, after: number, limit = 500) {
  const events = [];
  let cursor = after;
  for (;;) {
    const page = await getChangesSince({ actor: user.actor, input: { channelId, after: cursor, limit } });
    events.push(...page.events);
    if (!page.hasMore) return { events, head: page.head };
    // Like a client: continue after the last change applied (`head` is the channel's newest).
    cursor = page.events.at(-1)!.seq;
  }
}

function clientId(): string {
  return uniq("cm").padEnd(16, "0");
}

describe("seq", () => {
  it("is strictly increasing and gap-free under 30 concurrent sends", async () => {
    const channelId = await newRoom();
    await send(alice, channelId, "already here 1");
    await send(bob, channelId, "already here 2");
    const base = await lastSeqOf(channelId);
    expect(base).toBe(2);

    const senders = [alice, bob, carol];
    const sent = await Promise.all(Array.from({ length: 30 }, (_, i) => send(senders[i % 3]!, channelId, `concurrent ${i}`)));

    const seqs = sent.map((m) => m.seq).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 30 }, (_, i) => base + 1 + i));
    expect(new Set(sent.map((m) => m.id)).size).toBe(30);
    expect(await lastSeqOf(channelId)).toBe(base + 30);

    const history = await listMessages({ actor: bob.actor, input: { channelId, limit: 100 } });
    expect(history.messages.map((m) => m.seq)).toEqual(Array.from({ length: base + 30 }, (_, i) => i + 1));
    expect(history.head).toBe(base + 30);
    expect(history.messages.filter((m) => m.body.startsWith("concurrent ")).map((m) => m.body).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `concurrent ${i}`).sort());
    // Each returned message is the stored one (the ack means committed).
    const byId = new Map(history.messages.map((m) => [m.id, m]));
    for (const m of sent) expect(byId.get(m.id)).toMatchObject({ seq: m.seq, body: m.body });

    const { events } = await allChangesAfter(carol, channelId, 0);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: base + 30 }, (_, i) => i + 1));
    expect(events.every((e) => e.type === "message.created" && e.message.seq === e.seq)).toBe(true);
  });

  it("keeps separate sequences per channel", async () => {
    const [one, two] = await Promise.all([newRoom(), newRoom()]);
    const sent = await Promise.all([send(alice, one, "1a"), send(alice, two, "2a"), send(bob, one, "1b"), send(bob, two, "2b")]);
    expect(sent.filter((m) => m.channelId === one).map((m) => m.seq).sort()).toEqual([1, 2]);
    expect(sent.filter((m) => m.channelId === two).map((m) => m.seq).sort()).toEqual([1, 2]);
  });
});

describe("clientMsgId", () => {
  it("stores one message when the same id is sent twice in a row", async () => {
    const channelId = await newRoom();
    const id = clientId();
    const first = await send(alice, channelId, "only once", { clientMsgId: id });
    const again = await send(alice, channelId, "only once", { clientMsgId: id });
    expect(again.id).toBe(first.id);
    expect(again).toEqual(first);
    // A retry answers with what was stored, even if the body changed in between.
    expect((await send(alice, channelId, "different text", { clientMsgId: id })).body).toBe("only once");
    expect(await lastSeqOf(channelId)).toBe(1);
    expect(await getDb().message.count({ where: { channelId } })).toBe(1);
  });

  it("stores one message when the same id is sent concurrently", async () => {
    const channelId = await newRoom();
    const id = clientId();
    const results = await Promise.all(Array.from({ length: 6 }, () => send(bob, channelId, "racing retry", { clientMsgId: id })));
    expect(new Set(results.map((m) => m.id)).size).toBe(1);
    expect(results.every((m) => m.seq === 1 && m.clientMsgId === id)).toBe(true);
    expect(await getDb().message.count({ where: { channelId } })).toBe(1);
    // The losers' seqs were rolled back: no gap.
    expect(await lastSeqOf(channelId)).toBe(1);
    const next = await send(bob, channelId, "after the race");
    expect(next.seq).toBe(2);
    expect((await allChangesAfter(alice, channelId, 0)).events.map((e) => e.seq)).toEqual([1, 2]);
  });

  it("is scoped to the sender", async () => {
    const channelId = await newRoom();
    const id = clientId();
    const a = await send(alice, channelId, "from alice", { clientMsgId: id });
    const b = await send(bob, channelId, "from bob", { clientMsgId: id });
    expect(b.id).not.toBe(a.id);
    expect(b.body).toBe("from bob");
  });

  it("refuses reuse for another conversation with conflict", async () => {
    const [one, two] = await Promise.all([newRoom(), newRoom()]);
    const id = clientId();
    await send(carol, one, "here", { clientMsgId: id });
    await expectAppError(send(carol, two, "there", { clientMsgId: id }), "conflict");
    expect(await getDb().message.count({ where: { channelId: two } })).toBe(0);
  });

  it.each(["short", "has space in it", "x".repeat(65), "emoji-🎉-nope"])("refuses the malformed id %j with validation_failed", async (id) => {
    const channelId = await newRoom();
    await expectAppError(send(alice, channelId, "hi", { clientMsgId: id }), "validation_failed", /clientMsgId/);
  });
});

describe("flood limit", () => {
  it("refuses a person's 61st message within 10 seconds with rate_limited, storing nothing for it", async () => {
    const room = await newRoom();
    await Promise.all(Array.from({ length: 60 }, (_, i) => send(bob, room, `burst ${i} 连发`)));
    await expectAppError(send(bob, room, "one too many 多了一条"), "rate_limited");
    expect(await lastSeqOf(room)).toBe(60);
    // Only the sender is limited: others in the conversation still send.
    await send(carol, room, "carol is fine");
    expect(await lastSeqOf(room)).toBe(61);
  });
});

describe("body validation", () => {
  let channelId: string;
  beforeAll(async () => {
    channelId = await newRoom();
  });

  it.each([
    ["empty", ""],
    ["spaces", "   "],
    ["whitespace of all kinds", " \n\t\r\u3000 "],
  ])("refuses a body of %s with validation_failed", async (_label, body) => {
    await expectAppError(send(alice, channelId, body), "validation_failed", /empty/i);
  });

  it("refuses 40,001 characters, naming the 40,000 limit", async () => {
    await expectAppError(send(alice, channelId, "a".repeat(40_001)), "validation_failed", /40,000/);
    await expectAppError(send(alice, channelId, "中".repeat(40_001)), "validation_failed", /40,000/);
  });

  it("accepts exactly 40,000 Chinese characters, counted as characters", async () => {
    const body = "中".repeat(40_000);
    const msg = await send(alice, channelId, body);
    expect(msg.body).toBe(body);
    const row = await getDb().message.findUniqueOrThrow({ where: { id: msg.id }, select: { body: true } });
    expect(row.body).toBe(body);
    // Characters outside the BMP are two UTF-16 units each but still one character.
    const astral = "𠀀".repeat(40_000);
    expect((await send(alice, channelId, astral)).body).toBe(astral);
  });

  it.each([
    ["a lone high surrogate", "\uD800"],
    ["a lone low surrogate inside text", "ok \uDC00 ok"],
    ["a NUL character", "nul \u0000 here"],
  ])("refuses %s with validation_failed", async (_label, body) => {
    await expectAppError(send(alice, channelId, body), "validation_failed", /body/);
  });

  it("stores markup verbatim (rendering is the UI's job)", async () => {
    const body = `<script>alert("x")</script> <img src=x onerror=alert(1)> **bold** & 'quotes'`;
    const msg = await send(bob, channelId, body);
    expect(msg.body).toBe(body);
    expect((await listMessages({ actor: carol.actor, input: { channelId } })).messages.at(-1)?.body).toBe(body);
    const row = await getDb().message.findUniqueOrThrow({ where: { id: msg.id }, select: { body: true } });
    expect(row.body).toBe(body);
  });

  it("keeps emoji, combining marks and right-to-left text intact", async () => {
    const body = "👩‍👩‍👧 é (e\u0301) مرحبا 你好";
    expect((await send(carol, channelId, body)).body).toBe(body);
  });
});

describe("editMessage", () => {
  it("refuses anyone but the sender, admins included, with forbidden", async () => {
    const channelId = await newRoom();
    await joinChannel({ actor: admin.actor, channelId });
    const msg = await send(alice, channelId, "mine");
    await expectAppError(editMessage({ actor: bob.actor, input: { messageId: msg.id, body: "hacked" } }), "forbidden");
    await expectAppError(editMessage({ actor: admin.actor, input: { messageId: msg.id, body: "hacked" } }), "forbidden");
    const [stored] = (await listMessages({ actor: alice.actor, input: { channelId } })).messages;
    expect(stored).toMatchObject({ body: "mine", editedAt: null });
    expect(await lastSeqOf(channelId)).toBe(1);
  });

  it("sets editedAt, keeps the message's place and records a change", async () => {
    const channelId = await newRoom();
    const msg = await send(alice, channelId, "draft");
    await send(bob, channelId, "reply");
    expect(msg.editedAt).toBeNull();

    const edited = await editMessage({ actor: alice.actor, input: { messageId: msg.id, body: "final" } });
    expect(edited).toMatchObject({ id: msg.id, seq: 1, body: "final" });
    expect(edited.editedAt).not.toBeNull();

    const changes = await getChangesSince({ actor: bob.actor, input: { channelId, after: 2 } });
    expect(changes.events).toHaveLength(1);
    expect(changes.events[0]).toMatchObject({ seq: 3, type: "message.updated", channelId, workspaceId: ws.id, message: { id: msg.id, seq: 1, body: "final" } });
    expect(changes.head).toBe(3);
    expect((await listMessages({ actor: carol.actor, input: { channelId } })).messages.map((m) => m.body)).toEqual(["final", "reply"]);

    // Saving the same text again is not a change.
    await editMessage({ actor: alice.actor, input: { messageId: msg.id, body: "final" } });
    expect(await lastSeqOf(channelId)).toBe(3);
  });

  it("refuses an empty edit", async () => {
    const channelId = await newRoom();
    const msg = await send(alice, channelId, "keep me");
    await expectAppError(editMessage({ actor: alice.actor, input: { messageId: msg.id, body: "  " } }), "validation_failed");
  });

  it("lets a sender who left the channel no longer edit", async () => {
    const channelId = (await createChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] })).id;
    const msg = await send(bob, channelId, "before leaving");
    await leaveChannel({ actor: bob.actor, channelId });
    await expectAppError(editMessage({ actor: bob.actor, input: { messageId: msg.id, body: "after" } }), "not_found");
  });
});

describe("deleteMessage", () => {
  it("lets the sender delete, erasing the body, hiding it from history and replaying it as deleted", async () => {
    const channelId = await newRoom();
    const secret = `password is hunter2 ${uniq()}`;
    const msg = await send(alice, channelId, secret);
    await editMessage({ actor: alice.actor, input: { messageId: msg.id, body: `${secret} (edited)` } });
    const kept = await send(bob, channelId, "unrelated");

    const deleted = await deleteMessage({ actor: alice.actor, input: { messageId: msg.id } });
    expect(deleted).toMatchObject({ id: msg.id, body: "", reactions: [] });
    expect(deleted.deletedAt).not.toBeNull();

    const row = await getDb().message.findUniqueOrThrow({ where: { id: msg.id }, select: { body: true, deletedAt: true } });
    expect(row.body).toBe("");
    expect(row.deletedAt).not.toBeNull();

    const history = await listMessages({ actor: carol.actor, input: { channelId } });
    expect(history.messages.map((m) => m.id)).toEqual([kept.id]);

    const { events } = await allChangesAfter(carol, channelId, 0);
    expect(events.map((e) => [e.seq, e.type, e.message.id])).toEqual([
      [1, "message.created", msg.id],
      [2, "message.updated", msg.id],
      [3, "message.created", kept.id],
      [4, "message.deleted", msg.id],
    ]);
    for (const e of events.filter((x) => x.message.id === msg.id)) {
      expect(e.message.body).toBe("");
      expect(e.message.deletedAt).not.toBeNull();
    }
    expect(JSON.stringify(events)).not.toContain("hunter2");

    await expectAppError(deleteMessage({ actor: alice.actor, input: { messageId: msg.id } }), "not_found");
    await expectAppError(editMessage({ actor: alice.actor, input: { messageId: msg.id, body: "resurrect" } }), "not_found");
  });

  it("lets an admin delete anyone's message", async () => {
    const channelId = await newRoom();
    await joinChannel({ actor: admin.actor, channelId });
    const msg = await send(bob, channelId, "off-topic");
    const deleted = await deleteMessage({ actor: admin.actor, input: { messageId: msg.id } });
    expect(deleted.deletedAt).not.toBeNull();
    expect((await listMessages({ actor: bob.actor, input: { channelId } })).messages).toEqual([]);
  });

  it("refuses another member with forbidden and leaves the message alone", async () => {
    const channelId = await newRoom();
    const msg = await send(bob, channelId, "bob's words");
    await expectAppError(deleteMessage({ actor: carol.actor, input: { messageId: msg.id } }), "forbidden");
    await expectAppError(deleteMessage({ actor: alice.actor, input: { messageId: msg.id } }), "forbidden"); // the channel's creator is not an admin
    expect((await listMessages({ actor: bob.actor, input: { channelId } })).messages.map((m) => m.body)).toEqual(["bob's words"]);
    expect(await lastSeqOf(channelId)).toBe(1);
  });
});

describe("history paging", () => {
  let channelId: string;
  let seeded: TMessage[];
  beforeAll(async () => {
    channelId = await newRoom();
    seeded = await seedMessages(alice, channelId, 120, "page");
  });

  it("covers all 120 messages exactly once, in order, in pages of 50", async () => {
    const pages: { seqs: number[]; hasMore: boolean }[] = [];
    const collected: TMessage[] = [];
    let before: number | undefined;
    for (let guard = 0; guard < 10; guard++) {
      const page = await listMessages({ actor: bob.actor, input: { channelId, limit: 50, ...(before ? { before } : {}) } });
      expect(page.head).toBe(120);
      pages.push({ seqs: page.messages.map((m) => m.seq), hasMore: page.hasMore });
      collected.unshift(...page.messages);
      if (!page.hasMore) break;
      before = page.messages[0]!.seq;
    }
    expect(pages.map((p) => [p.seqs.length, p.seqs[0], p.seqs.at(-1), p.hasMore])).toEqual([
      [50, 71, 120, true],
      [50, 21, 70, true],
      [20, 1, 20, false],
    ]);
    expect(collected.map((m) => m.seq)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(collected.map((m) => m.body)).toEqual(Array.from({ length: 120 }, (_, i) => `page ${i + 1}`));
    expect(collected.map((m) => m.id)).toEqual(seeded.map((m) => m.id));
  });

  it("says hasMore only when older messages exist", async () => {
    const exact = await listMessages({ actor: bob.actor, input: { channelId, before: 51, limit: 50 } });
    expect([exact.messages[0]?.seq, exact.messages.at(-1)?.seq, exact.hasMore]).toEqual([1, 50, false]);
    const oneMore = await listMessages({ actor: bob.actor, input: { channelId, before: 52, limit: 50 } });
    expect([oneMore.messages[0]?.seq, oneMore.messages.at(-1)?.seq, oneMore.hasMore]).toEqual([2, 51, true]);
    const nothing = await listMessages({ actor: bob.actor, input: { channelId, before: 1 } });
    expect(nothing).toMatchObject({ messages: [], hasMore: false });
  });

  it("defaults to the newest 50 and refuses a bad limit", async () => {
    const page = await listMessages({ actor: carol.actor, input: { channelId } });
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 71 + i));
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId, limit: 0 } }), "validation_failed");
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId, limit: 201 } }), "validation_failed");
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId, before: -5 } }), "validation_failed");
  });

  it("reads forward from a seq (after), saying whether newer and older messages exist", async () => {
    const page = await listMessages({ actor: bob.actor, input: { channelId, after: 30, limit: 50 } });
    expect([page.messages[0]?.seq, page.messages.at(-1)?.seq, page.hasMore, page.hasNewer, page.head]).toEqual([31, 80, true, true, 120]);
    const end = await listMessages({ actor: bob.actor, input: { channelId, after: 70, limit: 50 } });
    expect([end.messages[0]?.seq, end.messages.at(-1)?.seq, end.hasNewer]).toEqual([71, 120, false]);
    const fromStart = await listMessages({ actor: bob.actor, input: { channelId, after: 0, limit: 10 } });
    expect([fromStart.messages.map((m) => m.seq), fromStart.hasMore, fromStart.hasNewer]).toEqual([Array.from({ length: 10 }, (_, i) => i + 1), false, true]);
    expect(await listMessages({ actor: bob.actor, input: { channelId, after: 120 } })).toMatchObject({ messages: [], hasMore: true, hasNewer: false });
  });

  it("opens a page centred on a message by its ts (around_ts), with ts given as Slack writes it", async () => {
    const target = seeded[59]!; // seq 60
    const page = await listMessages({ actor: carol.actor, input: { channelId, aroundTs: target.ts, limit: 50 } });
    expect(page.focusId).toBe(target.id);
    expect([page.messages[0]?.seq, page.messages.at(-1)?.seq, page.hasMore, page.hasNewer, page.head]).toEqual([36, 85, true, true, 120]);
    expect(page.messages.map((m) => m.seq)).toEqual(Array.from({ length: 50 }, (_, i) => 36 + i));
    // Near either end: what there is on that side, and no more.
    const first = await listMessages({ actor: carol.actor, input: { channelId, aroundTs: seeded[0]!.ts, limit: 10 } });
    expect([first.messages.map((m) => m.seq), first.hasMore, first.hasNewer, first.focusId]).toEqual([[1, 2, 3, 4, 5, 6], false, true, seeded[0]!.id]);
    const newest = await listMessages({ actor: carol.actor, input: { channelId, aroundTs: seeded[119]!.ts, limit: 10 } });
    expect([newest.messages.map((m) => m.seq), newest.hasMore, newest.hasNewer]).toEqual([[116, 117, 118, 119, 120], true, false]);
  });

  it("centres a thread reply's page on its root, and answers a deleted or unknown message with 404", async () => {
    const room = await newRoom();
    const root = await send(alice, room, "root");
    const reply = await send(bob, room, "a reply", { threadRootId: root.id });
    const after = await send(carol, room, "after");
    const page = await listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: reply.ts } });
    expect([page.focusId, page.messages.map((m) => m.id)]).toEqual([root.id, [root.id, after.id]]);
    await deleteMessage({ actor: carol.actor, input: { messageId: after.id } });
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: after.ts } }), "not_found", "Message not found");
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: "1.000001" } }), "not_found");
    // A message of another conversation is not found here.
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: seeded[0]!.ts } }), "not_found");
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: "yesterday" } }), "validation_failed", /message ts/);
    await expectAppError(listMessages({ actor: carol.actor, input: { channelId: room, aroundTs: root.ts, before: 5 } }), "validation_failed", /at most one/);
  });
});

describe("getChangesSince", () => {
  it("returns exactly the later changes in seq order, with edits and deletes", async () => {
    const channelId = await newRoom();
    await seedMessages(carol, channelId, 5, "old");
    const n = await lastSeqOf(channelId);
    expect(n).toBe(5);

    const m1 = await send(alice, channelId, "m1");
    const m2 = await send(bob, channelId, "m2");
    await editMessage({ actor: alice.actor, input: { messageId: m1.id, body: "m1 edited" } });
    await deleteMessage({ actor: bob.actor, input: { messageId: m2.id } });
    const m3 = await send(carol, channelId, "m3");

    const res = await getChangesSince({ actor: bob.actor, input: { channelId, after: n } });
    expect(res).toMatchObject({ channelId, head: n + 5, hasMore: false });
    expect(res.events.map((e) => [e.seq, e.type, e.message.id, e.message.body])).toEqual([
      [n + 1, "message.created", m1.id, "m1 edited"],
      [n + 2, "message.created", m2.id, ""],
      [n + 3, "message.updated", m1.id, "m1 edited"],
      [n + 4, "message.deleted", m2.id, ""],
      [n + 5, "message.created", m3.id, "m3"],
    ]);
    expect(res.events.every((e) => e.workspaceId === ws.id && e.channelId === channelId)).toBe(true);

    // From the middle, and in small pages.
    const tail = await getChangesSince({ actor: bob.actor, input: { channelId, after: n + 3 } });
    expect(tail.events.map((e) => e.seq)).toEqual([n + 4, n + 5]);
    const firstPage = await getChangesSince({ actor: bob.actor, input: { channelId, after: n, limit: 2 } });
    expect([firstPage.events.map((e) => e.seq), firstPage.hasMore]).toEqual([[n + 1, n + 2], true]);
    const paged = await allChangesAfter(bob, channelId, n, 2);
    expect(paged.events.map((e) => e.seq)).toEqual([n + 1, n + 2, n + 3, n + 4, n + 5]);
    expect(paged.head).toBe(n + 5);

    // Up to date: nothing more.
    expect(await getChangesSince({ actor: bob.actor, input: { channelId, after: n + 5 } })).toMatchObject({ events: [], head: n + 5, hasMore: false });
    await expectAppError(getChangesSince({ actor: bob.actor, input: { channelId, after: -1 } }), "validation_failed");
  });

  it("agrees with history: head from listMessages plus later changes gives the current state", async () => {
    const channelId = await newRoom();
    await send(alice, channelId, "one");
    const page = await listMessages({ actor: bob.actor, input: { channelId } });
    const later = await send(carol, channelId, "two");
    const changes = await getChangesSince({ actor: bob.actor, input: { channelId, after: page.head } });
    expect(changes.events.map((e) => e.message.id)).toEqual([later.id]);
  });
});

describe("threads", () => {
  it("keeps replies out of the channel history but in the change sequence", async () => {
    const channelId = await newRoom();
    const root = await send(alice, channelId, "root");
    const reply = await send(bob, channelId, "reply", { threadRootId: root.id });
    expect(reply).toMatchObject({ threadRootId: root.id, seq: 2 });

    const history = await listMessages({ actor: carol.actor, input: { channelId } });
    expect(history.messages.map((m) => [m.id, m.replyCount])).toEqual([[root.id, 1]]);
    const { events } = await allChangesAfter(carol, channelId, 0);
    expect(events.map((e) => [e.seq, e.type, e.message.id])).toEqual([
      [1, "message.created", root.id],
      [2, "message.created", reply.id],
      [3, "message.updated", root.id],
    ]);

    await expectAppError(send(carol, channelId, "nested", { threadRootId: reply.id }), "validation_failed");
    const other = await newRoom();
    await expectAppError(send(alice, other, "cross-channel", { threadRootId: root.id }), "not_found");
  });
});

describe("ids", () => {
  const malformed = ["not an id!", "x".repeat(65), "", "'; DROP TABLE \"Message\"; --", "../etc"];
  const unknown = () => `c${uniq("unknown")}aaaaaaaaaa`;

  it.each(malformed)("answers validation_failed for the malformed id %j", async (bad) => {
    const channelId = await newRoom();
    await expectAppError(sendMessage({ actor: alice.actor, input: { channelId: bad, body: "hi" } }), "validation_failed");
    await expectAppError(sendMessage({ actor: alice.actor, input: { channelId, body: "hi", threadRootId: bad } }), "validation_failed");
    await expectAppError(editMessage({ actor: alice.actor, input: { messageId: bad, body: "hi" } }), "validation_failed");
    await expectAppError(deleteMessage({ actor: alice.actor, input: { messageId: bad } }), "validation_failed");
    await expectAppError(listMessages({ actor: alice.actor, input: { channelId: bad } }), "validation_failed");
    await expectAppError(getChangesSince({ actor: alice.actor, input: { channelId: bad, after: 0 } }), "validation_failed");
    await expectAppError(markRead({ actor: alice.actor, input: { channelId: bad, seq: 1 } }), "validation_failed");
  });

  it("answers not_found for unknown ids, never a database error", async () => {
    const channelId = await newRoom();
    await expectAppError(sendMessage({ actor: alice.actor, input: { channelId: unknown(), body: "hi" } }), "not_found");
    await expectAppError(sendMessage({ actor: alice.actor, input: { channelId, body: "hi", threadRootId: unknown() } }), "not_found");
    await expectAppError(editMessage({ actor: alice.actor, input: { messageId: unknown(), body: "hi" } }), "not_found");
    await expectAppError(deleteMessage({ actor: alice.actor, input: { messageId: unknown() } }), "not_found");
    await expectAppError(listMessages({ actor: alice.actor, input: { channelId: unknown() } }), "not_found");
    await expectAppError(getChangesSince({ actor: alice.actor, input: { channelId: unknown(), after: 0 } }), "not_found");
    await expectAppError(markRead({ actor: alice.actor, input: { channelId: unknown(), seq: 1 } }), "not_found");
    await expectAppError(getChannel({ actor: alice.actor, channelId: unknown() }), "not_found");
    await expectAppError(listChannelMembers({ actor: alice.actor, channelId: unknown() }), "not_found");
    await expectAppError(joinChannel({ actor: alice.actor, channelId: unknown() }), "not_found");
    await expectAppError(updateChannel({ actor: alice.actor, channelId: unknown(), input: { topic: "x" } }), "not_found");
  });

  it("answers malformed channel ids given straight to the channel service with an error code, not a crash", async () => {
    for (const bad of malformed) {
      await expectAppError(getChannel({ actor: alice.actor, channelId: bad }), ["not_found", "validation_failed"]);
      await expectAppError(joinChannel({ actor: alice.actor, channelId: bad }), ["not_found", "validation_failed"]);
    }
  });
});

describe("races between edits and deletes", () => {
  /** Events of one message, in seq order. */
  async function eventsOf(channelId: string, messageId: string) {
    return (await allChangesAfter(alice, channelId, 0)).events.filter((e) => e.message.id === messageId);
  }

  // BUG (reported): editMessage checks `deletedAt` before its transaction and then updates the row
  // unconditionally, so an edit that loses the race to a delete writes its text back into the
  // deleted row and records a "message.updated" after the "message.deleted".
  it("a delete racing an edit always wins: the stored body stays erased", async () => {
    const channelId = await newRoom();
    for (let i = 0; i < 5; i++) {
      const msg = await send(alice, channelId, `draft ${i}`);
      const [del, edit] = await Promise.allSettled([
        deleteMessage({ actor: alice.actor, input: { messageId: msg.id } }),
        editMessage({ actor: alice.actor, input: { messageId: msg.id, body: `SECRET ${i}` } }),
      ]);
      expect(del.status).toBe("fulfilled");
      // The edit either landed before the delete or finds the message gone.
      if (edit.status === "rejected") await expectAppError(Promise.reject(edit.reason), "not_found");

      const row = await getDb().message.findUniqueOrThrow({ where: { id: msg.id }, select: { body: true, deletedAt: true } });
      expect(row.deletedAt).not.toBeNull();
      expect(row.body).toBe("");
      const types = (await eventsOf(channelId, msg.id)).map((e) => e.type);
      expect(types.filter((t) => t === "message.deleted")).toHaveLength(1);
      expect(types.at(-1)).toBe("message.deleted");
    }
  });

  // BUG (reported): deleteMessage has the same check-then-act gap, so two deletes of one message both
  // succeed and record two "message.deleted" changes; one sequential retry answers not_found.
  it("two simultaneous deletes of one message: one succeeds, the other is not_found", async () => {
    const channelId = await newRoom();
    for (let i = 0; i < 3; i++) {
      const msg = await send(bob, channelId, `to delete ${i}`);
      const results = await Promise.allSettled([deleteMessage({ actor: bob.actor, input: { messageId: msg.id } }), deleteMessage({ actor: admin.actor, input: { messageId: msg.id } })]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
      expect(loser.reason).toBeInstanceOf(AppError);
      expect((loser.reason as AppError).code).toBe("not_found");
      expect((await eventsOf(channelId, msg.id)).map((e) => e.type)).toEqual(["message.created", "message.deleted"]);
    }
  });
});
