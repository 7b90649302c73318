import { getDb, type Prisma } from "@/lib/db";
import type { TokenKind } from "@/lib/generated/prisma/enums";

export type TTx = Prisma.TransactionClient;

export const botSelect = {
  id: true,
  workspaceId: true,
  userId: true,
  description: true,
  scopes: true,
  eventsUrl: true,
  eventsVerifiedAt: true,
  eventSubscriptions: true,
  eventsDisabledAt: true,
  eventsDisabledReason: true,
  deactivatedAt: true,
  createdAt: true,
  user: { select: { name: true, avatarUrl: true } },
} satisfies Prisma.BotSelect;

export const tokenSelect = { id: true, kind: true, name: true, hint: true, scopes: true, userId: true, lastUsedAt: true, revokedAt: true, createdAt: true } satisfies Prisma.ApiTokenSelect;

export const webhookSelect = { id: true, channelId: true, name: true, userId: true, createdAt: true, lastUsedAt: true, revokedAt: true } satisfies Prisma.IncomingWebhookSelect;

export function transaction<T>(fn: (tx: TTx) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn);
}

/** A user that only apps act through; it cannot sign in (no usable password). */
export function insertBotUser(tx: TTx, data: { name: string; email: string; avatarUrl?: string | null }) {
  return tx.user.create({ data: { ...data, passwordHash: "!", isBot: true }, select: { id: true } });
}

export function insertBot(tx: TTx, data: { workspaceId: string; userId: string; description: string; scopes: string[]; createdById: string; signingSecret: string }) {
  return tx.bot.create({ data, select: { id: true } });
}

export function insertToken(
  tx: TTx | undefined,
  data: { workspaceId: string; userId: string; kind: TokenKind; name: string; tokenHash: string; hint: string; scopes: string[]; createdById: string },
) {
  return (tx ?? getDb()).apiToken.create({ data, select: tokenSelect });
}

export function findBot(id: string) {
  return getDb().bot.findUnique({ where: { id }, select: { ...botSelect, signingSecret: true } });
}

export function findBotByUserId(userId: string) {
  return getDb().bot.findUnique({ where: { userId }, select: botSelect });
}

export function listBots(workspaceId: string) {
  return getDb().bot.findMany({ where: { workspaceId }, select: botSelect, orderBy: { createdAt: "asc" } });
}

export function updateBot(id: string, data: Prisma.BotUpdateInput) {
  return getDb().bot.update({ where: { id }, data, select: botSelect });
}

export function updateUser(id: string, data: { name?: string; avatarUrl?: string | null }) {
  return getDb().user.update({ where: { id }, data, select: { id: true } });
}

/** The token with what authentication needs: the member's standing and the bot, if any. */
export function findTokenByHash(tokenHash: string) {
  return getDb().apiToken.findUnique({
    where: { tokenHash },
    select: {
      ...tokenSelect,
      workspaceId: true,
      user: {
        select: {
          isBot: true,
          bot: { select: { id: true, deactivatedAt: true, workspaceId: true } },
          memberships: { select: { workspaceId: true, status: true } },
        },
      },
    },
  });
}

export function touchToken(id: string) {
  return getDb().apiToken.update({ where: { id }, data: { lastUsedAt: new Date() }, select: { id: true } });
}

export function findToken(id: string) {
  return getDb().apiToken.findUnique({ where: { id }, select: { ...tokenSelect, workspaceId: true } });
}

export function listTokens(where: Prisma.ApiTokenWhereInput) {
  return getDb().apiToken.findMany({ where, select: tokenSelect, orderBy: { createdAt: "desc" } });
}

export function revokeTokens(where: Prisma.ApiTokenWhereInput, tx?: TTx) {
  return (tx ?? getDb()).apiToken.updateMany({ where: { ...where, revokedAt: null }, data: { revokedAt: new Date() } });
}

export function setTokenScopes(where: Prisma.ApiTokenWhereInput, scopes: string[]) {
  return getDb().apiToken.updateMany({ where, data: { scopes } });
}

export function insertWebhook(tx: TTx, data: { workspaceId: string; channelId: string; userId: string; name: string; secretHash: string; createdById: string }) {
  return tx.incomingWebhook.create({ data, select: webhookSelect });
}

export function findWebhook(id: string) {
  return getDb().incomingWebhook.findUnique({ where: { id }, select: { ...webhookSelect, workspaceId: true, secretHash: true } });
}

export function listWebhooks(workspaceId: string) {
  return getDb().incomingWebhook.findMany({ where: { workspaceId }, select: webhookSelect, orderBy: { createdAt: "desc" } });
}

export function updateWebhook(id: string, data: Prisma.IncomingWebhookUpdateInput) {
  return getDb().incomingWebhook.update({ where: { id }, data, select: webhookSelect });
}

export function insertChannelMember(tx: TTx, data: { channelId: string; userId: string; isPoster: boolean }) {
  return tx.channelMember.upsert({
    where: { channelId_userId: { channelId: data.channelId, userId: data.userId } },
    create: data,
    update: { isPoster: data.isPoster },
    select: { id: true },
  });
}

export function insertWorkspaceMember(tx: TTx, data: { workspaceId: string; userId: string }) {
  return tx.workspaceMember.create({ data: { ...data, role: "MEMBER" }, select: { id: true } });
}

export function insertAudit(data: Prisma.AuditLogUncheckedCreateInput) {
  return getDb().auditLog.create({ data, select: { id: true } });
}

export function listAudit(workspaceId: string, take: number, before?: Date) {
  return getDb().auditLog.findMany({
    where: { workspaceId, ...(before ? { createdAt: { lt: before } } : {}) },
    orderBy: { createdAt: "desc" },
    take,
  });
}

/** The longest-standing active owner: operator actions from the CLI are recorded in their name. */
export async function findFirstOwnerId(workspaceId: string): Promise<string | null> {
  const row = await getDb().workspaceMember.findFirst({ where: { workspaceId, role: "OWNER", status: "ACTIVE" }, orderBy: { joinedAt: "asc" }, select: { userId: true } });
  return row?.userId ?? null;
}

export async function isActiveMember(workspaceId: string, userId: string): Promise<boolean> {
  const m = await getDb().workspaceMember.findUnique({ where: { workspaceId_userId: { workspaceId, userId } }, select: { status: true } });
  return m?.status === "ACTIVE";
}
