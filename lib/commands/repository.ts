/** Prisma access for slash commands and what the built-in commands change. No business rules here. */
import { getDb, type Prisma } from "@/lib/db";

const commandSelect = {
  id: true,
  workspaceId: true,
  botId: true,
  command: true,
  url: true,
  description: true,
  usageHint: true,
  bot: { select: { id: true, userId: true, signingSecret: true, deactivatedAt: true, user: { select: { name: true } } } },
} satisfies Prisma.SlashCommandSelect;

export type TCommandRow = Prisma.SlashCommandGetPayload<{ select: typeof commandSelect }>;

/** A bot of this workspace (for registering its commands). */
export function findBot(workspaceId: string, botId: string) {
  return getDb().bot.findFirst({ where: { id: botId, workspaceId }, select: { id: true, userId: true, deactivatedAt: true } });
}

export function listCommands(workspaceId: string) {
  return getDb().slashCommand.findMany({ where: { workspaceId }, select: commandSelect, orderBy: { command: "asc" }, take: 1000 });
}

export function findCommandByName(workspaceId: string, command: string) {
  return getDb().slashCommand.findUnique({ where: { workspaceId_command: { workspaceId, command } }, select: commandSelect });
}

export function findCommandById(workspaceId: string, id: string) {
  return getDb().slashCommand.findFirst({ where: { id, workspaceId }, select: commandSelect });
}

export function insertCommand(data: { workspaceId: string; botId: string; command: string; url: string; description: string; usageHint: string }) {
  return getDb().slashCommand.create({ data, select: commandSelect });
}

export function updateCommand(id: string, data: { command?: string; url?: string; description?: string; usageHint?: string }) {
  return getDb().slashCommand.update({ where: { id }, data, select: commandSelect });
}

export function deleteCommand(id: string) {
  return getDb().slashCommand.delete({ where: { id }, select: { id: true } });
}

export function findWorkspace(workspaceId: string) {
  return getDb().workspace.findUnique({ where: { id: workspaceId }, select: { id: true, slug: true, name: true } });
}

/** Active members with what `/invite @name` matches on. */
export async function listActiveMembers(workspaceId: string) {
  const rows = await getDb().workspaceMember.findMany({
    where: { workspaceId, status: "ACTIVE" },
    select: { user: { select: { id: true, name: true, email: true, isBot: true } } },
    take: 10_000,
  });
  return rows.map((r) => r.user);
}

/** Flips the member's mute flag; the new value, or null when not a member. */
export async function toggleMuted(channelId: string, userId: string): Promise<boolean | null> {
  const rows = await getDb().$queryRaw<{ muted: boolean }[]>`
    UPDATE "ChannelMember" SET muted = NOT muted WHERE "channelId" = ${channelId} AND "userId" = ${userId} RETURNING muted`;
  return rows[0] ? rows[0].muted : null;
}

export function findUserStatus(userId: string) {
  return getDb().user.findUnique({ where: { id: userId }, select: { name: true, statusText: true, statusEmoji: true, statusExpiresAt: true } });
}

export function updateUserStatus(userId: string, data: { statusText: string; statusEmoji: string; statusExpiresAt: Date | null }) {
  return getDb().user.update({ where: { id: userId }, data, select: { statusText: true, statusEmoji: true } });
}

/** A bot with what replying as it needs. */
export function findBotById(botId: string) {
  return getDb().bot.findUnique({ where: { id: botId }, select: { id: true, workspaceId: true, userId: true, deactivatedAt: true, user: { select: { name: true, avatarUrl: true } } } });
}
