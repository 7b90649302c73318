/**
 * Starts the real Parley process (`tsx server/index.ts`: Next + Socket.IO) on a free port with its own
 * data folder, for black-box HTTP tests.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

export type TServerProcess = { url: string; port: number; dataDir: string; child: ChildProcess; stop: () => Promise<void>; output: () => string };

/** Spawns the server and resolves once it prints its "listening" line. */
export async function spawnServer(opts: { dataDir?: string; env?: Record<string, string> } = {}): Promise<TServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), "parley-http-"));
  const env: Record<string, string | undefined> = { ...process.env, PORT: "0", HOST: "127.0.0.1", PARLEY_DATA_DIR: dataDir, NODE_ENV: "development", NEXTAUTH_URL: undefined, ...opts.env };
  // The child uses PostgreSQL only when this test run does.
  if (!process.env.DATABASE_URL) delete env.DATABASE_URL;
  const child = spawn(process.execPath, [path.resolve("node_modules/tsx/dist/cli.mjs"), "server/index.ts"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 120_000);
    const onData = () => {
      const m = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    dataDir,
    child,
    output: () => out,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await exited;
      }
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A cookie jar over fetch, enough for next-auth's CSRF + session cookies. */
export class HttpClient {
  private cookies = new Map<string, string>();
  constructor(readonly base: string) {}

  get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  async fetch(pathname: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size) headers.set("cookie", this.cookieHeader);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(this.base + pathname, { ...init, headers, body, redirect: "manual" });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const i = pair!.indexOf("=");
      const name = pair!.slice(0, i);
      const value = pair!.slice(i + 1);
      if (/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async json<T = any>(pathname: string, init: RequestInit & { json?: unknown } = {}): Promise<{ status: number; body: T; headers: Headers }> {
    const res = await this.fetch(pathname, init);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
  }

  /** Signs in through next-auth's credentials flow; true when a session cookie was set. */
  async login(email: string, password: string): Promise<{ ok: boolean; error?: string }> {
    const { body } = await this.json<{ csrfToken: string }>("/api/auth/csrf");
    const form = new URLSearchParams({ csrfToken: body.csrfToken, email, password, json: "true" });
    const res = await this.json<{ url: string }>("/api/auth/callback/credentials", { method: "POST", body: form, headers: { "content-type": "application/x-www-form-urlencoded" } });
    const error = res.body?.url ? new URL(res.body.url).searchParams.get("error") ?? undefined : undefined;
    return { ok: this.cookies.has("next-auth.session-token"), error };
  }

  hasSession(): boolean {
    return this.cookies.has("next-auth.session-token");
  }
}
