/**
 * Signing in and out over real HTTP against a node without Next: next-auth's endpoints are answered
 * by the server itself (lib/auth/auth-route.ts), so its whole credentials flow must work there —
 * CSRF token, callback, session, sign-out — and refuse what next-auth refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TParleyNode } from "@/server/app";
import { createUser, DEFAULT_PASSWORD, type TTestUser } from "@/tests/factories";
import { startNode } from "@/tests/realtime-client";

/** A browser's cookie jar for one origin, enough for next-auth's cookies. */
class Browser {
  readonly cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async fetch(pathname: string, init: RequestInit = {}): Promise<Response> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const res = await fetch(this.base + pathname, { redirect: "manual", ...init, headers: { ...(cookie ? { cookie } : {}), ...(init.headers as Record<string, string>) } });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const name = pair!.slice(0, pair!.indexOf("="));
      const value = pair!.slice(pair!.indexOf("=") + 1);
      if (!value || attributes.some((a) => /max-age=0$/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async csrf(): Promise<string> {
    const res = await this.fetch("/api/auth/csrf");
    expect(res.status).toBe(200);
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  /** next-auth's client's sign-in: the form it posts, answered with the URL to go to. */
  async signIn(email: string, password: string, csrfToken?: string): Promise<{ status: number; url: string | undefined }> {
    const form = new URLSearchParams({ csrfToken: csrfToken ?? (await this.csrf()), email, password, json: "true" });
    const res = await this.fetch("/api/auth/callback/credentials", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    const body = (await res.json().catch(() => ({}))) as { url?: string };
    return { status: res.status, url: body.url };
  }
}

describe("next-auth over HTTP, answered by the server itself", { timeout: 60_000 }, () => {
  let node: TParleyNode;
  let base: string;
  let user: TTestUser;
  beforeAll(async () => {
    node = await startNode();
    base = `http://127.0.0.1:${node.port}`;
    user = await createUser({ name: "登录 Sign-in" });
  }, 60_000);
  afterAll(() => node?.close());

  it("signs in with email and password: a session cookie the API accepts, and the session endpoint names the user", async () => {
    const browser = new Browser(base);
    const { status, url } = await browser.signIn(user.email, DEFAULT_PASSWORD);
    expect(status).toBe(200);
    expect(new URL(url!).searchParams.get("error")).toBeNull();
    expect(browser.cookies.has("next-auth.session-token")).toBe(true);
    const me = await browser.fetch("/api/me");
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ user: { id: user.id } });
    const session = await browser.fetch("/api/auth/session");
    expect(session.headers.get("content-type")).toMatch(/^application\/json/);
    expect(await session.json()).toMatchObject({ user: { email: user.email, name: "登录 Sign-in", id: user.id }, expires: expect.any(String) });
  });

  it("refuses a wrong password and a missing or foreign CSRF token, setting no session", async () => {
    const wrong = new Browser(base);
    const refused = await wrong.signIn(user.email, "not the password");
    expect(new URL(refused.url!).searchParams.get("error")).toBe("CredentialsSignin");
    expect(wrong.cookies.has("next-auth.session-token")).toBe(false);

    // The token must match the browser's own CSRF cookie (next-auth's double submit).
    const other = new Browser(base);
    const foreign = await other.signIn(user.email, DEFAULT_PASSWORD, await new Browser(base).csrf());
    expect(other.cookies.has("next-auth.session-token")).toBe(false);
    expect(foreign.url).toMatch(/csrf=true/);
    const none = new Browser(base);
    const res = await none.fetch("/api/auth/callback/credentials", { method: "POST", body: new URLSearchParams({ email: user.email, password: DEFAULT_PASSWORD }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/csrf=true/);
    expect(none.cookies.has("next-auth.session-token")).toBe(false);
  });

  it("says when to wait after too many failures, and then refuses even the right password", async () => {
    const target = await createUser();
    const browser = new Browser(base);
    let last: string | null = null;
    for (let i = 0; i < 9; i++) last = new URL((await browser.signIn(target.email, "wrong password")).url!).searchParams.get("error");
    expect(last).toBe("RateLimited");
    const right = await browser.signIn(target.email, DEFAULT_PASSWORD);
    expect(new URL(right.url!).searchParams.get("error")).toBe("RateLimited");
    expect(browser.cookies.has("next-auth.session-token")).toBe(false);
  });

  it("signs out: the cookie is cleared and the API answers 401 without it", async () => {
    const browser = new Browser(base);
    await browser.signIn(user.email, DEFAULT_PASSWORD);
    const res = await browser.fetch("/api/auth/signout", { method: "POST", body: new URLSearchParams({ csrfToken: await browser.csrf(), json: "true" }), headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(res.status).toBe(200);
    expect(browser.cookies.has("next-auth.session-token")).toBe(false);
    expect((await browser.fetch("/api/me")).status).toBe(401);
  });

  it("answers malformed bodies and unknown actions with a 4xx, and leaves /api/auth/signup to its own route", async () => {
    const browser = new Browser(base);
    for (const body of ["{", "null", "[]"]) {
      const res = await browser.fetch("/api/auth/callback/credentials", { method: "POST", body, headers: { "content-type": "application/json" } });
      expect(res.status, body).toBe(422);
      expect(await res.json()).toMatchObject({ error: { code: "validation_failed" } });
    }
    const get = await browser.fetch("/api/auth/callback/credentials");
    expect(get.status).toBe(405);
    expect(get.headers.get("allow")).toBe("POST");
    for (const [method, action] of [["GET", "no-such-action"], ["POST", "session/extra/parts"], ["GET", "callback/no-such-provider"], ["DELETE", "csrf"]] as const) {
      const res = await browser.fetch(`/api/auth/${action}`, { method });
      expect(res.status, `${method} ${action}`).toBeGreaterThanOrEqual(300);
      expect(res.status, `${method} ${action}`).toBeLessThan(500);
    }
    const signup = await browser.fetch("/api/auth/signup", { method: "POST", body: JSON.stringify({ email: "not an email", password: "x", name: "" }), headers: { "content-type": "application/json" } });
    expect(signup.status).toBe(422);
    expect(await signup.json()).toMatchObject({ error: { code: "validation_failed" } });
  });
});
