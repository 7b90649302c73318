/**
 * Presence (who is connected) and typing state, with expiry. In a cluster both live in Redis so any
 * node can answer for every user; a node that dies simply stops refreshing and its entries expire.
 * Without Redis (single node) the same API keeps them in memory.
 *
 * Model: each connection is an entry under its user with an expiry time; a user is online while any
 * entry has not expired. Typing is an entry per (conversation, user) with a short expiry.
 */
import { z } from "zod";
import { getRedis } from "@/lib/redis";

/** A connection counts as online this long after its last heartbeat. */
export const PRESENCE_TTL_MS = 60_000;
/** Typing shows this long after the last `typing.start`. */
export const TYPING_TTL_MS = 6_000;

export const ZPresenceQuery = z.object({ userIds: z.array(z.string().min(1).max(64)).max(500) });
export const ZTypingStart = z.object({ channelId: z.string().min(1).max(64) });
export type TPresenceQuery = z.infer<typeof ZPresenceQuery>;

export interface TPresenceStore {
  /** Marks a connection online (first time) or refreshes it (heartbeat). */
  heartbeat(userId: string, connectionId: string, ttlMs?: number): Promise<void>;
  /** Removes a connection (clean disconnect); the user stays online while others remain. */
  setOffline(userId: string, connectionId: string): Promise<void>;
  /** The subset of `userIds` with at least one live connection. */
  listOnline(userIds: string[]): Promise<string[]>;
  /** Marks `userId` typing in `channelId` until the TTL runs out. */
  setTyping(channelId: string, userId: string, ttlMs?: number): Promise<void>;
  /** Users typing in `channelId` now. */
  listTyping(channelId: string): Promise<string[]>;
}

const presenceKey = (userId: string) => `parley:presence:${userId}`;
const typingKey = (channelId: string) => `parley:typing:${channelId}`;

/** Redis: one sorted set per user (connection → expiry ms) and per conversation (user → expiry ms). */
export function createRedisPresenceStore(redis: NonNullable<ReturnType<typeof getRedis>>, now: () => number = Date.now): TPresenceStore {
  return {
    async heartbeat(userId, connectionId, ttlMs = PRESENCE_TTL_MS) {
      const key = presenceKey(userId);
      const t = now();
      await redis.multi().zadd(key, t + ttlMs, connectionId).zremrangebyscore(key, "-inf", t).pexpire(key, ttlMs).exec();
    },
    async setOffline(userId, connectionId) {
      await redis.zrem(presenceKey(userId), connectionId);
    },
    async listOnline(userIds) {
      if (userIds.length === 0) return [];
      const t = now();
      const pipeline = redis.pipeline();
      for (const id of userIds) pipeline.zcount(presenceKey(id), `(${t}`, "+inf");
      const results = (await pipeline.exec()) ?? [];
      return userIds.filter((_, i) => Number(results[i]?.[1] ?? 0) > 0);
    },
    async setTyping(channelId, userId, ttlMs = TYPING_TTL_MS) {
      const key = typingKey(channelId);
      const t = now();
      await redis.multi().zadd(key, t + ttlMs, userId).zremrangebyscore(key, "-inf", t).pexpire(key, ttlMs).exec();
    },
    async listTyping(channelId) {
      return redis.zrangebyscore(typingKey(channelId), `(${now()}`, "+inf");
    },
  };
}

/** In memory, for a single node; same semantics. */
export function createMemoryPresenceStore(now: () => number = Date.now): TPresenceStore {
  const presence = new Map<string, Map<string, number>>();
  const typing = new Map<string, Map<string, number>>();
  const alive = (entries: Map<string, number> | undefined) => {
    if (!entries) return [];
    const t = now();
    for (const [k, until] of entries) if (until <= t) entries.delete(k);
    return [...entries.keys()];
  };
  const put = (map: Map<string, Map<string, number>>, key: string, member: string, ttlMs: number) => {
    const entries = map.get(key) ?? new Map<string, number>();
    entries.set(member, now() + ttlMs);
    map.set(key, entries);
  };
  return {
    async heartbeat(userId, connectionId, ttlMs = PRESENCE_TTL_MS) {
      put(presence, userId, connectionId, ttlMs);
    },
    async setOffline(userId, connectionId) {
      presence.get(userId)?.delete(connectionId);
      if (presence.get(userId)?.size === 0) presence.delete(userId);
    },
    async listOnline(userIds) {
      return userIds.filter((id) => alive(presence.get(id)).length > 0);
    },
    async setTyping(channelId, userId, ttlMs = TYPING_TTL_MS) {
      put(typing, channelId, userId, ttlMs);
    },
    async listTyping(channelId) {
      return alive(typing.get(channelId));
    },
  };
}

const holder = globalThis as unknown as { __parleyPresence?: TPresenceStore };

/** The process's presence store: Redis in a cluster, memory otherwise. */
export function getPresenceStore(): TPresenceStore {
  if (!holder.__parleyPresence) {
    const redis = getRedis();
    holder.__parleyPresence = redis ? createRedisPresenceStore(redis) : createMemoryPresenceStore();
  }
  return holder.__parleyPresence;
}
