/**
 * Black-box HTTP tests against the real server process (Next + Socket.IO): accounts, sessions, the
 * shared error shape, bad input and privacy. The admin CLI is exercised against the same running
 * server (it reaches the embedded database through the server).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { io as connectIo } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpClient, spawnServer, type TServerProcess } from "@/tests/server-process";

const run = promisify(execFile);
const rid = () => randomBytes(5).toString("hex");
const PASSWORD = "correct horse battery";

let server: TServerProcess;
// Kept across a restart of the server (see "sessions survive a restart").
const dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-http-"));

async function newUser(name: string): Promise<{ http: HttpClient; email: string; id: string }> {
  const http = new HttpClient(server.url);
  const email = `${name}-${rid()}@example.test`;
  const res = await http.json("/api/auth/signup", { method: "POST", json: { name, email, password: PASSWORD } });
  expect(res.status).toBe(201);
  expect((await http.login(email, PASSWORD)).ok).toBe(true);
  return { http, email, id: res.body.user.id };
}

function admin(args: string[]) {
  return run(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "scripts/admin.ts", ...args], {
    env: { ...process.env, PARLEY_DATA_DIR: server.dataDir, NODE_ENV: "development" },
  });
}

beforeAll(async () => {
  server = await spawnServer({ dataDir });
}, 180_000);

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

// The dev server compiles each route on first use, which takes seconds on a busy machine.
describe("HTTP API", { timeout: 120_000 }, () => {
  it("answers health", async () => {
    const res = await fetch(`${server.url}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("keeps an idle keep-alive connection open past Node's default 5 s, so a balancer's reuse of it does not fail", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const get = () =>
      new Promise<{ status: number; reused: boolean }>((resolve, reject) => {
        const req = http.get(`${server.url}/api/health`, { agent }, (res) => {
          res.resume();
          res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
        });
        req.on("error", reject);
      });
    try {
      expect(await get()).toEqual({ status: 200, reused: false });
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      expect(await get()).toEqual({ status: 200, reused: true });
    } finally {
      agent.destroy();
    }
  });

  it("signs up, signs in, and rejects a duplicate email with the shared error shape", async () => {
    const alice = await newUser("alice");
    const me = await alice.http.json("/api/me");
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe(alice.email);
    const dup = await new HttpClient(server.url).json("/api/auth/signup", { method: "POST", json: { name: "x", email: alice.email.toUpperCase(), password: PASSWORD } });
    expect(dup.status).toBe(409);
    expect(dup.body).toEqual({ error: { code: "conflict", message: "An account with this email already exists", details: [{ path: "email", message: "is already registered" }] } });
    const bad = await new HttpClient(server.url).json("/api/auth/signup", { method: "POST", json: { name: "", email: "nope", password: "short" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe("validation_failed");
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["email", "name", "password"]);
    const malformed = await new HttpClient(server.url).json("/api/auth/signup", { method: "POST", body: "{not json", headers: { "content-type": "application/json" } });
    expect(malformed.status).toBe(422);
  });

  it("gives one generic answer to a wrong password and rate-limits repeated failures", async () => {
    const { email } = await newUser("bob");
    const anon = new HttpClient(server.url);
    const wrong = await anon.login(email, "wrong password!");
    expect(wrong).toEqual({ ok: false, error: "CredentialsSignin" });
    const unknown = await anon.login(`nobody-${rid()}@example.test`, "wrong password!");
    expect(unknown).toEqual({ ok: false, error: "CredentialsSignin" });
    let last: { ok: boolean; error?: string } = wrong;
    for (let i = 0; i < 10 && last.error !== "RateLimited"; i++) last = await anon.login(email, "wrong password!");
    expect(last.error).toBe("RateLimited");
    // Even the right password is refused while limited.
    expect((await anon.login(email, PASSWORD)).ok).toBe(false);
  });

  it("refuses requests without a session, and cross-site writes", async () => {
    const anon = await new HttpClient(server.url).json("/api/workspaces");
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe("unauthorized");
    const carol = await newUser("carol");
    const cross = await carol.http.json("/api/workspaces", { method: "POST", json: { name: "Evil", slug: `evil-${rid()}` }, headers: { origin: "http://evil.example" } });
    expect(cross.status).toBe(403);
  });

  it("handles bad message input with clear errors and never a 500", async () => {
    const dan = await newUser("dan");
    const slug = `ws-${rid()}`;
    expect((await dan.http.json("/api/workspaces", { method: "POST", json: { name: "工作区", slug } })).status).toBe(201);
    expect((await dan.http.json("/api/workspaces", { method: "POST", json: { name: "Again", slug } })).status).toBe(409);
    const { body } = await dan.http.json(`/api/workspaces/${slug}/channels`);
    const general = body.channels.find((c: { isGeneral: boolean }) => c.isGeneral).id;
    const post = (json: unknown) => dan.http.json(`/api/channels/${general}/messages`, { method: "POST", json });
    expect((await post({ body: "   \n " })).status).toBe(422);
    const long = await post({ body: "x".repeat(40_001) });
    expect(long.status).toBe(422);
    expect(long.body.error.message).toContain("40,000");
    const surrogate = await dan.http.fetch(`/api/channels/${general}/messages`, { method: "POST", body: '{"body":"bad \\ud800 text"}', headers: { "content-type": "application/json" } });
    expect(surrogate.status).toBe(422);
    const ok = await post({ body: "<script>alert(1)</script> **hi** 你好", clientMsgId: `c${rid()}xyz` });
    expect(ok.status).toBe(201);
    expect(ok.body.message.body).toBe("<script>alert(1)</script> **hi** 你好");
    expect((await dan.http.json(`/api/channels/not%20an%20id/messages`)).status).toBe(422);
    expect((await dan.http.json(`/api/channels/cunknownchannel0000000000/messages`)).status).toBe(404);
    expect((await dan.http.json(`/api/messages/cunknownmessage0000000000`, { method: "PATCH", json: { body: "x" } })).status).toBe(404);
    expect((await dan.http.json(`/api/channels/${general}/messages?before=abc`)).status).toBe(422);
    // Opening at a message (a search result, a permalink) and reading on from it.
    const around = await dan.http.json(`/api/channels/${general}/messages?around_ts=${ok.body.message.ts}`);
    expect([around.status, around.body.focusId, around.body.messages.at(-1).id, around.body.hasNewer]).toEqual([200, ok.body.message.id, ok.body.message.id, false]);
    const after = await dan.http.json(`/api/channels/${general}/messages?after=${ok.body.message.seq - 1}`);
    expect([after.status, after.body.messages.map((m: { id: string }) => m.id), after.body.hasNewer]).toEqual([200, [ok.body.message.id], false]);
    expect((await dan.http.json(`/api/channels/${general}/messages?around_ts=1.000001`)).status).toBe(404);
    expect((await dan.http.json(`/api/channels/${general}/messages?around_ts=not-a-ts`)).status).toBe(422);
    expect((await dan.http.json(`/api/channels/${general}/messages?after=1&before=5`)).status).toBe(422);
  });

  it("keeps a private channel's messages, members and events from non-members", async () => {
    const owner = await newUser("erin");
    const other = await newUser("frank");
    const slug = `priv-${rid()}`;
    await owner.http.json("/api/workspaces", { method: "POST", json: { name: "Private", slug } });
    const invite = await owner.http.json(`/api/workspaces/${slug}/invites`, { method: "POST", json: {} });
    expect(invite.status).toBe(201);
    expect((await other.http.json(`/api/invites/${invite.body.token}`, { method: "POST" })).status).toBe(200);
    const created = await owner.http.json(`/api/workspaces/${slug}/channels`, { method: "POST", json: { name: "secret-plans", kind: "PRIVATE" } });
    expect(created.status).toBe(201);
    const id = created.body.channel.id;
    const secret = await owner.http.json(`/api/channels/${id}/messages`, { method: "POST", json: { body: "the secret" } });
    const pages = [`/api/channels/${id}/messages`, `/api/channels/${id}/messages?after=0`, `/api/channels/${id}/messages?around_ts=${secret.body.message.ts}`];
    for (const p of [`/api/channels/${id}`, ...pages, `/api/channels/${id}/members`, `/api/channels/${id}/events?after=0`]) {
      const res = await other.http.json(p);
      expect(res.status, p).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain("secret");
    }
    expect((await other.http.json(`/api/channels/${id}/join`, { method: "POST" })).status).toBe(404);
    const browse = await other.http.json(`/api/workspaces/${slug}/channels/browse`);
    expect(browse.body.channels.map((c: { id: string }) => c.id)).not.toContain(id);
    // A reused invite is refused.
    const third = await newUser("gina");
    const reused = await third.http.json(`/api/invites/${invite.body.token}`, { method: "POST" });
    expect(reused.status).toBe(410);
    expect(reused.body.error.message).toMatch(/already been used/);
  });

  it("names members by id and finds them by name without listing the workspace; bad input is a 422", async () => {
    const owner = await newUser("hana");
    const other = await newUser("ivo");
    const outsider = await newUser("jun");
    const slug = `ids-${rid()}`;
    await owner.http.json("/api/workspaces", { method: "POST", json: { name: "Names", slug } });
    const invite = await owner.http.json(`/api/workspaces/${slug}/invites`, { method: "POST", json: {} });
    expect((await other.http.json(`/api/invites/${invite.body.token}`, { method: "POST" })).status).toBe(200);

    const found = await other.http.json(`/api/workspaces/${slug}/members?ids=${owner.id},${outsider.id}`);
    expect(found.status).toBe(200);
    expect(found.body.members.map((m: { userId: string; name: string }) => [m.userId, m.name])).toEqual([[owner.id, "hana"]]);
    const bad = await other.http.json(`/api/workspaces/${slug}/members?ids=${encodeURIComponent("a,b c")}`);
    expect([bad.status, bad.body.error.code]).toEqual([422, "validation_failed"]);
    expect((await outsider.http.json(`/api/workspaces/${slug}/members?ids=${owner.id}`)).status).toBe(404);

    // People to pick, found as one types.
    const picked = await other.http.json(`/api/workspaces/${slug}/members?q=HAN&limit=5`);
    expect([picked.status, picked.body.members.map((m: { userId: string }) => m.userId), picked.body.hasMore]).toEqual([200, [owner.id], false]);
    expect((await other.http.json(`/api/workspaces/${slug}/members?q=h&limit=0`)).status).toBe(422);

    // A conversation's members, found the same way; and who could still be added to it.
    const created = await owner.http.json(`/api/workspaces/${slug}/channels`, { method: "POST", json: { name: "people", memberIds: [other.id] } });
    expect(created.status).toBe(201);
    const channelId = created.body.channel.id;
    const inChannel = await owner.http.json(`/api/channels/${channelId}/members?q=IVO`);
    expect([inChannel.status, inChannel.body.members.map((m: { userId: string; role: string }) => [m.userId, m.role]), inChannel.body.hasMore]).toEqual([200, [[other.id, "MEMBER"]], false]);
    expect((await owner.http.json(`/api/channels/${channelId}/members?q=&limit=1000`)).status).toBe(422);
    const toAdd = await owner.http.json(`/api/workspaces/${slug}/members?q=&notInChannel=${channelId}`);
    expect([toAdd.status, toAdd.body.members]).toEqual([200, []]);
  });

  it("searches messages over HTTP: Chinese and English, pages, errors, private results hidden", async () => {
    const owner = await newUser("sora");
    const other = await newUser("tomo");
    const slug = `srch-${rid()}`;
    await owner.http.json("/api/workspaces", { method: "POST", json: { name: "Search", slug } });
    const invite = await owner.http.json(`/api/workspaces/${slug}/invites`, { method: "POST", json: {} });
    expect((await other.http.json(`/api/invites/${invite.body.token}`, { method: "POST" })).status).toBe(200);
    const channels = await owner.http.json(`/api/workspaces/${slug}/channels`);
    const general = channels.body.channels[0].id;
    const priv = (await owner.http.json(`/api/workspaces/${slug}/channels`, { method: "POST", json: { name: "机密", kind: "PRIVATE" } })).body.channel.id;
    for (const body of ["明天发布新版本 release", "Release notes 发布说明", "第三条 release"]) await owner.http.json(`/api/channels/${general}/messages`, { method: "POST", json: { body } });
    await owner.http.json(`/api/channels/${priv}/messages`, { method: "POST", json: { body: "秘密 release" } });
    const q = (u: typeof owner, query: string, extra = "") => u.http.json(`/api/workspaces/${slug}/search?q=${encodeURIComponent(query)}${extra}`);
    const zh = await q(other, "发布");
    expect(zh.status).toBe(200);
    expect(zh.body.matches.map((m: { body: string }) => m.body)).toEqual(["Release notes 发布说明", "明天发布新版本 release"]);
    expect(zh.body.matches[0].snippet).toEqual({ text: "Release notes 发布说明", highlights: [[14, 16]] });
    const page1 = await q(other, "RELEASE", "&limit=2");
    expect(page1.body.total).toBe(3);
    expect(page1.body.matches).toHaveLength(2);
    const page2 = await q(other, "RELEASE", `&limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.matches.map((m: { body: string }) => m.body)).toEqual(["明天发布新版本 release"]);
    expect(page2.body.nextCursor).toBeNull();
    expect((await q(owner, "秘密")).body.matches).toHaveLength(1);
    expect((await q(other, "秘密")).body.matches).toEqual([]);
    const bad = await q(other, "release in:#机密");
    expect(bad.status).toBe(422);
    expect(bad.body.error.details[0].reason).toBe("channel_not_found");
    expect((await q(other, "")).status).toBe(422);
    expect((await new HttpClient(server.url).json(`/api/workspaces/${slug}/search?q=x`)).status).toBe(401);
  });

  it("authenticates sockets with the same session cookie", async () => {
    const hank = await newUser("hank");
    const connect = (cookie?: string) =>
      new Promise<string>((resolve) => {
        const s = connectIo(server.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: cookie ? { cookie } : {}, reconnection: false });
        s.on("connect", () => {
          s.disconnect();
          resolve("connected");
        });
        s.on("connect_error", (err) => resolve(err.message));
      });
    expect(await connect(hank.http.cookieHeader)).toBe("connected");
    expect(await connect()).toBe("unauthorized");
    // A browser on another origin is refused.
    const evil = await new Promise<string>((resolve) => {
      const s = connectIo(server.url, { path: "/socket.io", transports: ["websocket"], extraHeaders: { cookie: hank.http.cookieHeader, origin: "http://evil.example" }, reconnection: false });
      s.on("connect", () => resolve("connected"));
      s.on("connect_error", () => resolve("refused"));
    });
    expect(evil).toBe("refused");
  });

  it("ends every session when the password changes", async () => {
    const ivy = await newUser("ivy");
    const second = new HttpClient(server.url);
    await second.login(ivy.email, PASSWORD);
    const wrong = await ivy.http.json("/api/me/password", { method: "POST", json: { currentPassword: "nope nope nope", newPassword: "another good one" } });
    expect(wrong.status).toBe(422);
    const ok = await ivy.http.json("/api/me/password", { method: "POST", json: { currentPassword: PASSWORD, newPassword: "another good one" } });
    expect(ok.status).toBe(200);
    expect((await second.json("/api/me")).status).toBe(401);
    expect((await ivy.http.json("/api/me")).status).toBe(401);
    expect((await new HttpClient(server.url).login(ivy.email, "another good one")).ok).toBe(true);
  });
});

describe("admin CLI while the server holds the embedded database", { timeout: 180_000 }, () => {
  it("creates a user, a workspace and a member, and lists workspaces as JSON", async () => {
    if (process.env.DATABASE_URL) return; // The CLI talks to PostgreSQL directly; covered in admin-cli.test.ts.
    const email = `ops-${rid()}@example.test`;
    const user = JSON.parse((await admin(["create-user", "--email", email, "--password", PASSWORD, "--name", "运维"])).stdout);
    expect(user.user.email).toBe(email);
    const slug = `cli-${rid()}`;
    const ws = JSON.parse((await admin(["create-workspace", "--name", "CLI", "--slug", slug, "--owner", email])).stdout);
    expect(ws.workspace.slug).toBe(slug);
    const list = JSON.parse((await admin(["list-workspaces"])).stdout);
    expect(list.workspaces.map((w: { slug: string }) => w.slug)).toContain(slug);
    // The running server sees it at once, and the new user can sign in over HTTP.
    const http = new HttpClient(server.url);
    expect((await http.login(email, PASSWORD)).ok).toBe(true);
    expect((await http.json("/api/workspaces")).body.workspaces.map((w: { slug: string }) => w.slug)).toContain(slug);
    await expect(admin(["create-workspace", "--name", "CLI", "--slug", slug, "--owner", email])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("already taken") });
  });
});

describe("bot platform through the admin CLI and the full server", { timeout: 180_000 }, () => {
  it("create-bot, create-token and create-webhook print working credentials", async () => {
    const email = `ops-${rid()}@example.test`;
    await admin(["create-user", "--email", email, "--password", PASSWORD, "--name", "Ops"]);
    const slug = `bots-${rid()}`;
    await admin(["create-workspace", "--name", "Bots", "--slug", slug, "--owner", email]);

    const bot = JSON.parse((await admin(["create-bot", "--workspace", slug, "--name", "Deploy 机器人"])).stdout);
    expect(bot).toMatchObject({ token: expect.stringMatching(/^xoxb-/), userId: expect.any(String) });
    const authTest = await fetch(`${server.url}/api/auth.test`, { method: "POST", headers: { authorization: `Bearer ${bot.token}` } });
    expect(await authTest.json()).toMatchObject({ ok: true, user_id: bot.userId, bot_id: bot.botId });

    const token = JSON.parse((await admin(["create-token", "--workspace", slug, "--email", email])).stdout);
    expect(token.token).toMatch(/^xoxp-/);
    const form = await fetch(`${server.url}/api/chat.postMessage`, {
      method: "POST",
      headers: { authorization: `Bearer ${token.token}`, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ channel: "#general", text: "hello from a script 你好" }).toString(),
    });
    expect(await form.json()).toMatchObject({ ok: true, message: { text: "hello from a script 你好", user: token.userId } });

    const hook = JSON.parse((await admin(["create-webhook", "--workspace", slug, "--channel", "general"])).stdout);
    expect(hook.url).toMatch(/\/hooks\/[^/]+\/[^/]+$/);
    const hookUrl = hook.url.replace(/^https?:\/\/[^/]+/, server.url);
    const posted = await fetch(hookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "alert!" }) });
    expect([posted.status, await posted.text()]).toEqual([200, "ok"]);
    const history = await fetch(`${server.url}/api/conversations.history?channel=general`, { headers: { authorization: `Bearer ${token.token}` } });
    expect(((await history.json()) as { messages: { text: string }[] }).messages.map((m) => m.text)).toEqual(["alert!", "hello from a script 你好"]);

    await expect(admin(["create-webhook", "--workspace", slug, "--channel", "nope"])).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining("No channel #nope") });
    await expect(admin(["create-bot", "--workspace", "missing-ws", "--name", "x"])).rejects.toMatchObject({ code: 1 });
  });
});

describe("integrations over the session API (bots, tokens, webhooks, events, audit)", { timeout: 180_000 }, () => {
  const authTest = async (token: string) => (await (await fetch(`${server.url}/api/auth.test`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).json()) as { ok: boolean; error?: string; user_id?: string; bot_id?: string };

  /** An owner with a fresh workspace and a plain member in it. */
  async function workspaceWithMember() {
    const owner = await newUser("ivy");
    const member = await newUser("jon");
    const slug = `integ-${rid()}`;
    expect((await owner.http.json("/api/workspaces", { method: "POST", json: { name: "集成", slug } })).status).toBe(201);
    const invite = await owner.http.json(`/api/workspaces/${slug}/invites`, { method: "POST", json: {} });
    expect((await member.http.json(`/api/invites/${invite.body.token}`, { method: "POST" })).status).toBe(200);
    return { owner, member, slug };
  }

  it("creates, lists, updates, rotates and deactivates a bot; secrets are shown once and only admins manage bots", async () => {
    const { owner, member, slug } = await workspaceWithMember();
    const outsider = await newUser("kay");

    const bad = await owner.http.json(`/api/workspaces/${slug}/bots`, { method: "POST", json: { name: "", scopes: ["chat:write", "nope"], avatarUrl: "ftp://x" } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["avatarUrl", "name", "scopes.1"]);
    expect((await owner.http.json(`/api/workspaces/${slug}/bots`)).body.bots).toEqual([]);

    const created = await owner.http.json(`/api/workspaces/${slug}/bots`, { method: "POST", json: { name: "部署机器人", description: "发布新版本", scopes: ["chat:write", "channels:read"] } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ token: expect.stringMatching(/^xoxb-/), signingSecret: expect.stringMatching(/^[0-9a-f]{40}$/), bot: { name: "部署机器人", description: "发布新版本", scopes: ["chat:write", "channels:read"] } });
    const botId: string = created.body.bot.id;
    expect(await authTest(created.body.token)).toMatchObject({ ok: true, bot_id: botId, user_id: created.body.bot.userId });

    const listed = await owner.http.json(`/api/workspaces/${slug}/bots`);
    expect(listed.body.bots.map((b: { id: string }) => b.id)).toEqual([botId]);
    const one = await owner.http.json(`/api/bots/${botId}`);
    expect(one.status).toBe(200);
    expect(one.body.tokens).toHaveLength(1);
    // Neither the token nor the signing secret is ever served again.
    expect(JSON.stringify([listed.body, one.body])).not.toContain(created.body.token);
    expect(JSON.stringify([listed.body, one.body])).not.toContain(created.body.signingSecret);

    const patched = await owner.http.json(`/api/bots/${botId}`, { method: "PATCH", json: { description: "新的描述", scopes: ["chat:write", "channels:read", "channels:history"] } });
    expect(patched.status).toBe(200);
    expect(patched.body.bot).toMatchObject({ description: "新的描述", scopes: ["chat:write", "channels:read", "channels:history"] });
    expect((await owner.http.json(`/api/bots/${botId}`, { method: "PATCH", json: {} })).status).toBe(422);

    // Members are refused (403); people outside the workspace do not learn the bot exists (404).
    expect((await member.http.json(`/api/workspaces/${slug}/bots`)).status).toBe(403);
    expect((await member.http.json(`/api/workspaces/${slug}/bots`, { method: "POST", json: { name: "x" } })).status).toBe(403);
    expect((await member.http.json(`/api/bots/${botId}/rotate`, { method: "POST" })).status).toBe(403);
    expect((await outsider.http.json(`/api/bots/${botId}`)).status).toBe(404);
    expect((await outsider.http.json(`/api/bots/${botId}`, { method: "DELETE" })).status).toBe(404);
    expect((await owner.http.json(`/api/bots/nope-${rid()}`)).status).toBe(404);

    const rotated = await owner.http.json(`/api/bots/${botId}/rotate`, { method: "POST" });
    expect(rotated.status).toBe(201);
    expect(rotated.body.token).toMatch(/^xoxb-/);
    expect(await authTest(created.body.token)).toMatchObject({ ok: false, error: "token_revoked" });
    expect(await authTest(rotated.body.token)).toMatchObject({ ok: true, bot_id: botId });

    const off = await owner.http.json(`/api/bots/${botId}`, { method: "DELETE" });
    expect(off.status).toBe(200);
    expect(off.body.bot.deactivatedAt).toEqual(expect.any(String));
    expect(await authTest(rotated.body.token)).toMatchObject({ ok: false, error: "token_revoked" });
  });

  it("events settings: validation, a failed url_verification, re-enable without a URL, member refused", async () => {
    const { owner, member, slug } = await workspaceWithMember();
    const created = await owner.http.json(`/api/workspaces/${slug}/bots`, { method: "POST", json: { name: "Events 机器人", scopes: ["chat:write", "channels:history"] } });
    const botId: string = created.body.bot.id;
    const status = await owner.http.json(`/api/bots/${botId}/events`);
    expect(status.status).toBe(200);
    expect(status.body.events).toMatchObject({ botId, url: null, subscriptions: [], disabledAt: null, recentDeliveries: [] });

    const notUrl = await owner.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: "not a url", subscriptions: [] } });
    expect([notUrl.status, notUrl.body.error.details[0].path]).toEqual([422, "url"]);
    const unknownEvent = await owner.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: "https://example.test/e", subscriptions: ["message.everything"] } });
    expect(unknownEvent.status).toBe(422);
    const noScope = await owner.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: "https://example.test/e", subscriptions: ["reaction_added"] } });
    expect(noScope.status).toBe(422);
    expect(noScope.body.error.message).toContain("reaction_added");
    // Nothing listens on port 9 (discard): verification fails and nothing is stored.
    const unreachable = await owner.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: "http://127.0.0.1:9/events", subscriptions: ["message.channels"] } });
    expect(unreachable.status).toBe(422);
    expect(unreachable.body.error.message).toMatch(/^The events URL did not pass verification: /);
    expect((await owner.http.json(`/api/bots/${botId}/events`)).body.events.url).toBeNull();
    const reenable = await owner.http.json(`/api/bots/${botId}/events`, { method: "POST" });
    expect([reenable.status, reenable.body.error.message]).toEqual([422, "This bot has no events URL; set one first"]);
    const off = await owner.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: null, subscriptions: ["message.channels"] } });
    expect(off.status).toBe(200);
    expect(off.body.events).toMatchObject({ url: null, subscriptions: ["message.channels"] });

    expect((await member.http.json(`/api/bots/${botId}/events`)).status).toBe(403);
    expect((await member.http.json(`/api/bots/${botId}/events`, { method: "PUT", json: { url: null } })).status).toBe(403);
  });

  it("incoming webhooks: created for a channel (URL once), posting works, revoked URLs answer 404; members refused", async () => {
    const { owner, member, slug } = await workspaceWithMember();
    const channels = await owner.http.json(`/api/workspaces/${slug}/channels`);
    const general: string = channels.body.channels.find((c: { isGeneral: boolean }) => c.isGeneral).id;
    expect((await owner.http.json(`/api/workspaces/${slug}/webhooks`, { method: "POST", json: { channelId: "" } })).status).toBe(422);
    expect((await member.http.json(`/api/workspaces/${slug}/webhooks`, { method: "POST", json: { channelId: general } })).status).toBe(403);

    const created = await owner.http.json(`/api/workspaces/${slug}/webhooks`, { method: "POST", json: { channelId: general, name: "告警" } });
    expect(created.status).toBe(201);
    expect(created.body.webhook).toMatchObject({ channelId: general, name: "告警", revokedAt: null });
    expect(created.body.path).toMatch(/^\/hooks\/[^/]+\/[^/]+$/);
    const hookUrl = `${server.url}${created.body.path}`;
    const posted = await fetch(hookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "磁盘快满了" }) });
    expect([posted.status, await posted.text()]).toEqual([200, "ok"]);
    const history = await owner.http.json(`/api/channels/${general}/messages`);
    expect(history.body.messages.at(-1)).toMatchObject({ body: "磁盘快满了", sender: { name: "告警", isBot: true } });

    const listed = await owner.http.json(`/api/workspaces/${slug}/webhooks`);
    expect(listed.body.webhooks).toHaveLength(1);
    expect(JSON.stringify(listed.body)).not.toContain(created.body.path.split("/").at(-1));
    expect((await member.http.json(`/api/workspaces/${slug}/webhooks`)).status).toBe(403);

    expect((await member.http.json(`/api/workspaces/${slug}/webhooks/${created.body.webhook.id}`, { method: "DELETE" })).status).toBe(403);
    const revoked = await owner.http.json(`/api/workspaces/${slug}/webhooks/${created.body.webhook.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.webhook.revokedAt).toEqual(expect.any(String));
    const after = await fetch(hookUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: "again" }) });
    expect(after.status).toBe(404);
  });

  it("personal tokens: created once, listed without secrets, act as their person, revoked by their owner", async () => {
    const { owner, member, slug } = await workspaceWithMember();
    expect((await member.http.json(`/api/workspaces/${slug}/tokens`, { method: "POST", json: { name: "  " } })).status).toBe(422);
    const created = await member.http.json(`/api/workspaces/${slug}/tokens`, { method: "POST", json: { name: "我的脚本" } });
    expect(created.status).toBe(201);
    expect(created.body.token).toMatch(/^xoxp-/);
    expect(created.body.apiToken).toMatchObject({ name: "我的脚本", kind: "USER", hint: created.body.token.slice(-4), userId: member.id, revokedAt: null });
    expect(await authTest(created.body.token)).toMatchObject({ ok: true, user_id: member.id });

    const mine = await member.http.json(`/api/workspaces/${slug}/tokens`);
    expect(mine.body.tokens.map((t: { name: string }) => t.name)).toEqual(["我的脚本"]);
    expect(JSON.stringify(mine.body)).not.toContain(created.body.token);
    // Tokens are personal: the owner's own list does not show the member's.
    expect((await owner.http.json(`/api/workspaces/${slug}/tokens`)).body.tokens).toEqual([]);
    const stranger = await newUser("lee");
    expect((await stranger.http.json(`/api/tokens/${created.body.apiToken.id}`, { method: "DELETE" })).status).toBe(404);
    expect((await stranger.http.json(`/api/workspaces/${slug}/tokens`)).status).toBe(404);

    const revoked = await member.http.json(`/api/tokens/${created.body.apiToken.id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(revoked.body.token.revokedAt).toEqual(expect.any(String));
    expect(await authTest(created.body.token)).toMatchObject({ ok: false, error: "token_revoked" });
  });

  it("audit log: admins page through it newest first; members are refused; bad paging input is a 422", async () => {
    const { owner, member, slug } = await workspaceWithMember();
    for (const name of ["一号", "二号", "三号"]) await owner.http.json(`/api/workspaces/${slug}/bots`, { method: "POST", json: { name } });
    const tok = await member.http.json(`/api/workspaces/${slug}/tokens`, { method: "POST", json: { name: "t" } });
    expect(tok.status).toBe(201);

    const first = await owner.http.json(`/api/workspaces/${slug}/audit?limit=2`);
    expect(first.status).toBe(200);
    expect(first.body.entries).toHaveLength(2);
    expect(first.body.entries[0]).toMatchObject({ action: "token.created", actorId: member.id });
    expect(first.body.hasMore).toBe(true);
    const all = [...first.body.entries];
    let before: string | null = first.body.nextBefore;
    while (before) {
      const page = await owner.http.json(`/api/workspaces/${slug}/audit?limit=2&before=${encodeURIComponent(before)}`);
      expect(page.status).toBe(200);
      all.push(...page.body.entries);
      before = page.body.nextBefore;
    }
    expect(all.map((e: { action: string }) => e.action)).toEqual(["token.created", "bot.created", "bot.created", "bot.created"]);
    expect(new Set(all.map((e: { id: string }) => e.id)).size).toBe(4);

    expect((await member.http.json(`/api/workspaces/${slug}/audit`)).status).toBe(403);
    expect((await owner.http.json(`/api/workspaces/${slug}/audit?limit=0`)).status).toBe(422);
    expect((await owner.http.json(`/api/workspaces/${slug}/audit?before=yesterday`)).status).toBe(422);
  });
});

describe("restarts", { timeout: 240_000 }, () => {
  it("keeps sessions and data across a server restart", async () => {
    const kim = await newUser("kim");
    const slug = `restart-${rid()}`;
    await kim.http.json("/api/workspaces", { method: "POST", json: { name: "Restart", slug } });
    await server.stop();
    server = await spawnServer({ dataDir });
    const http = new HttpClient(server.url);
    // Same cookie, new process: the session and the workspace are still there.
    const me = await fetch(`${server.url}/api/workspaces`, { headers: { cookie: kim.http.cookieHeader } });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { workspaces: { slug: string }[] }).workspaces.map((w) => w.slug)).toContain(slug);
    expect((await http.json("/api/health")).status).toBe(200);
  });
});
