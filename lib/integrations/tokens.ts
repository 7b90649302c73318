/**
 * Web API tokens (Slack's xoxb- bot tokens and xoxp- user tokens). The secret is shown once; only
 * its SHA-256 is stored. A token acts as its user, confined to its workspace and its scopes.
 */
import { randomBytes } from "node:crypto";
import { AppError, notFound } from "@/lib/errors";
import type { TokenKind } from "@/lib/generated/prisma/enums";
import { audit } from "@/lib/integrations/audit";
import * as repo from "@/lib/integrations/repository";
import { ALL_SCOPES, ZCreateUserToken, type TApiToken } from "@/lib/integrations/schema";
import { assertCan, can } from "@/lib/permissions";
import { hashSecret } from "@/lib/secrets";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

/** A new random secret with Slack's prefix for its kind. */
function newTokenSecret(kind: TokenKind): string {
  return `${kind === "BOT" ? "xoxb" : "xoxp"}-${randomBytes(30).toString("base64url")}`;
}

export function toApiToken(t: Awaited<ReturnType<typeof repo.listTokens>>[number]): TApiToken {
  return { ...t, lastUsedAt: t.lastUsedAt?.toISOString() ?? null, revokedAt: t.revokedAt?.toISOString() ?? null, createdAt: t.createdAt.toISOString() };
}

/** Issues a token (inside `tx` when given) and returns it with its one-time secret. */
export async function issueToken(
  data: { workspaceId: string; userId: string; kind: TokenKind; name: string; scopes: string[]; createdById: string },
  tx?: repo.TTx,
): Promise<{ token: string; apiToken: TApiToken }> {
  const token = newTokenSecret(data.kind);
  const row = await repo.insertToken(tx, { ...data, tokenHash: hashSecret(token), hint: token.slice(-4) });
  return { token, apiToken: toApiToken(row) };
}

/** Why a token was refused, in Slack's words. */
export type TAuthFailure = "not_authed" | "invalid_auth" | "token_revoked" | "account_inactive";

export type TAuthenticated = {
  actor: Required<Pick<TActor, "userId" | "workspaceId" | "tokenId">>;
  kind: TokenKind;
  scopes: string[];
  botId: string | null;
};

function refuse(reason: TAuthFailure): AppError {
  return new AppError("unauthorized", reason === "not_authed" ? "No token given" : "The token is not valid", { reason });
}

const touchedAt = new Map<string, number>();

/** Resolves a raw token to the actor it speaks for; throws `unauthorized` with details.reason. */
export async function authenticateToken(raw: string | null | undefined): Promise<TAuthenticated> {
  if (!raw) throw refuse("not_authed");
  if (!/^xox[bp]-[A-Za-z0-9_-]{20,80}$/.test(raw)) throw refuse("invalid_auth");
  const t = await repo.findTokenByHash(hashSecret(raw));
  if (!t) throw refuse("invalid_auth");
  if (t.revokedAt) throw refuse("token_revoked");
  if (t.user.bot?.deactivatedAt) throw refuse("token_revoked");
  const membership = t.user.memberships.find((m) => m.workspaceId === t.workspaceId);
  if (!membership || membership.status !== "ACTIVE") throw refuse("account_inactive");
  // Last-used is for people auditing their tokens; once a minute is precise enough and spares a write per call.
  const now = Date.now();
  if ((touchedAt.get(t.id) ?? 0) < now - 60_000) {
    touchedAt.set(t.id, now);
    void repo.touchToken(t.id).catch(() => undefined);
  }
  return { actor: { userId: t.userId, workspaceId: t.workspaceId, tokenId: t.id }, kind: t.kind, scopes: t.scopes, botId: t.user.bot?.id ?? null };
}

/** A personal token acting as the caller, with exactly their rights (Profile → API tokens). */
export async function createUserToken({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<{ token: string; apiToken: TApiToken }> {
  const data = ZCreateUserToken.parse(input);
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "tokens.create_personal");
  const issued = await issueToken({ workspaceId: workspace.id, userId: actor.userId, kind: "USER", name: data.name, scopes: data.scopes ?? [...ALL_SCOPES], createdById: actor.userId });
  await audit({ workspaceId: workspace.id, actorId: actor.userId, action: "token.created", targetType: "token", targetId: issued.apiToken.id });
  return issued;
}

/** Your personal tokens in a workspace (never their secrets). */
export async function listMyTokens({ actor, slug }: { actor: TActor; slug: string }): Promise<TApiToken[]> {
  const { workspace } = await getWorkspaceAccess({ actor, slug });
  return (await repo.listTokens({ workspaceId: workspace.id, userId: actor.userId, kind: "USER" })).map(toApiToken);
}

/** Revokes a token: your own personal ones; admins any in their workspace. */
export async function revokeToken({ actor, tokenId }: { actor: TActor; tokenId: string }): Promise<TApiToken> {
  const t = await repo.findToken(tokenId);
  if (!t) throw notFound("Token not found");
  const { role } = await getWorkspaceAccess({ actor, workspaceId: t.workspaceId }).catch(() => {
    throw notFound("Token not found");
  });
  if (t.userId !== actor.userId && !can(role, "integrations.manage")) throw notFound("Token not found");
  await repo.revokeTokens({ id: tokenId });
  await audit({ workspaceId: t.workspaceId, actorId: actor.userId, action: "token.revoked", targetType: "token", targetId: tokenId });
  const [updated] = await repo.listTokens({ id: tokenId });
  return toApiToken(updated!);
}
