/**
 * The one wrapper every route handler goes through: resolves the session (unless `public`), checks
 * that cookie-authenticated writes come from our own origin, and maps errors to the shared JSON shape.
 */
import { requireActor, type TSessionActor } from "@/lib/auth/session";
import { ensureDbReady } from "@/lib/db";
import { env } from "@/lib/env";
import { AppError, toErrorResponse } from "@/lib/errors";

type TParams = Record<string, string>;
type TCtx<P extends TParams> = { req: Request; params: P; url: URL };

/** JSON response helper. */
export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), { status, headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers } });
}

/** Reads a JSON body; empty → {}, malformed → 422. */
export async function readJson(req: Request): Promise<unknown> {
  const text = await req.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new AppError("validation_failed", "Malformed JSON body");
  }
}

/** Reads a JSON body that must be an object (empty → {}); anything else → 422. */
export async function readJsonObject(req: Request): Promise<Record<string, unknown>> {
  const body = await readJson(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw new AppError("validation_failed", "The body must be a JSON object");
  return body as Record<string, unknown>;
}

function assertSameOrigin(req: Request): void {
  if (req.method === "GET" || req.method === "HEAD") return;
  const origin = req.headers.get("origin");
  if (!origin) return; // Non-browser clients send none; browsers always do on cross-site writes.
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  const allowed = (env.PARLEY_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new AppError("forbidden", "Cross-site request refused");
  }
  if (originHost !== host && !allowed.includes(origin)) throw new AppError("forbidden", "Cross-site request refused");
}

/** The shared error shape (lib/errors.ts) as a JSON response. */
export function errorResponse(err: unknown): Response {
  const { status, body, headers } = toErrorResponse(err);
  return json(body, status, headers);
}

/** A handler for signed-in people. */
export function authed<P extends TParams = TParams>(handler: (ctx: TCtx<P> & { actor: TSessionActor }) => Promise<Response | unknown>, opts: { status?: number } = {}) {
  return async (req: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      await ensureDbReady();
      assertSameOrigin(req);
      const actor = await requireActor(req);
      const params = (await segment?.params) ?? ({} as P);
      const out = await handler({ req, params, url: new URL(req.url), actor });
      return out instanceof Response ? out : json(out, opts.status ?? 200);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** A handler anyone may call (sign-up, health, invite preview). */
export function open<P extends TParams = TParams>(handler: (ctx: TCtx<P>) => Promise<Response | unknown>, opts: { status?: number } = {}) {
  return async (req: Request, segment: { params: Promise<P> }): Promise<Response> => {
    try {
      await ensureDbReady();
      assertSameOrigin(req);
      const params = (await segment?.params) ?? ({} as P);
      const out = await handler({ req, params, url: new URL(req.url) });
      return out instanceof Response ? out : json(out, opts.status ?? 200);
    } catch (err) {
      return errorResponse(err);
    }
  };
}

/** The caller's address, for rate limits. */
export function clientIp(req: Request): string {
  // server/index.ts overwrites x-real-ip with the socket's address, so clients cannot spoof it.
  return req.headers.get("x-real-ip") || "local";
}
