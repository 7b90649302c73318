/**
 * The app's API as the server answers it itself (server/api-routes.ts): which route a path names,
 * and over real HTTP against an in-process node without Next — answers, Next's method conventions
 * (HEAD, OPTIONS, 405), the shared error shape, bad paths and oversized bodies.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TParleyNode } from "@/server/app";
import { findApiRoutes, matchApiRoute } from "@/server/api-routes";
import { MAX_BODY_BYTES } from "@/server/fetch-bridge";
import { createTrio, sessionCookie, startNode, type TTrio } from "@/tests/realtime-client";

describe("finding the route a path names", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-routes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const file of [
    "me/route.ts",
    "channels/[id]/route.ts",
    "channels/[id]/messages/route.ts",
    "channels/browse/route.ts",
    "(admin)/audit/route.ts",
    "_drafts/old/route.ts",
    "auth/[...nextauth]/route.ts",
    "auth/signup/route.ts",
    "files/[[...path]]/route.ts",
    "odd/[...rest]/tail/route.ts",
    "channels/[id]/notes.ts",
  ]) {
    mkdirSync(path.join(dir, path.dirname(file)), { recursive: true });
    writeFileSync(path.join(dir, file), "export {};\n");
  }
  const routes = findApiRoutes(dir);
  const named = (pathname: string) => {
    const found = matchApiRoute(routes, pathname);
    return found && { file: path.relative(dir, found.route.file), params: found.params };
  };

  it("finds route files by Next's rules: groups add nothing, private folders are not served, a catch-all only last", () => {
    expect(routes.map((r) => path.relative(dir, r.file)).sort()).toEqual(
      ["(admin)/audit/route.ts", "auth/[...nextauth]/route.ts", "auth/signup/route.ts", "channels/[id]/messages/route.ts", "channels/[id]/route.ts", "channels/browse/route.ts", "me/route.ts"].map((f) => f.split("/").join(path.sep)),
    );
    expect(named("/api/audit")?.file).toBe(path.join("(admin)", "audit", "route.ts"));
    expect(named("/api/(admin)/audit")).toBeNull();
    expect(named("/api/_drafts/old")).toBeNull();
    expect(named("/api/files/a")).toBeNull(); // optional catch-alls are Next's
  });

  it("gives a catch-all one or more segments, decoded, after every more specific route", () => {
    const nextauth = path.join("auth", "[...nextauth]", "route.ts");
    expect(named("/api/auth/signin")).toEqual({ file: nextauth, params: { nextauth: ["signin"] } });
    expect(named("/api/auth/callback/credentials")).toEqual({ file: nextauth, params: { nextauth: ["callback", "credentials"] } });
    expect(named("/api/auth/callback/%E4%B8%AD")).toEqual({ file: nextauth, params: { nextauth: ["callback", "中"] } });
    expect(named("/api/auth/signup")).toEqual({ file: path.join("auth", "signup", "route.ts"), params: {} });
    expect(named("/api/auth")).toBeNull();
    expect(named("/api/auth/")).toBeNull();
    expect(named("/api/auth/callback//x")).toBeNull();
    expect(() => matchApiRoute(routes, "/api/auth/callback/%00")).toThrow(URIError);
  });

  it("prefers a fixed segment to a parameter, and decodes parameters", () => {
    expect(named("/api/channels/browse")).toEqual({ file: path.join("channels", "browse", "route.ts"), params: {} });
    expect(named("/api/channels/c1")).toEqual({ file: path.join("channels", "[id]", "route.ts"), params: { id: "c1" } });
    expect(named("/api/channels/%E4%B8%AD%E6%96%87/messages")).toEqual({ file: path.join("channels", "[id]", "messages", "route.ts"), params: { id: "中文" } });
  });

  it("names no route for other shapes: extra or missing segments, an empty parameter, a trailing slash", () => {
    for (const p of ["/api", "/api/", "/api/me/extra", "/api/channels//messages", "/api/me/", "/api/channels/c1/messages/"]) expect(named(p), p).toBeNull();
    expect(() => matchApiRoute(routes, "/api/channels/%E0%A4%A/messages")).toThrow(URIError);
  });

  it("finds every route of the app, next-auth's included", () => {
    const app = findApiRoutes(path.join(process.cwd(), "app", "api"));
    expect(app.length).toBeGreaterThan(30);
    expect(path.relative(process.cwd(), matchApiRoute(app, "/api/auth/callback/credentials")!.route.file)).toBe(path.join("app", "api", "auth", "[...nextauth]", "route.ts"));
    expect(path.relative(process.cwd(), matchApiRoute(app, "/api/workspaces/acme/channels/browse")!.route.file)).toBe(path.join("app", "api", "workspaces", "[slug]", "channels", "browse", "route.ts"));
  });
});

describe("the API over HTTP, without Next", { timeout: 60_000 }, () => {
  let node: TParleyNode;
  let base: string;
  let trio: TTrio;
  let cookie: string;
  beforeAll(async () => {
    node = await startNode();
    base = `http://127.0.0.1:${node.port}`;
    trio = await createTrio("Routes", "routes");
    cookie = await sessionCookie(trio.users.alice.id);
  }, 60_000);
  afterAll(() => node?.close());

  const call = (p: string, init: RequestInit = {}) => fetch(base + p, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });

  it("answers a route with its handler's JSON, the security headers and a length", async () => {
    const res = await call("/api/me");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(Number(res.headers.get("content-length"))).toBeGreaterThan(0);
    expect((await res.json()).user.id).toBe(trio.users.alice.id);
  });

  it("sends and reads back a message in Chinese through the path's parameter and the body", async () => {
    const sent = await call(`/api/channels/${encodeURIComponent(trio.general)}/messages`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ body: "你好，路由 🚀", clientMsgId: `c-${Date.now()}` }),
    });
    expect(sent.status).toBe(201);
    const page = await (await call(`/api/channels/${trio.general}/messages?limit=5`)).json();
    expect(page.messages.at(-1).body).toBe("你好，路由 🚀");
  });

  it("refuses as every route does: no session, someone else's channel, a cross-site write", async () => {
    const anonymous = await fetch(`${base}/api/me`);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).error.code).toBe("unauthorized");
    const carol = await sessionCookie(trio.users.carol.id);
    expect((await call(`/api/channels/${trio.secret}/messages`, { headers: { cookie: carol } })).status).toBe(404);
    const crossSite = await call(`/api/channels/${trio.general}/messages`, { method: "POST", headers: { origin: "https://evil.example", "content-type": "application/json" }, body: JSON.stringify({ body: "x" }) });
    expect(crossSite.status).toBe(403);
  });

  it("follows Next's method conventions: HEAD is GET without a body, OPTIONS lists methods, others get 405", async () => {
    const head = await call("/api/me", { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-type")).toMatch(/^application\/json/);
    const options = await call("/api/me", { method: "OPTIONS" });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, HEAD, PATCH, OPTIONS");
    const del = await call("/api/me", { method: "DELETE" });
    expect(del.status).toBe(405);
    expect(del.headers.get("allow")).toBe("GET, HEAD, PATCH, OPTIONS");
    expect((await del.json()).error).toEqual({ code: "method_not_allowed", message: "DELETE is not allowed here" });
  });

  it("gives bad paths and oversized bodies a clear error, and leaves other paths to Next", async () => {
    const malformed = await call("/api/channels/%E0%A4%A/messages");
    expect(malformed.status).toBe(422);
    expect((await malformed.json()).error.code).toBe("validation_failed");
    expect((await call("/api/workspaces/%00/channels")).status).toBe(422);
    const big = await call(`/api/channels/${trio.general}/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ body: "x".repeat(MAX_BODY_BYTES) }) });
    expect(big.status).toBe(413);
    expect((await big.json()).error.code).toBe("payload_too_large");
    // Not a route: this node has no Next behind it, which answers a bare 404.
    for (const p of ["/api/nope", "/api/me/", "/api/auth"]) expect((await call(p)).status, p).toBe(404);
  });

  it("refuses a Host header that names no host with a 400, on every kind of route, and takes any real one", async () => {
    // fetch sets Host itself; node:http sends what it is given (here as UTF-8 bytes).
    const get = (p: string, host: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request({ host: "127.0.0.1", port: node.port, path: p, method: "GET", headers: { host: Buffer.from(host).toString("latin1"), cookie } }, (res) => {
          let body = "";
          res.setEncoding("utf8").on("data", (c: string) => (body += c)).on("end", () => resolve({ status: res.statusCode!, body }));
        });
        req.on("error", reject).end();
      });
    for (const host of ["a b", "[::1", "x/y?z", "%00", "example.test:99999", "a@b", "例子.测试"]) {
      for (const p of ["/api/health", "/api/me", "/api/auth/csrf", "/api/auth.test", "/hooks/x/y", "/w/acme"]) {
        const res = await get(p, host);
        expect(res.status, `${host} ${p}`).toBe(400);
        expect(JSON.parse(res.body), `${host} ${p}`).toMatchObject({ error: { code: "bad_request", message: "Malformed Host header" } });
      }
    }
    for (const host of ["localhost", "127.0.0.1:3000", "[::1]:8080", "parley_app:3000", "chat.example.com", "xn--fsqu00a.xn--0zwm56d"]) {
      const res = await get("/api/me", host);
      expect(res.status, host).toBe(200);
    }
  });
});
