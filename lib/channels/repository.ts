/** Database access for conversations and their members (Prisma, and prepared statements on hot paths). No business rules here. */
import type { TSidebarHead } from "@/lib/channels/schema";
import { containsText } from "@/lib/db/like";
import { dateFromEpochMs, epochMsSql, getDb, runHotQuery, type Prisma } from "@/lib/db";
import type { WorkspaceRole } from "@/lib/generated/prisma/enums";

export const channelSelect = {
  id: true,
  workspaceId: true,
  kind: true,
  name: true,
  topic: true,
  description: true,
  isGeneral: true,
  archivedAt: true,
  createdById: true,
  createdAt: true,
  lastSeq: true,
  lastMessageAt: true,
} satisfies Prisma.ChannelSelect;

export type TChannelRow = Prisma.ChannelGetPayload<{ select: typeof channelSelect }>;

const memberUserSelect = { name: true, email: true, avatarUrl: true, isBot: true, statusText: true, statusEmoji: true } satisfies Prisma.UserSelect;

/** channelSelect as columns of `c` for prepared statements; fromChannelSql reads them back. */
const CHANNEL_COLUMNS_SQL = `c.id, c."workspaceId", c.kind::text AS kind, c.name, c.topic, c.description, c."isGeneral", ${epochMsSql("c", "archivedAt")},
         c."createdById", ${epochMsSql("c", "createdAt")}, c."lastSeq", ${epochMsSql("c", "lastMessageAt")}`;

type TChannelDates = "archivedAt" | "createdAt" | "lastMessageAt";
/** A row with CHANNEL_COLUMNS_SQL: dates as epoch milliseconds (each driver parses timestamps its own way). */
type TChannelSqlRow = Omit<TChannelRow, TChannelDates> & { archivedAt: number | null; createdAt: number; lastMessageAt: number | null };

function fromChannelSql<T extends TChannelSqlRow>(r: T): Omit<T, TChannelDates> & Pick<TChannelRow, TChannelDates> {
  return { ...r, lastSeq: Number(r.lastSeq), archivedAt: dateFromEpochMs(r.archivedAt), createdAt: dateFromEpochMs(r.createdAt), lastMessageAt: dateFromEpochMs(r.lastMessageAt) };
}

type TAccessSqlRow = TChannelSqlRow & { role: WorkspaceRole; cmId: string | null; lastReadSeq: number | null; isPoster: boolean | null };

/** The channel with the actor's role and membership, only if readable (see below); `extraColumns` as more of the SELECT list. */
function readableChannelSql(extraColumns = ""): string {
  return `
  SELECT ${CHANNEL_COLUMNS_SQL},
         wm.role::text AS role, cm.id AS "cmId", cm."lastReadSeq", cm."isPoster"${extraColumns}
  FROM "Channel" c
  JOIN "WorkspaceMember" wm ON wm."workspaceId" = c."workspaceId" AND wm."userId" = $1 AND wm.status = 'ACTIVE'
  LEFT JOIN "ChannelMember" cm ON cm."channelId" = c.id AND cm."userId" = $1
  WHERE c.id = $2
    AND (cm.id IS NOT NULL OR (c.kind IN ('PUBLIC', 'ANNOUNCEMENT') AND wm.role <> 'GUEST'))`;
}

const READABLE_CHANNEL_WITH_ACCESS = readableChannelSql();

/**
 * The channel with the actor's role and membership, only if the actor may read it: active in the
 * workspace, and a member of the conversation or it is public/announcement and they are not a guest.
 * One prepared statement, past Prisma's query engine: it sits on the hot path of every message read
 * and write (docs/performance.md, Simulated users, 2026-11-27).
 */
export async function findReadableChannelWithAccess(userId: string, channelId: string) {
  const rows = await runHotQuery<TAccessSqlRow>("readable_channel", READABLE_CHANNEL_WITH_ACCESS, [userId, channelId], "main");
  return rows[0] ? fromAccessSql(rows[0]) : null;
}

function fromAccessSql({ role, cmId, lastReadSeq, isPoster, ...channel }: TAccessSqlRow) {
  return {
    channel: fromChannelSql(channel),
    role,
    membership: cmId ? { lastReadSeq: Number(lastReadSeq), isPoster: !!isPoster } : null,
  };
}

/**
 * Unread messages are counted up to this many: the sidebar shows "99+" past 99, and someone back
 * from a long absence must not make every sidebar load count each busy channel's backlog row by row.
 */
export const UNREAD_COUNT_CAP = 1000;

/**
 * Unread in conversation `c` for membership `cm`: others' not-deleted messages above the read
 * position, thread replies only when also sent to the channel; at most UNREAD_COUNT_CAP.
 */
const UNREAD_SQL = `CASE WHEN c."lastSeq" <= cm."lastReadSeq" THEN 0 ELSE (
           SELECT COUNT(*) FROM (
             SELECT 1 FROM "Message" m
             WHERE m."channelId" = c.id AND m.seq > cm."lastReadSeq" AND m."senderId" <> cm."userId"
               AND m."deletedAt" IS NULL AND (m."threadRootId" IS NULL OR m.broadcast)
             LIMIT ${UNREAD_COUNT_CAP}
           ) u
         ) END::int`;

/** What the sidebar and a conversation's header count, for conversation `c` and the member row `cm`. */
const MEMBER_COUNT_SQL = `(SELECT COUNT(*) FROM "ChannelMember" x WHERE x."channelId" = c.id)::int AS "memberCount"`;
/** Pinned, not deleted, as lib/messages/repository.ts PINNED (through Message_pinned_idx). */
const PIN_COUNT_SQL = `(SELECT COUNT(*) FROM "Message" p WHERE p."channelId" = c.id AND p."pinnedAt" IS NOT NULL AND p."deletedAt" IS NULL)::int AS "pinCount"`;
/** A direct conversation's other people (a group holds at most 8 people). */
const DM_MEMBERS_SQL = `CASE WHEN c.kind IN ('DM', 'GROUP_DM') THEN (
           SELECT json_agg(json_build_object('id', u.id, 'name', u.name))
           FROM (SELECT o."userId" FROM "ChannelMember" o WHERE o."channelId" = c.id AND o."userId" <> cm."userId" LIMIT 8) o
           JOIN "User" u ON u.id = o."userId"
         ) END AS "dmMembers"`;

export type TChannelCounts = { memberCount: number; pinCount: number; dmMembers: { id: string; name: string }[] | null; unread: number };

const READABLE_CHANNEL_VIEW = readableChannelSql(`,
         ${MEMBER_COUNT_SQL}, ${PIN_COUNT_SQL}, ${DM_MEMBERS_SQL},
         CASE WHEN cm.id IS NULL THEN 0 ELSE ${UNREAD_SQL} END AS unread`);

/**
 * findReadableChannelWithAccess with what a conversation's header shows: member and pin counts, a
 * DM's other people, the actor's unread count (0 when not a member). One statement, where it took
 * five round trips (every conversation's open reads it).
 */
export async function findReadableChannelView(userId: string, channelId: string) {
  const rows = await runHotQuery<TAccessSqlRow & TChannelCounts>("readable_channel_view", READABLE_CHANNEL_VIEW, [userId, channelId], "main");
  const r = rows[0];
  if (!r) return null;
  const { memberCount, pinCount, dmMembers, unread, ...access } = r;
  return { ...fromAccessSql(access), counts: { memberCount: Number(memberCount), pinCount: Number(pinCount), dmMembers, unread: Number(unread) } };
}

export type TSidebarRow = TChannelRow & { lastReadSeq: number; isPoster: boolean; muted: boolean; memberCount: number; pinCount: number; dmMembers: { id: string; name: string }[] | null; unread: number };

/**
 * The sidebar in one query: the user's not-archived conversations in a workspace with their read
 * position, member and pin counts, DM partners (up to 8 others) and unread count (UNREAD_SQL). A
 * conversation read up to its head (`lastReadSeq >= lastSeq`, the usual case) needs no counting at
 * all; the others count the rows above the read position, through Message(channelId, seq), up to
 * UNREAD_COUNT_CAP.
 * A prepared statement past Prisma, as it answers every sidebar load and unread check.
 */
/** Which conversations the sidebar lists: the user's, in the workspace, not archived. */
const SIDEBAR_FROM = `
  FROM "ChannelMember" cm
  JOIN "Channel" c ON c.id = cm."channelId"
  WHERE cm."userId" = $1 AND c."workspaceId" = $2 AND c."archivedAt" IS NULL`;

const SIDEBAR_ROWS = `
  SELECT ${CHANNEL_COLUMNS_SQL},
         cm."lastReadSeq", cm."isPoster", cm.muted,
         ${MEMBER_COUNT_SQL}, ${PIN_COUNT_SQL}, ${DM_MEMBERS_SQL},
         ${UNREAD_SQL} AS unread
  ${SIDEBAR_FROM}`;

export async function listSidebarRows(userId: string, workspaceId: string): Promise<TSidebarRow[]> {
  const rows = await runHotQuery<TChannelSqlRow & Omit<TSidebarRow, keyof TChannelRow>>("sidebar_rows", SIDEBAR_ROWS, [userId, workspaceId], "main");
  return rows.map((r) => ({
    ...fromChannelSql(r),
    lastReadSeq: Number(r.lastReadSeq),
    memberCount: Number(r.memberCount),
    pinCount: Number(r.pinCount),
    unread: Number(r.unread),
  }));
}

/** The same conversations as listSidebarRows, only how far each has gone and been read. */
export async function listSidebarHeads(userId: string, workspaceId: string): Promise<TSidebarHead[]> {
  const rows = await runHotQuery<{ id: string; lastSeq: number; lastReadSeq: number }>("sidebar_heads", `SELECT c.id, c."lastSeq", cm."lastReadSeq" ${SIDEBAR_FROM}`, [userId, workspaceId], "main");
  return rows.map((r) => ({ id: r.id, lastSeq: Number(r.lastSeq), lastReadSeq: Number(r.lastReadSeq) }));
}

/** Public and announcement channels of a workspace, with the user's membership. */
export function listOpenChannels(workspaceId: string, userId: string) {
  return getDb().channel.findMany({
    where: { workspaceId, kind: { in: ["PUBLIC", "ANNOUNCEMENT"] } },
    select: { ...channelSelect, _count: { select: { members: true } }, members: { where: { userId }, select: { lastReadSeq: true, isPoster: true } } },
    orderBy: { name: "asc" },
    take: 1000,
  });
}

export function countActiveWorkspaceMembers(workspaceId: string, userIds: string[]) {
  return getDb().workspaceMember.count({ where: { workspaceId, userId: { in: userIds }, status: "ACTIVE" } });
}

/** A channel of the workspace with this name, other than `exceptId`. */
export function findChannelByName(workspaceId: string, name: string, exceptId?: string) {
  return getDb().channel.findFirst({ where: { workspaceId, name, ...(exceptId ? { NOT: { id: exceptId } } : {}) }, select: { id: true } });
}

export function insertChannel(data: { workspaceId: string; kind: TChannelRow["kind"]; name?: string; dmKey?: string; topic?: string; description?: string; createdById: string; memberIds: string[] }) {
  const { memberIds, ...channel } = data;
  return getDb().channel.create({ data: { ...channel, members: { create: memberIds.map((userId) => ({ userId })) } }, select: channelSelect });
}

export function updateChannelRow(channelId: string, data: Prisma.ChannelUpdateInput) {
  return getDb().channel.update({ where: { id: channelId }, data, select: { id: true } });
}

export function findDmByKey(workspaceId: string, dmKey: string) {
  return getDb().channel.findFirst({ where: { workspaceId, dmKey }, select: { id: true } });
}

/** Adds members; already-present ones are left as they are (idempotent under double clicks). */
export function insertMembers(channelId: string, members: { userId: string; lastReadSeq?: number; isPoster?: boolean }[]) {
  return getDb().channelMember.createMany({ data: members.map((m) => ({ channelId, ...m })), skipDuplicates: true });
}

export function deleteMember(channelId: string, userId: string) {
  return getDb().channelMember.deleteMany({ where: { channelId, userId } });
}

export function setPoster(channelId: string, userId: string, isPoster: boolean) {
  return getDb().channelMember.updateMany({ where: { channelId, userId }, data: { isPoster } });
}

/** Moves a member's read position forward to `seq` (never back): one prepared statement, as it runs on every channel switch. */
export async function advanceReadPosition(channelId: string, userId: string, seq: number): Promise<void> {
  await runHotQuery("advance_read", `UPDATE "ChannelMember" SET "lastReadSeq" = $3 WHERE "channelId" = $1 AND "userId" = $2 AND "lastReadSeq" < $3`, [channelId, userId, seq], "main");
}

/** The most members a conversation's full list returns (its members panel searches instead). */
export const CHANNEL_MEMBER_LIST_MAX = 5000;

/**
 * A conversation's members with their workspace role, in the order they joined (the first
 * CHANNEL_MEMBER_LIST_MAX) — or, with `search`, those whose name or email contains the needle, by
 * name (at most `limit` + 1: one more tells that more match).
 */
export async function listMembersWithUsers(channelId: string, workspaceId: string, search?: { needle: string; limit: number }) {
  return getDb().channelMember.findMany({
    where: { channelId, ...(search?.needle ? { user: { OR: [{ name: containsText(search.needle) }, { email: containsText(search.needle) }] } } : {}) },
    select: { userId: true, isPoster: true, joinedAt: true, user: { select: { ...memberUserSelect, memberships: { where: { workspaceId }, select: { role: true } } } } },
    orderBy: search ? [{ user: { name: "asc" } }, { userId: "asc" }] : { joinedAt: "asc" },
    take: search ? search.limit + 1 : CHANNEL_MEMBER_LIST_MAX,
  });
}

/** Workspaces where the user is active, and the conversations they are in there (socket rooms). */
export async function listRoomIdsForUser(userId: string) {
  const [workspaces, channels] = await Promise.all([
    getDb().workspaceMember.findMany({ where: { userId, status: "ACTIVE" }, select: { workspaceId: true } }),
    getDb().channelMember.findMany({ where: { userId, channel: { workspace: { members: { some: { userId, status: "ACTIVE" } } } } }, select: { channelId: true } }),
  ]);
  return { workspaceIds: workspaces.map((w) => w.workspaceId), channelIds: channels.map((c) => c.channelId) };
}

/**
 * Everything connecting sockets need, in one query for many users (a reconnect storm's handshakes are
 * answered in batches): each user's session version, the workspaces where they are active and the
 * conversations they are in there. Users that do not exist are absent.
 */
export async function findSocketSessions(userIds: string[]): Promise<Map<string, { sessionVersion: number; workspaceIds: string[]; channelIds: string[] }>> {
  if (userIds.length === 0) return new Map();
  const rows = await getDb().$queryRaw<{ id: string; sessionVersion: number; workspaceIds: string[]; channelIds: string[] }[]>`
    SELECT u.id, u."sessionVersion",
      ARRAY(SELECT wm."workspaceId" FROM "WorkspaceMember" wm WHERE wm."userId" = u.id AND wm.status = 'ACTIVE') AS "workspaceIds",
      ARRAY(SELECT cm."channelId" FROM "ChannelMember" cm
            JOIN "Channel" c ON c.id = cm."channelId"
            JOIN "WorkspaceMember" wm ON wm."workspaceId" = c."workspaceId" AND wm."userId" = cm."userId" AND wm.status = 'ACTIVE'
            WHERE cm."userId" = u.id) AS "channelIds"
    FROM "User" u WHERE u.id = ANY(${userIds})`;
  return new Map(rows.map((r) => [r.id, { sessionVersion: Number(r.sessionVersion), workspaceIds: r.workspaceIds, channelIds: r.channelIds }]));
}

/**
 * For each conversation, the members who are active in its workspace: who may receive its live
 * events right now (checked at delivery time in a cluster, where room membership can lag).
 */
export async function listActiveMemberIds(channelIds: string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>(channelIds.map((id) => [id, new Set<string>()]));
  if (channelIds.length === 0) return out;
  const members = await getDb().channelMember.findMany({ where: { channelId: { in: channelIds } }, select: { channelId: true, userId: true, channel: { select: { workspaceId: true } } } });
  if (members.length === 0) return out;
  const active = await getDb().workspaceMember.findMany({
    where: { workspaceId: { in: [...new Set(members.map((m) => m.channel.workspaceId))] }, userId: { in: [...new Set(members.map((m) => m.userId))] }, status: "ACTIVE" },
    select: { workspaceId: true, userId: true },
  });
  const isActive = new Set(active.map((a) => `${a.workspaceId}:${a.userId}`));
  for (const m of members) if (isActive.has(`${m.channel.workspaceId}:${m.userId}`)) out.get(m.channelId)!.add(m.userId);
  return out;
}
