/**
 * The reactions, pins and thread routes over real HTTP against the server process: answers, the
 * shared error shape with Slack's reason in `details.reason`, privacy and bad input.
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient, spawnServer, type TServerProcess } from "@/tests/server-process";

const rid = () => randomBytes(5).toString("hex");
const PASSWORD = "correct horse battery";

let server: TServerProcess;
let alice: { http: HttpClient; id: string };
let bob: { http: HttpClient; id: string };
let carol: { http: HttpClient; id: string };
let generalId: string;

async function newUser(name: string): Promise<{ http: HttpClient; id: string }> {
  const http = new HttpClient(server.url);
  const email = `${name}-${rid()}@example.test`;
  const res = await http.json("/api/auth/signup", { method: "POST", json: { name, email, password: PASSWORD } });
  expect(res.status).toBe(201);
  expect((await http.login(email, PASSWORD)).ok).toBe(true);
  return { http, id: res.body.user.id };
}

async function post(user: { http: HttpClient }, body: string, extra: Record<string, unknown> = {}) {
  const res = await user.http.json(`/api/channels/${generalId}/messages`, { method: "POST", json: { body, ...extra } });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.message as { id: string; seq: number; broadcast: boolean; reactions: unknown[] };
}

beforeAll(async () => {
  server = await spawnServer();
  [alice, bob, carol] = [await newUser("alice"), await newUser("bob"), await newUser("carol")];
  const slug = `thr-${rid()}`;
  expect((await alice.http.json("/api/workspaces", { method: "POST", json: { name: "Threads", slug } })).status).toBe(201);
  const invite = await alice.http.json(`/api/workspaces/${slug}/invites`, { method: "POST", json: {} });
  expect((await bob.http.json(`/api/invites/${invite.body.token}`, { method: "POST" })).status).toBe(200);
  generalId = (await alice.http.json(`/api/workspaces/${slug}/channels`)).body.channels.find((c: { isGeneral: boolean }) => c.isGeneral).id;
}, 180_000);

afterAll(async () => {
  await server?.stop();
});

// The dev server compiles each route on first use, which takes seconds on a busy machine.
describe("reactions, pins and threads over HTTP", { timeout: 120_000 }, () => {
  it("reactions: add, refuse a repeat, remove, refuse removing what is not there", async () => {
    const m = await post(alice, "react over http");
    const added = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "👍" } });
    expect(added.status).toBe(200);
    expect(added.body.message.reactions).toEqual([{ emoji: "+1", count: 1, userIds: [bob.id] }]);
    const again = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "+1" } });
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "conflict", details: { reason: "already_reacted" } });
    const removed = await bob.http.json(`/api/messages/${m.id}/reactions?emoji=${encodeURIComponent(":+1:")}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    expect(removed.body.message.reactions).toEqual([]);
    const missing = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "DELETE", json: { emoji: "+1" } });
    expect(missing.status).toBe(409);
    expect(missing.body.error.details).toEqual({ reason: "no_reaction" });
  });

  it("reactions: bad input, strangers, no session and cross-site writes are refused", async () => {
    const m = await post(alice, "guarded");
    const bad = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "two words" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details).toEqual({ reason: "invalid_name" });
    const empty = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: {} });
    expect(empty.status).toBe(422);
    expect(empty.body.error.code).toBe("validation_failed");
    const malformed = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", body: "{nope", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(422);
    // Carol is in no workspace of Alice's: the message does not exist for her.
    const stranger = await carol.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "smile" } });
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.details).toEqual({ reason: "message_not_found" });
    expect((await new HttpClient(server.url).json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "smile" } })).status).toBe(401);
    const cross = await bob.http.json(`/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji: "smile" }, headers: { origin: "http://evil.example" } });
    expect(cross.status).toBe(403);
  });

  it("pins: pin, list, refuse a repeat, unpin, refuse unpinning twice", async () => {
    const m = await post(alice, "pin over http 置顶");
    const pinned = await bob.http.json(`/api/messages/${m.id}/pin`, { method: "POST" });
    expect(pinned.status).toBe(200);
    expect(pinned.body.message.pinnedById).toBe(bob.id);
    const list = await alice.http.json(`/api/channels/${generalId}/pins`);
    expect(list.status).toBe(200);
    expect(list.body.messages.map((x: { id: string }) => x.id)).toContain(m.id);
    const again = await alice.http.json(`/api/messages/${m.id}/pin`, { method: "POST" });
    expect(again.status).toBe(409);
    expect(again.body.error.details).toEqual({ reason: "already_pinned" });
    expect((await alice.http.json(`/api/messages/${m.id}/pin`, { method: "DELETE" })).status).toBe(200);
    const twice = await alice.http.json(`/api/messages/${m.id}/pin`, { method: "DELETE" });
    expect(twice.status).toBe(409);
    expect(twice.body.error.details).toEqual({ reason: "no_pin" });
    expect((await carol.http.json(`/api/channels/${generalId}/pins`)).status).toBe(404);
    expect((await carol.http.json(`/api/messages/${m.id}/pin`, { method: "POST" })).status).toBe(404);
  });

  it("threads: replies (one also sent to the channel) listed in order with a seq cursor", async () => {
    const root = await post(alice, "thread over http");
    const r1 = await post(bob, "第一条回复", { threadRootId: root.id });
    const r2 = await post(alice, "second, also in the channel", { threadRootId: root.id, broadcast: true });
    expect(r1.broadcast).toBe(false);
    expect(r2.broadcast).toBe(true);
    const thread = await bob.http.json(`/api/messages/${root.id}/replies`);
    expect(thread.status).toBe(200);
    expect(thread.body.root).toMatchObject({ id: root.id, replyCount: 2 });
    expect(thread.body.replies.map((r: { id: string }) => r.id)).toEqual([r1.id, r2.id]);
    const after = await bob.http.json(`/api/messages/${root.id}/replies?after=${r1.seq}&limit=1`);
    expect(after.body.replies.map((r: { id: string }) => r.id)).toEqual([r2.id]);
    expect(after.body.hasMore).toBe(false);
    const history = await bob.http.json(`/api/channels/${generalId}/messages`);
    const ids = history.body.messages.map((m: { id: string }) => m.id);
    expect(ids).toContain(r2.id);
    expect(ids).not.toContain(r1.id);
    expect((await bob.http.json(`/api/messages/${root.id}/replies?limit=0`)).status).toBe(422);
    const hidden = await carol.http.json(`/api/messages/${root.id}/replies`);
    expect(hidden.status).toBe(404);
    expect(hidden.body.error.details).toEqual({ reason: "thread_not_found" });
  });
});
