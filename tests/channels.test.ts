/** Conversations through lib/channels/service.ts: channels, visibility, DMs and read positions. */
import { beforeAll, describe, expect, it } from "vitest";
import {
  addChannelMembers,
  browseChannels,
  createChannel,
  getChannel,
  joinChannel,
  leaveChannel,
  listChannelMembers,
  listMyChannels,
  markRead,
  openDm,
  removeChannelMember,
  searchChannelMembers,
  setChannelPoster,
  updateChannel,
} from "@/lib/channels/service";
import { channelSelect, findReadableChannelWithAccess } from "@/lib/channels/repository";
import { ensureDbReady, getDb } from "@/lib/db";
import { searchMembers } from "@/lib/workspaces/service";
import { pinMessage } from "@/lib/messages/pins";
import { deleteMessage, editMessage, getChangesSince, listMessages, sendMessage } from "@/lib/messages/service";
import { addMember, createChannel as makeChannel, createMember, createUser, createUsers, createWorkspace, expectAppError, uniq, type TTestUser, type TTestWorkspace } from "./factories";

let ws: TTestWorkspace;
let owner: TTestUser;
let admin: TTestUser;
let alice: TTestUser;
let bob: TTestUser;
let carol: TTestUser;

beforeAll(async () => {
  await ensureDbReady();
  ws = await createWorkspace();
  owner = ws.owner;
  [admin, alice, bob, carol] = await Promise.all([createMember(ws, "ADMIN", "Admin"), createMember(ws, "MEMBER", "Alice"), createMember(ws, "MEMBER", "Bob"), createMember(ws, "MEMBER", "Carol")]);
});

function send(user: TTestUser, channelId: string, body: string) {
  return sendMessage({ actor: user.actor, input: { channelId, body } });
}

describe("createChannel", () => {
  it("creates public, private and announcement channels with the creator as a member", async () => {
    for (const kind of ["PUBLIC", "PRIVATE", "ANNOUNCEMENT"] as const) {
      const name = uniq(`${kind.toLowerCase()}-`);
      const ch = await createChannel({ actor: admin.actor, slug: ws.slug, input: { name, kind, topic: "Plans" } });
      expect(ch).toMatchObject({ name, kind, topic: "Plans", isGeneral: false, isMember: true, memberCount: 1, createdById: admin.id, workspaceId: ws.id, canPost: true, canManage: true, lastSeq: 0 });
      expect((await listChannelMembers({ actor: admin.actor, channelId: ch.id })).map((m) => m.userId)).toEqual([admin.id]);
      expect((await listMyChannels({ actor: admin.actor, slug: ws.slug })).map((c) => c.id)).toContain(ch.id);
    }
  });

  it("adds the named members", async () => {
    const ch = await makeChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] });
    expect(ch.memberCount).toBe(2);
    expect((await listChannelMembers({ actor: bob.actor, channelId: ch.id })).map((m) => m.userId).sort()).toEqual([alice.id, bob.id].sort());
  });

  it("lets only admins create announcement channels", async () => {
    const name = uniq("news-");
    await expectAppError(createChannel({ actor: alice.actor, slug: ws.slug, input: { name, kind: "ANNOUNCEMENT" } }), "forbidden");
    expect(await getDb().channel.count({ where: { workspaceId: ws.id, name } })).toBe(0);
    const ch = await createChannel({ actor: owner.actor, slug: ws.slug, input: { name, kind: "ANNOUNCEMENT" } });
    expect(ch.kind).toBe("ANNOUNCEMENT");
  });

  it("refuses a taken name with conflict, whatever the case or a leading #", async () => {
    const name = uniq("dup-");
    await makeChannel(ws, alice, { name });
    await expectAppError(createChannel({ actor: bob.actor, slug: ws.slug, input: { name } }), "conflict", new RegExp(name));
    await expectAppError(createChannel({ actor: bob.actor, slug: ws.slug, input: { name: `#${name.toUpperCase()}`, kind: "PRIVATE" } }), "conflict");
    await expectAppError(createChannel({ actor: bob.actor, slug: ws.slug, input: { name: "general" } }), "conflict");
  });

  it("allows the same name in another workspace", async () => {
    const name = uniq("shared-");
    await makeChannel(ws, alice, { name });
    const other = await createWorkspace(alice);
    expect((await makeChannel(other, alice, { name })).name).toBe(name);
  });

  it("accepts a Chinese name and turns spaces into hyphens", async () => {
    const other = await createWorkspace(alice);
    const zh = await createChannel({ actor: alice.actor, slug: other.slug, input: { name: "项目讨论" } });
    expect(zh.name).toBe("项目讨论");
    expect((await getChannel({ actor: alice.actor, channelId: zh.id })).name).toBe("项目讨论");
    const spaced = await createChannel({ actor: alice.actor, slug: other.slug, input: { name: "  Project  Plans 二期 " } });
    expect(spaced.name).toBe("project-plans-二期");
    await expectAppError(createChannel({ actor: alice.actor, slug: other.slug, input: { name: "项目讨论" } }), "conflict");
  });

  it.each([
    ["a dot", "a.b"],
    ["an empty name", "   "],
    ["an emoji", "party-🎉"],
    ["81 characters", "a".repeat(81)],
    ["a lone surrogate", "bad\uD800"],
  ])("refuses a name with %s with validation_failed", async (_label, name) => {
    await expectAppError(createChannel({ actor: alice.actor, slug: ws.slug, input: { name } }), "validation_failed", /name/);
  });

  it("refuses members from outside the workspace", async () => {
    const outsider = await createUser();
    await expectAppError(createChannel({ actor: alice.actor, slug: ws.slug, input: { name: uniq("ch-"), memberIds: [outsider.id] } }), "validation_failed");
  });

  it("does not let guests create channels", async () => {
    const guest = await createMember(ws, "GUEST");
    await expectAppError(createChannel({ actor: guest.actor, slug: ws.slug, input: { name: uniq("g-") } }), "forbidden");
  });
});

describe("private channels", () => {
  let secret: Awaited<ReturnType<typeof createChannel>>;
  beforeAll(async () => {
    secret = await makeChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] });
    await send(alice, secret.id, "the secret plan");
  });

  it("are visible to their members", async () => {
    expect((await getChannel({ actor: bob.actor, channelId: secret.id })).isMember).toBe(true);
    expect((await listMessages({ actor: bob.actor, input: { channelId: secret.id } })).messages.map((m) => m.body)).toEqual(["the secret plan"]);
  });

  it("are invisible everywhere to non-members, admins included", async () => {
    for (const outsider of [carol, admin, owner]) {
      expect((await listMyChannels({ actor: outsider.actor, slug: ws.slug })).map((c) => c.id)).not.toContain(secret.id);
      expect((await browseChannels({ actor: outsider.actor, slug: ws.slug })).map((c) => c.id)).not.toContain(secret.id);
      await expectAppError(getChannel({ actor: outsider.actor, channelId: secret.id }), "not_found");
      await expectAppError(listChannelMembers({ actor: outsider.actor, channelId: secret.id }), "not_found");
      await expectAppError(listMessages({ actor: outsider.actor, input: { channelId: secret.id } }), "not_found");
      await expectAppError(getChangesSince({ actor: outsider.actor, input: { channelId: secret.id, after: 0 } }), "not_found");
      await expectAppError(sendMessage({ actor: outsider.actor, input: { channelId: secret.id, body: "let me in" } }), "not_found");
      await expectAppError(joinChannel({ actor: outsider.actor, channelId: secret.id }), "not_found");
      await expectAppError(markRead({ actor: outsider.actor, input: { channelId: secret.id, seq: 1 } }), "not_found");
    }
  });

  it("hide their messages from non-members too", async () => {
    const [msg] = (await listMessages({ actor: alice.actor, input: { channelId: secret.id } })).messages;
    await expectAppError(editMessage({ actor: carol.actor, input: { messageId: msg!.id, body: "x" } }), "not_found");
    await expectAppError(deleteMessage({ actor: admin.actor, input: { messageId: msg!.id } }), "not_found");
  });

  it("become visible once someone is added", async () => {
    const dave = await createMember(ws, "MEMBER", "Dave");
    await expectAppError(getChannel({ actor: dave.actor, channelId: secret.id }), "not_found");
    await addChannelMembers({ actor: bob.actor, channelId: secret.id, input: { userIds: [dave.id] } });
    expect((await getChannel({ actor: dave.actor, channelId: secret.id })).isMember).toBe(true);
    await removeChannelMember({ actor: alice.actor, channelId: secret.id, userId: dave.id });
    await expectAppError(getChannel({ actor: dave.actor, channelId: secret.id }), "not_found");
  });
});

describe("joining and leaving", () => {
  it("lets a member browse, join and leave a public channel", async () => {
    const ch = await makeChannel(ws, alice, { kind: "PUBLIC" });
    await send(alice, ch.id, "before carol came");

    const browsed = (await browseChannels({ actor: carol.actor, slug: ws.slug })).find((c) => c.id === ch.id);
    expect(browsed).toMatchObject({ isMember: false, canPost: false, memberCount: 1 });
    // Readable before joining, but not postable.
    expect((await listMessages({ actor: carol.actor, input: { channelId: ch.id } })).messages).toHaveLength(1);
    await expectAppError(send(carol, ch.id, "hi"), "forbidden");

    const joined = await joinChannel({ actor: carol.actor, channelId: ch.id });
    expect(joined).toMatchObject({ isMember: true, canPost: true, memberCount: 2, unreadCount: 0 });
    // Joining twice is harmless.
    expect((await joinChannel({ actor: carol.actor, channelId: ch.id })).memberCount).toBe(2);
    expect((await listMyChannels({ actor: carol.actor, slug: ws.slug })).map((c) => c.id)).toContain(ch.id);
    await send(carol, ch.id, "hello");

    expect(await leaveChannel({ actor: carol.actor, channelId: ch.id })).toEqual({ left: true });
    expect((await listMyChannels({ actor: carol.actor, slug: ws.slug })).map((c) => c.id)).not.toContain(ch.id);
    expect((await getChannel({ actor: carol.actor, channelId: ch.id })).isMember).toBe(false);
    await expectAppError(leaveChannel({ actor: carol.actor, channelId: ch.id }), "conflict");
  });

  // BUG (reported), PostgreSQL only (PGlite runs one query at a time): joinChannel's
  // channelMember.upsert is not atomic there, so a double-clicked join fails with a raw P2002.
  it("lets two simultaneous joins by one person both succeed", async () => {
    for (let i = 0; i < 5; i++) {
      const ch = await makeChannel(ws, alice);
      const results = await Promise.allSettled([joinChannel({ actor: carol.actor, channelId: ch.id }), joinChannel({ actor: carol.actor, channelId: ch.id })]);
      expect(results.map((r) => (r.status === "rejected" ? String(r.reason) : "ok"))).toEqual(["ok", "ok"]);
      expect((await getChannel({ actor: carol.actor, channelId: ch.id })).memberCount).toBe(2);
    }
  });

  it("does not let anyone leave #general", async () => {
    await expectAppError(leaveChannel({ actor: alice.actor, channelId: ws.generalId }), "forbidden");
    await expectAppError(leaveChannel({ actor: owner.actor, channelId: ws.generalId }), "forbidden");
    await expectAppError(removeChannelMember({ actor: owner.actor, channelId: ws.generalId, userId: alice.id }), "forbidden");
    expect((await listChannelMembers({ actor: alice.actor, channelId: ws.generalId })).map((m) => m.userId)).toEqual(expect.arrayContaining([owner.id, alice.id, bob.id]));
  });

  it("does not let a plain member remove people from someone else's channel", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id, carol.id] });
    await expectAppError(removeChannelMember({ actor: bob.actor, channelId: ch.id, userId: carol.id }), "forbidden");
    expect(await removeChannelMember({ actor: admin.actor, channelId: ch.id, userId: carol.id })).toEqual({ removed: true });
    expect((await listChannelMembers({ actor: alice.actor, channelId: ch.id })).map((m) => m.userId)).not.toContain(carol.id);
  });
});

describe("archiving and renaming", () => {
  it("makes an archived channel read-only but still readable", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id] });
    const msg = await send(bob, ch.id, "last words");
    const archived = await updateChannel({ actor: alice.actor, channelId: ch.id, input: { archived: true } });
    expect(archived.archivedAt).not.toBeNull();
    expect(archived.canPost).toBe(false);

    await expectAppError(send(bob, ch.id, "anyone?"), "forbidden", /archived/);
    await expectAppError(send(alice, ch.id, "anyone?"), "forbidden", /archived/);
    await expectAppError(editMessage({ actor: bob.actor, input: { messageId: msg.id, body: "changed" } }), "forbidden");
    await expectAppError(deleteMessage({ actor: bob.actor, input: { messageId: msg.id } }), "forbidden");
    await expectAppError(joinChannel({ actor: carol.actor, channelId: ch.id }), "forbidden");
    await expectAppError(updateChannel({ actor: alice.actor, channelId: ch.id, input: { topic: "new topic" } }), "forbidden");

    expect((await listMessages({ actor: bob.actor, input: { channelId: ch.id } })).messages.map((m) => m.body)).toEqual(["last words"]);
    expect((await getChannel({ actor: bob.actor, channelId: ch.id })).archivedAt).not.toBeNull();
    // Out of the sidebar, still in the directory.
    expect((await listMyChannels({ actor: bob.actor, slug: ws.slug })).map((c) => c.id)).not.toContain(ch.id);
    expect((await browseChannels({ actor: bob.actor, slug: ws.slug })).find((c) => c.id === ch.id)?.archivedAt).not.toBeNull();

    // Unarchiving makes it writable again.
    await updateChannel({ actor: alice.actor, channelId: ch.id, input: { archived: false } });
    expect((await send(bob, ch.id, "back again")).body).toBe("back again");
  });

  it("lets only the creator or an admin archive; #general never", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id] });
    await expectAppError(updateChannel({ actor: bob.actor, channelId: ch.id, input: { archived: true } }), "forbidden");
    expect((await updateChannel({ actor: admin.actor, channelId: ch.id, input: { archived: true } })).archivedAt).not.toBeNull();
    await expectAppError(updateChannel({ actor: owner.actor, channelId: ws.generalId, input: { archived: true } }), "forbidden");
    expect((await getChannel({ actor: owner.actor, channelId: ws.generalId })).archivedAt).toBeNull();
  });

  it("does not let a member who did not create the channel rename it", async () => {
    const name = uniq("orig-");
    const ch = await makeChannel(ws, alice, { name, memberIds: [bob.id] });
    await expectAppError(updateChannel({ actor: bob.actor, channelId: ch.id, input: { name: uniq("hijack-") } }), "forbidden");
    expect((await getChannel({ actor: bob.actor, channelId: ch.id })).name).toBe(name);
    // Any member may set the topic.
    expect((await updateChannel({ actor: bob.actor, channelId: ch.id, input: { topic: "Q3 讨论" } })).topic).toBe("Q3 讨论");

    const renamed = uniq("renamed-");
    expect((await updateChannel({ actor: alice.actor, channelId: ch.id, input: { name: renamed } })).name).toBe(renamed);
    const byAdmin = uniq("admin-");
    expect((await updateChannel({ actor: admin.actor, channelId: ch.id, input: { name: byAdmin } })).name).toBe(byAdmin);
    await expectAppError(updateChannel({ actor: admin.actor, channelId: ch.id, input: { name: "general" } }), "conflict");
  });
});

describe("announcement channels", () => {
  it("lets members read but not post until named a poster", async () => {
    const ch = await makeChannel(ws, admin, { kind: "ANNOUNCEMENT" });
    await send(admin, ch.id, "Office closed on Friday");

    const joined = await joinChannel({ actor: alice.actor, channelId: ch.id });
    expect(joined).toMatchObject({ isMember: true, canPost: false });
    expect((await listMessages({ actor: alice.actor, input: { channelId: ch.id } })).messages.map((m) => m.body)).toEqual(["Office closed on Friday"]);
    await expectAppError(send(alice, ch.id, "yay"), "forbidden", /announcement/);

    await expectAppError(setChannelPoster({ actor: bob.actor, channelId: ch.id, userId: alice.id, input: { isPoster: true } }), "forbidden");
    const members = await setChannelPoster({ actor: admin.actor, channelId: ch.id, userId: alice.id, input: { isPoster: true } });
    expect(members.find((m) => m.userId === alice.id)?.isPoster).toBe(true);
    expect((await getChannel({ actor: alice.actor, channelId: ch.id })).canPost).toBe(true);
    expect((await send(alice, ch.id, "Reminder: Friday")).body).toBe("Reminder: Friday");

    await setChannelPoster({ actor: admin.actor, channelId: ch.id, userId: alice.id, input: { isPoster: false } });
    await expectAppError(send(alice, ch.id, "one more"), "forbidden");
  });

  it("refuses posters in an ordinary channel", async () => {
    const ch = await makeChannel(ws, admin);
    await expectAppError(setChannelPoster({ actor: admin.actor, channelId: ch.id, userId: alice.id, input: { isPoster: true } }), "validation_failed");
  });
});

describe("direct messages", () => {
  it("finds the same DM whoever opens it and in whatever order", async () => {
    const first = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id] } });
    expect(first).toMatchObject({ kind: "DM", name: null, isMember: true, memberCount: 2 });
    expect(first.dmMembers).toEqual([{ id: bob.id, name: "Bob" }]);
    const again = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id, bob.id] } });
    const fromBob = await openDm({ actor: bob.actor, slug: ws.slug, input: { userIds: [alice.id] } });
    expect(again.id).toBe(first.id);
    expect(fromBob.id).toBe(first.id);
    expect(fromBob.dmMembers).toEqual([{ id: alice.id, name: "Alice" }]);
    expect(await getDb().channel.count({ where: { workspaceId: ws.id, kind: "DM", members: { every: { userId: { in: [alice.id, bob.id] } } } } })).toBe(1);
    // A DM stays private to its two people.
    await expectAppError(getChannel({ actor: carol.actor, channelId: first.id }), "not_found");
  });

  it("opens one DM when two people open it at the same time", async () => {
    const [x, y] = await Promise.all([createMember(ws), createMember(ws)]);
    const [a, b] = await Promise.all([
      openDm({ actor: x.actor, slug: ws.slug, input: { userIds: [y.id] } }),
      openDm({ actor: y.actor, slug: ws.slug, input: { userIds: [x.id] } }),
    ]);
    expect(a.id).toBe(b.id);
  });

  it("finds the same group DM in any order", async () => {
    const first = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [bob.id, carol.id] } });
    expect(first).toMatchObject({ kind: "GROUP_DM", memberCount: 3 });
    const fromCarol = await openDm({ actor: carol.actor, slug: ws.slug, input: { userIds: [bob.id, alice.id] } });
    expect(fromCarol.id).toBe(first.id);
    const pair = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [carol.id] } });
    expect(pair.id).not.toBe(first.id);
  });

  it("holds up to 8 people and refuses 9 with validation_failed", async () => {
    const others = await createUsers(8, "Crowd");
    await Promise.all(others.map((u) => addMember(ws, u)));
    const seven = others.slice(0, 7).map((u) => u.id);
    const group = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: seven } });
    expect(group).toMatchObject({ kind: "GROUP_DM", memberCount: 8 });
    expect(group.dmMembers).toHaveLength(7);

    await expectAppError(openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: others.map((u) => u.id) } }), "validation_failed", /8/);
    const reordered = await openDm({ actor: others[3]!.actor, slug: ws.slug, input: { userIds: [alice.id, ...seven.filter((id) => id !== others[3]!.id)].reverse() } });
    expect(reordered.id).toBe(group.id);
  });

  it("refuses people from outside the workspace", async () => {
    const outsider = await createUser();
    await expectAppError(openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [outsider.id] } }), "validation_failed");
  });

  it("cannot be renamed, archived, left or added to", async () => {
    const dm = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [carol.id] } });
    await expectAppError(updateChannel({ actor: alice.actor, channelId: dm.id, input: { name: "ours" } }), "validation_failed");
    await expectAppError(updateChannel({ actor: alice.actor, channelId: dm.id, input: { archived: true } }), "validation_failed");
    await expectAppError(leaveChannel({ actor: alice.actor, channelId: dm.id }), "forbidden");
    await expectAppError(addChannelMembers({ actor: alice.actor, channelId: dm.id, input: { userIds: [bob.id] } }), "forbidden");
  });
});

describe("read positions", () => {
  it("never moves backwards and is capped at the channel's last seq", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id] });
    for (let i = 1; i <= 4; i++) await send(alice, ch.id, `news ${i}`);

    expect(await markRead({ actor: bob.actor, input: { channelId: ch.id, seq: 3 } })).toEqual({ lastReadSeq: 3 });
    expect(await markRead({ actor: bob.actor, input: { channelId: ch.id, seq: 1 } })).toEqual({ lastReadSeq: 3 });
    expect(await markRead({ actor: bob.actor, input: { channelId: ch.id, seq: 0 } })).toEqual({ lastReadSeq: 3 });
    expect((await getChannel({ actor: bob.actor, channelId: ch.id })).lastReadSeq).toBe(3);
    expect(await markRead({ actor: bob.actor, input: { channelId: ch.id, seq: 999 } })).toEqual({ lastReadSeq: 4 });
    expect((await getChannel({ actor: bob.actor, channelId: ch.id })).lastReadSeq).toBe(4);
    await expectAppError(markRead({ actor: bob.actor, input: { channelId: ch.id, seq: -1 } }), "validation_failed");
  });

  it("counts only other people's unread messages", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id, carol.id] });
    const unread = async (user: TTestUser) => (await getChannel({ actor: user.actor, channelId: ch.id })).unreadCount;
    const sidebarUnread = async (user: TTestUser) => (await listMyChannels({ actor: user.actor, slug: ws.slug })).find((c) => c.id === ch.id)?.unreadCount;

    await send(alice, ch.id, "a1");
    await send(alice, ch.id, "a2");
    expect(await unread(alice)).toBe(0);
    expect(await unread(bob)).toBe(2);
    expect(await sidebarUnread(bob)).toBe(2);

    await send(bob, ch.id, "b1"); // Sending reads everything up to it.
    expect(await unread(bob)).toBe(0);
    expect(await unread(alice)).toBe(1);
    expect(await unread(carol)).toBe(3);

    await send(alice, ch.id, "a3"); // Alice has now read Bob's b1 too.
    expect(await unread(alice)).toBe(0);
    expect(await unread(bob)).toBe(1);
    expect(await sidebarUnread(bob)).toBe(1);

    // With the read position wound back to the start, one's own messages still do not count.
    await getDb().channelMember.updateMany({ where: { channelId: ch.id, userId: alice.id }, data: { lastReadSeq: 0 } });
    expect(await unread(alice)).toBe(1);

    await markRead({ actor: carol.actor, input: { channelId: ch.id, seq: 2 } });
    expect(await unread(carol)).toBe(2);
    // Deleted messages are not unread.
    const last = (await listMessages({ actor: alice.actor, input: { channelId: ch.id } })).messages.at(-1)!;
    await deleteMessage({ actor: alice.actor, input: { messageId: last.id } });
    expect(await unread(carol)).toBe(1);
  });
});

describe("prepared statements read what Prisma reads", () => {
  it("reads each conversation exactly as Prisma does, and only for those who may read it", async () => {
    const guest = await createMember(ws, "GUEST", "Guest");
    const open = await makeChannel(ws, alice, { kind: "PUBLIC", topic: "话题 topic" });
    const closed = await makeChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id] });
    const news = await createChannel({ actor: admin.actor, slug: ws.slug, input: { name: uniq("news-"), kind: "ANNOUNCEMENT" } });
    const dm = await openDm({ actor: alice.actor, slug: ws.slug, input: { userIds: [carol.id] } });
    const archived = await makeChannel(ws, bob, { kind: "PUBLIC" });
    await send(alice, open.id, "one");
    await send(alice, closed.id, "一");
    await send(alice, closed.id, "二");
    await markRead({ actor: bob.actor, input: { channelId: closed.id, seq: 1 } });
    await setChannelPoster({ actor: admin.actor, channelId: news.id, userId: admin.id, input: { isPoster: true } });
    await send(bob, archived.id, "before archiving");
    await getDb().channel.update({ where: { id: archived.id }, data: { archivedAt: new Date("2026-11-27T01:02:03.456Z") } });

    const readable: [TTestUser, string][] = [
      [alice, open.id], [bob, open.id], [carol, open.id], [owner, open.id],
      [alice, closed.id], [bob, closed.id],
      [alice, news.id], [admin, news.id],
      [alice, dm.id], [carol, dm.id],
      [bob, archived.id], [alice, archived.id],
    ];
    for (const [user, channelId] of readable) {
      const found = await findReadableChannelWithAccess(user.id, channelId);
      const channel = await getDb().channel.findUniqueOrThrow({ where: { id: channelId }, select: channelSelect });
      const member = await getDb().channelMember.findUnique({ where: { channelId_userId: { channelId, userId: user.id } }, select: { lastReadSeq: true, isPoster: true } });
      const { role } = await getDb().workspaceMember.findUniqueOrThrow({ where: { workspaceId_userId: { workspaceId: ws.id, userId: user.id } }, select: { role: true } });
      expect(found).toEqual({ channel, role, membership: member });
    }
    expect((await findReadableChannelWithAccess(alice.id, open.id))?.channel.lastMessageAt).toBeInstanceOf(Date);
    expect((await findReadableChannelWithAccess(bob.id, closed.id))?.membership).toEqual({ lastReadSeq: 1, isPoster: false });
    expect((await findReadableChannelWithAccess(admin.id, news.id))?.membership).toEqual({ lastReadSeq: 0, isPoster: true });
    expect((await findReadableChannelWithAccess(bob.id, archived.id))?.channel.archivedAt?.toISOString()).toBe("2026-11-27T01:02:03.456Z");

    // A guest outside a public channel, a member outside a private one or a DM, an unknown channel.
    for (const [user, channelId] of [[guest, open.id], [carol, closed.id], [bob, dm.id], [alice, "no-such-channel"]] as const) {
      expect(await findReadableChannelWithAccess(user.id, channelId)).toBeNull();
    }
  });

  it("lists the sidebar's conversations with the channel fields Prisma reads", async () => {
    const closed = await makeChannel(ws, alice, { kind: "PRIVATE", memberIds: [bob.id], topic: "计划" });
    await send(bob, closed.id, "hello");
    const sidebar = await listMyChannels({ actor: alice.actor, slug: ws.slug });
    expect(sidebar.length).toBeGreaterThan(1);
    for (const view of sidebar) {
      const row = await getDb().channel.findUniqueOrThrow({ where: { id: view.id }, select: channelSelect });
      const { archivedAt, createdAt, lastMessageAt, ...rest } = row;
      expect(view).toMatchObject({ ...rest, archivedAt: archivedAt?.toISOString() ?? null, createdAt: createdAt.toISOString(), lastMessageAt: lastMessageAt?.toISOString() ?? null });
    }
    expect(sidebar.find((c) => c.id === closed.id)).toMatchObject({ unreadCount: 1, memberCount: 2, lastSeq: 1 });
  });
});

describe("members of a large conversation", () => {
  it("are found by name or email with their workspace role, a page at a time; private ones only by their members", async () => {
    const space = await createWorkspace();
    const [ops, zhao, zhou, guest] = await Promise.all([createMember(space, "ADMIN", "Ops Admin"), createMember(space, "MEMBER", "赵六"), createMember(space, "MEMBER", "周_七"), createMember(space, "GUEST", "Gus Guest")]);
    const room = await makeChannel(space, space.owner, { kind: "PRIVATE", memberIds: [ops.id, zhao.id, zhou.id, guest.id] });
    const found = async (q: string, limit?: number) => {
      const page = await searchChannelMembers({ actor: zhao.actor, channelId: room.id, input: { q, limit } });
      return [page.members.map((m) => [m.name, m.role]), page.hasMore];
    };

    expect(await found("")).toEqual([[["Gus Guest", "GUEST"], ["Ops Admin", "ADMIN"], ["Owner", "OWNER"], ["周_七", "MEMBER"], ["赵六", "MEMBER"]], false]);
    expect(await found("", 2)).toEqual([[["Gus Guest", "GUEST"], ["Ops Admin", "ADMIN"]], true]);
    expect(await found("六")).toEqual([[["赵六", "MEMBER"]], false]);
    expect(await found("OPS")).toEqual([[["Ops Admin", "ADMIN"]], false]);
    expect(await found("_")).toEqual([[["周_七", "MEMBER"]], false]);
    expect((await listChannelMembers({ actor: zhao.actor, channelId: room.id })).find((m) => m.userId === ops.id)?.role).toBe("ADMIN");
    await expectAppError(searchChannelMembers({ actor: zhao.actor, channelId: room.id, input: { q: "x", limit: 101 } }), "validation_failed", /limit/);

    // Outside the private channel, neither its member list nor "who is not in it" can be asked for.
    const outsider = await createMember(space, "MEMBER", "Otto");
    await expectAppError(searchChannelMembers({ actor: outsider.actor, channelId: room.id, input: { q: "" } }), "not_found");
    await expectAppError(searchMembers({ actor: outsider.actor, slug: space.slug, input: { q: "", notInChannel: room.id } }), "not_found");
    // Its members can: the people to add are the workspace's others.
    const toAdd = await searchMembers({ actor: zhao.actor, slug: space.slug, input: { q: "", notInChannel: room.id } });
    expect(toAdd.members.map((m) => m.name)).toEqual(["Otto"]);
    // A conversation of another workspace is not found through this one.
    await expectAppError(searchMembers({ actor: alice.actor, slug: ws.slug, input: { q: "", notInChannel: room.id } }), "not_found");
  });
});

describe("a conversation's view", () => {
  const counted = (c: { memberCount?: number; pinCount?: number; unreadCount?: number; lastReadSeq: number; isMember: boolean; dmMembers?: { id: string; name: string }[] }) => ({
    memberCount: c.memberCount,
    pinCount: c.pinCount,
    unreadCount: c.unreadCount,
    lastReadSeq: c.lastReadSeq,
    isMember: c.isMember,
    dmMembers: c.dmMembers && [...c.dmMembers].sort((a, b) => a.id.localeCompare(b.id)),
  });

  it("counts members, pins and unread as the sidebar does, and names a direct conversation's people", async () => {
    const ch = await makeChannel(ws, alice, { memberIds: [bob.id, carol.id] });
    const sent = [];
    for (const body of ["一", "二", "三", "四"]) sent.push(await send(alice, ch.id, body));
    await pinMessage({ actor: alice.actor, input: { messageId: sent[0]!.id } });
    await pinMessage({ actor: alice.actor, input: { messageId: sent[1]!.id } });
    // Deleted: neither pinned nor unread any more. A thread reply not sent to the channel is not unread.
    await deleteMessage({ actor: alice.actor, input: { messageId: sent[1]!.id } });
    await sendMessage({ actor: alice.actor, input: { channelId: ch.id, body: "in the thread", threadRootId: sent[0]!.id } });
    const dm = await openDm({ actor: bob.actor, slug: ws.slug, input: { userIds: [alice.id] } });
    const group = await openDm({ actor: bob.actor, slug: ws.slug, input: { userIds: [alice.id, carol.id] } });
    await send(alice, dm.id, "你好");

    const sidebar = await listMyChannels({ actor: bob.actor, slug: ws.slug });
    for (const id of [ch.id, dm.id, group.id, ws.generalId]) {
      expect(counted(await getChannel({ actor: bob.actor, channelId: id })), id).toEqual(counted(sidebar.find((c) => c.id === id)!));
    }
    expect(counted(await getChannel({ actor: bob.actor, channelId: ch.id }))).toMatchObject({ memberCount: 3, pinCount: 1, unreadCount: 3 });
    expect(counted(await getChannel({ actor: bob.actor, channelId: dm.id }))).toMatchObject({ unreadCount: 1, dmMembers: [{ id: alice.id, name: alice.name }] });
    expect((await getChannel({ actor: bob.actor, channelId: group.id })).dmMembers!.map((p) => p.id).sort()).toEqual([alice.id, carol.id].sort());
    expect((await getChannel({ actor: bob.actor, channelId: ch.id })).dmMembers).toBeUndefined();
  });

  it("counts nothing unread in a public channel one has not joined", async () => {
    const open = await makeChannel(ws, carol);
    await send(carol, open.id, "hello");
    expect(await getChannel({ actor: bob.actor, channelId: open.id })).toMatchObject({ isMember: false, unreadCount: 0, memberCount: 1, pinCount: 0 });
  });
});
