/**
 * Turns a request's session cookie into an actor, for route handlers and the socket handshake alike.
 * A token is accepted only while its sessionVersion matches the user's (deactivation, password change
 * and "sign out everywhere" bump it).
 */
import { hkdfSync } from "node:crypto";
import { parse as parseCookies } from "cookie";
import { jwtDecrypt, type JWTPayload } from "jose";
import { getToken } from "next-auth/jwt";
import { getOrCreateSecret } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { isSessionCurrent, type TActor } from "@/lib/users/service";

export type TSessionActor = TActor & { sessionVersion: number };

/** Whether the session cookie is the `__Secure-` one (HTTPS deployments). */
function isSecureRequest(headers: Headers | Record<string, string | string[] | undefined>, cookie: string): boolean {
  if (cookie.includes("__Secure-next-auth.session-token")) return true;
  const proto = headers instanceof Headers ? headers.get("x-forwarded-proto") : headers["x-forwarded-proto"];
  return proto === "https" && !cookie.includes("next-auth.session-token=");
}

type TClaims = { userId: string; sessionVersion: number };

/**
 * Valid session tokens already decoded, by their text, most recently used last. Decoding derives
 * the key with HKDF on libuv's thread pool and decrypts the token, and every request and socket
 * handshake of a person carries the same token: at 3,000 simulated users that was 5 % of the
 * server's main thread, and a wait in the thread pool's queue for every request
 * (docs/performance.md, Simulated users). Only tokens that decoded are kept, each until its own
 * expiry; the caller still checks the claimed sessionVersion against the database every time.
 */
const decodedTokens = new Map<string, TClaims & { expiresAtMs: number }>();

/**
 * The key next-auth (v4) encrypts session tokens with: HKDF-SHA256 of the secret, no salt, its fixed
 * info string, 32 bytes — as its own decode() derives it for every token. Derived once per secret
 * here: after a restart every socket's handshake decodes a token not yet remembered, and the
 * derivation (a thread-pool job each) was 1.7 s of a 10,000-socket reconnect storm's main thread
 * (docs/performance.md, Connections). A test checks tokens from next-auth's encode() still open.
 */
const tokenKeys = new Map<string, Uint8Array>();

function tokenKey(secret: string): Uint8Array {
  let key = tokenKeys.get(secret);
  if (!key) tokenKeys.set(secret, (key = new Uint8Array(hkdfSync("sha256", secret, "", "NextAuth.js Generated Encryption Key", 32))));
  return key;
}
/** Sessions remembered at most (a few MB: a token is ~500 bytes). */
export const DECODED_TOKENS_KEPT = 10_000;

async function decodeToken(token: string, secret: string): Promise<TClaims | null> {
  const known = decodedTokens.get(token);
  if (known) {
    decodedTokens.delete(token);
    if (known.expiresAtMs > Date.now()) {
      decodedTokens.set(token, known);
      return { userId: known.userId, sessionVersion: known.sessionVersion };
    }
  }
  let payload: JWTPayload;
  try {
    // As next-auth's decode(), with its 15 s clock tolerance.
    ({ payload } = await jwtDecrypt(token, tokenKey(secret), { clockTolerance: 15 }));
  } catch {
    return null; // Not ours, tampered with or expired.
  }
  if (!payload?.sub) return null;
  const claims = { userId: payload.sub, sessionVersion: typeof payload.sv === "number" ? payload.sv : 0 };
  if (typeof payload.exp === "number") {
    decodedTokens.set(token, { ...claims, expiresAtMs: payload.exp * 1000 });
    if (decodedTokens.size > DECODED_TOKENS_KEPT) decodedTokens.delete(decodedTokens.keys().next().value!);
  }
  return claims;
}

/**
 * The user id and session version a cookie header's session token claims, without checking them
 * against the database (the caller must: see getActorFromCookie and the socket handshake, which
 * checks them in the same query that reads its rooms). Null without a valid token.
 */
export async function decodeSessionCookie(cookieHeader: string | undefined, headers: Headers | Record<string, string | string[] | undefined> = {}): Promise<TClaims | null> {
  if (!cookieHeader) return null;
  // `cookie` keeps a value it cannot decode as it is: any site on this host can set a malformed one.
  const cookies = parseCookies(cookieHeader);
  const secret = getOrCreateSecret("sessionSecret");
  // `raw`: the token's text from the cookie (next-auth's cookie names and chunks), decoded below.
  const token = await getToken({ req: { headers: { cookie: cookieHeader }, cookies } as never, secret, secureCookie: isSecureRequest(headers, cookieHeader), raw: true });
  return token ? decodeToken(token, secret) : null;
}

/** The actor for a cookie header, or null when there is no current session. */
export async function getActorFromCookie(cookieHeader: string | undefined, headers: Headers | Record<string, string | string[] | undefined> = {}): Promise<TSessionActor | null> {
  const claimed = await decodeSessionCookie(cookieHeader, headers);
  if (!claimed) return null;
  if (!(await isSessionCurrent(claimed.userId, claimed.sessionVersion))) return null;
  return { userId: claimed.userId, sessionVersion: claimed.sessionVersion };
}

/** The actor of a route handler's request; 401 without a current session. */
export async function requireActor(req: Request): Promise<TSessionActor> {
  const actor = await getActorFromCookie(req.headers.get("cookie") ?? undefined, req.headers);
  if (!actor) throw new AppError("unauthorized", "Sign in to continue");
  return actor;
}
