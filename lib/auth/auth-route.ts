/**
 * next-auth's endpoints (/api/auth/csrf, /callback/credentials, /session, /signout, …) as a plain
 * function from a fetch Request to a Response, like every other route of the app, so the server
 * answers them itself (server/api-routes.ts). next-auth's app-router handler cannot be called that
 * way (it reads Next's request context), and going through Next cost more of the event loop than
 * next-auth itself: a sign-in storm is what limits the simulated users (docs/performance.md). So this
 * drives next-auth's Node handler — `NextAuth(req, res, options)`, the form its docs give for custom
 * handlers — with the request it expects and a response that records what it writes.
 */
import { parse as parseCookies } from "cookie";
import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/options";
import { cjsDefault } from "@/lib/cjs-default";
import { AppError } from "@/lib/errors";
import { errorResponse, readJsonObject } from "@/lib/http/handler";

const nextAuth = cjsDefault(NextAuth);

/** What next-auth's Node handler writes, kept to be answered as a fetch Response. */
class RecordedResponse {
  statusCode = 200;
  private readonly headers = new Headers();
  private body: string | undefined;

  status(code: number): this {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string): string | string[] | undefined {
    if (name.toLowerCase() === "set-cookie") return this.headers.getSetCookie();
    return this.headers.get(name) ?? undefined;
  }
  setHeader(name: string, value: string | string[]): this {
    if (Array.isArray(value)) {
      this.headers.delete(name);
      for (const v of value) this.headers.append(name, v);
    } else this.headers.set(name, value);
    return this;
  }
  json(data: unknown): void {
    this.headers.set("content-type", "application/json; charset=utf-8");
    this.body = JSON.stringify(data);
  }
  /** As Next's `res.send`: objects go as JSON, anything else as text. */
  send(data: unknown): void {
    if (data !== null && typeof data === "object") return this.json(data);
    this.body = data === undefined ? undefined : String(data);
  }
  end(data?: string): void {
    if (data !== undefined) this.body = data;
  }
  toResponse(): Response {
    if (!this.headers.has("cache-control")) this.headers.set("cache-control", "no-store");
    const noBody = this.statusCode === 204 || this.statusCode === 304;
    return new Response(noBody ? null : (this.body ?? ""), { status: this.statusCode, headers: this.headers });
  }
}

/** The form fields next-auth's client posts (URL-encoded), or a JSON object; nothing for other types. */
async function readBody(req: Request): Promise<Record<string, unknown> | undefined> {
  if (req.method !== "POST") return undefined;
  const type = req.headers.get("content-type") ?? "";
  if (type.includes("application/x-www-form-urlencoded")) return Object.fromEntries(new URLSearchParams(await req.text()));
  if (type.includes("application/json")) return readJsonObject(req);
  return undefined;
}

/** Answers `/api/auth/<action>[/<provider>]`; `action` is the path after /api/auth/, by segment. */
export async function authRoute(req: Request, action: string[]): Promise<Response> {
  try {
    // next-auth answers this with a 500 ("not supported"): credentials are only ever posted.
    if (req.method !== "POST" && action[0] === "callback" && action[1] === "credentials") {
      const refused = errorResponse(new AppError("method_not_allowed", "Sign in by posting the form to this address"));
      refused.headers.set("allow", "POST");
      return refused;
    }
    const url = new URL(req.url);
    const body = await readBody(req);
    const recorded = new RecordedResponse();
    const nodeRequest = {
      method: req.method,
      headers: Object.fromEntries(req.headers),
      cookies: parseCookies(req.headers.get("cookie") ?? ""),
      query: { ...Object.fromEntries(url.searchParams), nextauth: action },
      body,
    };
    await nextAuth(nodeRequest as never, recorded as never, authOptions);
    return recorded.toResponse();
  } catch (err) {
    return errorResponse(err);
  }
}
