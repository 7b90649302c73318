/** Pins (lib/messages/pins.ts): members pin, a pin is a seq'd message.updated change, Slack's refusals and the 100-pin limit. */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { browseChannels, getChannel, listMyChannels, updateChannel } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { refusalReason } from "@/lib/messages/refusals";
import { listPins, pinMessage, unpinMessage } from "@/lib/messages/pins";
import { deleteMessage, getChangesSince, sendMessage } from "@/lib/messages/service";
import { MAX_PINS_PER_CHANNEL, type TMessage } from "@/lib/messages/schema";
import { reset } from "@/lib/rate-limit";
import { subscribe, type TDomainEvent } from "@/lib/realtime/bus";
import { createChannel, createMember, createWorkspace, expectAppError, resetSendLimit, seedMessages, type TTestUser, type TTestWorkspace } from "./factories";

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
  await Promise.all([alice, bob, carol].map(async (u) => Promise.all([resetSendLimit(u), reset("write", u.id)])));
});

async function newMessage(kind: "PUBLIC" | "PRIVATE" = "PUBLIC", body = "pin me 置顶"): Promise<TMessage> {
  const channel = await createChannel(ws, alice, { kind, memberIds: [bob.id] });
  return sendMessage({ actor: alice.actor, input: { channelId: channel.id, body } });
}

const pin = (u: TTestUser, messageId: string) => pinMessage({ actor: u.actor, input: { messageId } });
const unpin = (u: TTestUser, messageId: string) => unpinMessage({ actor: u.actor, input: { messageId } });

async function expectRefusal(call: Promise<unknown>, code: Parameters<typeof expectAppError>[1], reason: string) {
  expect(refusalReason(await expectAppError(call, code))).toBe(reason);
}

describe("pins", () => {
  it("pins and unpins as seq'd message.updated changes; the list follows", async () => {
    const m = await newMessage();
    const head = (await getChannel({ actor: alice.actor, channelId: m.channelId })).lastSeq;
    const pinned = await pin(bob, m.id);
    expect(pinned.pinnedById).toBe(bob.id);
    expect(pinned.pinnedAt).not.toBeNull();
    expect((await listPins({ actor: carol.actor, input: { channelId: m.channelId } })).map((x) => x.id)).toEqual([m.id]);
    await expectRefusal(pin(alice, m.id), "conflict", "already_pinned");
    const unpinned = await unpin(alice, m.id);
    expect(unpinned.pinnedAt).toBeNull();
    expect(unpinned.pinnedById).toBeNull();
    await expectRefusal(unpin(alice, m.id), "conflict", "no_pin");
    expect(await listPins({ actor: alice.actor, input: { channelId: m.channelId } })).toEqual([]);
    const changes = await getChangesSince({ actor: bob.actor, input: { channelId: m.channelId, after: head } });
    // Catch-up replays both changes with the message as it is now (unpinned).
    expect(changes.events.map((e) => [e.seq, e.type, e.message.pinnedAt])).toEqual([
      [head + 1, "message.updated", null],
      [head + 2, "message.updated", null],
    ]);
  });

  it("lists the most recently pinned first", async () => {
    const first = await newMessage();
    const second = await sendMessage({ actor: bob.actor, input: { channelId: first.channelId, body: "second" } });
    await pin(alice, second.id);
    await pin(alice, first.id);
    expect((await listPins({ actor: bob.actor, input: { channelId: first.channelId } })).map((x) => x.body)).toEqual([first.body, second.body]);
  });

  it("only members pin; archived channels refuse; private channels hide the message", async () => {
    const open = await newMessage("PUBLIC");
    await expectRefusal(pin(carol, open.id), "forbidden", "not_in_channel");
    // Reading the list needs only read access.
    expect(await listPins({ actor: carol.actor, input: { channelId: open.channelId } })).toEqual([]);
    const secret = await newMessage("PRIVATE");
    await expectRefusal(pin(carol, secret.id), "not_found", "message_not_found");
    await expectAppError(listPins({ actor: carol.actor, input: { channelId: secret.channelId } }), "not_found");
    await pin(bob, open.id);
    await updateChannel({ actor: alice.actor, channelId: open.channelId, input: { archived: true } });
    await expectRefusal(unpin(bob, open.id), "forbidden", "is_archived");
    await expectRefusal(pin(alice, open.id), "forbidden", "is_archived");
  });

  it("two people pinning at once: one pin, one already_pinned", async () => {
    const m = await newMessage();
    const outcomes = await Promise.allSettled([pin(alice, m.id), pin(bob, m.id)]);
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    expect(refusalReason((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason)).toBe("already_pinned");
  });

  it("the channel's pin count follows pins, unpins and deletes, in every view of it, and each change announces the channel", async () => {
    const channel = await createChannel(ws, alice, { memberIds: [bob.id] });
    const [m1, m2] = [
      await sendMessage({ actor: alice.actor, input: { channelId: channel.id, body: "一" } }),
      await sendMessage({ actor: alice.actor, input: { channelId: channel.id, body: "two" } }),
    ];
    const announced: TDomainEvent[] = [];
    const unsubscribe = subscribe((e) => {
      if (e.kind === "channel.updated" && e.channelId === channel.id) announced.push(e);
    });
    const pinCounts = async (u: TTestUser) => [
      (await getChannel({ actor: u.actor, channelId: channel.id })).pinCount,
      (await listMyChannels({ actor: u.actor, slug: ws.slug })).find((c) => c.id === channel.id)!.pinCount,
      (await browseChannels({ actor: u.actor, slug: ws.slug })).find((c) => c.id === channel.id)!.pinCount,
    ];
    try {
      expect(await pinCounts(bob)).toEqual([0, 0, 0]);
      await pin(bob, m1.id);
      await pin(alice, m2.id);
      expect(await pinCounts(bob)).toEqual([2, 2, 2]);
      expect(announced).toHaveLength(2);
      await unpin(alice, m1.id);
      expect(await pinCounts(alice)).toEqual([1, 1, 1]);
      // Refused pins change nothing and announce nothing.
      await expectRefusal(pin(bob, m2.id), "conflict", "already_pinned");
      expect(announced).toHaveLength(3);
      await deleteMessage({ actor: alice.actor, input: { messageId: m2.id } });
      expect(await pinCounts(bob)).toEqual([0, 0, 0]);
      expect(announced).toHaveLength(4);
      // Deleting a message that is not pinned leaves the channel as it was.
      await deleteMessage({ actor: alice.actor, input: { messageId: m1.id } });
      expect(announced).toHaveLength(4);
    } finally {
      unsubscribe();
    }
  });

  it("a deleted message leaves the list and cannot be pinned", async () => {
    const m = await newMessage();
    await pin(alice, m.id);
    await deleteMessage({ actor: alice.actor, input: { messageId: m.id } });
    expect(await listPins({ actor: alice.actor, input: { channelId: m.channelId } })).toEqual([]);
    await expectRefusal(pin(bob, m.id), "not_found", "message_not_found");
  });

  it("finds a long channel's pins through the pinned-message index, not by reading the channel", async () => {
    const channel = await createChannel(ws, alice, { memberIds: [bob.id] });
    const count = 5000;
    await getDb().$executeRaw`
      INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "updatedAt")
      SELECT ${channel.id} || '_m' || g, ${channel.id}, g, g, ${alice.id}, 'history ' || g, now() FROM generate_series(1, ${count}::int) g`;
    await getDb().$executeRaw`UPDATE "Channel" SET "lastSeq" = ${count}, "lastTs" = ${count} WHERE id = ${channel.id}`;
    await getDb().$executeRaw`ANALYZE "Message"`;
    await pin(alice, `${channel.id}_m17`);
    await pin(bob, `${channel.id}_m4000`);
    expect((await listPins({ actor: bob.actor, input: { channelId: channel.id } })).map((m) => m.seq)).toEqual([4000, 17]);
    // The two reads of pins (the list, and the count before a pin is added) as the repository words them.
    const reads = {
      list: `SELECT id FROM "Message" WHERE "channelId" = $1 AND "pinnedAt" IS NOT NULL AND "deletedAt" IS NULL ORDER BY "pinnedAt" DESC, seq DESC LIMIT 100 OFFSET 0`,
      count: `SELECT count(*) FROM "Message" WHERE "channelId" = $1 AND "pinnedAt" IS NOT NULL AND "deletedAt" IS NULL`,
    };
    for (const [name, sql] of Object.entries(reads)) {
      const plan = await getDb().$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ${sql}`, channel.id);
      const text = plan.map((r) => r["QUERY PLAN"]).join("\n");
      expect(text, `${name}:\n${text}`).toContain("Message_pinned_idx");
    }
  });

  it(`at most ${MAX_PINS_PER_CHANNEL} pins per channel (too_many_pins)`, { timeout: 120_000 }, async () => {
    const first = await newMessage();
    const more = await seedMessages(alice, first.channelId, MAX_PINS_PER_CHANNEL, "pinnable");
    const all = [first, ...more];
    for (let i = 0; i < MAX_PINS_PER_CHANNEL; i++) {
      if (i % 100 === 0) await reset("write", alice.id);
      await pin(alice, all[i]!.id);
    }
    await reset("write", alice.id);
    await expectRefusal(pin(alice, all[MAX_PINS_PER_CHANNEL]!.id), "conflict", "too_many_pins");
    expect(await listPins({ actor: bob.actor, input: { channelId: first.channelId } })).toHaveLength(MAX_PINS_PER_CHANNEL);
    await unpin(alice, all[0]!.id);
    expect((await pin(alice, all[MAX_PINS_PER_CHANNEL]!.id)).pinnedAt).not.toBeNull();
  });
});
