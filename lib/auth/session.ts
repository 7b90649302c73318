/**
 * Turns a request's session cookie into an actor, for route handlers and the socket handshake alike.
 * A token is accepted only while its sessionVersion matches the user's (deactivation, password change
 * and "sign out everywhere" bump it).
 */
import { getToken } from "next-auth/jwt";
import { getOrCreateSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { findUserById } from "@/lib/users/repository";
import type { TActor } from "@/lib/users/service";

export type TSessionActor = TActor & { sessionVersion: number };

/** Whether the session cookie is the `__Secure-` one (HTTPS deployments). */
function isSecureRequest(headers: Headers | Record<string, string | string[] | undefined>, cookie: string): boolean {
  if (cookie.includes("__Secure-next-auth.session-token")) return true;
  const proto = headers instanceof Headers ? headers.get("x-forwarded-proto") : headers["x-forwarded-proto"];
  return proto === "https" && !cookie.includes("next-auth.session-token=");
}

/**
 * The user id and session version a cookie header's session token claims, without checking them
 * against the database (the caller must: see getActorFromCookie and the socket handshake, which
 * checks them in the same query that reads its rooms). Null without a valid token.
 */
export async function decodeSessionCookie(cookieHeader: string | undefined, headers: Headers | Record<string, string | string[] | undefined> = {}): Promise<{ userId: string; sessionVersion: number } | null> {
  if (!cookieHeader) return null;
  const cookies = Object.fromEntries(
    cookieHeader.split(";").map((c) => {
      const i = c.indexOf("=");
      return [c.slice(0, i).trim(), decodeURIComponent(c.slice(i + 1).trim())];
    }),
  );
  const token = await getToken({
    req: { headers: { cookie: cookieHeader }, cookies } as never,
    secret: getOrCreateSecret("sessionSecret"),
    secureCookie: isSecureRequest(headers, cookieHeader),
  });
  if (!token?.sub) return null;
  return { userId: token.sub, sessionVersion: typeof token.sv === "number" ? token.sv : 0 };
}

/** The actor for a cookie header, or null when there is no current session. */
export async function getActorFromCookie(cookieHeader: string | undefined, headers: Headers | Record<string, string | string[] | undefined> = {}): Promise<TSessionActor | null> {
  const claimed = await decodeSessionCookie(cookieHeader, headers);
  if (!claimed) return null;
  const user = await findUserById(claimed.userId);
  if (!user || user.sessionVersion !== claimed.sessionVersion) return null;
  return { userId: user.id, sessionVersion: claimed.sessionVersion };
}

/** The actor of a route handler's request; 401 without a current session. */
export async function requireActor(req: Request): Promise<TSessionActor> {
  const actor = await getActorFromCookie(req.headers.get("cookie") ?? undefined, req.headers);
  if (!actor) throw new AppError("unauthorized", "Sign in to continue");
  return actor;
}
