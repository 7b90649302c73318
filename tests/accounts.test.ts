/** Accounts through lib/users/service.ts: sign-up, sign-in, password changes and sessions. */
import { readdirSync, readFileSync } from "node:fs";
import * as argon2 from "@node-rs/argon2";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "@/lib/auth/password";
import { ensureDbReady, getDb } from "@/lib/db";
import { changePassword, getMe, isSessionCurrent, signUp, updateProfile, verifyCredentials } from "@/lib/users/service";
import { createUser, DEFAULT_PASSWORD, expectAppError, uniq, type TTestUser } from "./factories";

beforeAll(async () => {
  await ensureDbReady();
});

function newEmail(): string {
  return `${uniq("acct-")}@example.test`;
}

describe("signUp", () => {
  it("stores an argon2id hash, never the password, and omits the hash from default queries", async () => {
    const user = await createUser();
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(row.passwordHash).not.toContain(DEFAULT_PASSWORD);
    expect(user).not.toHaveProperty("passwordHash");
    const plain = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(plain).not.toHaveProperty("passwordHash");
  });

  it("stores the email trimmed and in lower case", async () => {
    const local = uniq("MiXeD-");
    const user = await signUp({ name: "Case", email: `  ${local.toUpperCase()}@Example.TEST `, password: DEFAULT_PASSWORD });
    expect(user.email).toBe(`${local.toLowerCase()}@example.test`);
  });

  it("refuses a duplicate email in any letter case with conflict", async () => {
    const email = newEmail();
    await signUp({ name: "First", email, password: DEFAULT_PASSWORD });
    await expectAppError(signUp({ name: "Second", email, password: DEFAULT_PASSWORD }), "conflict");
    await expectAppError(signUp({ name: "Third", email: email.toUpperCase(), password: DEFAULT_PASSWORD }), "conflict");
    const count = await getDb().user.count({ where: { email } });
    expect(count).toBe(1);
  });

  it("lets only one of two simultaneous sign-ups with the same email through", async () => {
    const email = newEmail();
    const results = await Promise.allSettled([
      signUp({ name: "Racer A", email, password: DEFAULT_PASSWORD }),
      signUp({ name: "Racer B", email: email.toUpperCase(), password: DEFAULT_PASSWORD }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    await expectAppError(Promise.reject(rejected.reason), "conflict");
    expect(await getDb().user.count({ where: { email } })).toBe(1);
  });

  it.each([
    ["an invalid email", { name: "X", email: "not-an-email", password: DEFAULT_PASSWORD }, /email/],
    ["an empty email", { name: "X", email: "", password: DEFAULT_PASSWORD }, /email/],
    ["a 7-character password", { name: "X", email: "short@example.test", password: "1234567" }, /password.*at least 8/],
    ["an empty name", { name: "   ", email: "blank@example.test", password: DEFAULT_PASSWORD }, /name/],
    ["a name with a lone surrogate", { name: "bad \uD800", email: "sur@example.test", password: DEFAULT_PASSWORD }, /name/],
    ["a missing password", { name: "X", email: "nopw@example.test" }, /password/],
  ])("refuses %s with validation_failed", async (_label, input, message) => {
    await expectAppError(signUp(input), "validation_failed", message);
  });

  it("accepts a password of exactly 8 characters", async () => {
    const user = await createUser({ password: "12345678" });
    const ok = await verifyCredentials({ email: user.email, password: "12345678" });
    expect(ok.id).toBe(user.id);
  });
});

describe("verifyCredentials", () => {
  let user: TTestUser;
  beforeAll(async () => {
    user = await createUser({ name: "Signer" });
  });

  it("returns the user and session version for the right password, with the email in any case", async () => {
    const res = await verifyCredentials({ email: user.email.toUpperCase(), password: user.password }, { ip: uniq("ip-") });
    expect(res).toEqual({ id: user.id, name: "Signer", email: user.email, sessionVersion: 0 });
  });

  it("gives the same generic unauthorized error for a wrong password and an unknown email", async () => {
    const wrong = await expectAppError(verifyCredentials({ email: user.email, password: "wrong password" }, { ip: uniq("ip-") }), "unauthorized");
    const unknown = await expectAppError(verifyCredentials({ email: newEmail(), password: user.password }, { ip: uniq("ip-") }), "unauthorized");
    expect(unknown.message).toBe(wrong.message);
    expect(unknown.status).toBe(wrong.status);
    expect(wrong.message).not.toMatch(/password is|no (such )?(user|account)|not found|unknown/i);
    // Malformed input gets the same answer too (nothing hints at which part was wrong).
    const malformed = await expectAppError(verifyCredentials({ email: "nope", password: "" }), "unauthorized");
    expect(malformed.message).toBe(wrong.message);
  });

  it("rate-limits repeated failures for an email from one address, even when the password is then right", async () => {
    const target = await createUser({ name: "Targeted" });
    const ip = uniq("ip-");
    for (let i = 0; i < 8; i++) {
      // Changing the letter case of the email does not get round the limit.
      const email = i % 2 ? target.email.toUpperCase() : target.email;
      await expectAppError(verifyCredentials({ email, password: `wrong ${i}` }, { ip }), "unauthorized");
    }
    const limited = await expectAppError(verifyCredentials({ email: target.email, password: target.password }, { ip }), "rate_limited");
    expect(limited.retryAfterSeconds).toBeGreaterThan(0);
    // The limit is per email and address: the same person from elsewhere still signs in.
    const ok = await verifyCredentials({ email: target.email, password: target.password }, { ip: uniq("ip-") });
    expect(ok.id).toBe(target.id);
  });

  it("forgets earlier failures after a successful sign-in", async () => {
    const target = await createUser({ name: "Forgetful" });
    const ip = uniq("ip-");
    for (let i = 0; i < 5; i++) await expectAppError(verifyCredentials({ email: target.email, password: `wrong ${i}` }, { ip }), "unauthorized");
    await verifyCredentials({ email: target.email, password: target.password }, { ip });
    for (let i = 0; i < 5; i++) await expectAppError(verifyCredentials({ email: target.email, password: `again ${i}` }, { ip }), "unauthorized");
    const ok = await verifyCredentials({ email: target.email, password: target.password }, { ip });
    expect(ok.id).toBe(target.id);
  });
});

describe("changePassword", () => {
  it("refuses a wrong current password and keeps the old one and the session", async () => {
    const user = await createUser();
    await expectAppError(changePassword({ actor: user.actor, input: { currentPassword: "not my password", newPassword: "brand new password" } }), "validation_failed", /currentPassword/);
    expect(await isSessionCurrent(user.id, 0)).toBe(true);
    expect((await verifyCredentials({ email: user.email, password: user.password })).id).toBe(user.id);
  });

  it("refuses a too-short new password", async () => {
    const user = await createUser();
    await expectAppError(changePassword({ actor: user.actor, input: { currentPassword: user.password, newPassword: "short" } }), "validation_failed", /newPassword/);
    expect(await isSessionCurrent(user.id, 0)).toBe(true);
  });

  it("changes the password and bumps the session version, ending old sessions", async () => {
    const user = await createUser();
    const before = await verifyCredentials({ email: user.email, password: user.password });
    expect(await isSessionCurrent(user.id, before.sessionVersion)).toBe(true);

    const { sessionVersion } = await changePassword({ actor: user.actor, input: { currentPassword: user.password, newPassword: "brand new password" } });
    expect(sessionVersion).toBe(before.sessionVersion + 1);
    expect(await isSessionCurrent(user.id, before.sessionVersion)).toBe(false);
    expect(await isSessionCurrent(user.id, sessionVersion)).toBe(true);

    await expectAppError(verifyCredentials({ email: user.email, password: user.password }), "unauthorized");
    const after = await verifyCredentials({ email: user.email, password: "brand new password" });
    expect(after.sessionVersion).toBe(sessionVersion);
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
    expect(row.passwordHash.startsWith("$argon2id$")).toBe(true);
  });

  it("treats an unknown user's session as not current", async () => {
    expect(await isSessionCurrent("c0000000000000000000unknown", 0)).toBe(false);
  });
});

describe("names", () => {
  it("round-trips Chinese names through sign-up, profile and sign-in", async () => {
    const user = await createUser({ name: "张伟" });
    expect(user.name).toBe("张伟");
    expect((await getMe({ actor: user.actor })).name).toBe("张伟");

    const renamed = await updateProfile({ actor: user.actor, input: { name: "  李小龙 🐉  " } });
    expect(renamed.name).toBe("李小龙 🐉");
    expect((await getMe({ actor: user.actor })).name).toBe("李小龙 🐉");
    expect((await verifyCredentials({ email: user.email, password: user.password })).name).toBe("李小龙 🐉");
  });

  it("refuses a blank or overlong profile name", async () => {
    const user = await createUser({ name: "Keeps" });
    await expectAppError(updateProfile({ actor: user.actor, input: { name: "  " } }), "validation_failed");
    await expectAppError(updateProfile({ actor: user.actor, input: { name: "名".repeat(81) } }), "validation_failed", /80/);
    expect((await getMe({ actor: user.actor })).name).toBe("Keeps");
  });
});

describe("password hashing", () => {
  it("answers many concurrent checks each correctly, and false for a malformed stored hash", async () => {
    const stored = await hashPassword("汉字 and letters");
    const tries = Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? "汉字 and letters" : `wrong ${i}`));
    const answers = await Promise.all(tries.map((p) => verifyPassword(stored, p)));
    expect(answers).toEqual(tries.map((p) => p === "汉字 and letters"));
    expect(await verifyPassword("$argon2id$not-a-hash", "x")).toBe(false);
    expect(await verifyPassword("", "x")).toBe(false);
  });

  it("hashes with argon2id at 12 MiB and 3 passes, and still accepts hashes stored with OWASP's other settings", async () => {
    expect(await hashPassword("密码 password")).toMatch(/^\$argon2id\$v=19\$m=12288,t=3,p=1\$/);
    for (const [memoryCost, timeCost] of [[19456, 2], [47104, 1], [7168, 5]] as const) {
      const older = await argon2.hash("密码 password", { algorithm: 2 as argon2.Algorithm, memoryCost, timeCost, parallelism: 1 });
      expect(await verifyPassword(older, "密码 password"), `m=${memoryCost} t=${timeCost}`).toBe(true);
      expect(await verifyPassword(older, "密码 passwort")).toBe(false);
    }
  });

  // Linux only: /proc shows each thread's nice value (field 19 of /proc/<pid>/task/<tid>/stat).
  it.runIf(process.platform === "linux")("hashes on a thread of its own at a lower priority, leaving the event loop's thread as it was", async () => {
    const niceOf = (tid: string) => {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    };
    const mainBefore = niceOf(String(process.pid));
    await hashPassword("any password");
    const nices = readdirSync("/proc/self/task").map(niceOf);
    expect(nices.filter((n) => n === Math.min(19, mainBefore + 10)).length).toBeGreaterThanOrEqual(1);
    expect(niceOf(String(process.pid))).toBe(mainBefore);
  });
});
