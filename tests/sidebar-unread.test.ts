/**
 * The sidebar's one-query unread counts (lib/channels/repository.ts listSidebarRows) and one
 * conversation's (getChannel) against a plain row count, over many read positions and kinds of
 * messages: others' and own, thread replies with and without broadcast, deleted, muted, DMs; and
 * the cap on counting (UNREAD_COUNT_CAP).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getChannel, listMyChannels, listSidebarHeads, markRead, openDm, updateChannel } from "@/lib/channels/service";
import { UNREAD_COUNT_CAP } from "@/lib/channels/repository";
import { toggleMuted } from "@/lib/commands/repository";
import { ensureDbReady, getDb } from "@/lib/db";
import { deleteMessage, sendMessage } from "@/lib/messages/service";
import { createChannel, createMember, createWorkspace, resetSendLimit, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let people: TTestUser[];

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  people = [ws.owner, ...(await Promise.all([createMember(ws), createMember(ws), createMember(ws, "GUEST")]))];
});

/** Others' not-deleted messages above the read position, thread replies only when also sent to the channel: row by row, uncapped. */
async function countUnreadRows(userId: string, channelIds: string[]): Promise<Map<string, number>> {
  const rows = await getDb().$queryRaw<{ channelId: string; unread: number }[]>`
    SELECT cm."channelId", COUNT(m.id)::int AS unread
    FROM "ChannelMember" cm
    JOIN "Message" m ON m."channelId" = cm."channelId" AND m.seq > cm."lastReadSeq"
      AND m."senderId" <> cm."userId" AND m."deletedAt" IS NULL AND (m."threadRootId" IS NULL OR m.broadcast)
    WHERE cm."userId" = ${userId} AND cm."channelId" = ANY(${channelIds})
    GROUP BY cm."channelId"`;
  return new Map(rows.map((r) => [r.channelId, Number(r.unread)]));
}

/** Every member's sidebar, and each conversation's details, must agree with the row count. */
async function expectSidebarsAgree(): Promise<number> {
  let nonZero = 0;
  for (const p of people) {
    const sidebar = await listMyChannels({ actor: p.actor, slug: ws.slug });
    const counted = await countUnreadRows(p.id, sidebar.map((c) => c.id));
    for (const c of sidebar) {
      const expected = { channel: c.name ?? c.id, unread: counted.get(c.id) ?? 0 };
      expect({ channel: c.name ?? c.id, unread: c.unreadCount }).toEqual(expected);
      expect({ channel: c.name ?? c.id, unread: (await getChannel({ actor: p.actor, channelId: c.id })).unreadCount }).toEqual(expected);
      if (c.unreadCount > 0) nonZero++;
    }
  }
  return nonZero;
}

describe("sidebar unread counts", () => {
  it("equal the row count for others' messages, own, thread replies, deleted, muted and DMs at every read position", async () => {
    const [owner, alice, bob, guest] = people as [TTestUser, TTestUser, TTestUser, TTestUser];
    const pub = await createChannel(ws, owner, { memberIds: [alice.id, bob.id] });
    const priv = await createChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id, guest.id] });
    const dm = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id] } });
    const conversations = [pub.id, priv.id, dm.id];
    for (const p of people) await resetSendLimit(p);

    // A deterministic mix: roots, replies (some broadcast), own messages, deletes.
    const sent: { channelId: string; id: string; senderIdx: number }[] = [];
    let x = 7;
    const rnd = (n: number) => ((x = (x * 1103515245 + 12345) % 2 ** 31), x % n);
    for (let i = 0; i < 60; i++) {
      const channelId = conversations[i % conversations.length]!;
      const members = channelId === pub.id ? [0, 1, 2] : channelId === priv.id ? [1, 2, 3] : [1, 2];
      const senderIdx = members[rnd(members.length)]!;
      const roots = sent.filter((s) => s.channelId === channelId);
      const reply = roots.length > 0 && rnd(4) === 0 ? roots[rnd(roots.length)] : undefined;
      const m = await sendMessage({
        actor: people[senderIdx]!.actor,
        input: { channelId, body: `m${i} 消息`, ...(reply ? { threadRootId: reply.id, broadcast: rnd(2) === 0 } : {}) },
      });
      if (!reply) sent.push({ channelId, id: m.id, senderIdx });
      if (rnd(8) === 0) {
        const victim = sent.splice(rnd(sent.length), 1)[0]!;
        await deleteMessage({ actor: people[victim.senderIdx]!.actor, input: { messageId: victim.id } });
      }
    }
    expect(await expectSidebarsAgree()).toBeGreaterThan(0);

    // Muted conversations still count (the badge is the client's choice); read positions part-way.
    await toggleMuted(pub.id, bob.id);
    for (const p of people) {
      for (const c of await listMyChannels({ actor: p.actor, slug: ws.slug })) {
        if (c.lastSeq > 0 && rnd(3) > 0) await markRead({ actor: p.actor, input: { channelId: c.id, seq: rnd(c.lastSeq) + 1 } });
      }
    }
    await expectSidebarsAgree();

    // Read up to the head: nothing unread (the shortcut that skips counting).
    for (const p of people) {
      for (const c of await listMyChannels({ actor: p.actor, slug: ws.slug })) {
        await markRead({ actor: p.actor, input: { channelId: c.id, seq: c.lastSeq } });
      }
    }
    expect(await expectSidebarsAgree()).toBe(0);

    // New changes after reading (an edit-free delete of a read message moves lastSeq but adds nothing unread).
    const late = await sendMessage({ actor: owner.actor, input: { channelId: pub.id, body: "late" } });
    await deleteMessage({ actor: owner.actor, input: { messageId: late.id } });
    await sendMessage({ actor: bob.actor, input: { channelId: pub.id, body: "later" } });
    await expectSidebarsAgree();
    const alicePub = (await listMyChannels({ actor: alice.actor, slug: ws.slug })).find((c) => c.id === pub.id)!;
    expect(alicePub.unreadCount).toBe(1);
    const bobPub = (await listMyChannels({ actor: bob.actor, slug: ws.slug })).find((c) => c.id === pub.id)!;
    expect(bobPub).toMatchObject({ unreadCount: 0, muted: true });
  });

  it(`counts at most ${UNREAD_COUNT_CAP} unread messages, then exactly again once read down below that`, async () => {
    const [owner, alice] = people as [TTestUser, TTestUser];
    const channel = await createChannel(ws, owner, { memberIds: [alice.id] });
    const backlog = UNREAD_COUNT_CAP + 25;
    // A backlog written straight to the table (sending it one by one would only be slower).
    await getDb().$executeRaw`
      INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "updatedAt")
      SELECT ${channel.id} || '_m' || g, ${channel.id}, g, g, ${owner.id}, 'backlog ' || g, now() FROM generate_series(1, ${backlog}::int) g`;
    await getDb().$executeRaw`UPDATE "Channel" SET "lastSeq" = ${backlog}, "lastTs" = ${backlog} WHERE id = ${channel.id}`;
    const unreadFor = async () => ({
      sidebar: (await listMyChannels({ actor: alice.actor, slug: ws.slug })).find((c) => c.id === channel.id)!.unreadCount,
      details: (await getChannel({ actor: alice.actor, channelId: channel.id })).unreadCount,
    });
    expect((await countUnreadRows(alice.id, [channel.id])).get(channel.id)).toBe(backlog);
    expect(await unreadFor()).toEqual({ sidebar: UNREAD_COUNT_CAP, details: UNREAD_COUNT_CAP });
    await markRead({ actor: alice.actor, input: { channelId: channel.id, seq: backlog - 7 } });
    expect(await unreadFor()).toEqual({ sidebar: 7, details: 7 });
    await markRead({ actor: alice.actor, input: { channelId: channel.id, seq: backlog } });
    expect(await unreadFor()).toEqual({ sidebar: 0, details: 0 });
  });

  it("keeps DM partners, member counts and leaves archived channels out", async () => {
    const [owner, alice, bob] = people as [TTestUser, TTestUser, TTestUser];
    const group = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id, owner.id] } });
    const archived = await createChannel(ws, owner, { memberIds: [alice.id] });
    await updateChannel({ actor: owner.actor, channelId: archived.id, input: { archived: true } });
    const sidebar = await listMyChannels({ actor: alice.actor, slug: ws.slug });
    const g = sidebar.find((c) => c.id === group.id)!;
    expect(g.memberCount).toBe(3);
    expect(g.dmMembers!.map((m) => m.id).sort()).toEqual([bob.id, owner.id].sort());
    expect(sidebar.some((c) => c.id === archived.id)).toBe(false);
    const general = sidebar.find((c) => c.isGeneral)!;
    expect(general.dmMembers).toBeUndefined();
    expect(general.memberCount).toBe(3); // the guest is not in #general
  });

  it("heads list the sidebar's conversations with how far each has gone and been read", async () => {
    const [owner, alice, bob] = people as [TTestUser, TTestUser, TTestUser];
    const channel = await createChannel(ws, owner, { memberIds: [alice.id, bob.id] });
    const archived = await createChannel(ws, owner, { memberIds: [alice.id] });
    await updateChannel({ actor: owner.actor, channelId: archived.id, input: { archived: true } });
    await resetSendLimit(bob);
    for (let i = 0; i < 3; i++) await sendMessage({ actor: bob.actor, input: { channelId: channel.id, body: `头 head ${i}`, clientMsgId: `heads${i}${channel.id}` } });
    await markRead({ actor: alice.actor, input: { channelId: channel.id, seq: 2 } });

    const { channels: heads } = await listSidebarHeads({ actor: alice.actor, input: { slug: ws.slug } });
    const sidebar = await listMyChannels({ actor: alice.actor, slug: ws.slug });
    const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
    expect(heads.toSorted(byId)).toEqual(sidebar.map((c) => ({ id: c.id, lastSeq: c.lastSeq, lastReadSeq: c.lastReadSeq })).toSorted(byId));
    expect(heads.find((h) => h.id === channel.id)).toEqual({ id: channel.id, lastSeq: 3, lastReadSeq: 2 });
    expect(heads.some((h) => h.id === archived.id)).toBe(false);
  });

  it("heads are only for members of the workspace, and only with a slug", async () => {
    const other = await createWorkspace();
    await expect(listSidebarHeads({ actor: people[1]!.actor, input: { slug: other.slug } })).rejects.toMatchObject({ code: "not_found" });
    await expect(listSidebarHeads({ actor: people[1]!.actor, input: {} })).rejects.toMatchObject({ name: "ZodError" });
    await expect(listSidebarHeads({ actor: people[1]!.actor, input: { slug: "x".repeat(101) } })).rejects.toMatchObject({ name: "ZodError" });
  });
});
