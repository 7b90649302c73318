/**
 * Session cookies → actors (lib/auth/session.ts): real next-auth tokens, the real database. A token
 * decoded once is remembered, so these check what remembering must never change: expired, tampered
 * and outdated sessions are refused exactly as before, and the memory stays bounded.
 */
import { decode, encode } from "next-auth/jwt";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DECODED_TOKENS_KEPT, decodeSessionCookie, getActorFromCookie } from "@/lib/auth/session";
import { ensureDbReady } from "@/lib/db";
import { getOrCreateSecret } from "@/lib/env";
import { changePassword } from "@/lib/users/service";
import { createUser, DEFAULT_PASSWORD } from "@/tests/factories";

/** Token decryptions (lib/auth/session.ts opens tokens with jose, as next-auth's decode() does). */
const decodes = vi.hoisted(() => ({ count: 0 }));
vi.mock("jose", async (importOriginal) => {
  const real = await importOriginal<typeof import("jose")>();
  return {
    ...real,
    jwtDecrypt: (...args: Parameters<typeof real.jwtDecrypt>) => {
      decodes.count++;
      return real.jwtDecrypt(...args);
    },
  };
});

async function cookieFor(user: { id: string; sessionVersion?: number }, maxAge?: number): Promise<string> {
  const token = await encode({ token: { sub: user.id, sv: user.sessionVersion ?? 0 }, secret: getOrCreateSecret("sessionSecret"), maxAge });
  return `next-auth.session-token=${token}`;
}

beforeAll(async () => {
  await ensureDbReady();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("session cookies", () => {
  it("opens the tokens next-auth makes, as next-auth's own decode() does", async () => {
    const user = await createUser();
    const secret = getOrCreateSecret("sessionSecret");
    const token = await encode({ token: { sub: user.id, sv: 3, name: "王小明" }, secret });
    expect(await decode({ token, secret })).toMatchObject({ sub: user.id, sv: 3 });
    expect(await decodeSessionCookie(`next-auth.session-token=${token}`)).toEqual({ userId: user.id, sessionVersion: 3 });
    // Expired past next-auth's 15 s clock tolerance: refused by both.
    const old = await encode({ token: { sub: user.id, sv: 0 }, secret, maxAge: -20 });
    await expect(decode({ token: old, secret })).rejects.toThrow();
    expect(await decodeSessionCookie(`next-auth.session-token=${old}`)).toBeNull();
  });

  it("decodes a person's token once, then answers from memory for every later request", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    const before = decodes.count;
    for (let i = 0; i < 5; i++) expect(await getActorFromCookie(cookie)).toEqual({ userId: user.id, sessionVersion: 0 });
    expect(decodes.count - before).toBe(1);
    // Among other cookies, and with the secure variant's name absent, as browsers send it.
    expect(await decodeSessionCookie(`theme=dark; ${cookie}; other=1`)).toEqual({ userId: user.id, sessionVersion: 0 });
    expect(decodes.count - before).toBe(1);
  });

  it("still ends a remembered session when its sessionVersion is bumped (password change)", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    expect(await getActorFromCookie(cookie)).not.toBeNull();
    await changePassword({ actor: user.actor, input: { currentPassword: DEFAULT_PASSWORD, newPassword: "an entirely new password" } });
    expect(await getActorFromCookie(cookie)).toBeNull();
  });

  it("refuses a remembered token once it has expired", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user, 60);
    expect(await getActorFromCookie(cookie)).not.toBeNull();
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 5 * 60_000);
    expect(await decodeSessionCookie(cookie)).toBeNull();
    expect(await getActorFromCookie(cookie)).toBeNull();
  });

  it("refuses tampered, foreign and malformed tokens every time, remembering none of them", async () => {
    const user = await createUser();
    const cookie = await cookieFor(user);
    const tampered = cookie.slice(0, -6) + (cookie.endsWith("AAAAAA") ? "BBBBBB" : "AAAAAA");
    const foreign = `next-auth.session-token=${await encode({ token: { sub: user.id, sv: 0 }, secret: "another installation's secret" })}`;
    for (const bad of [tampered, foreign, "next-auth.session-token=not-a-token", "next-auth.session-token="]) {
      const before = decodes.count;
      expect(await decodeSessionCookie(bad)).toBeNull();
      expect(await decodeSessionCookie(bad)).toBeNull();
      // An empty token is never decoded; the others are decoded (and refused) each time.
      expect(decodes.count - before).toBe(bad.endsWith("=") ? 0 : 2);
    }
    expect(await decodeSessionCookie(undefined)).toBeNull();
  });

  it(`remembers at most ${DECODED_TOKENS_KEPT.toLocaleString("en-US")} tokens, forgetting the least recently used`, async () => {
    const user = await createUser();
    const first = await cookieFor(user);
    const kept = await cookieFor({ id: user.id }, 3600);
    await decodeSessionCookie(first);
    await decodeSessionCookie(kept);
    for (let i = 0; i < DECODED_TOKENS_KEPT; i++) {
      await decodeSessionCookie(await cookieFor({ id: `someone-${i}` }));
      if (i % 1000 === 0) await decodeSessionCookie(kept); // used now and then: stays
    }
    const before = decodes.count;
    expect(await decodeSessionCookie(kept)).toEqual({ userId: user.id, sessionVersion: 0 });
    expect(decodes.count - before).toBe(0);
    expect(await decodeSessionCookie(first)).toEqual({ userId: user.id, sessionVersion: 0 });
    expect(decodes.count - before).toBe(1);
  }, 120_000);
});
