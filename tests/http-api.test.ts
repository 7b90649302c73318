/**
 * Black-box HTTP tests against the real server process (Next + Socket.IO): accounts, sessions, the
 * shared error shape, bad input and privacy. The admin CLI is exercised against the same running
 * server (it reaches the embedded database through the server).
 */
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
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
    await owner.http.json(`/api/channels/${id}/messages`, { method: "POST", json: { body: "the secret" } });
    for (const p of [`/api/channels/${id}`, `/api/channels/${id}/messages`, `/api/channels/${id}/members`, `/api/channels/${id}/events?after=0`]) {
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
