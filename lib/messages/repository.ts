import { canPostSql } from "@/lib/channels/access";
import { dateFromEpochMs, epochMsSql, getDb, runHotQuery } from "@/lib/db";
import { Prisma } from "@/lib/generated/prisma/client";
import type { TMarkup, TMessage, TReactionSummary } from "@/lib/messages/schema";
import { formatTs } from "@/lib/messages/ts";
import { toTsvectorText } from "@/lib/search/tokenize";

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
  ts: true,
  broadcast: true,
  markup: true,
  blocks: true,
  attachments: true,
  overrideName: true,
  overrideIcon: true,
  pinnedAt: true,
  pinnedById: true,
  editedAt: true,
  deletedAt: true,
  createdAt: true,
  senderId: true,
} satisfies Prisma.MessageSelect;

export const senderSelect = { id: true, name: true, avatarUrl: true, isBot: true, bot: { select: { id: true } } } satisfies Prisma.UserSelect;

export const messageSelect = {
  ...messageScalarSelect,
  sender: { select: senderSelect },
  threadRoot: { select: { ts: true } },
  reactions: { select: { emoji: true, userId: true }, orderBy: { createdAt: "asc" } },
} satisfies Prisma.MessageSelect;

/** The sender fields a message carries; null for an unknown user. */
export function findSender(userId: string) {
  return getDb().user.findUnique({ where: { id: userId }, select: senderSelect });
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
    ts: formatTs(m.ts),
    sender: { id: m.sender.id, name: m.sender.name, avatarUrl: m.sender.avatarUrl, isBot: m.sender.isBot, botId: m.sender.bot?.id ?? null },
    clientMsgId: m.clientMsgId,
    body: m.deletedAt ? "" : m.body,
    markup: m.markup as TMarkup,
    blocks: m.deletedAt ? null : ((m.blocks as unknown[] | null) ?? null),
    attachments: m.deletedAt ? null : ((m.attachments as unknown[] | null) ?? null),
    overrideName: m.overrideName,
    overrideIcon: m.overrideIcon,
    subtype: m.subtype,
    threadRootId: m.threadRootId,
    threadTs: m.threadRoot ? formatTs(m.threadRoot.ts) : null,
    replyCount: m.replyCount,
    broadcast: m.broadcast,
    pinnedAt: m.pinnedAt?.toISOString() ?? null,
    pinnedById: m.pinnedById,
    reactions: m.deletedAt ? [] : [...reactions.values()],
    editedAt: m.editedAt?.toISOString() ?? null,
    deletedAt: m.deletedAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
  };
}

/**
 * For a new message: takes the channel's next seq and a `ts` (microseconds, now or just past the
 * previous one, so ts is unique and increasing per channel) under the channel row lock.
 */
export async function nextMessageSeq(tx: TTx, channelId: string, touchLastMessage: boolean): Promise<{ seq: number; ts: bigint }> {
  const rows = touchLastMessage
    ? await tx.$queryRaw<{ lastSeq: number; lastTs: bigint }[]>`UPDATE "Channel" SET "lastSeq" = "lastSeq" + 1, "lastTs" = GREATEST("lastTs" + 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint), "lastMessageAt" = now() WHERE id = ${channelId} RETURNING "lastSeq", "lastTs"`
    : await tx.$queryRaw<{ lastSeq: number; lastTs: bigint }[]>`UPDATE "Channel" SET "lastSeq" = "lastSeq" + 1, "lastTs" = GREATEST("lastTs" + 1, (extract(epoch from clock_timestamp()) * 1000000)::bigint) WHERE id = ${channelId} RETURNING "lastSeq", "lastTs"`;
  if (!rows[0]) throw new Error(`channel ${channelId} vanished`);
  return { seq: Number(rows[0].lastSeq), ts: BigInt(rows[0].lastTs) };
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

/** A JSON column value: the array, or SQL NULL to clear it. */
export function jsonOrNull(value: unknown[] | null | undefined): Prisma.InputJsonValue | typeof Prisma.DbNull {
  return value?.length ? (value as Prisma.InputJsonValue) : Prisma.DbNull;
}

export type TMessageExtras = {
  markup?: TMarkup;
  blocks?: unknown[] | null;
  attachments?: unknown[] | null;
  overrideName?: string | null;
  overrideIcon?: string | null;
  subtype?: string | null;
  broadcast?: boolean;
};

export function insertMessage(
  tx: TTx,
  data: { channelId: string; seq: number; ts: bigint; senderId: string; clientMsgId: string | null; body: string; threadRootId: string | null } & TMessageExtras,
) {
  const { blocks, attachments, ...rest } = data;
  return tx.message.create({
    data: { ...rest, blocks: (blocks ?? undefined) as Prisma.InputJsonValue | undefined, attachments: (attachments ?? undefined) as Prisma.InputJsonValue | undefined },
    select: messageScalarSelect,
  });
}

/** Applies a change unless the message was deleted meanwhile; false when it was. */
export async function updateMessageIfNotDeleted(tx: TTx, id: string, data: Prisma.MessageUpdateManyMutationInput): Promise<boolean> {
  const res = await tx.message.updateMany({ where: { id, deletedAt: null }, data });
  return res.count === 1;
}

export function incrementReplyCount(tx: TTx, id: string) {
  return tx.message.update({ where: { id }, data: { replyCount: { increment: 1 } }, select: { id: true } });
}

/** A reply was deleted: one fewer on its root (never below zero). */
export function decrementReplyCount(tx: TTx, id: string) {
  return tx.message.updateMany({ where: { id, replyCount: { gt: 0 } }, data: { replyCount: { decrement: 1 } } });
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

/** A message by id, deleted or not (one prepared statement: edits, reactions, pins and threads start here). */
export async function findMessageById(id: string): Promise<TMessageRow | null> {
  const rows = await runHotQuery<TMessageSqlRow>("message_by_id", MESSAGE_BY_ID, [id], "main");
  return rows[0] ? fromMessageSql(rows[0]) : null;
}

/** A message by its conversation and ts (unique together: Slack's message id). */
export function findMessageByTs(channelId: string, ts: bigint) {
  return getDb().message.findUnique({ where: { channelId_ts: { channelId, ts } }, select: messageSelect });
}

/** Messages the channel's history shows: not deleted, and not a thread reply unless also sent to the channel. */
export const SHOWN_IN_CHANNEL = { OR: [{ threadRootId: null }, { broadcast: true }], deletedAt: null } satisfies Prisma.MessageWhereInput;

/** A message row as messagesStatement reads it: dates as epoch milliseconds, JSON as text, ts as text. */
type TMessageSqlRow = {
  id: string;
  channelId: string;
  seq: number;
  clientMsgId: string | null;
  body: string;
  subtype: string | null;
  threadRootId: string | null;
  replyCount: number;
  ts: string;
  broadcast: boolean;
  markup: string;
  blocks: string | null;
  attachments: string | null;
  overrideName: string | null;
  overrideIcon: string | null;
  pinnedAt: number | null;
  pinnedById: string | null;
  editedAt: number | null;
  deletedAt: number | null;
  createdAt: number;
  senderId: string;
  senderName: string;
  senderAvatarUrl: string | null;
  senderIsBot: boolean;
  senderBotId: string | null;
  threadRootTs: string | null;
  emojis: string[] | null;
  reactors: string[] | null;
};

/**
 * Messages in ONE statement: what messageSelect reads through Prisma (the message, its sender and
 * bot, its thread root's ts, its reactions in the order given; the id breaks ties, so the two
 * aggregates pair each emoji with its person), for the messages `where` picks. Through Prisma a
 * history page cost ~3.5 ms of round trips and query interpretation, in SQL ~1 ms
 * (docs/performance.md, History, 2026-11-26 22:17). Every lookup is by key.
 */
function messagesStatement(where: string, orderAndLimit = ""): string {
  return `
    SELECT m.id, m."channelId", m.seq, m."clientMsgId", m.body, m.subtype, m."threadRootId", m."replyCount", m.ts::text AS ts,
           m.broadcast, m.markup, m.blocks::text AS blocks, m.attachments::text AS attachments, m."overrideName", m."overrideIcon",
           ${epochMsSql("m", "pinnedAt")}, m."pinnedById", ${epochMsSql("m", "editedAt")}, ${epochMsSql("m", "deletedAt")},
           ${epochMsSql("m", "createdAt")}, m."senderId",
           u.name AS "senderName", u."avatarUrl" AS "senderAvatarUrl", u."isBot" AS "senderIsBot", b.id AS "senderBotId",
           r.ts::text AS "threadRootTs", x.emojis, x.reactors
    FROM "Message" m
    LEFT JOIN LATERAL (SELECT name, "avatarUrl", "isBot" FROM "User" WHERE id = m."senderId" LIMIT 1) u ON true
    LEFT JOIN LATERAL (SELECT id FROM "Bot" WHERE "userId" = m."senderId" LIMIT 1) b ON true
    LEFT JOIN LATERAL (SELECT ts FROM "Message" WHERE id = m."threadRootId" LIMIT 1) r ON true
    LEFT JOIN LATERAL (
      SELECT array_agg(emoji ORDER BY "createdAt", id) AS emojis, array_agg("userId" ORDER BY "createdAt", id) AS reactors FROM "Reaction" WHERE "messageId" = m.id
    ) x ON true
    WHERE ${where}
    ${orderAndLimit}`;
}

/** SHOWN_IN_CHANNEL as SQL. */
const SHOWN_IN_CHANNEL_SQL = `m."deletedAt" IS NULL AND (m."threadRootId" IS NULL OR m.broadcast)`;
const HISTORY_BEFORE = messagesStatement(`m."channelId" = $1 AND ${SHOWN_IN_CHANNEL_SQL} AND m.seq < $2`, "ORDER BY m.seq DESC LIMIT $3");
const HISTORY_AFTER = messagesStatement(`m."channelId" = $1 AND ${SHOWN_IN_CHANNEL_SQL} AND m.seq > $2`, "ORDER BY m.seq ASC LIMIT $3");
const THREAD_REPLIES = messagesStatement(`m."threadRootId" = $1 AND m."deletedAt" IS NULL AND m.seq > $2`, "ORDER BY m.seq ASC LIMIT $3");
const MESSAGE_BY_ID = messagesStatement("m.id = $1");

function fromMessageSql(r: TMessageSqlRow): TMessageRow {
  return {
    id: r.id,
    channelId: r.channelId,
    seq: Number(r.seq),
    clientMsgId: r.clientMsgId,
    body: r.body,
    subtype: r.subtype,
    threadRootId: r.threadRootId,
    replyCount: Number(r.replyCount),
    ts: BigInt(r.ts),
    broadcast: r.broadcast,
    markup: r.markup,
    blocks: r.blocks === null ? null : JSON.parse(r.blocks),
    attachments: r.attachments === null ? null : JSON.parse(r.attachments),
    overrideName: r.overrideName,
    overrideIcon: r.overrideIcon,
    pinnedAt: dateFromEpochMs(r.pinnedAt),
    pinnedById: r.pinnedById,
    editedAt: dateFromEpochMs(r.editedAt),
    deletedAt: dateFromEpochMs(r.deletedAt),
    createdAt: dateFromEpochMs(r.createdAt),
    senderId: r.senderId,
    sender: { id: r.senderId, name: r.senderName, avatarUrl: r.senderAvatarUrl, isBot: r.senderIsBot, bot: r.senderBotId ? { id: r.senderBotId } : null },
    threadRoot: r.threadRootTs === null ? null : { ts: BigInt(r.threadRootTs) },
    reactions: (r.emojis ?? []).map((emoji, i) => ({ emoji, userId: r.reactors![i]! })),
  };
}

/** One page of channel history (top-level messages and broadcast replies), newest first, by seq cursor (no OFFSET). */
export async function listHistory(channelId: string, before: number | undefined, take: number): Promise<TMessageRow[]> {
  const rows = await runHotQuery<TMessageSqlRow>("history_before", HISTORY_BEFORE, [channelId, before || 2 ** 31 - 1, take], "main");
  return rows.map(fromMessageSql);
}

/** The conversation's top-level messages after `after`, oldest first (scrolling down from an earlier window). */
export async function listHistoryAfter(channelId: string, after: number, take: number): Promise<TMessageRow[]> {
  const rows = await runHotQuery<TMessageSqlRow>("history_after", HISTORY_AFTER, [channelId, after, take], "main");
  return rows.map(fromMessageSql);
}

/** Whether the conversation shows any message before `seq`. */
export async function hasHistoryBefore(channelId: string, seq: number): Promise<boolean> {
  const row = await getDb().message.findFirst({ where: { channelId, ...SHOWN_IN_CHANNEL, seq: { lt: seq } }, select: { id: true } });
  return !!row;
}

/**
 * Changes after `after`, oldest first: the conversation's change log, the "ChannelChange" view (its
 * messages, each created at its seq, and the ChannelEvent rows of later changes).
 */
export async function listEventsAfter(channelId: string, after: number, take: number): Promise<{ seq: number; type: string; messageId: string | null }[]> {
  const rows = await getDb().$queryRaw<{ seq: number; type: string; messageId: string | null }[]>`
    SELECT seq, type, "messageId" FROM "ChannelChange" WHERE "channelId" = ${channelId} AND seq > ${after} ORDER BY seq LIMIT ${take}`;
  return rows.map((r) => ({ ...r, seq: Number(r.seq) }));
}

export function findMessagesByIds(ids: string[]) {
  return getDb().message.findMany({ where: { id: { in: ids } }, select: messageSelect });
}

export type { TMessageRow, TTx };

// Reactions, pins and threads (lib/messages/reactions.ts, pins.ts, threads.ts).

/** Whether this person already reacted with this emoji. */
export async function hasReaction(tx: TTx, messageId: string, userId: string, emoji: string): Promise<boolean> {
  return !!(await tx.reaction.findUnique({ where: { messageId_userId_emoji: { messageId, userId, emoji } }, select: { id: true } }));
}

/** The distinct emoji on a message and how many of its reactions are this person's. */
export async function countReactions(tx: TTx, messageId: string, userId: string): Promise<{ emoji: string[]; mine: number }> {
  const [distinct, mine] = await Promise.all([
    tx.reaction.findMany({ where: { messageId }, select: { emoji: true }, distinct: ["emoji"] }),
    tx.reaction.count({ where: { messageId, userId } }),
  ]);
  return { emoji: distinct.map((r) => r.emoji), mine };
}

export function insertReaction(tx: TTx, data: { messageId: string; userId: string; emoji: string }) {
  return tx.reaction.create({ data, select: { id: true } });
}

/** Removes one reaction; false when there was none. */
export async function deleteReaction(tx: TTx, data: { messageId: string; userId: string; emoji: string }): Promise<boolean> {
  return (await tx.reaction.deleteMany({ where: data })).count === 1;
}

/** The message's pin as the transaction sees it. */
export function findPinInTx(tx: TTx, id: string) {
  return tx.message.findUniqueOrThrow({ where: { id }, select: { pinnedAt: true, pinnedById: true } });
}

/** What counts as pinned: pinned and not deleted (lib/channels/repository.ts PIN_COUNT_SQL counts the same in SQL). */
const PINNED = { pinnedAt: { not: null }, deletedAt: null } satisfies Prisma.MessageWhereInput;

/** How many messages of the channel are pinned (through Message_pinned_idx); in `tx` when given. */
export function countPins(channelId: string, tx: TTx = getDb()): Promise<number> {
  return tx.message.count({ where: { channelId, ...PINNED } });
}

/** Pin counts of several channels (absent: none pinned). */
export async function countPinsByChannel(channelIds: string[]): Promise<Map<string, number>> {
  if (!channelIds.length) return new Map();
  const rows = await getDb().message.groupBy({ by: ["channelId"], where: { channelId: { in: channelIds }, ...PINNED }, _count: { _all: true } });
  return new Map(rows.map((r) => [r.channelId, r._count._all]));
}

export function setPin(tx: TTx, id: string, pin: { pinnedAt: Date; pinnedById: string } | null) {
  return tx.message.update({ where: { id }, data: pin ?? { pinnedAt: null, pinnedById: null }, select: { id: true } });
}

/** Pinned, not-deleted messages of a channel, most recently pinned first. */
export function listPinned(channelId: string, take: number) {
  return getDb().message.findMany({ where: { channelId, ...PINNED }, select: messageSelect, orderBy: [{ pinnedAt: "desc" }, { seq: "desc" }], take });
}

/** A thread's replies after seq `after`, oldest first, deleted ones left out; a seq cursor (no OFFSET; index threadRootId+seq). */
export async function listReplies(rootId: string, after: number, take: number): Promise<TMessageRow[]> {
  const rows = await runHotQuery<TMessageSqlRow>("thread_replies", THREAD_REPLIES, [rootId, after, take], "main");
  return rows.map(fromMessageSql);
}

// ---- Group commit (lib/messages/group-commit.ts): one query per batch instead of one per message ----

export type TBatchRow = {
  id: string;
  channelId: string;
  senderId: string;
  /** The workspace the sender's token is confined to, if any (TActor.workspaceId). */
  workspaceScope: string | null;
  clientMsgId: string | null;
  body: string;
  markup: string;
  blocks: unknown[] | null;
  attachments: unknown[] | null;
  overrideName: string | null;
  overrideIcon: string | null;
  subtype: string | null;
};

/** What became of each send of a batch, in input order. */
export type TBatchOutcome =
  | { written: true; seq: number; ts: bigint; createdAt: Date; workspaceId: string; sender: TMessageRow["sender"] }
  /** `existingId`: this sender already stored this clientMsgId (a retry). Otherwise not clearly allowed: ask the one-by-one path. */
  | { written: false; existingId: string | null };

/**
 * The batch's one statement. Every row it looks up is a LATERAL … LIMIT 1 on a unique index, every
 * row it locks or updates is named by key (`= ANY (ARRAY(…))`, which no join method can turn into a
 * walk of the whole index), and the hot connections never choose a sequential scan (lib/db), so its
 * plan stays index lookups whatever the statistics said when the connection prepared it
 * (tests/group-commit.test.ts checks plans made on empty and on small tables: made on 17 channels,
 * the update of the channels had become a merge join over every channel's index entry, for every
 * batch, for the life of the connection). The search vectors are computed here, before the locks
 * (the database's trigger would compute the same). Optional values travel as '' and become NULL
 * (arrays with NULL elements are not portable across the drivers).
 */
export function messageBatchStatement(rows: TBatchRow[]): Prisma.Sql {
  const col = <K extends keyof TBatchRow>(k: K, f: (v: TBatchRow[K]) => string = (v) => (v == null ? "" : String(v))) => rows.map((r) => f(r[k]));
  const json = (v: unknown[] | null) => (v?.length ? JSON.stringify(v) : "");
  return Prisma.sql`
    WITH input AS (
      SELECT * FROM unnest(
        ${col("id")}::text[], ${col("channelId")}::text[], ${col("senderId")}::text[], ${col("workspaceScope")}::text[], ${col("clientMsgId")}::text[],
        ${col("body")}::text[], ${col("markup")}::text[], ${col("blocks", json)}::text[], ${col("attachments", json)}::text[], ${col("overrideName")}::text[],
        ${col("overrideIcon")}::text[], ${col("subtype")}::text[], ${col("body", toTsvectorText)}::text[]
      ) WITH ORDINALITY AS t(id, cid, uid, scope, cmid, body, markup, blocks, attachments, oname, oicon, subtype, search, ord)
    ),
    checked AS (
      SELECT i.*, c."workspaceId", m.id AS "existingId",
             (${canPostSql()} AND m.id IS NULL AND (i.scope = '' OR i.scope = c."workspaceId")) AS ok
      FROM input i
      LEFT JOIN LATERAL (SELECT * FROM "Channel" WHERE id = i.cid LIMIT 1) c ON true
      LEFT JOIN LATERAL (SELECT role FROM "WorkspaceMember" WHERE "workspaceId" = c."workspaceId" AND "userId" = i.uid AND status = 'ACTIVE' LIMIT 1) wm ON true
      LEFT JOIN LATERAL (SELECT "userId", "isPoster" FROM "ChannelMember" WHERE "channelId" = c.id AND "userId" = i.uid LIMIT 1) cm ON true
      LEFT JOIN LATERAL (SELECT id FROM "Message" WHERE "senderId" = i.uid AND "clientMsgId" = i.cmid LIMIT 1) m ON i.cmid <> ''
    ),
    allowed AS (SELECT * FROM checked WHERE ok),
    counts AS (SELECT cid, count(*)::int AS n FROM allowed GROUP BY cid),
    locked AS (SELECT c.id FROM "Channel" c WHERE c.id = ANY (ARRAY(SELECT cid FROM counts)) ORDER BY c.id FOR UPDATE),
    bumped AS (
      UPDATE "Channel" c
      SET "lastSeq" = c."lastSeq" + k.n,
          "lastTs" = GREATEST(c."lastTs" + k.n, (extract(epoch from clock_timestamp()) * 1000000)::bigint + k.n - 1),
          "lastMessageAt" = now()
      FROM counts k
      WHERE c.id = k.cid AND c.id = ANY (ARRAY(SELECT id FROM locked))
      RETURNING c.id, c."lastSeq" - k.n AS "baseSeq", c."lastTs" - k.n AS "baseTs"
    ),
    numbered AS (
      SELECT a.*, (b."baseSeq" + row_number() OVER (PARTITION BY a.cid ORDER BY a.ord))::int AS seq,
             b."baseTs" + row_number() OVER (PARTITION BY a.cid ORDER BY a.ord) AS ts
      FROM allowed a JOIN bumped b ON b.id = a.cid
    ),
    ins AS (
      INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", "clientMsgId", body, markup, blocks, attachments, "overrideName", "overrideIcon", subtype, "searchVector", "createdAt", "updatedAt")
      SELECT id, cid, seq, ts, uid, NULLIF(cmid, ''), body, markup, NULLIF(blocks, '')::jsonb, NULLIF(attachments, '')::jsonb,
             NULLIF(oname, ''), NULLIF(oicon, ''), NULLIF(subtype, ''), search::tsvector, now(), now()
      FROM numbered
    ),
    reads AS (
      UPDATE "ChannelMember" cm SET "lastReadSeq" = r.seq
      FROM (SELECT cid, uid, max(seq) AS seq FROM numbered GROUP BY cid, uid) r
      WHERE cm."channelId" = r.cid AND cm."userId" = r.uid AND cm."lastReadSeq" < r.seq
    )
    -- Every numbered row is inserted (or the statement fails), so the answer reads numbered, not the
    -- insert's output: joining that back to the input row by row was a nested loop over the whole
    -- batch for every send when the plan's estimates were small. createdAt is the statement's now().
    SELECT n.ord::int AS ord, true AS written, NULL AS "existingId", n."workspaceId", n.seq, n.ts::text AS ts,
           (extract(epoch from now()::timestamp(3)) * 1000)::float8 AS "createdAtMs", u.name, u."avatarUrl", u."isBot", b.id AS "botId"
    FROM numbered n
    LEFT JOIN LATERAL (SELECT name, "avatarUrl", "isBot", id FROM "User" WHERE id = n.uid LIMIT 1) u ON true
    LEFT JOIN LATERAL (SELECT id FROM "Bot" WHERE "userId" = u.id LIMIT 1) b ON true
    UNION ALL
    SELECT k.ord::int, false, k."existingId", k."workspaceId", NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM checked k
    WHERE k.ok IS NOT TRUE`;
}

/**
 * Writes a batch of new top-level messages in ONE statement, so one round trip whatever its size:
 * - checks each send: lib/channels/access.ts canPostSql (the posting rule), a token's workspace, and that
 *   the (sender, clientMsgId) is not stored yet — sends that fail any check are left out and answered
 *   by the one-by-one path, which gives the precise error;
 * - locks the channels of the allowed sends in id order (no deadlocks between batches), takes each
 *   channel's next seqs and ts values, inserts the messages in input order per channel (each row is
 *   its own entry in the change log, the "ChannelChange" view), and moves each sender's read position
 *   to their newest message. All or nothing.
 */
export async function writeMessageBatch(rows: TBatchRow[]): Promise<TBatchOutcome[]> {
  const query = messageBatchStatement(rows);
  const out = await runHotQuery<{
    ord: number;
    written: boolean;
    existingId: string | null;
    workspaceId: string | null;
    seq: number | null;
    ts: string | null;
    createdAtMs: number | null;
    name: string | null;
    avatarUrl: string | null;
    isBot: boolean | null;
    botId: string | null;
  }>("message_batch", query.text, query.values);
  // A send with no answer row was allowed, but its channel was gone by the time it was locked.
  const outcomes: TBatchOutcome[] = rows.map(() => ({ written: false, existingId: null }));
  for (const r of out) {
    const i = Number(r.ord) - 1;
    if (!r.written) outcomes[i] = { written: false, existingId: r.existingId };
    else {
      outcomes[i] = {
        written: true,
        seq: Number(r.seq),
        ts: BigInt(r.ts!),
        createdAt: new Date(r.createdAtMs!),
        workspaceId: r.workspaceId!,
        sender: { id: rows[i]!.senderId, name: r.name!, avatarUrl: r.avatarUrl, isBot: !!r.isBot, bot: r.botId ? { id: r.botId } : null },
      };
    }
  }
  return outcomes;
}
