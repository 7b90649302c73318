/**
 * Password hashing with argon2id (@node-rs/argon2: prebuilt per platform through npm, no install
 * scripts or compiler needed).
 */
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import { createLimiter } from "@/lib/concurrency";
import { env } from "@/lib/env";

// OWASP's minimum for argon2id: 19 MiB, 2 iterations, 1 lane.
// 2 = Algorithm.Argon2id (a const enum, which isolatedModules cannot read).
const options = { algorithm: 2 as Algorithm, memoryCost: 19456, timeCost: 2, parallelism: 1 };

/**
 * Hashes at once. argon2 runs on libuv's thread pool, which every request also needs (next-auth's
 * session check derives its key with async HKDF there; file reads go there too). A sign-in burst used
 * to fill the whole pool with ~30 ms hashes, so every other request queued behind them
 * (docs/performance.md). Leave half the pool free; sign-ins beyond the limit wait their turn.
 */
const hashing = createLimiter(Math.floor(env.UV_THREADPOOL_SIZE / 2));

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return hashing.run(() => hash(password, options));
}

/** Checks a password against a stored hash; false (never throws) for a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return await hashing.run(() => verify(storedHash, password));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** Spends the same time as a real check, so unknown emails cannot be told apart by timing. */
export async function verifyAgainstDummy(password: string): Promise<void> {
  dummyHash ??= hashPassword("parley-dummy-password");
  await verifyPassword(await dummyHash, password);
}
