import { getDb, runHotQuery, type Prisma } from "@/lib/db";

export const publicUserSelect = { id: true, name: true, email: true, avatarUrl: true, isBot: true } satisfies Prisma.UserSelect;

export function findUserByEmailWithHash(email: string) {
  return getDb().user.findUnique({ where: { email }, select: { id: true, name: true, email: true, passwordHash: true, sessionVersion: true, isBot: true } });
}

export function findUserWithHash(id: string) {
  return getDb().user.findUnique({ where: { id }, select: { id: true, passwordHash: true, sessionVersion: true } });
}

export function findUserById(id: string) {
  return getDb().user.findUnique({ where: { id }, select: { ...publicUserSelect, sessionVersion: true, createdAt: true } });
}

/**
 * A user's current sessionVersion (null: no such user), checked on every request: one prepared
 * statement, past Prisma's query engine, whose work was most of this read.
 */
export async function findSessionVersion(id: string): Promise<number | null> {
  const rows = await runHotQuery<{ sessionVersion: number }>("session_version", `SELECT "sessionVersion" FROM "User" WHERE id = $1`, [id], "main");
  return rows[0]?.sessionVersion ?? null;
}

export function findUserByEmail(email: string) {
  return getDb().user.findUnique({ where: { email }, select: publicUserSelect });
}

export function insertUser(data: { email: string; name: string; passwordHash: string }) {
  return getDb().user.create({ data, select: publicUserSelect });
}

export function updateUserName(id: string, name: string) {
  return getDb().user.update({ where: { id }, data: { name }, select: publicUserSelect });
}

export function updateUserPassword(id: string, passwordHash: string) {
  return getDb().user.update({ where: { id }, data: { passwordHash, sessionVersion: { increment: 1 } }, select: { id: true, sessionVersion: true } });
}

export function bumpSessionVersion(id: string) {
  return getDb().user.update({ where: { id }, data: { sessionVersion: { increment: 1 } }, select: { id: true, sessionVersion: true } });
}
