/**
 * Bots: app users a workspace admin creates. Each acts through its own bot user (a member of the
 * workspace, of only the channels it is invited to or joins), with xoxb- tokens and a signing secret
 * for the requests Parley sends it (events, slash commands).
 */
import { randomBytes } from "node:crypto";
import { notFound } from "@/lib/errors";
import { audit } from "@/lib/integrations/audit";
import * as repo from "@/lib/integrations/repository";
import { DEFAULT_BOT_SCOPES, ZCreateBot, ZUpdateBot, type TApiToken, type TBot } from "@/lib/integrations/schema";
import { issueToken, toApiToken } from "@/lib/integrations/tokens";
import { assertCan } from "@/lib/permissions";
import { publish } from "@/lib/realtime/bus";
import type { TActor } from "@/lib/users/service";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

type TBotRow = Awaited<ReturnType<typeof repo.listBots>>[number];

export function toBot(b: TBotRow): TBot {
  return {
    id: b.id,
    workspaceId: b.workspaceId,
    userId: b.userId,
    name: b.user.name,
    avatarUrl: b.user.avatarUrl,
    description: b.description,
    scopes: b.scopes,
    eventsUrl: b.eventsUrl,
    eventsVerifiedAt: b.eventsVerifiedAt?.toISOString() ?? null,
    eventSubscriptions: b.eventSubscriptions,
    eventsDisabledAt: b.eventsDisabledAt?.toISOString() ?? null,
    eventsDisabledReason: b.eventsDisabledReason,
    deactivatedAt: b.deactivatedAt?.toISOString() ?? null,
    createdAt: b.createdAt.toISOString(),
  };
}

/** A bot user: a workspace member nobody can sign in as. Returns its user id. */
export async function insertAppUser(tx: repo.TTx, data: { workspaceId: string; name: string; avatarUrl?: string | null }): Promise<string> {
  const user = await repo.insertBotUser(tx, { name: data.name, avatarUrl: data.avatarUrl ?? null, email: `bot-${randomBytes(8).toString("hex")}@bots.parley.invalid` });
  await repo.insertWorkspaceMember(tx, { workspaceId: data.workspaceId, userId: user.id });
  return user.id;
}

export type TNewBot = { bot: TBot; token: string; signingSecret: string };

/** Creates the bot, its user and its first token; the token and signing secret are returned once. */
export async function createBotIn(workspaceId: string, createdById: string, input: unknown): Promise<TNewBot> {
  const data = ZCreateBot.parse(input);
  const signingSecret = randomBytes(20).toString("hex");
  const { botId, token } = await repo.transaction(async (tx) => {
    const userId = await insertAppUser(tx, { workspaceId, name: data.name, avatarUrl: data.avatarUrl });
    const bot = await repo.insertBot(tx, { workspaceId, userId, description: data.description, scopes: data.scopes ?? DEFAULT_BOT_SCOPES, createdById, signingSecret });
    const issued = await issueToken({ workspaceId, userId, kind: "BOT", name: data.name, scopes: data.scopes ?? DEFAULT_BOT_SCOPES, createdById }, tx);
    return { botId: bot.id, token: issued.token };
  });
  await audit({ workspaceId, actorId: createdById, action: "bot.created", targetType: "bot", targetId: botId });
  publish({ kind: "workspace.updated", workspaceId });
  const bot = await repo.findBot(botId);
  return { bot: toBot(bot!), token, signingSecret };
}

async function adminAccess(actor: TActor, workspaceId: string) {
  const access = await getWorkspaceAccess({ actor, workspaceId });
  assertCan(access.role, "integrations.manage", "Only workspace admins manage integrations");
  return access;
}

/** Loads a bot for an admin of its workspace; 404 otherwise. */
async function getManagedBot(actor: TActor, botId: string) {
  const bot = await repo.findBot(botId);
  if (!bot) throw notFound("Bot not found");
  await adminAccess(actor, bot.workspaceId).catch((err) => {
    throw (err as { code?: string }).code === "forbidden" ? err : notFound("Bot not found");
  });
  return bot;
}

export async function createBot({ actor, slug, input }: { actor: TActor; slug: string; input: unknown }): Promise<TNewBot> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "integrations.manage", "Only workspace admins create bots");
  return createBotIn(workspace.id, actor.userId, input);
}

export async function listBots({ actor, slug }: { actor: TActor; slug: string }): Promise<TBot[]> {
  const { workspace, role } = await getWorkspaceAccess({ actor, slug });
  assertCan(role, "integrations.manage", "Only workspace admins manage integrations");
  return (await repo.listBots(workspace.id)).map(toBot);
}

/** The bot with its signing secret and tokens (never token secrets), for its admins. */
export async function getBot({ actor, botId }: { actor: TActor; botId: string }): Promise<{ bot: TBot; signingSecret: string; tokens: TApiToken[] }> {
  const bot = await getManagedBot(actor, botId);
  const tokens = (await repo.listTokens({ userId: bot.userId, kind: "BOT" })).map(toApiToken);
  return { bot: toBot(bot), signingSecret: bot.signingSecret, tokens };
}

export async function updateBot({ actor, botId, input }: { actor: TActor; botId: string; input: unknown }): Promise<TBot> {
  const data = ZUpdateBot.parse(input);
  const bot = await getManagedBot(actor, botId);
  if (data.name !== undefined || data.avatarUrl !== undefined) await repo.updateUser(bot.userId, { name: data.name, avatarUrl: data.avatarUrl });
  const updated = await repo.updateBot(botId, { description: data.description, scopes: data.scopes });
  if (data.scopes) await setTokenScopes(bot.userId, data.scopes);
  await audit({ workspaceId: bot.workspaceId, actorId: actor.userId, action: "bot.updated", targetType: "bot", targetId: botId, details: { fields: Object.keys(data) } });
  publish({ kind: "workspace.updated", workspaceId: bot.workspaceId });
  return toBot(updated);
}

/** A bot's scopes apply to its live tokens at once, as when a Slack app is reinstalled. */
async function setTokenScopes(userId: string, scopes: string[]): Promise<void> {
  await repo.setTokenScopes({ userId, kind: "BOT", revokedAt: null }, scopes);
}

/** Revokes every token of the bot and issues a new one (shown once). */
export async function rotateBotToken({ actor, botId }: { actor: TActor; botId: string }): Promise<{ token: string; apiToken: TApiToken }> {
  const bot = await getManagedBot(actor, botId);
  const issued = await repo.transaction(async (tx) => {
    await repo.revokeTokens({ userId: bot.userId, kind: "BOT" }, tx);
    return issueToken({ workspaceId: bot.workspaceId, userId: bot.userId, kind: "BOT", name: bot.user.name, scopes: bot.scopes, createdById: actor.userId }, tx);
  });
  await audit({ workspaceId: bot.workspaceId, actorId: actor.userId, action: "bot.token_rotated", targetType: "bot", targetId: botId });
  return issued;
}

/** Turns the bot off: its tokens are revoked and it receives nothing more. */
export async function deactivateBot({ actor, botId }: { actor: TActor; botId: string }): Promise<TBot> {
  const bot = await getManagedBot(actor, botId);
  await repo.revokeTokens({ userId: bot.userId });
  const updated = await repo.updateBot(botId, { deactivatedAt: new Date() });
  await audit({ workspaceId: bot.workspaceId, actorId: actor.userId, action: "bot.deactivated", targetType: "bot", targetId: botId });
  return toBot(updated);
}
