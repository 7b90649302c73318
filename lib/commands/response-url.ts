/**
 * response_url: where an app may answer a slash command later, like Slack — at most 5 times within
 * 30 minutes of the command. The URL is `/api/response-url/<id>/<secret>`: `id` carries the
 * invocation's context (workspace, channel, invoker, app, expiry) and `secret` is an HMAC of it under
 * a server key, so it cannot be guessed or altered and nothing needs storing per command. The use
 * count is kept in memory (a limit per node: see docs/api.md).
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { getOrCreateSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";

export const RESPONSE_URL_TTL_MS = 30 * 60_000;
export const RESPONSE_URL_MAX_USES = 5;

const ZContext = z.object({
  w: z.string(),
  c: z.string(),
  u: z.string(),
  b: z.string(),
  k: z.string(),
  t: z.string().optional(),
  e: z.number(),
  n: z.string(),
});

/** What a response_url remembers about the command it answers. */
export type TResponseContext = { workspaceId: string; channelId: string; userId: string; botId: string; command: string; threadRootId?: string; expiresAt: number; nonce: string };

function key(): Buffer {
  // A key of its own, derived from the server secret, so a response_url secret is good for nothing else.
  return createHmac("sha256", getOrCreateSecret("sessionSecret")).update("parley:response-url:v1").digest();
}

function sign(id: string): string {
  return createHmac("sha256", key()).update(id).digest("base64url");
}

/** Makes the path (`/api/response-url/<id>/<secret>`) for one invocation. */
export function issueResponsePath(ctx: Omit<TResponseContext, "expiresAt" | "nonce">, now = Date.now()): { path: string; nonce: string } {
  const nonce = randomBytes(12).toString("base64url");
  const payload = { w: ctx.workspaceId, c: ctx.channelId, u: ctx.userId, b: ctx.botId, k: ctx.command, ...(ctx.threadRootId ? { t: ctx.threadRootId } : {}), e: Math.floor((now + RESPONSE_URL_TTL_MS) / 1000), n: nonce };
  const id = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return { path: `/api/response-url/${id}/${sign(id)}`, nonce };
}

const uses = new Map<string, { count: number; expiresAt: number }>();

/** Checks the secret and expiry and spends one of the URL's uses; throws 404 / 410 / 429 otherwise. */
export function redeemResponseUrl(id: string, secret: string, now = Date.now()): TResponseContext {
  const expected = Buffer.from(sign(id));
  const given = Buffer.from(secret);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new AppError("not_found", "invalid_response_url");
  let ctx: z.infer<typeof ZContext>;
  try {
    ctx = ZContext.parse(JSON.parse(Buffer.from(id, "base64url").toString("utf8")));
  } catch {
    throw new AppError("not_found", "invalid_response_url");
  }
  const expiresAt = ctx.e * 1000;
  if (now >= expiresAt) throw new AppError("gone", "expired_url");
  for (const [n, u] of uses) if (u.expiresAt <= now) uses.delete(n);
  const used = uses.get(ctx.n) ?? { count: 0, expiresAt };
  if (used.count >= RESPONSE_URL_MAX_USES) throw new AppError("rate_limited", "used_too_many_times");
  used.count++;
  uses.set(ctx.n, used);
  return { workspaceId: ctx.w, channelId: ctx.c, userId: ctx.u, botId: ctx.b, command: ctx.k, threadRootId: ctx.t, expiresAt, nonce: ctx.n };
}
