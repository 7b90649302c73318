/**
 * Hostile input against every entry point, over real HTTP and a real socket: malformed and mistyped
 * JSON, NUL characters and lone surrogates, prototype keys, odd path parameters, query strings and
 * cookies.
 * - every route of the app's API: a success or a 4xx in the shared error shape, never a 5xx (the
 *   routes come from the files, server/api-routes.ts, so a new route is covered without being listed;
 *   next-auth's catch-all answers refusals its own way, so there only the 5xx counts);
 * - every Slack Web API method and the incoming webhook: ok or a named error, never internal_error;
 * - every Socket.IO client event: acknowledged with ok or a named error.
 * The server must log no internal error or lost audit entry meanwhile, and still serve a normal send.
 */
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TParleyNode } from "@/server/app";
import { findApiRoutes } from "@/server/api-routes";
import { TestClient, createTrio, sessionCookie, startNode, type TTrio } from "@/tests/realtime-client";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

/** Every field name the API's schemas read, so that mistyped values reach each validator. */
const FIELDS = [
  "body", "text", "name", "topic", "description", "email", "password", "currentPassword", "newPassword", "emoji",
  "role", "status", "statusText", "statusEmoji", "kind", "memberIds", "userIds", "userId", "channelId", "botId",
  "clientMsgId", "threadRootId", "messageId", "command", "url", "usageHint", "scopes", "avatarUrl", "expiresInHours",
  "lastReadSeq", "seq", "eventsUrl", "eventSubscriptions", "subscriptions", "blocks", "attachments", "broadcast",
  "tzOffsetMinutes", "token", "challenge", "type", "muted", "limit", "cursor",
];

/** Values that are the wrong type, or the right type with content PostgreSQL or a parser chokes on. */
const HOSTILE_VALUES: unknown[] = [null, 12345, -1, 1e308, true, {}, [], [null], { $gt: "" }, "", "\u0000x", "\uD800", "x".repeat(70_000), "中文😀<script>alert(1)</script>", "../../etc/passwd", "' OR 1=1 --"];

/** Bodies that are not a JSON object at all, or try to reach the prototype. */
const RAW_BODIES: (string | Blob)[] = ["{", "null", "[]", '"text"', "1e999", "\u0000", '{"__proto__":{"role":"OWNER"},"constructor":{"prototype":{"admin":true}}}', new Blob([new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])])]; // the last: {"<invalid UTF-8>":1}

const PATH_VALUES = ["%00", "..%2F..%2Fsecret", "'%20OR%201%3D1--", "%E4%B8%AD%E6%96%87", "a".repeat(300), "%F0%9F%98%80", "%ED%A0%80", "-1", "null", "%20"];

const QUERY_KEYS = ["limit", "before", "after", "cursor", "around", "around_ts", "q", "query", "ids", "emoji", "kind", "sort", "withTotal", "state", "status", "role"];
const QUERY_VALUES = ["-1", "1e999", "%00", "%ED%A0%80", "x".repeat(5000), "%27%20OR%201%3D1"];

/** A route's parameters: `[name]`, or a catch-all `[...name]` (one or more segments). */
const PARAM = /\[(\.\.\.)?(\w+)\]/g;
const fillRoute = (route: string, pick: (name: string) => string) => route.replace(PARAM, (_, _dots, name: string) => pick(name));

/** Whose error shape a route answers in: the API's, Slack's (response_url), or next-auth's own. */
type TShape = "api" | "slack" | "next-auth";
const shapeOf = (route: string): TShape => (route.startsWith("/api/response-url") ? "slack" : route.startsWith("/api/auth/[...") ? "next-auth" : "api");

/** Cookie headers a browser may carry: any site on the same host can set cookies Parley never made. */
const COOKIE_VALUES = ["junk=%E0%A4%A", "next-auth.session-token=%", "next-auth.session-token=" + "a".repeat(4000), "=;;=;", "next-auth.session-token.0=%ZZ; next-auth.session-token.1=x", "__Secure-next-auth.session-token=null", "next-auth.csrf-token=%00"];

describe("hostile input on every route", { timeout: 300_000 }, () => {
  let node: TParleyNode;
  let base: string;
  let trio: TTrio;
  let cookie: string;
  const ids: Record<string, string> = {};
  const failures: string[] = [];
  let requests = 0;

  const call = async (method: string, p: string, body?: string | Blob, cookieHeader = cookie) => {
    requests++;
    const res = await fetch(base + p, { method, headers: { cookie: cookieHeader, ...(body !== undefined ? { "content-type": "application/json" } : {}) }, body });
    const text = await res.text();
    return { status: res.status, type: res.headers.get("content-type") ?? "", text };
  };

  /** A 5xx, or a refusal outside the shared error shape, is a failure worth reporting in full. */
  const check = (label: string, r: { status: number; type: string; text: string }, shape: TShape) => {
    if (r.status >= 500) return failures.push(`${label} → ${r.status} ${r.text.slice(0, 200)}`);
    // next-auth answers a refusal its own way: a redirect to the sign-in page with an error, or text.
    if (r.status < 400 || shape === "next-auth") return;
    let parsed: { error?: { code?: unknown; message?: unknown }; ok?: unknown } | undefined;
    try {
      parsed = JSON.parse(r.text);
    } catch {
      return failures.push(`${label} → ${r.status} not JSON: ${r.text.slice(0, 200)}`);
    }
    // response_url answers in Slack's shape; the server's refusals before any route (a malformed path,
    // an oversized body) are in the API's shape everywhere.
    const apiShape = typeof parsed?.error?.code === "string" && typeof parsed?.error?.message === "string";
    const shaped = apiShape || (shape === "slack" && parsed?.ok === false);
    if (!shaped) failures.push(`${label} → ${r.status} outside the error shape: ${r.text.slice(0, 200)}`);
  };

  // What the server logs as a fault (an internal error, a lost audit entry) fails the sweep too.
  const logged: string[] = [];
  const consoleError = console.error;
  beforeAll(async () => {
    console.error = (...args: unknown[]) => {
      logged.push(args.map(String).join(" ").slice(0, 300));
      consoleError(...args);
    };
    node = await startNode();
    base = `http://127.0.0.1:${node.port}`;
    trio = await createTrio("Hostile", "hostile");
    cookie = await sessionCookie(trio.users.alice.id);
    // Real ids for the parameters, so that hostile bodies get past "not found" to the validators.
    const post = async (p: string, body: unknown) => JSON.parse((await call("POST", p, JSON.stringify(body))).text);
    ids.message = (await post(`/api/channels/${trio.general}/messages`, { body: "seed", clientMsgId: "hostile-seed" })).message?.id;
    const bot = await post(`/api/workspaces/${trio.slug}/bots`, { name: "Hostile bot" });
    ids.bot = bot.bot?.id;
    ids.token = (await post(`/api/workspaces/${trio.slug}/tokens`, { name: "hostile" })).apiToken?.id;
    ids.command = (await post(`/api/workspaces/${trio.slug}/commands`, { botId: ids.bot, command: "/hostile", url: "http://127.0.0.1:9/cmd" })).command?.id;
    const invite = await post(`/api/workspaces/${trio.slug}/invites`, {});
    ids.invite = invite.invite?.id;
    ids.inviteToken = invite.token;
    ids.webhook = (await post(`/api/workspaces/${trio.slug}/webhooks`, { channelId: trio.general })).webhook?.id;
  }, 120_000);
  afterAll(() => {
    console.error = consoleError;
    return node?.close();
  });

  /** The real value for a route's parameter, by its name and the collection it follows, as a path. */
  const realPath = (route: string, name: string): string => {
    const collection = route.split("/")[2];
    const byName: Record<string, string | undefined> = { slug: trio.slug, userId: trio.users.bob.id, commandId: ids.command, inviteId: ids.invite, webhookId: ids.webhook, token: ids.inviteToken, secret: "not-the-secret", nextauth: "callback/credentials" };
    const byCollection: Record<string, string | undefined> = { channels: trio.general, messages: ids.message, bots: ids.bot, tokens: ids.token, "response-url": "not-a-command" };
    return ((name === "id" ? byCollection[collection!] : byName[name]) ?? "unknown").split("/").map(encodeURIComponent).join("/");
  };

  it("seeds a message, a bot, a token, a command, an invite and a webhook to aim at", () => {
    expect(ids).toEqual({ message: expect.any(String), bot: expect.any(String), token: expect.any(String), command: expect.any(String), invite: expect.any(String), inviteToken: expect.any(String), webhook: expect.any(String) });
  });

  it("answers every request with a success or a clear 4xx, never a 5xx", async () => {
    const apiDir = path.join(process.cwd(), "app", "api");
    const routes = findApiRoutes(apiDir).map((r) => "/api/" + path.relative(apiDir, path.dirname(r.file)).split(path.sep).join("/"));
    // Destructive methods last, so that earlier requests still meet the seeded rows.
    const plans: { method: string; route: string }[] = [];
    for (const method of METHODS) {
      for (const route of routes) {
        const mod = (await import(path.join(apiDir, route.slice(5), "route.ts"))) as Record<string, unknown>;
        if (typeof mod[method] === "function") plans.push({ method, route });
      }
    }
    expect(plans.length).toBeGreaterThan(50);

    for (const { method, route } of plans) {
      const shape = shapeOf(route);
      const fill = (pick: (name: string) => string) => fillRoute(route, pick);
      const real = fill((name) => realPath(route, name));
      // Odd path parameters, one parameter at a time.
      for (const name of [...route.matchAll(PARAM)].map((m) => m[2]!)) {
        for (const value of PATH_VALUES) {
          const p = fill((n) => (n === name ? value : realPath(route, n)));
          check(`${method} ${p}`, await call(method, p, method === "GET" ? undefined : "{}"), shape);
        }
      }
      if (method === "GET" || method === "DELETE") {
        for (const key of QUERY_KEYS) {
          for (const value of QUERY_VALUES) check(`${method} ${real}?${key}=${value.slice(0, 20)}`, await call(method, `${real}?${key}=${value}`), shape);
        }
        check(`${method} ${real}?everything`, await call(method, `${real}?${QUERY_KEYS.map((k, i) => `${k}=${QUERY_VALUES[i % QUERY_VALUES.length]}`).join("&")}`), shape);
      }
      if (method === "GET") continue;
      for (const raw of RAW_BODIES) check(`${method} ${real} raw ${JSON.stringify(raw).slice(0, 30)}`, await call(method, real, raw), shape);
      for (const value of HOSTILE_VALUES) {
        const everyField = Object.fromEntries(FIELDS.map((f) => [f, value]));
        check(`${method} ${real} every field ${JSON.stringify(value)?.slice(0, 30)}`, await call(method, real, JSON.stringify(everyField)), shape);
      }
      // One mistyped field among plausible ones, so that each validator is reached on its own.
      const plausible = { body: "hi", text: "/who", name: "n", email: "x@example.test", password: "correct horse battery", channelId: trio.general, userId: trio.users.bob.id, memberIds: [trio.users.bob.id], botId: ids.bot, emoji: "thumbsup", role: "MEMBER", clientMsgId: "hostile-plausible" };
      for (const field of FIELDS) {
        for (const value of [null, "\u0000"]) {
          check(`${method} ${real} ${field}=${JSON.stringify(value)}`, await call(method, real, JSON.stringify({ ...plausible, [field]: value })), shape);
        }
      }
    }
    expect(failures).toEqual([]);
    expect(requests).toBeGreaterThan(5_000);
  });

  it("treats a malformed cookie as no session, and keeps a good session beside one", async () => {
    const apiDir = path.join(process.cwd(), "app", "api");
    for (const route of findApiRoutes(apiDir).map((r) => "/api/" + path.relative(apiDir, path.dirname(r.file)).split(path.sep).join("/"))) {
      const real = fillRoute(route, (name) => realPath(route, name));
      for (const value of COOKIE_VALUES) check(`GET ${real} cookie ${value.slice(0, 40)}`, await call("GET", real, undefined, value), shapeOf(route));
    }
    for (const value of COOKIE_VALUES) {
      const me = await call("GET", "/api/me", undefined, value);
      expect(me.status, value).toBe(401);
    }
    // Beside the real session cookie a stranger's malformed one changes nothing, over HTTP and for a socket.
    const me = await call("GET", "/api/me", undefined, `junk=%E0%A4%A; ${cookie}; other=%`);
    expect(me.status).toBe(200);
    const client = new TestClient(node.port, `junk=%E0%A4%A; ${cookie}`, []);
    await client.connect();
    client.socket.disconnect();
    expect(failures).toEqual([]);
  });

  it("answers every Slack Web API method with ok or a named error, and every webhook post with a plain answer", async () => {
    // Fresh credentials: the sweep above may have revoked or deactivated the seeded ones.
    const post = async (p: string, body: unknown) => JSON.parse((await call("POST", p, JSON.stringify(body))).text);
    const slack = {
      botToken: (await post(`/api/workspaces/${trio.slug}/bots`, { name: "Hostile bot 2" })).token as string,
      userToken: (await post(`/api/workspaces/${trio.slug}/tokens`, { name: "hostile 2" })).token as string,
      webhookPath: (await post(`/api/workspaces/${trio.slug}/webhooks`, { channelId: trio.general })).path as string,
    };
    expect(slack.botToken && slack.userToken && slack.webhookPath).toBeTruthy();
    const plausible: Record<string, string> = { channel: trio.general, text: "hi", name: "thumbsup", user: trio.users.bob.id, users: trio.users.bob.id, email: "x@example.test", query: "seed", limit: "5" };
    const slackCall = async (token: string, method: string, form: Record<string, string> | string, asJson: boolean) => {
      requests++;
      const body = typeof form === "string" ? form : asJson ? JSON.stringify(form) : new URLSearchParams(form).toString();
      const res = await fetch(`${base}/api/${method}`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": asJson ? "application/json; charset=utf-8" : "application/x-www-form-urlencoded" }, body });
      const text = await res.text();
      const label = `${method} ${asJson ? "json" : "form"} ${typeof form === "string" ? form.slice(0, 30) : JSON.stringify(form).slice(0, 120)}`;
      if (res.status >= 500) return failures.push(`${label} → ${res.status} ${text.slice(0, 200)}`);
      try {
        const parsed = JSON.parse(text) as { ok?: unknown; error?: unknown };
        if (parsed.ok !== true && (parsed.ok !== false || typeof parsed.error !== "string" || parsed.error === "internal_error")) failures.push(`${label} → ${res.status} ${text.slice(0, 200)}`);
      } catch {
        failures.push(`${label} → ${res.status} not JSON: ${text.slice(0, 200)}`);
      }
    };
    // A channel member's thread to aim `ts` and `thread_ts` at.
    const posted = JSON.parse(await (await fetch(`${base}/api/chat.postMessage`, { method: "POST", headers: { authorization: `Bearer ${slack.userToken}`, "content-type": "application/json" }, body: JSON.stringify({ channel: trio.general, text: "hostile thread" }) })).text());
    expect(posted.ok).toBe(true);
    plausible.ts = plausible.thread_ts = plausible.timestamp = posted.ts;
    const formValues = ["\u0000", "%", "-1", "1e999", "x".repeat(50_000), "[]", "{", "中文😀", "null", "\uD800", '[{"type":"section","text":{"type":"mrkdwn","text":"\u0000"}}]', '[{"type":"nope"}]', "0000000000.000000"];
    const args = ["channel", "ts", "thread_ts", "timestamp", "text", "blocks", "attachments", "name", "user", "users", "email", "cursor", "limit", "oldest", "latest", "inclusive", "query", "count", "sort", "purpose", "topic", "username", "icon_url", "icon_emoji", "reply_broadcast", "types", "is_private", "return_im", "full", "highlight"];
    const methods = ["api.test", "auth.test", "chat.postMessage", "chat.postEphemeral", "chat.update", "chat.getPermalink", "conversations.history", "conversations.replies", "conversations.info", "conversations.list", "conversations.members", "conversations.open", "conversations.create", "conversations.join", "conversations.invite", "conversations.setPurpose", "conversations.setTopic", "conversations.rename", "reactions.add", "reactions.get", "reactions.remove", "pins.add", "pins.list", "pins.remove", "search.messages", "users.info", "users.list", "users.lookupByEmail", "chat.delete", "conversations.leave", "conversations.archive", "conversations.unarchive"];
    for (const method of methods) {
      for (const token of [slack.botToken, slack.userToken]) {
        for (const raw of ["{", "null", "[]", '"x"', "\u0000", "a=%ZZ&channel=%E0%A4%A"]) await slackCall(token, method, raw, raw !== "a=%ZZ&channel=%E0%A4%A");
        for (const value of formValues) await slackCall(token, method, Object.fromEntries(args.map((a) => [a, value])), false);
        for (const value of [null, 12345, {}, [], true, "\u0000"]) await slackCall(token, method, Object.fromEntries(args.map((a) => [a, value])) as Record<string, string>, true);
      }
      // One bad argument among plausible ones, with the person's token (every scope), so that each reader is reached.
      for (const arg of args) {
        for (const value of ["\u0000", "#no-such-channel"]) await slackCall(slack.userToken, method, { ...plausible, [arg]: value }, false);
      }
    }
    // Incoming webhooks answer in plain text, as Slack's do.
    for (const body of ["", "{", "null", "[]", "payload=%ZZ", "payload=%7B", JSON.stringify({ text: "\u0000" }), JSON.stringify({ text: null, blocks: "x" }), JSON.stringify({ text: "hi", username: "\uD800", icon_url: "javascript:alert(1)" }), JSON.stringify({ blocks: [{ type: "section", text: { type: "mrkdwn", text: "\u0000" } }] }), JSON.stringify({ text: "x".repeat(50_000) })]) {
      for (const type of ["application/json", "application/x-www-form-urlencoded", "text/plain"]) {
        requests++;
        const res = await fetch(base + slack.webhookPath, { method: "POST", headers: { "content-type": type }, body });
        const text = await res.text();
        if (res.status >= 500 || !/^text\/plain/.test(res.headers.get("content-type") ?? "") || !text) failures.push(`webhook ${type} ${body.slice(0, 40)} → ${res.status} ${text.slice(0, 200)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("acknowledges every socket event's hostile input with ok or a named error", async () => {
    const client = new TestClient(node.port, cookie, []);
    await client.connect();
    const socket = client.socket as unknown as { timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<unknown> }; emit(event: string, ...args: unknown[]): void; connected: boolean };
    const events = ["messages.create", "messages.update", "messages.delete", "channels.sync", "channels.syncMany", "channels.read", "channels.heads", "reactions.add", "reactions.remove", "pins.add", "pins.remove", "presence.query", "typing.start"];
    const plausible = { channelId: trio.general, messageId: ids.message, body: "hi", clientMsgId: "hostile-socket", emoji: "thumbsup", after: 0, seq: 1, userIds: [trio.users.bob.id], channels: [{ channelId: trio.general, after: 0 }] };
    // Every field at 70,000 characters would be a 3 MB frame: over maxHttpBufferSize, checked below.
    const inputs: unknown[] = [undefined, ...HOSTILE_VALUES, ...HOSTILE_VALUES.filter((v) => JSON.stringify(v).length < 10_000).map((v) => Object.fromEntries([...FIELDS, "after", "channels"].map((f) => [f, v])))];
    for (const field of Object.keys(plausible)) for (const v of [null, 12345, "\u0000", { $gt: "" }, "x".repeat(70_000)]) inputs.push({ ...plausible, [field]: v });
    for (const event of events) {
      for (const input of inputs) {
        requests++;
        const label = `${event} ${JSON.stringify(input)?.slice(0, 120)}`;
        const answer = (await socket.timeout(10_000).emitWithAck(event, input).catch((err: Error) => ({ timeout: err.message }))) as { ok?: unknown; error?: { code?: unknown } };
        if (answer.ok !== true && (answer.ok !== false || typeof answer.error?.code !== "string" || answer.error.code === "internal")) failures.push(`${label} → ${JSON.stringify(answer).slice(0, 200)}`);
      }
    }
    // No ack, an unknown event, a non-function where the ack goes: ignored, and the socket stays.
    socket.emit("messages.create", { channelId: trio.general, body: "no ack" });
    socket.emit("no.such.event", {}, () => undefined);
    socket.emit("messages.create", { channelId: trio.general, body: "x" }, "not a function");
    expect(await socket.timeout(10_000).emitWithAck("channels.heads", { slug: trio.slug })).toHaveProperty("ok", true);
    expect(socket.connected).toBe(true);
    // A frame over 1 MB closes the connection, as Socket.IO's maxHttpBufferSize says; the client comes back.
    const dropped = new Promise((resolve) => client.socket.once("disconnect", resolve));
    socket.emit("messages.create", { channelId: trio.general, body: "x".repeat(1_100_000) }, () => undefined);
    await dropped;
    await new Promise<void>((resolve) => client.socket.once("connect", () => resolve()));
    expect(await socket.timeout(10_000).emitWithAck("channels.heads", { slug: trio.slug })).toHaveProperty("ok", true);
    client.socket.disconnect();
    expect(failures).toEqual([]);
  });

  it("logged no fault while doing so", () => {
    expect(logged.filter((line) => /internal error|audit write failed/.test(line))).toEqual([]);
  });

  it("still serves a normal send and read afterwards", async () => {
    const sent = await call("POST", `/api/channels/${trio.general}/messages`, JSON.stringify({ body: "still here 仍在", clientMsgId: "hostile-after" }));
    expect(sent.status).toBe(201);
    const health = await call("GET", "/api/health");
    expect(health.status).toBe(200);
  });
});
