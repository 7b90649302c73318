/** Prisma access for the Events API outbox (EventDelivery) and bots' event settings. No business rules. */
import DataLoader from "dataloader";
import { getDb, runHotQuery, type Prisma } from "@/lib/db";

/** What the outbox needs to know about a bot that may receive events. */
export const eventBotSelect = { id: true, workspaceId: true, userId: true, eventSubscriptions: true, scopes: true, signingSecret: true } satisfies Prisma.BotSelect;
export type TEventBot = Prisma.BotGetPayload<{ select: typeof eventBotSelect }>;

/** Bots of the workspace whose endpoint is verified and live (not disabled, bot not deactivated). */
const liveBot = (workspaceId: string): Prisma.BotWhereInput => ({
  workspaceId,
  eventsUrl: { not: null },
  eventsVerifiedAt: { not: null },
  eventsDisabledAt: null,
  deactivatedAt: null,
});

/**
 * Live bots whose bot user is a member of the channel. Every committed change asks this, so the
 * lookups made in one synchronous run (a group-commit batch publishes all its messages at once) share
 * ONE query.
 */
export function findLiveBotsInChannel(workspaceId: string, channelId: string): Promise<TEventBot[]> {
  return liveBotsLoader().load(`${workspaceId}|${channelId}`);
}

const loaderHolder = globalThis as unknown as { __parleyLiveBotsLoader?: DataLoader<string, TEventBot[]> };

/** No cache: each batch reads the database as it is now (a bot may join or be disabled at any time). */
function liveBotsLoader(): DataLoader<string, TEventBot[]> {
  loaderHolder.__parleyLiveBotsLoader ??= new DataLoader(
    async (keys) => {
      const pairs = keys.map((k) => k.split("|") as [string, string]);
      // Raw SQL (the same rule as liveBot): Prisma's relation filter takes three queries here, even when no bot matches.
      const rows = await runHotQuery<TEventBot & { channelId: string }>(
        "live_bots",
        `SELECT b.id, b."workspaceId", b."userId", b."eventSubscriptions", b.scopes, b."signingSecret", cm."channelId"
         FROM "Bot" b
         JOIN "ChannelMember" cm ON cm."userId" = b."userId" AND cm."channelId" = ANY($1::text[])
         WHERE b."workspaceId" = ANY($2::text[])
           AND b."eventsUrl" IS NOT NULL AND b."eventsVerifiedAt" IS NOT NULL AND b."eventsDisabledAt" IS NULL AND b."deactivatedAt" IS NULL`,
        [pairs.map(([, c]) => c), [...new Set(pairs.map(([w]) => w))]],
      );
      return pairs.map(([workspaceId, channelId]) =>
        rows.filter((b) => b.workspaceId === workspaceId && b.channelId === channelId).map(({ channelId: _c, ...bot }) => bot),
      );
    },
    // A microtask: everything published in one synchronous run (a whole group-commit batch) shares the
    // query. DataLoader's default (a nextTick queued from a promise job) and setImmediate can both wait
    // behind a chain of promise jobs (PGlite answers in-process) until later changes have committed.
    { cache: false, batchScheduleFn: (dispatch) => queueMicrotask(dispatch) },
  );
  return loaderHolder.__parleyLiveBotsLoader;
}

/** Live bots of the workspace, member of anything or not. */
export function findLiveBotsInWorkspace(workspaceId: string): Promise<TEventBot[]> {
  return getDb().bot.findMany({ where: liveBot(workspaceId), select: eventBotSelect });
}

/** A channel as the events need it. */
export function findChannelForEvents(channelId: string) {
  return getDb().channel.findUnique({ where: { id: channelId }, select: { id: true, workspaceId: true, kind: true, name: true, createdAt: true, createdById: true, archivedAt: true, isGeneral: true } });
}

/** When each of these users joined the channel (current memberships only). */
export function findMemberships(channelId: string, userIds: string[]) {
  return getDb().channelMember.findMany({ where: { channelId, userId: { in: userIds } }, select: { userId: true, joinedAt: true } });
}

/** Which of these (bot, event id) pairs are already in the outbox. */
export function findExistingEventIds(botIds: string[], eventIds: string[]) {
  return getDb().eventDelivery.findMany({ where: { botId: { in: botIds }, eventId: { in: eventIds } }, select: { botId: true, eventId: true } });
}

export type TNewDelivery = { botId: string; eventId: string; eventType: string; payload: Prisma.InputJsonValue };

export function insertDeliveries(rows: TNewDelivery[]) {
  return getDb().eventDelivery.createMany({ data: rows });
}

/** A claimed delivery with where and how to send it (the bot's URL and signing secret at claim time). */
export type TClaimedDelivery = {
  id: string;
  botId: string;
  eventId: string;
  eventType: string;
  payload: unknown;
  attempts: number;
  lastError: string | null;
  workspaceId: string;
  eventsUrl: string;
  signingSecret: string;
};

/**
 * Claims up to `limit` due deliveries of live bots for `leaseMs`: their nextAttemptAt moves to the end
 * of the lease, so another node (or this one after a crash) retries them only when it expires. FOR
 * UPDATE SKIP LOCKED lets several nodes claim at once without double-claiming. Times compare in UTC,
 * as Prisma stores them.
 */
export async function claimDueDeliveries(limit: number, leaseMs: number): Promise<TClaimedDelivery[]> {
  return getDb().$queryRaw<TClaimedDelivery[]>`
    WITH due AS (
      SELECT d.id FROM "EventDelivery" d
      JOIN "Bot" b ON b.id = d."botId"
      WHERE d."deliveredAt" IS NULL AND d."failedAt" IS NULL AND d."nextAttemptAt" <= (now() AT TIME ZONE 'UTC')
        AND b."eventsUrl" IS NOT NULL AND b."eventsDisabledAt" IS NULL AND b."deactivatedAt" IS NULL
      ORDER BY d."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    )
    UPDATE "EventDelivery" e SET "nextAttemptAt" = (now() AT TIME ZONE 'UTC') + make_interval(secs => ${leaseMs / 1000})
    FROM due, "Bot" b WHERE e.id = due.id AND b.id = e."botId"
    RETURNING e.id, e."botId", e."eventId", e."eventType", e.payload, e.attempts, e."lastError", b."workspaceId", b."eventsUrl", b."signingSecret"`;
}

/** Marks a delivery done and resets the bot's failure streak. */
export async function recordSuccess(delivery: { id: string; botId: string; attempts: number }): Promise<void> {
  await getDb().$transaction([
    getDb().eventDelivery.update({ where: { id: delivery.id }, data: { deliveredAt: new Date(), attempts: delivery.attempts, lastError: null } }),
    getDb().bot.update({ where: { id: delivery.botId }, data: { eventFailures: 0 } }),
  ]);
}

/** Records a failed attempt (retry at `nextAttemptAt`, or give up when null); returns the bot's streak. */
export async function recordFailure(delivery: { id: string; botId: string; attempts: number }, error: string, nextAttemptAt: Date | null): Promise<number> {
  const [, bot] = await getDb().$transaction([
    getDb().eventDelivery.update({
      where: { id: delivery.id },
      data: { attempts: delivery.attempts, lastError: error, ...(nextAttemptAt ? { nextAttemptAt } : { failedAt: new Date() }) },
    }),
    getDb().bot.update({ where: { id: delivery.botId }, data: { eventFailures: { increment: 1 } }, select: { eventFailures: true } }),
  ]);
  return bot.eventFailures;
}

/** Turns a bot's endpoint off with a reason; its pending deliveries are given up (Slack drops them too). */
export async function disableBotEvents(botId: string, reason: string): Promise<boolean> {
  const now = new Date();
  const [updated] = await getDb().$transaction([
    getDb().bot.updateMany({ where: { id: botId, eventsDisabledAt: null }, data: { eventsDisabledAt: now, eventsDisabledReason: reason } }),
    getDb().eventDelivery.updateMany({ where: { botId, deliveredAt: null, failedAt: null }, data: { failedAt: now, lastError: "endpoint disabled" } }),
  ]);
  return updated.count === 1;
}

export function updateBotEvents(botId: string, data: Prisma.BotUpdateInput) {
  return getDb().bot.update({ where: { id: botId }, data, select: { id: true } });
}

export function findBotForEvents(botId: string) {
  return getDb().bot.findUnique({
    where: { id: botId },
    select: {
      id: true,
      workspaceId: true,
      userId: true,
      scopes: true,
      signingSecret: true,
      eventsUrl: true,
      eventsVerifiedAt: true,
      eventSubscriptions: true,
      eventFailures: true,
      eventsDisabledAt: true,
      eventsDisabledReason: true,
      deactivatedAt: true,
    },
  });
}

export function listRecentDeliveries(botId: string, limit: number) {
  return getDb().eventDelivery.findMany({
    where: { botId },
    orderBy: { createdAt: "desc" },
    take: limit,
    select: { id: true, eventId: true, eventType: true, attempts: true, nextAttemptAt: true, deliveredAt: true, failedAt: true, lastError: true, createdAt: true },
  });
}

/** Gives up a bot's pending deliveries (its URL changed or events were turned off). */
export function dropPendingDeliveries(botId: string, reason: string) {
  return getDb().eventDelivery.updateMany({ where: { botId, deliveredAt: null, failedAt: null }, data: { failedAt: new Date(), lastError: reason } });
}

/** When the earliest pending delivery of a live bot falls due, if any. */
export async function findNextDueAt(): Promise<Date | null> {
  const row = await getDb().eventDelivery.findFirst({
    where: { deliveredAt: null, failedAt: null, bot: { eventsUrl: { not: null }, eventsDisabledAt: null, deactivatedAt: null } },
    orderBy: { nextAttemptAt: "asc" },
    select: { nextAttemptAt: true },
  });
  return row?.nextAttemptAt ?? null;
}

/** Deletes finished deliveries (delivered or given up) older than `before`; returns how many. */
export async function pruneFinishedDeliveries(before: Date): Promise<number> {
  const res = await getDb().eventDelivery.deleteMany({ where: { OR: [{ deliveredAt: { lt: before } }, { failedAt: { lt: before } }] } });
  return res.count;
}
