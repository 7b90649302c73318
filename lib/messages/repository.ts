import { getDb, type Prisma } from "@/lib/db";
import type { TMessage, TReactionSummary } from "@/lib/messages/schema";

/** The message's own columns, without relations. */
export const messageScalarSelect = {
  id: true,
  channelId: true,
  seq: true,
  clientMsgId: true,
  body: true,
  subtype: true,
  threadRootId: true,
  replyCount: true,
  editedAt: true,
  deletedAt: true,
  createdAt: true,
  senderId: true,
} satisfies Prisma.MessageSelect;

export const senderSelect = { id: true, name: true, avatarUrl: true, isBot: true } satisfies Prisma.UserSelect;

export const messageSelect = {
  ...messageScalarSelect,
  sender: { select: senderSelect },
  reactions: { select: { emoji: true, userId: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.MessageSelect;

/** The sender fields a message carries. */
export async function findSender(userId: string) {
  const sender = await getDb().user.findUnique({ where: { id: userId }, select: senderSelect });
  if (!sender) throw new Error(`user ${userId} vanished`);
  return sender;
}

type TMessageRow = Prisma.MessageGetPayload<{ select: typeof messageSelect }>;
type TTx = Prisma.TransactionClient;

/** The wire shape of a message; a deleted message keeps its place but loses its content. */
export function toMessage(m: TMessageRow): TMessage {
  const reactions = new Map<string, TReactionSummary>();
  for (const r of m.reactions) {
    const s = reactions.get(r.emoji) ?? { emoji: r.emoji, count: 0, userIds: [] };
    s.count++;
    s.userIds.push(r.userId);
    reactions.set(r.emoji, s);
  }
  return {
    id: m.id,
    channelId: m.channelId,
    seq: m.seq,
    sender: m.sender,
    clientMsgId: m.clientMsgId,
    body: m.deletedAt ? "" : m.body,
    subtype: m.subtype,
    threadRootId: m.threadRootId,
    replyCount: m.replyCount,
    reactions: m.deletedAt ? [] : [...reactions.values()],
    editedAt: m.editedAt?.toISOString() ?? null,
    deletedAt: m.deletedAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}

/** Takes the channel's next seq under its row lock; the lock is held until the transaction ends. */
export async function nextSeq(tx: TTx, channelId: string, touchLastMessage: boolean): Promise<number> {
  const rows = touchLastMessage
    ? await tx.$queryRaw<{ lastSeq: number }[]>`UPDATE "Channel" SET "lastSeq" = "lastSeq" + 1, "lastMessageAt" = now() WHERE id = ${channelId} RETURNING "lastSeq"`
    : await tx.$queryRaw<{ lastSeq: number }[]>`UPDATE "Channel" SET "lastSeq" = "lastSeq" + 1 WHERE id = ${channelId} RETURNING "lastSeq"`;
  if (!rows[0]) throw new Error(`channel ${channelId} vanished`);
  return Number(rows[0].lastSeq);
}

/** Runs `fn` in one database transaction. */
export function transaction<T>(fn: (tx: TTx) => Promise<T>): Promise<T> {
  return getDb().$transaction(fn);
}

export function insertMessage(tx: TTx, data: { channelId: string; seq: number; senderId: string; clientMsgId: string | null; body: string; threadRootId: string | null }) {
  return tx.message.create({ data, select: messageScalarSelect });
}

/** Applies a change unless the message was deleted meanwhile; false when it was. */
export async function updateMessageIfNotDeleted(tx: TTx, id: string, data: Prisma.MessageUpdateManyMutationInput): Promise<boolean> {
  const res = await tx.message.updateMany({ where: { id, deletedAt: null }, data });
  return res.count === 1;
}

export function incrementReplyCount(tx: TTx, id: string) {
  return tx.message.update({ where: { id }, data: { replyCount: { increment: 1 } }, select: { id: true } });
}

export function deleteReactions(tx: TTx, messageId: string) {
  return tx.reaction.deleteMany({ where: { messageId } });
}

/** The message as the transaction sees it. */
export function findMessageInTx(tx: TTx, id: string) {
  return tx.message.findUniqueOrThrow({ where: { id }, select: messageSelect });
}

/** Moves a member's read position forward only (senders have read their own message). */
export function advanceReadPosition(tx: TTx, channelId: string, userId: string, seq: number) {
  return tx.channelMember.updateMany({ where: { channelId, userId, lastReadSeq: { lt: seq } }, data: { lastReadSeq: seq } });
}

export function insertEvent(tx: TTx, data: { channelId: string; seq: number; type: string; messageId: string }) {
  return tx.channelEvent.create({ data, select: { seq: true } });
}

export async function findMessageBySenderClientId(senderId: string, clientMsgId: string): Promise<TMessageRow | null> {
  return getDb().message.findUnique({ where: { senderId_clientMsgId: { senderId, clientMsgId } }, select: messageSelect });
}

export function findMessageById(id: string) {
  return getDb().message.findUnique({ where: { id }, select: messageSelect });
}

/** One page of top-level history, newest first, by seq cursor (no OFFSET). */
export function listHistory(channelId: string, before: number | undefined, take: number) {
  return getDb().message.findMany({
    where: { channelId, threadRootId: null, deletedAt: null, ...(before ? { seq: { lt: before } } : {}) },
    select: messageSelect,
    orderBy: { seq: "desc" },
    take,
  });
}

/** Changes after `after`, oldest first, each with its message's current state. */
export function listEventsAfter(channelId: string, after: number, take: number) {
  return getDb().channelEvent.findMany({
    where: { channelId, seq: { gt: after } },
    select: { seq: true, type: true, messageId: true },
    orderBy: { seq: "asc" },
    take,
  });
}

export function findMessagesByIds(ids: string[]) {
  return getDb().message.findMany({ where: { id: { in: ids } }, select: messageSelect });
}

export type { TMessageRow, TTx };
