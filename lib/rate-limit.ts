/**
 * Named rate limits (rate-limiter-flexible: well-kept, and the same API later moves to Redis for a
 * cluster). `consume` throws a 429 AppError with Retry-After when a key is over its budget.
 */
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AppError } from "@/lib/errors";

const limits = {
  /** Failed sign-ins per email+IP. */
  loginFailure: { points: 8, duration: 15 * 60 },
  /** Per address: a whole office behind one NAT may join in an hour. */
  signup: { points: 100, duration: 60 * 60 },
  /** Messages per user; generous for people, stops floods. */
  messageSend: { points: 60, duration: 10 },
  invite: { points: 50, duration: 60 * 60 },
  write: { points: 120, duration: 60 },
} as const;

export type TLimitName = keyof typeof limits;

const holder = globalThis as unknown as { __parleyLimiters?: Map<TLimitName, RateLimiterMemory> };

function getLimiter(name: TLimitName): RateLimiterMemory {
  holder.__parleyLimiters ??= new Map();
  let limiter = holder.__parleyLimiters.get(name);
  if (!limiter) {
    limiter = new RateLimiterMemory({ keyPrefix: name, ...limits[name] });
    holder.__parleyLimiters.set(name, limiter);
  }
  return limiter;
}

/** Spends one point of `name` for `key`; throws 429 when exhausted. */
export async function consume(name: TLimitName, key: string, message = "Too many requests; slow down"): Promise<void> {
  try {
    await getLimiter(name).consume(key);
  } catch (err) {
    if (err instanceof RateLimiterRes) {
      throw new AppError("rate_limited", message, undefined, Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
    }
    throw err;
  }
}

/** Whether `key` has points left, without spending one. */
export async function isLimited(name: TLimitName, key: string): Promise<{ limited: boolean; retryAfterSeconds: number }> {
  const res = await getLimiter(name).get(key);
  if (!res) return { limited: false, retryAfterSeconds: 0 };
  return { limited: res.remainingPoints <= 0, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Forgets a key (e.g. failed logins after a success). */
export async function reset(name: TLimitName, key: string): Promise<void> {
  await getLimiter(name).delete(key);
}
