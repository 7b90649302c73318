/**
 * Named rate limits (rate-limiter-flexible). Single node: in memory. Cluster (REDIS_URL set): the
 * budget is shared by every node through Redis, with an in-memory insurance limiter so that a Redis
 * outage never blocks a send — each node then limits on its own until Redis answers again.
 * `consume` throws a 429 AppError with Retry-After when a key is over its budget.
 */
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import { env } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { getRedis } from "@/lib/redis";

const limits = {
  /** Failed sign-ins per email+IP. */
  loginFailure: { points: 8, duration: 15 * 60 },
  /** Per address: a whole office behind one NAT may join in an hour. */
  signup: { points: 100, duration: 60 * 60 },
  /** Messages per user; generous for people, stops floods. */
  messageSend: { points: env.PARLEY_SEND_LIMIT, duration: 10 },
  invite: { points: 50, duration: 60 * 60 },
  write: { points: 120, duration: 60 },
  /** Web API calls per token and method (about Slack's tier 4: 100+ per minute). */
  webApi: { points: 100, duration: 60 },
  /** Searches per person (UI, HTTP and search.messages together): plenty for typing, stops scraping loops. */
  search: { points: 60, duration: 60 },
} as const;

export type TLimitName = keyof typeof limits;

/** After a Redis failure, skip Redis for this long (a black-holed connection costs a timeout per call). */
const REDIS_BACKOFF_MS = 5000;

type TLimiterPair = { shared?: RateLimiterAbstract; local: RateLimiterMemory };

const holder = globalThis as unknown as { __parleyLimiters?: Map<TLimitName, TLimiterPair>; __parleyLimitRedisDownUntil?: number };

function getLimiters(name: TLimitName): TLimiterPair {
  holder.__parleyLimiters ??= new Map();
  let pair = holder.__parleyLimiters.get(name);
  if (!pair) {
    const local = new RateLimiterMemory({ keyPrefix: name, ...limits[name] });
    const redis = getRedis();
    const shared = redis ? new RateLimiterRedis({ storeClient: redis, keyPrefix: `parley:rl:${name}`, rejectIfRedisNotReady: true, ...limits[name] }) : undefined;
    pair = { shared, local };
    holder.__parleyLimiters.set(name, pair);
  }
  return pair;
}

/**
 * Runs `op` on the shared limiter, or on the local (insurance) one when there is none or Redis
 * failed recently. A RateLimiterRes rejection (over budget) passes through; any other error means
 * Redis is unavailable, and the local limiter answers instead.
 */
async function withLimiter<T>(name: TLimitName, op: (limiter: RateLimiterAbstract) => Promise<T>): Promise<T> {
  const { shared, local } = getLimiters(name);
  if (!shared || Date.now() < (holder.__parleyLimitRedisDownUntil ?? 0)) return op(local);
  try {
    return await op(shared);
  } catch (err) {
    if (err instanceof RateLimiterRes) throw err;
    holder.__parleyLimitRedisDownUntil = Date.now() + REDIS_BACKOFF_MS;
    return op(local);
  }
}

/** Spends one point of `name` for `key`; throws 429 when exhausted. */
export async function consume(name: TLimitName, key: string, message = "Too many requests; slow down"): Promise<void> {
  try {
    await withLimiter(name, (limiter) => limiter.consume(key));
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      throw new AppError("rate_limited", message, undefined, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
    throw err;
  }
}

/** Whether `key` has points left, without spending one. */
export async function isLimited(name: TLimitName, key: string): Promise<{ limited: boolean; retryAfterSeconds: number }> {
  const res = await withLimiter(name, (limiter) => limiter.get(key));
  if (!res) return { limited: false, retryAfterSeconds: 0 };
  return { limited: res.remainingPoints <= 0, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Forgets a key (e.g. failed logins after a success), in Redis and locally. */
export async function reset(name: TLimitName, key: string): Promise<void> {
  const { shared, local } = getLimiters(name);
  await local.delete(key);
  if (shared) await withLimiter(name, (limiter) => limiter.delete(key)).catch(() => undefined);
}
