/**
 * Redis connections for a cluster (REDIS_URL set): the event stream between nodes, shared rate
 * limits, presence and typing. Redis is never on the path that makes a message durable: every
 * client fails fast (no offline queue, short timeouts) so a caller can fall back instead of waiting.
 */
import { Redis, type RedisOptions } from "ioredis";
import { env } from "@/lib/env";

/** Whether this node runs as part of a cluster (Redis configured). */
export function isRedisConfigured(): boolean {
  return !!env.REDIS_URL;
}

/** How long an ordinary command may take before the caller treats Redis as unavailable. */
export const REDIS_COMMAND_TIMEOUT_MS = 500;

const baseOptions: RedisOptions = {
  // Queued commands would make callers wait for a reconnect that may take long; fail instead.
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
  connectTimeout: 2000,
  // Keep trying to reconnect forever, at most every second.
  retryStrategy: (times) => Math.min(50 * times, 1000),
  lazyConnect: false,
};

/**
 * A new connection to REDIS_URL. `name` shows up in CLIENT LIST; errors are logged once per outage
 * (ioredis reconnects by itself).
 */
export function createRedisClient(name: string, overrides: RedisOptions = {}): Redis {
  if (!env.REDIS_URL) throw new Error("REDIS_URL is not set");
  const client = new Redis(env.REDIS_URL, { ...baseOptions, connectionName: `parley-${name}`, ...overrides });
  let isDown = false;
  client.on("error", (err: Error) => {
    if (isDown) return;
    isDown = true;
    if (env.PARLEY_LOG_LEVEL !== "silent") console.warn(`[parley] redis (${name}) unavailable: ${err.message}`);
  });
  client.on("ready", () => {
    if (isDown && env.PARLEY_LOG_LEVEL !== "silent" && env.PARLEY_LOG_LEVEL !== "error") console.warn(`[parley] redis (${name}) back`);
    isDown = false;
  });
  return client;
}

const holder = globalThis as unknown as { __parleyRedis?: Redis };

/**
 * The process's shared command connection (rate limits, presence, publishing). Kept on globalThis so
 * the tsx-run server and Next's route bundles share one connection. Undefined without REDIS_URL.
 */
export function getRedis(): Redis | undefined {
  if (!env.REDIS_URL) return undefined;
  holder.__parleyRedis ??= createRedisClient("commands");
  return holder.__parleyRedis;
}

/**
 * Opens the shared connection and waits (at most `timeoutMs`) until it is ready, so a node that has
 * just started shares rate limits from its first request instead of falling back to its own limiter
 * for the first seconds. Never fails: without Redis the node starts anyway and falls back.
 */
export async function warmUpRedis(timeoutMs = 3000): Promise<boolean> {
  const client = getRedis();
  if (!client) return false;
  if (client.status === "ready") return true;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off("ready", onReady);
      resolve(ok);
    };
    const onReady = () => done(true);
    const timer = setTimeout(() => done(false), timeoutMs);
    client.once("ready", onReady);
  });
}

/** Closes the shared connection (node shutdown). */
export async function closeRedis(): Promise<void> {
  const client = holder.__parleyRedis;
  holder.__parleyRedis = undefined;
  if (client) client.disconnect();
}
