/** Workspaces, members, roles and invites through lib/workspaces/service.ts. */
import { beforeAll, describe, expect, it } from "vitest";
import { browseChannels, getChannel, listChannelMembers, listMyChannels } from "@/lib/channels/service";
import { ensureDbReady, getDb } from "@/lib/db";
import { listMessages } from "@/lib/messages/service";
import { isSessionCurrent, verifyCredentials } from "@/lib/users/service";
import {
  acceptInvite,
  createInvite,
  createWorkspace,
  getInvitePreview,
  getWorkspaceAccess,
  listInvites,
  listMembers,
  searchMembers,
  listMyWorkspaces,
  revokeInvite,
  updateMember,
} from "@/lib/workspaces/service";
import { addMember, createChannel, createMember, createUser, createWorkspace as makeWorkspace, expectAppError, uniq, type TTestUser, type TTestWorkspace } from "./factories";

beforeAll(async () => {
  await ensureDbReady();
});

describe("createWorkspace", () => {
  it("makes the creator its owner and creates #general with the owner in it", async () => {
    const owner = await createUser({ name: "Founder" });
    const slug = uniq("acme-");
    const ws = await createWorkspace({ actor: owner.actor, input: { name: "Acme 公司", slug } });
    expect(ws).toMatchObject({ name: "Acme 公司", slug, role: "OWNER" });

    expect(await getWorkspaceAccess({ actor: owner.actor, slug })).toMatchObject({ role: "OWNER", workspace: { id: ws.id, slug } });
    expect((await listMyWorkspaces({ actor: owner.actor })).map((w) => [w.id, w.role])).toContainEqual([ws.id, "OWNER"]);
    expect((await listMembers({ actor: owner.actor, slug })).map((m) => [m.userId, m.role, m.status])).toEqual([[owner.id, "OWNER", "ACTIVE"]]);

    const mine = await listMyChannels({ actor: owner.actor, slug });
    expect(mine).toHaveLength(1);
    const general = mine[0]!;
    expect(general).toMatchObject({ name: "general", kind: "PUBLIC", isGeneral: true, isMember: true, workspaceId: ws.id, memberCount: 1 });
    expect((await listChannelMembers({ actor: owner.actor, channelId: general.id })).map((m) => m.userId)).toEqual([owner.id]);
  });

  it("refuses a slug that is taken (in any case) with conflict", async () => {
    const owner = await createUser();
    const slug = uniq("taken-");
    await createWorkspace({ actor: owner.actor, input: { name: "First", slug } });
    await expectAppError(createWorkspace({ actor: owner.actor, input: { name: "Second", slug } }), "conflict", new RegExp(slug));
    await expectAppError(createWorkspace({ actor: owner.actor, input: { name: "Third", slug: slug.toUpperCase() } }), "conflict");
    expect(await getDb().workspace.count({ where: { slug } })).toBe(1);
  });

  it.each([
    ["one character", "a"],
    ["a leading hyphen", "-acme"],
    ["a trailing hyphen", "acme-"],
    ["a space", "ac me"],
    ["an underscore", "ac_me"],
    ["a non-Latin letter", "公司"],
    ["a reserved word", "api"],
    ["41 characters", "a".repeat(41)],
  ])("refuses a slug with %s with validation_failed", async (_label, slug) => {
    const owner = await createUser();
    await expectAppError(createWorkspace({ actor: owner.actor, input: { name: "Bad", slug } }), "validation_failed", /slug/);
  });
});

describe("access", () => {
  it("answers not_found to a non-member and for an unknown slug, never leaking the workspace", async () => {
    const ws = await makeWorkspace();
    const stranger = await createUser({ name: "Stranger" });
    await expectAppError(getWorkspaceAccess({ actor: stranger.actor, slug: ws.slug }), "not_found");
    await expectAppError(getWorkspaceAccess({ actor: stranger.actor, workspaceId: ws.id }), "not_found");
    await expectAppError(listMembers({ actor: stranger.actor, slug: ws.slug }), "not_found");
    await expectAppError(listMyChannels({ actor: stranger.actor, slug: ws.slug }), "not_found");
    await expectAppError(getChannel({ actor: stranger.actor, channelId: ws.generalId }), "not_found");
    await expectAppError(getWorkspaceAccess({ actor: stranger.actor, slug: uniq("nowhere-") }), "not_found");
    expect((await listMyWorkspaces({ actor: stranger.actor })).map((w) => w.id)).not.toContain(ws.id);
  });

  it("gives a member the workspace and their role by slug or by id, and a deactivated member forbidden", async () => {
    const ws = await makeWorkspace(undefined, { name: "工作区 Workspace" });
    const guest = await createMember(ws, "GUEST", "Guest");
    const stored = await getDb().workspace.findUniqueOrThrow({ where: { id: ws.id }, select: { id: true, name: true, slug: true, createdAt: true } });
    const expected = { id: stored.id, name: stored.name, slug: stored.slug, createdAt: stored.createdAt.toISOString() };
    for (const [user, role] of [[ws.owner, "OWNER"], [guest, "GUEST"]] as const) {
      expect(await getWorkspaceAccess({ actor: user.actor, slug: ws.slug })).toEqual({ workspace: expected, role });
      expect(await getWorkspaceAccess({ actor: user.actor, workspaceId: ws.id })).toEqual({ workspace: expected, role });
    }
    await updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: guest.id, input: { status: "DEACTIVATED" } });
    await expectAppError(getWorkspaceAccess({ actor: guest.actor, slug: ws.slug }), "forbidden", /deactivated/);
    await expectAppError(getWorkspaceAccess({ actor: guest.actor, workspaceId: ws.id }), "forbidden", /deactivated/);
    await expectAppError(getWorkspaceAccess({ actor: ws.owner.actor, workspaceId: "no-such-workspace" }), "not_found");
  });
});

describe("invites", () => {
  let ws: TTestWorkspace;
  let admin: TTestUser;
  let member: TTestUser;
  beforeAll(async () => {
    ws = await makeWorkspace();
    [admin, member] = await Promise.all([createMember(ws, "ADMIN"), createMember(ws, "MEMBER")]);
  });

  it("joins the workspace and #general through a link", async () => {
    const { token, path, invite } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: {} });
    expect(path).toBe(`/invite/${token}`);
    expect(invite).toMatchObject({ role: "MEMBER", email: null, status: "pending" });
    expect(await getInvitePreview({ token })).toMatchObject({ workspace: { id: ws.id, slug: ws.slug }, role: "MEMBER", status: "pending" });

    const joiner = await createUser({ name: "Joiner" });
    const joined = await acceptInvite({ actor: joiner.actor, token });
    expect(joined).toMatchObject({ id: ws.id, role: "MEMBER" });
    expect(await getWorkspaceAccess({ actor: joiner.actor, slug: ws.slug })).toMatchObject({ role: "MEMBER" });
    const mine = await listMyChannels({ actor: joiner.actor, slug: ws.slug });
    expect(mine.map((c) => c.id)).toContain(ws.generalId);
    expect((await listChannelMembers({ actor: joiner.actor, channelId: ws.generalId })).map((m) => m.userId)).toContain(joiner.id);
    expect((await getInvitePreview({ token })).status).toBe("accepted");
    // Opening the link again as the same person is harmless.
    expect(await acceptInvite({ actor: joiner.actor, token })).toMatchObject({ id: ws.id, role: "MEMBER" });
  });

  it("stores only a hash of the token", async () => {
    const { token, invite } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: {} });
    const row = await getDb().invite.findUniqueOrThrow({ where: { id: invite.id }, select: { tokenHash: true } });
    expect(row.tokenHash).not.toContain(token);
  });

  it("refuses a used invite to someone else with gone", async () => {
    const { token } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: {} });
    await acceptInvite({ actor: (await createUser()).actor, token });
    const late = await createUser({ name: "Late" });
    await expectAppError(acceptInvite({ actor: late.actor, token }), "gone");
    await expectAppError(getWorkspaceAccess({ actor: late.actor, slug: ws.slug }), "not_found");
  });

  it("lets only one of two people racing for one link in", async () => {
    const { token } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: {} });
    const [a, b] = await Promise.all([createUser(), createUser()]);
    const results = await Promise.allSettled([acceptInvite({ actor: a.actor, token }), acceptInvite({ actor: b.actor, token })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    await expectAppError(Promise.reject(loser.reason), "gone");
  });

  it("refuses an expired invite with gone", async () => {
    const { token, invite } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: { expiresInHours: 1 } });
    await getDb().invite.update({ where: { id: invite.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const joiner = await createUser();
    await expectAppError(acceptInvite({ actor: joiner.actor, token }), "gone", /expired/);
    expect((await getInvitePreview({ token })).status).toBe("expired");
    await expectAppError(getWorkspaceAccess({ actor: joiner.actor, slug: ws.slug }), "not_found");
  });

  it("refuses a revoked invite with gone", async () => {
    const { token, invite } = await createInvite({ actor: admin.actor, slug: ws.slug, input: {} });
    expect((await revokeInvite({ actor: ws.owner.actor, slug: ws.slug, inviteId: invite.id })).status).toBe("revoked");
    const joiner = await createUser();
    await expectAppError(acceptInvite({ actor: joiner.actor, token }), "gone", /revoked/);
    await expectAppError(getWorkspaceAccess({ actor: joiner.actor, slug: ws.slug }), "not_found");
    // Revoking twice is a conflict, not a silent success.
    await expectAppError(revokeInvite({ actor: ws.owner.actor, slug: ws.slug, inviteId: invite.id }), "conflict");
  });

  it("answers not_found for a token that does not exist or is malformed", async () => {
    const joiner = await createUser();
    await expectAppError(acceptInvite({ actor: joiner.actor, token: "A".repeat(32) }), "not_found");
    await expectAppError(acceptInvite({ actor: joiner.actor, token: "../../etc/passwd" }), "not_found");
    await expectAppError(getInvitePreview({ token: "short" }), "not_found");
  });

  it("refuses an email-bound invite for another address (forbidden) and accepts the right one in any case", async () => {
    const invited = await createUser({ name: "Invited" });
    const { token } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: { email: invited.email.toUpperCase() } });
    const other = await createUser({ name: "Other" });
    await expectAppError(acceptInvite({ actor: other.actor, token }), "forbidden");
    await expectAppError(getWorkspaceAccess({ actor: other.actor, slug: ws.slug }), "not_found");
    // The refused attempt did not use the invite up.
    expect(await acceptInvite({ actor: invited.actor, token })).toMatchObject({ id: ws.id, role: "MEMBER" });
  });

  it("refuses to invite someone who is already a member", async () => {
    await expectAppError(createInvite({ actor: ws.owner.actor, slug: ws.slug, input: { email: member.email } }), "conflict");
  });

  it("lets only owners invite admins and only admins invite guests", async () => {
    await expectAppError(createInvite({ actor: member.actor, slug: ws.slug, input: { role: "GUEST" } }), "forbidden");
    await expectAppError(createInvite({ actor: member.actor, slug: ws.slug, input: { role: "ADMIN" } }), "forbidden");
    await expectAppError(createInvite({ actor: admin.actor, slug: ws.slug, input: { role: "ADMIN" } }), "forbidden");
    expect((await createInvite({ actor: admin.actor, slug: ws.slug, input: { role: "GUEST" } })).invite.role).toBe("GUEST");
    expect((await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: { role: "ADMIN" } })).invite.role).toBe("ADMIN");
    // Members may invite members.
    expect((await createInvite({ actor: member.actor, slug: ws.slug, input: {} })).invite.role).toBe("MEMBER");
  });

  it("shows members only their own invites and admins all", async () => {
    const mine = await createInvite({ actor: member.actor, slug: ws.slug, input: {} });
    const admins = await createInvite({ actor: admin.actor, slug: ws.slug, input: {} });
    const seenByMember = (await listInvites({ actor: member.actor, slug: ws.slug })).map((i) => i.id);
    expect(seenByMember).toContain(mine.invite.id);
    expect(seenByMember).not.toContain(admins.invite.id);
    const seenByOwner = (await listInvites({ actor: ws.owner.actor, slug: ws.slug })).map((i) => i.id);
    expect(seenByOwner).toEqual(expect.arrayContaining([mine.invite.id, admins.invite.id]));
    // A member cannot revoke someone else's invite.
    await expectAppError(revokeInvite({ actor: member.actor, slug: ws.slug, inviteId: admins.invite.id }), "forbidden");
  });
});

describe("guests", () => {
  let ws: TTestWorkspace;
  let guest: TTestUser;
  let publicChannelId: string;
  beforeAll(async () => {
    ws = await makeWorkspace();
    publicChannelId = (await createChannel(ws, ws.owner, { kind: "PUBLIC" })).id;
    const { token } = await createInvite({ actor: ws.owner.actor, slug: ws.slug, input: { role: "GUEST" } });
    guest = await createUser({ name: "Guest" });
    expect(await acceptInvite({ actor: guest.actor, token })).toMatchObject({ role: "GUEST" });
  });

  it("joins as a guest without being put in #general", async () => {
    expect(await getWorkspaceAccess({ actor: guest.actor, slug: ws.slug })).toMatchObject({ role: "GUEST" });
    expect(await listMyChannels({ actor: guest.actor, slug: ws.slug })).toEqual([]);
    expect((await listChannelMembers({ actor: ws.owner.actor, channelId: ws.generalId })).map((m) => m.userId)).not.toContain(guest.id);
  });

  it("cannot browse public channels or invite anyone", async () => {
    await expectAppError(browseChannels({ actor: guest.actor, slug: ws.slug }), "forbidden");
    await expectAppError(createInvite({ actor: guest.actor, slug: ws.slug, input: {} }), "forbidden");
  });

  it("cannot read a public channel or #general they are not in", async () => {
    for (const channelId of [publicChannelId, ws.generalId]) {
      await expectAppError(getChannel({ actor: guest.actor, channelId }), "not_found");
      await expectAppError(listMessages({ actor: guest.actor, input: { channelId } }), "not_found");
      await expectAppError(listChannelMembers({ actor: guest.actor, channelId }), "not_found");
    }
  });

  it("sees a channel once added to it", async () => {
    const room = await createChannel(ws, ws.owner, { kind: "PRIVATE", memberIds: [guest.id] });
    expect((await getChannel({ actor: guest.actor, channelId: room.id })).isMember).toBe(true);
    expect((await listMyChannels({ actor: guest.actor, slug: ws.slug })).map((c) => c.id)).toEqual([room.id]);
  });
});

describe("roles", () => {
  let ws: TTestWorkspace;
  let admin: TTestUser;
  let member: TTestUser;
  let coOwner: TTestUser;
  beforeAll(async () => {
    ws = await makeWorkspace();
    [admin, member, coOwner] = await Promise.all([createMember(ws, "ADMIN"), createMember(ws, "MEMBER"), createMember(ws, "OWNER")]);
  });

  it("an admin cannot change an owner", async () => {
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: ws.owner.id, input: { role: "MEMBER" } }), "forbidden");
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: coOwner.id, input: { status: "DEACTIVATED" } }), "forbidden");
    expect((await getWorkspaceAccess({ actor: ws.owner.actor, slug: ws.slug })).role).toBe("OWNER");
    expect((await getWorkspaceAccess({ actor: coOwner.actor, slug: ws.slug })).role).toBe("OWNER");
  });

  it("an admin cannot make someone an admin or owner", async () => {
    const target = await createMember(ws, "MEMBER");
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: target.id, input: { role: "ADMIN" } }), "forbidden");
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: target.id, input: { role: "OWNER" } }), "forbidden");
    expect((await getWorkspaceAccess({ actor: target.actor, slug: ws.slug })).role).toBe("MEMBER");
  });

  it("a member cannot manage anyone", async () => {
    const target = await createMember(ws, "MEMBER");
    await expectAppError(updateMember({ actor: member.actor, slug: ws.slug, userId: target.id, input: { role: "GUEST" } }), "forbidden");
    await expectAppError(updateMember({ actor: member.actor, slug: ws.slug, userId: target.id, input: { status: "DEACTIVATED" } }), "forbidden");
    expect(await getWorkspaceAccess({ actor: target.actor, slug: ws.slug })).toMatchObject({ role: "MEMBER" });
  });

  it("nobody changes their own role or status, owners included", async () => {
    await expectAppError(updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: ws.owner.id, input: { role: "MEMBER" } }), "forbidden");
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: admin.id, input: { role: "OWNER" } }), "forbidden");
    await expectAppError(updateMember({ actor: member.actor, slug: ws.slug, userId: member.id, input: { role: "ADMIN" } }), "forbidden");
    await expectAppError(updateMember({ actor: admin.actor, slug: ws.slug, userId: admin.id, input: { status: "DEACTIVATED" } }), "forbidden");
    expect((await getWorkspaceAccess({ actor: ws.owner.actor, slug: ws.slug })).role).toBe("OWNER");
    expect((await getWorkspaceAccess({ actor: admin.actor, slug: ws.slug })).role).toBe("ADMIN");
  });

  it("an owner promotes a member to admin; an admin demotes a member to guest, which takes them out of #general", async () => {
    const rising = await createMember(ws, "MEMBER");
    expect((await updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: rising.id, input: { role: "ADMIN" } })).role).toBe("ADMIN");
    expect((await getWorkspaceAccess({ actor: rising.actor, slug: ws.slug })).role).toBe("ADMIN");

    const falling = await createMember(ws, "MEMBER");
    expect((await updateMember({ actor: admin.actor, slug: ws.slug, userId: falling.id, input: { role: "GUEST" } })).role).toBe("GUEST");
    expect((await listChannelMembers({ actor: ws.owner.actor, channelId: ws.generalId })).map((m) => m.userId)).not.toContain(falling.id);
    await expectAppError(getChannel({ actor: falling.actor, channelId: ws.generalId }), "not_found");
  });

  it("answers not_found for a user who is not in the workspace", async () => {
    const outsider = await createUser();
    await expectAppError(updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: outsider.id, input: { role: "MEMBER" } }), "not_found");
  });

  it("refuses an update with nothing to change or an unknown role", async () => {
    await expectAppError(updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: member.id, input: {} }), "validation_failed");
    await expectAppError(updateMember({ actor: ws.owner.actor, slug: ws.slug, userId: member.id, input: { role: "SUPERUSER" } }), "validation_failed");
  });
});

describe("deactivation", () => {
  it("ends the person's sessions and shuts them out of the workspace with forbidden", async () => {
    const ws = await makeWorkspace();
    const admin = await createMember(ws, "ADMIN");
    const leaver = await createMember(ws, "MEMBER", "Leaver");
    const { sessionVersion } = await verifyCredentials({ email: leaver.email, password: leaver.password });

    const updated = await updateMember({ actor: admin.actor, slug: ws.slug, userId: leaver.id, input: { status: "DEACTIVATED" } });
    expect(updated.status).toBe("DEACTIVATED");

    expect(await isSessionCurrent(leaver.id, sessionVersion)).toBe(false);
    const row = await getDb().user.findUniqueOrThrow({ where: { id: leaver.id }, select: { sessionVersion: true } });
    expect(row.sessionVersion).toBe(sessionVersion + 1);

    await expectAppError(getWorkspaceAccess({ actor: leaver.actor, slug: ws.slug }), "forbidden");
    await expectAppError(listMyChannels({ actor: leaver.actor, slug: ws.slug }), "forbidden");
    await expectAppError(getChannel({ actor: leaver.actor, channelId: ws.generalId }), "not_found");
    expect((await listMyWorkspaces({ actor: leaver.actor })).map((w) => w.id)).not.toContain(ws.id);

    // Admins still see them (marked), members do not; an invite does not bring them back.
    const ordinary = await createMember(ws, "MEMBER");
    expect((await listMembers({ actor: admin.actor, slug: ws.slug })).find((m) => m.userId === leaver.id)?.status).toBe("DEACTIVATED");
    expect((await listMembers({ actor: ordinary.actor, slug: ws.slug })).map((m) => m.userId)).not.toContain(leaver.id);
    const { token } = await createInvite({ actor: admin.actor, slug: ws.slug, input: {} });
    await expectAppError(acceptInvite({ actor: leaver.actor, token }), "forbidden");

    // Reactivation lets them back in (with a new session).
    await updateMember({ actor: admin.actor, slug: ws.slug, userId: leaver.id, input: { status: "ACTIVE" } });
    expect((await getWorkspaceAccess({ actor: leaver.actor, slug: ws.slug })).role).toBe("MEMBER");
  });

  it("looks members up by id: only those, visible ones only, and a clear error for a bad list", async () => {
    const ws = await makeWorkspace();
    const admin = await createMember(ws, "ADMIN");
    const ann = await createMember(ws, "MEMBER");
    const bo = await createMember(ws, "GUEST");
    const gone = await createMember(ws, "MEMBER");
    await updateMember({ actor: admin.actor, slug: ws.slug, userId: gone.id, input: { status: "DEACTIVATED" } });
    const stranger = await createUser({ name: "Elsewhere" });

    const ids = (list: { userId: string }[]) => list.map((m) => m.userId).sort();
    // Repeats and spaces are fine; people who are not members are left out, not an error.
    expect(ids(await listMembers({ actor: ann.actor, slug: ws.slug, ids: ` ${bo.id},${admin.id},${bo.id},${stranger.id},${gone.id}` }))).toEqual([admin.id, bo.id].sort());
    expect(ids(await listMembers({ actor: admin.actor, slug: ws.slug, ids: `${gone.id},${ann.id}` }))).toEqual([gone.id, ann.id].sort());
    expect(await listMembers({ actor: ann.actor, slug: ws.slug, ids: ann.id })).toEqual([expect.objectContaining({ userId: ann.id, name: ann.name, role: "MEMBER", status: "ACTIVE" })]);

    await expectAppError(listMembers({ actor: ann.actor, slug: ws.slug, ids: "" }), "validation_failed", /ids: name at least one member/);
    await expectAppError(listMembers({ actor: ann.actor, slug: ws.slug, ids: "ok,not an id" }), "validation_failed", /ids/);
    const many = Array.from({ length: 101 }, (_, i) => `u${i}`).join(",");
    await expectAppError(listMembers({ actor: ann.actor, slug: ws.slug, ids: many }), "validation_failed", /at most 100/);
    await expectAppError(listMembers({ actor: stranger.actor, slug: ws.slug, ids: ann.id }), "not_found");
  });

  it("finds people to pick by name or email, any case, Chinese too; active ones only, by name, a page at a time", async () => {
    const ws = await makeWorkspace();
    const admin = await createMember(ws, "ADMIN", "Zed Admin");
    const ann = await createMember(ws, "MEMBER", "Ann Lee");
    const zhang = await createMember(ws, "MEMBER", "张三丰");
    const gone = await createMember(ws, "MEMBER", "Ann Gone");
    const tricky = await createMember(ws, "MEMBER", "100%_sure");
    await updateMember({ actor: admin.actor, slug: ws.slug, userId: gone.id, input: { status: "DEACTIVATED" } });
    const names = async (q: string, limit?: number) => {
      const found = await searchMembers({ actor: zhang.actor, slug: ws.slug, input: { q, limit } });
      return [found.members.map((m) => m.name), found.hasMore];
    };

    expect(await names("ann")).toEqual([["Ann Lee"], false]);
    expect(await names("ＡＮＮ")).toEqual([["Ann Lee"], false]);
    expect(await names("三")).toEqual([["张三丰"], false]);
    expect(await names(ann.email.split("@")[0]!.toUpperCase())).toEqual([["Ann Lee"], false]);
    // % and _ are letters here, not wildcards.
    expect(await names("0%_s")).toEqual([["100%_sure"], false]);
    expect(await names("n_l")).toEqual([[], false]);
    expect((await names("%"))[0]).toEqual(["100%_sure"]);
    // Everyone active (the owner too), by name, in pages that say when more match.
    expect(await names("")).toEqual([["100%_sure", "Ann Lee", "Owner", "Zed Admin", "张三丰"], false]);
    expect(await names("", 2)).toEqual([["100%_sure", "Ann Lee"], true]);
    // Page by page with the cursor, each member once; admins may ask for deactivated members too.
    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await searchMembers({ actor: admin.actor, slug: ws.slug, input: { q: "", limit: 2, status: "all", cursor } });
      pages.push(page.members.map((m) => m.name));
      cursor = page.nextCursor ?? undefined;
      expect(page.hasMore).toBe(cursor !== undefined);
    } while (cursor);
    expect(pages).toEqual([["100%_sure", "Ann Gone"], ["Ann Lee", "Owner"], ["Zed Admin", "张三丰"]]);
    expect((await searchMembers({ actor: ann.actor, slug: ws.slug, input: { q: "ann", status: "all" } })).members.map((m) => m.name)).toEqual(["Ann Lee"]);
    await expectAppError(searchMembers({ actor: ann.actor, slug: ws.slug, input: { q: "", cursor: "not-a-cursor" } }), "validation_failed", /cursor/);

    await expectAppError(searchMembers({ actor: ann.actor, slug: ws.slug, input: { q: "x", limit: 0 } }), "validation_failed", /limit/);
    await expectAppError(searchMembers({ actor: ann.actor, slug: ws.slug, input: { q: "x".repeat(101) } }), "validation_failed", /q: must be at most 100/);
    await expectAppError(searchMembers({ actor: ann.actor, slug: ws.slug, input: {} }), "validation_failed", /q/);
    await expectAppError(searchMembers({ actor: (await createUser()).actor, slug: ws.slug, input: { q: "ann" } }), "not_found");
  });

  it("leaves the person's other workspaces alone", async () => {
    const [wsA, wsB] = await Promise.all([makeWorkspace(), makeWorkspace()]);
    const person = await createUser();
    await addMember(wsA, person);
    await addMember(wsB, person);
    await updateMember({ actor: wsA.owner.actor, slug: wsA.slug, userId: person.id, input: { status: "DEACTIVATED" } });
    await expectAppError(getWorkspaceAccess({ actor: person.actor, slug: wsA.slug }), "forbidden");
    expect((await getWorkspaceAccess({ actor: person.actor, slug: wsB.slug })).role).toBe("MEMBER");
  });
});
