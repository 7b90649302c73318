/** Accounts: sign up, sign in, profile and password. */
import { hashPassword, verifyAgainstDummy, verifyPassword } from "@/lib/auth/password";
import { AppError, notFound } from "@/lib/errors";
import { consume, isLimited, reset } from "@/lib/rate-limit";
import { publish } from "@/lib/realtime/bus";
import * as repo from "@/lib/users/repository";
import { ZChangePassword, ZSignIn, ZSignUp, ZUpdateProfile, type TPublicUser } from "@/lib/users/schema";

/**
 * Who is acting. `workspaceId` is set for Web API tokens, which belong to one workspace: everything
 * outside it is not found for them, even where the person could see it.
 */
export type TActor = { userId: string; workspaceId?: string; tokenId?: string };

/** Creates an account. Duplicate email → 409. */
export async function signUp(input: unknown, opts: { ip?: string } = {}): Promise<TPublicUser> {
  const data = ZSignUp.parse(input);
  if (opts.ip) await consume("signup", opts.ip, "Too many sign-ups from this address; try again later");
  const taken = () => new AppError("conflict", "An account with this email already exists", [{ path: "email", message: "is already registered" }]);
  if (await repo.findUserByEmail(data.email)) throw taken();
  const passwordHash = await hashPassword(data.password);
  try {
    return await repo.insertUser({ email: data.email, name: data.name, passwordHash });
  } catch (err) {
    if ((err as { code?: string }).code === "P2002") throw taken();
    throw err;
  }
}

/**
 * Checks credentials. Wrong email or password get the same generic error; repeated failures for an
 * email from one address are rate-limited.
 */
export async function verifyCredentials(input: unknown, opts: { ip?: string } = {}): Promise<{ id: string; name: string; email: string; sessionVersion: number }> {
  const parsed = ZSignIn.safeParse(input);
  if (!parsed.success) throw new AppError("unauthorized", "Incorrect email or password");
  const { email, password } = parsed.data;
  const key = `${email}|${opts.ip ?? "-"}`;
  const limit = await isLimited("loginFailure", key);
  if (limit.limited) throw new AppError("rate_limited", "Too many failed sign-in attempts; try again later", undefined, limit.retryAfterSeconds);
  const user = await repo.findUserByEmailWithHash(email);
  // Bot users (apps, Parley's own bot) never sign in, whatever their stored hash.
  const ok = user && !user.isBot ? await verifyPassword(user.passwordHash, password) : (await verifyAgainstDummy(password), false);
  if (!user || !ok) {
    await consume("loginFailure", key, "Too many failed sign-in attempts; try again later").catch(() => undefined);
    throw new AppError("unauthorized", "Incorrect email or password");
  }
  await reset("loginFailure", key);
  return { id: user.id, name: user.name, email: user.email, sessionVersion: user.sessionVersion };
}

/** The signed-in user's own profile. */
export async function getMe({ actor }: { actor: TActor }): Promise<TPublicUser> {
  const user = await repo.findUserById(actor.userId);
  if (!user) throw notFound("User not found");
  return { id: user.id, name: user.name, email: user.email, avatarUrl: user.avatarUrl, isBot: user.isBot };
}

/** Renames the signed-in user. */
export async function updateProfile({ actor, input }: { actor: TActor; input: unknown }): Promise<TPublicUser> {
  const data = ZUpdateProfile.parse(input);
  return repo.updateUserName(actor.userId, data.name);
}

/**
 * Changes the password after checking the current one; every other session ends. Returns the new
 * session version so the caller can refresh its own session.
 */
export async function changePassword({ actor, input }: { actor: TActor; input: unknown }): Promise<{ sessionVersion: number }> {
  const data = ZChangePassword.parse(input);
  await consume("loginFailure", `pw|${actor.userId}`, "Too many attempts; try again later");
  const user = await repo.findUserWithHash(actor.userId);
  if (!user) throw notFound("User not found");
  if (!(await verifyPassword(user.passwordHash, data.currentPassword))) {
    throw new AppError("validation_failed", "currentPassword: is incorrect", [{ path: "currentPassword", message: "is incorrect" }]);
  }
  await reset("loginFailure", `pw|${actor.userId}`);
  const updated = await repo.updateUserPassword(actor.userId, await hashPassword(data.newPassword));
  publish({ kind: "user.sessionsEnded", userId: actor.userId, reason: "password_changed" });
  return { sessionVersion: updated.sessionVersion };
}

/** Ends every session of a user (deactivation, "sign out everywhere"). */
export async function endAllSessions(userId: string, reason: string): Promise<void> {
  await repo.bumpSessionVersion(userId);
  publish({ kind: "user.sessionsEnded", userId, reason });
}

/** Whether a session token is still current for its user. */
export async function isSessionCurrent(userId: string, sessionVersion: number): Promise<boolean> {
  return (await repo.findSessionVersion(userId)) === sessionVersion;
}
