/**
 * Password hashing with argon2id (@node-rs/argon2: prebuilt per platform through npm, no install
 * scripts or compiler needed).
 */
import { hash, verify, type Algorithm } from "@node-rs/argon2";
import path from "node:path";
import { Worker } from "node:worker_threads";
import { createLimiter } from "@/lib/concurrency";
import { env } from "@/lib/env";

// argon2id at 12 MiB, 3 iterations, 1 lane: one of the settings OWASP's Password Storage Cheat Sheet
// lists as equal in defence (46 MiB × 1, 19 MiB × 2, 12 MiB × 3, 9 MiB × 4, 7 MiB × 5). It is the
// fastest of them to check on the 2-vCPU VM where it was measured: 6.6 ms against 12.7 ms for
// 19 MiB × 2 (docs/performance.md, Simulated users, 2026-11-28 10:45), and never more memory traffic.
// Hashes stored with other settings carry them and verify as they are.
// 2 = Algorithm.Argon2id (a const enum, which isolatedModules cannot read).
const options = { algorithm: 2 as Algorithm, memoryCost: 12288, timeCost: 3, parallelism: 1 };

/**
 * argon2 runs on a thread of its own at a lower CPU priority (nice +10; Linux names a thread's id in
 * /proc/thread-self). A sign-in storm then gets only the CPU that serving signed-in people leaves
 * over: on a busy core the scheduler gives the event loop ~90 % against it (weights 1024 : 110),
 * and an idle machine still hashes at full speed. On libuv's pool at normal priority, hashes took up
 * to two thirds of the server's core during a storm and every request queued behind them
 * (docs/performance.md, Simulated users). Checks run one at a time, in arrival order. The thread
 * loads the library from the node_modules of the entry script or of the working directory; if it
 * cannot start, its jobs and all later ones run on libuv's pool instead.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
try {
  const os = require("node:os");
  const tid = Number(require("node:fs").readlinkSync("/proc/thread-self").split("/").pop());
  os.setPriority(tid, Math.min(19, os.getPriority(tid) + 10));
} catch {}
const { createRequire } = require("node:module");
let argon2;
for (const from of workerData.from) {
  try {
    argon2 = createRequire(from)(workerData.library);
    break;
  } catch {}
}
if (!argon2) throw new Error("cannot load " + workerData.library);
parentPort.on("message", ({ id, op, a, b }) => {
  try {
    parentPort.postMessage({ id, value: op === "hash" ? argon2.hashSync(a, workerData.options) : argon2.verifySync(a, b) });
  } catch (err) {
    parentPort.postMessage({ id, error: String((err && err.message) || err) });
  }
});`;

type TOp = { op: "hash" | "verify"; a: string; b?: string };
type TJob = TOp & { resolve: (v: string | boolean) => void; reject: (err: unknown) => void };
type TThread = { worker: Worker; pending: Map<number, TJob> };

// On globalThis, so the tsx-run server and Next's route bundles share one thread.
const holder = globalThis as unknown as { __parleyHashing?: { thread?: TThread; broken: boolean; nextJobId: number } };
const state = (holder.__parleyHashing ??= { broken: false, nextJobId: 0 });

function hashingThread(): TThread {
  if (state.thread) return state.thread;
  const from = [process.argv[1], path.join(process.cwd(), "index.js")].filter(Boolean);
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { library: "@node-rs/argon2", from, options } });
  const t: TThread = { worker, pending: new Map() };
  worker.on("message", ({ id, value, error }: { id: number; value?: string | boolean; error?: string }) => {
    const job = t.pending.get(id);
    t.pending.delete(id);
    if (error === undefined) job?.resolve(value!);
    else job?.reject(new Error(error));
    // Idle, the thread must not keep a CLI process alive; busy, it must (a pending hash is all it waits on).
    if (t.pending.size === 0) worker.unref();
  });
  const fail = (err: Error) => {
    if (state.thread === t) state.thread = undefined;
    state.broken = true;
    if (env.PARLEY_LOG_LEVEL !== "silent") console.warn(`[parley] password hashing thread stopped (${err.message}); hashing on libuv's pool instead`);
    for (const job of t.pending.values()) onPool(job).then(job.resolve, job.reject);
    t.pending.clear();
  };
  worker.on("error", fail);
  worker.on("exit", (code) => t.pending.size && fail(new Error(`password hashing thread exited with ${code}`)));
  worker.unref();
  state.thread = t;
  return t;
}

/** The fallback: libuv's pool, which every request also needs (next-auth's HKDF, file reads), so half of it at most. */
const poolSlots = createLimiter(Math.floor(env.UV_THREADPOOL_SIZE / 2));
function onPool({ op, a, b }: TOp): Promise<string | boolean> {
  return poolSlots.run<string | boolean>(() => (op === "hash" ? hash(a, options) : verify(a, b!)));
}

function run(job: TOp): Promise<string | boolean> {
  if (state.broken) return onPool(job);
  return new Promise((resolve, reject) => {
    const t = hashingThread();
    const id = state.nextJobId++;
    t.pending.set(id, { ...job, resolve, reject });
    t.worker.ref();
    t.worker.postMessage({ id, ...job });
  });
}

/** Hashes a password for storage. */
export async function hashPassword(password: string): Promise<string> {
  return (await run({ op: "hash", a: password })) as string;
}

/** Checks a password against a stored hash; false (never throws) for a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  try {
    return (await run({ op: "verify", a: storedHash, b: password })) as boolean;
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
