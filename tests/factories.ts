/**
 * Test factories: real users, workspaces, members and channels made through the service layer, with
 * unique emails and slugs so files can share one PostgreSQL database (PARLEY_TEST_PG_URL) without
 * wiping tables. Signing up hashes with argon2id (~50 ms), so tests reuse users within a file.
 */
import { randomBytes } from "node:crypto";
import { expect } from "vitest";
import { ZodError } from "zod";
import * as channels from "@/lib/channels/service";
import type { TChannelView } from "@/lib/channels/schema";
import { AppError, toAppError, type TErrorCode } from "@/lib/errors";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";
import * as messages from "@/lib/messages/service";
import type { TMessage } from "@/lib/messages/schema";
import { reset } from "@/lib/rate-limit";
import type { TPublicUser } from "@/lib/users/schema";
import { signUp, type TActor } from "@/lib/users/service";
import type { TMyWorkspace } from "@/lib/workspaces/schema";
import * as workspaces from "@/lib/workspaces/service";

/** A random lower-case suffix, safe in emails, slugs and channel names. */
export function uniq(prefix = "t"): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}

export const DEFAULT_PASSWORD = "correct horse battery";

export type TTestUser = TPublicUser & { actor: TActor; password: string };

/** Signs up a new person through the accounts service. */
export async function createUser(overrides: { name?: string; email?: string; password?: string } = {}): Promise<TTestUser> {
  const password = overrides.password ?? DEFAULT_PASSWORD;
  const user = await signUp({ name: overrides.name ?? "Test User", email: overrides.email ?? `${uniq("user-")}@example.test`, password });
  return { ...user, actor: { userId: user.id }, password };
}

/** Signs up several people at once. */
export function createUsers(count: number, name = "Test User"): Promise<TTestUser[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => createUser({ name: `${name} ${i + 1}` })));
}

export type TTestWorkspace = TMyWorkspace & { owner: TTestUser; generalId: string };

/** Creates a workspace owned by `owner` (a new user when omitted) and finds its #general. */
export async function createWorkspace(owner?: TTestUser, overrides: { name?: string; slug?: string } = {}): Promise<TTestWorkspace> {
  const theOwner = owner ?? (await createUser({ name: "Owner" }));
  const ws = await workspaces.createWorkspace({ actor: theOwner.actor, input: { name: overrides.name ?? "Test Workspace", slug: overrides.slug ?? uniq("ws-") } });
  const mine = await channels.listMyChannels({ actor: theOwner.actor, slug: ws.slug });
  const general = mine.find((c) => c.isGeneral);
  if (!general) throw new Error("factory: the new workspace has no #general");
  return { ...ws, owner: theOwner, generalId: general.id };
}

/** Puts an existing user in a workspace with a role (the admin CLI's direct path, no invite). */
export async function addMember(ws: { slug: string }, user: TTestUser, role: WorkspaceRole = "MEMBER"): Promise<TTestUser> {
  await workspaces.addMemberDirect({ workspaceSlug: ws.slug, userId: user.id, role });
  return user;
}

/** A new user who is a member of `ws` with `role`. */
export async function createMember(ws: { slug: string }, role: WorkspaceRole = "MEMBER", name = `Test ${role.toLowerCase()}`): Promise<TTestUser> {
  return addMember(ws, await createUser({ name }), role);
}

/** Creates a channel as `creator`; the name is unique unless given. */
export function createChannel(
  ws: { slug: string },
  creator: TTestUser,
  input: { name?: string; kind?: "PUBLIC" | "PRIVATE" | "ANNOUNCEMENT"; memberIds?: string[]; topic?: string } = {},
): Promise<TChannelView> {
  return channels.createChannel({ actor: creator.actor, slug: ws.slug, input: { name: input.name ?? uniq("ch-"), ...input } });
}

/**
 * Lifts the per-user flood limit (60 messages / 10 s) for `user`, for tests that send many messages
 * on purpose: the limit itself is not what they are about.
 */
export async function resetSendLimit(user: TTestUser): Promise<void> {
  await reset("messageSend", user.id);
}

/** Sends `count` messages one after another ("<prefix> 1", "<prefix> 2", ...). */
export async function seedMessages(user: TTestUser, channelId: string, count: number, prefix = "message"): Promise<TMessage[]> {
  const out: TMessage[] = [];
  for (let i = 1; i <= count; i++) {
    if (i % 50 === 1) await resetSendLimit(user);
    out.push(await messages.sendMessage({ actor: user.actor, input: { channelId, body: `${prefix} ${i}` } }));
  }
  return out;
}

/**
 * Awaits a call that must fail and checks the error as the API would answer it (`toAppError`, the
 * one mapper). The service must throw an AppError or a ZodError, never a raw database error.
 */
export async function expectAppError(call: Promise<unknown> | (() => Promise<unknown>), code: TErrorCode | TErrorCode[], message?: RegExp | string): Promise<AppError> {
  let thrown: unknown;
  try {
    await (typeof call === "function" ? call() : call);
  } catch (err) {
    thrown = err;
  }
  expect(thrown, `expected an error with code "${code}", but the call succeeded`).toBeDefined();
  if (!(thrown instanceof AppError || thrown instanceof ZodError)) {
    throw new Error(`expected an AppError or ZodError with code "${code}", got a raw error: ${String((thrown as Error)?.stack ?? thrown)}`);
  }
  const e = toAppError(thrown);
  const codes = Array.isArray(code) ? code : [code];
  expect(codes, `got ${e.code}: ${e.message}`).toContain(e.code);
  if (message !== undefined) expect(e.message).toMatch(message);
  return e;
}
