/** Reactions (lib/messages/reactions.ts): stored as short names, seq'd as message.updated changes, Slack's refusals and limits. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getChannel, joinChannel, updateChannel } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import { reset } from "@/lib/rate-limit";
import { refusalReason } from "@/lib/messages/refusals";
import { addReaction, getMessage, removeReaction } from "@/lib/messages/reactions";
import { deleteMessage, getChangesSince, listMessages, sendMessage } from "@/lib/messages/service";
import type { TMessage } from "@/lib/messages/schema";
import { createChannel, createMember, createUsers, addMember, createWorkspace, expectAppError, resetSendLimit, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let alice: TTestUser;
let bob: TTestUser;
let carol: TTestUser;
let guest: TTestUser;
let outsider: TTestUser;

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  [alice, bob, carol, guest] = await Promise.all([createMember(ws, "MEMBER", "Alice"), createMember(ws, "MEMBER", "Bob"), createMember(ws, "MEMBER", "Carol"), createMember(ws, "GUEST", "Guest")]);
  outsider = await createMember(await createWorkspace(), "MEMBER", "Outsider");
});

beforeEach(async () => {
  await Promise.all([alice, bob, carol, guest].map(async (u) => Promise.all([resetSendLimit(u), reset("write", u.id)])));
});

async function newMessage(kind: "PUBLIC" | "PRIVATE" = "PUBLIC"): Promise<TMessage> {
  const channel = await createChannel(ws, alice, { kind, memberIds: [bob.id] });
  return sendMessage({ actor: alice.actor, input: { channelId: channel.id, body: "react to me 你好" } });
}

function react(user: TTestUser, messageId: string, emoji: string) {
  return addReaction({ actor: user.actor, input: { messageId, emoji } });
}

async function expectRefusal(call: Promise<unknown>, code: Parameters<typeof expectAppError>[1], reason: string) {
  const err = await expectAppError(call, code);
  expect(refusalReason(err)).toBe(reason);
}

describe("reactions", () => {
  it("adds and removes a reaction, each as a seq'd message.updated change carrying the summary", async () => {
    const m = await newMessage();
    const head = (await getChannel({ actor: alice.actor, channelId: m.channelId })).lastSeq;
    const added = await react(bob, m.id, "thumbsup");
    expect(added.reactions).toEqual([{ emoji: "thumbsup", count: 1, userIds: [bob.id] }]);
    const both = await react(alice, m.id, ":thumbsup:");
    expect(both.reactions).toEqual([{ emoji: "thumbsup", count: 2, userIds: [bob.id, alice.id] }]);
    const removed = await removeReaction({ actor: bob.actor, input: { messageId: m.id, emoji: "thumbsup" } });
    expect(removed.reactions).toEqual([{ emoji: "thumbsup", count: 1, userIds: [alice.id] }]);

    const changes = await getChangesSince({ actor: carol.actor, input: { channelId: m.channelId, after: head } });
    expect(changes.events.map((e) => [e.seq, e.type])).toEqual([
      [head + 1, "message.updated"],
      [head + 2, "message.updated"],
      [head + 3, "message.updated"],
    ]);
    // Catch-up carries the current state; a fresh load agrees.
    expect(changes.events.at(-1)!.message.reactions).toEqual(removed.reactions);
    const page = await listMessages({ actor: carol.actor, input: { channelId: m.channelId } });
    expect(page.messages.find((x) => x.id === m.id)!.reactions).toEqual(removed.reactions);
    expect(page.head).toBe(head + 3);
    // The message's own place in history does not move.
    expect(removed.seq).toBe(m.seq);
  });

  it("stores short names: colons stripped, lower-cased, skin tones and custom-looking names kept", async () => {
    const m = await newMessage();
    expect((await react(alice, m.id, "+1")).reactions.map((r) => r.emoji)).toContain("+1");
    expect((await react(alice, m.id, ":White_Check_Mark:")).reactions.map((r) => r.emoji)).toContain("white_check_mark");
    expect((await react(alice, m.id, "wave::skin-tone-3")).reactions.map((r) => r.emoji)).toContain("wave::skin-tone-3");
    expect((await react(alice, m.id, "party-parrot_2")).reactions.map((r) => r.emoji)).toContain("party-parrot_2");
    // The emoji itself is stored under Slack's name.
    expect((await react(bob, m.id, "👍")).reactions.find((r) => r.emoji === "+1")!.userIds).toEqual([alice.id, bob.id]);
    expect((await react(bob, m.id, "👍🏼")).reactions.map((r) => r.emoji)).toContain("+1::skin-tone-3");
    expect((await react(bob, m.id, "❤️")).reactions.map((r) => r.emoji)).toContain("heart");
    await expectRefusal(react(alice, m.id, "👍"), "conflict", "already_reacted");
    for (const bad of ["two words", "<script>", "a".repeat(101), "::", "表情"]) {
      await expectRefusal(react(alice, m.id, bad), "validation_failed", "invalid_name");
    }
    await expectAppError(react(alice, m.id, ""), "validation_failed");
  });

  it("refuses a reaction you already have (already_reacted) and removing one you do not (no_reaction)", async () => {
    const m = await newMessage();
    await react(bob, m.id, "tada");
    await expectRefusal(react(bob, m.id, "tada"), "conflict", "already_reacted");
    await expectRefusal(removeReaction({ actor: carol.actor, input: { messageId: m.id, emoji: "tada" } }), "conflict", "no_reaction");
    await expectRefusal(removeReaction({ actor: bob.actor, input: { messageId: m.id, emoji: "smile" } }), "conflict", "no_reaction");
    expect((await getMessage({ actor: carol.actor, input: { messageId: m.id } })).reactions).toEqual([{ emoji: "tada", count: 1, userIds: [bob.id] }]);
  });

  it("10 concurrent reactions: consistent count and gap-free seqs", async () => {
    const m = await newMessage();
    const people = await createUsers(10, "Reactor");
    await Promise.all(people.map((p) => addMember(ws, p)));
    const head = (await getChannel({ actor: alice.actor, channelId: m.channelId })).lastSeq;
    const results = await Promise.all(people.map((p) => react(p, m.id, "rocket")));
    // Each answer is the committed state right after that change: counts 1..10, each once.
    expect(results.map((r) => r.reactions[0]!.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    const changes = await getChangesSince({ actor: alice.actor, input: { channelId: m.channelId, after: head } });
    expect(changes.events.map((e) => e.seq)).toEqual(Array.from({ length: 10 }, (_, i) => head + 1 + i));
    const final = await getMessage({ actor: alice.actor, input: { messageId: m.id } });
    expect(final.reactions).toHaveLength(1);
    expect(final.reactions[0]!.count).toBe(10);
    expect(new Set(final.reactions[0]!.userIds)).toEqual(new Set(people.map((p) => p.id)));
    expect(changes.head).toBe(head + 10);
  });

  it("the same reaction sent twice at once stores one", async () => {
    const m = await newMessage();
    const outcomes = await Promise.allSettled([react(bob, m.id, "eyes"), react(bob, m.id, "eyes")]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const failed = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refusalReason(failed.reason)).toBe("already_reacted");
    expect((await getMessage({ actor: bob.actor, input: { messageId: m.id } })).reactions).toEqual([{ emoji: "eyes", count: 1, userIds: [bob.id] }]);
  });

  it("limits: 23 reactions per person per message (too_many_reactions), 50 distinct emoji per message (too_many_emoji)", async () => {
    const m = await newMessage();
    for (let i = 0; i < 23; i++) await react(alice, m.id, `a${i}`);
    await expectRefusal(react(alice, m.id, "one_more"), "conflict", "too_many_reactions");
    for (let i = 0; i < 23; i++) await react(bob, m.id, `b${i}`);
    for (let i = 0; i < 4; i++) await react(carol, m.id, `c${i}`);
    expect((await getMessage({ actor: carol.actor, input: { messageId: m.id } })).reactions).toHaveLength(50);
    await expectRefusal(react(carol, m.id, "fifty_first"), "conflict", "too_many_emoji");
    // Joining an emoji that is already there is fine.
    expect((await react(carol, m.id, "a0")).reactions.find((r) => r.emoji === "a0")!.count).toBe(2);
  });

  it("needs read access: private channels and other workspaces hide the message; guests must be members; archived channels refuse", async () => {
    const secret = await newMessage("PRIVATE");
    await expectRefusal(react(carol, secret.id, "smile"), "not_found", "message_not_found");
    await expectRefusal(react(outsider, secret.id, "smile"), "not_found", "message_not_found");
    await expectRefusal(react(guest, secret.id, "smile"), "not_found", "message_not_found");

    const open = await newMessage("PUBLIC");
    // A workspace member who has not joined a public channel can read it, so may react.
    expect((await react(carol, open.id, "smile")).reactions).toHaveLength(1);
    await expectRefusal(react(guest, open.id, "smile"), "not_found", "message_not_found");

    await updateChannel({ actor: alice.actor, channelId: open.channelId, input: { archived: true } });
    await expectRefusal(react(bob, open.id, "smile"), "forbidden", "is_archived");
    await expectRefusal(removeReaction({ actor: carol.actor, input: { messageId: open.id, emoji: "smile" } }), "forbidden", "is_archived");
    await expectAppError(react(bob, "not-a-real-id-000", "smile"), "not_found");
  });

  it("a deleted message cannot be reacted to and loses its reactions", async () => {
    const m = await newMessage();
    await react(bob, m.id, "wave");
    const deleted = await deleteMessage({ actor: alice.actor, input: { messageId: m.id } });
    expect(deleted.reactions).toEqual([]);
    await expectRefusal(react(bob, m.id, "wave"), "not_found", "message_not_found");
    await expectRefusal(removeReaction({ actor: bob.actor, input: { messageId: m.id, emoji: "wave" } }), "not_found", "message_not_found");
  });

  it("a reaction is not an unread message", async () => {
    const m = await newMessage();
    await joinChannel({ actor: carol.actor, channelId: m.channelId }).catch(() => undefined);
    const before = await getChannel({ actor: carol.actor, channelId: m.channelId });
    await react(bob, m.id, "heart");
    const after = await getChannel({ actor: carol.actor, channelId: m.channelId });
    expect(after.lastSeq).toBe(before.lastSeq + 1);
    expect(after.unreadCount).toBe(before.unreadCount);
  });
});
