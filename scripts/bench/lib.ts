/**
 * Shared pieces of the benchmark scenarios (scripts/bench/*): a throwaway PostgreSQL database,
 * bulk seeding by SQL (services would take minutes for 10,000 users), session cookies minted the way
 * next-auth does, child processes pinned to a core with `taskset`, and their CPU and RSS read from
 * /proc. Every scenario reports ratios against a baseline measured in the same run.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

/** One fixed secret for the server children and the load generator, so cookies can be minted here. */
export const BENCH_SECRET = "parley-bench-secret-not-for-production-000000";
export const BENCH_PASSWORD = "benchmark password 你好";

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function summary(values: number[]): { n: number; p50: number; p99: number; p999: number; max: number; avg: number } {
  const s = Float64Array.from(values).sort() as unknown as number[];
  const avg = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  return { n: values.length, p50: percentile(s, 50), p99: percentile(s, 99), p999: percentile(s, 99.9), max: s[s.length - 1] ?? NaN, avg };
}

export const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "–");
export const f2 = (n: number) => (Number.isFinite(n) ? n.toFixed(2) : "–");
export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** The PostgreSQL server the scenarios create their throwaway databases on. */
export function adminUrl(): string {
  return process.env.BENCH_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
}

export type TBenchDb = { url: string; name: string; drop: () => Promise<void> };

/** Creates a fresh database and points this process's DATABASE_URL at it (set before importing @/lib/db). */
export async function createBenchDb(): Promise<TBenchDb> {
  const admin = adminUrl();
  const name = `parley_bench_${randomBytes(4).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  process.env.DATABASE_URL = u.toString();
  process.env.NEXTAUTH_SECRET = BENCH_SECRET;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** Migrates the database at `url` and returns a plain pg pool for seeding. */
export async function migrateAndPool(url: string): Promise<pg.Pool> {
  // Straight to the migrator: @/lib/db reads DATABASE_URL once, at import, and an earlier scenario
  // in this process may have used PGlite.
  const { migrateDatabase } = await import("@/lib/db/migrate");
  await migrateDatabase({ kind: "postgres", url });
  return new pg.Pool({ connectionString: url, max: 4 });
}

export type TSeed = {
  workspaceId: string;
  /** users[i] = { id, email, name } */
  users: { id: string; email: string; name: string }[];
  /** channel id → member user indexes */
  channels: { id: string; members: number[] }[];
  /** user index → channel ids */
  channelsOf: string[][];
};

/**
 * Seeds one workspace with `users` active members (ids bu<i>, password BENCH_PASSWORD) and, per
 * grouping size in `groups`, consecutive users split into public channels of that size (a grouping of
 * 0 means one channel with everyone). Runs in a few seconds for 10,000 users.
 */
export async function seed(pool: pg.Pool, users: number, groups: number[]): Promise<TSeed> {
  const { hashPassword } = await import("@/lib/auth/password");
  const hash = await hashPassword(BENCH_PASSWORD);
  const workspaceId = "bw1";
  await pool.query(`INSERT INTO "Workspace" (id, name, slug, "createdAt", "updatedAt") VALUES ($1, 'Bench 基准', 'bench', now(), now())`, [workspaceId]);
  await pool.query(
    `INSERT INTO "User" (id, email, name, "passwordHash", "createdAt", "updatedAt")
     SELECT 'bu' || g, 'user' || g || '@bench.test', 'User ' || g || ' 用户', $2, now(), now() FROM generate_series(0, $1::int - 1) g`,
    [users, hash],
  );
  await pool.query(
    `INSERT INTO "WorkspaceMember" (id, "workspaceId", "userId", role, status, "joinedAt", "updatedAt")
     SELECT 'bwm' || g, $2, 'bu' || g, (CASE WHEN g = 0 THEN 'OWNER' ELSE 'MEMBER' END)::"WorkspaceRole", 'ACTIVE', now(), now() FROM generate_series(0, $1::int - 1) g`,
    [users, workspaceId],
  );
  const channels: TSeed["channels"] = [];
  const channelsOf: string[][] = Array.from({ length: users }, () => []);
  for (const size of groups) {
    const per = size <= 0 ? users : size;
    const key = size <= 0 ? "all" : String(size);
    const count = Math.ceil(users / per);
    await pool.query(
      `INSERT INTO "Channel" (id, "workspaceId", kind, name, "isGeneral", "createdAt", "updatedAt")
       SELECT 'bc' || $1 || '_' || g, $2, 'PUBLIC', 'g' || $1 || '-' || g, $3, now(), now() FROM generate_series(0, $4::int - 1) g`,
      [key, workspaceId, size <= 0, count],
    );
    await pool.query(
      `INSERT INTO "ChannelMember" (id, "channelId", "userId", "joinedAt")
       SELECT 'bcm' || $1 || '_' || g, 'bc' || $1 || '_' || (g / $3::int), 'bu' || g, now() FROM generate_series(0, $2::int - 1) g`,
      [key, users, per],
    );
    for (let c = 0; c < count; c++) {
      const members: number[] = [];
      for (let u = c * per; u < Math.min(users, (c + 1) * per); u++) {
        members.push(u);
        channelsOf[u]!.push(`bc${key}_${c}`);
      }
      channels.push({ id: `bc${key}_${c}`, members });
    }
  }
  await pool.query("ANALYZE");
  return {
    workspaceId,
    users: Array.from({ length: users }, (_, i) => ({ id: `bu${i}`, email: `user${i}@bench.test`, name: `User ${i} 用户` })),
    channels,
    channelsOf,
  };
}

/** The cookie header next-auth would set for this user after signing in (sessionVersion 0). */
export async function mintCookie(user: { id: string; email: string; name: string }): Promise<string> {
  const { encode } = await import("next-auth/jwt");
  const token = await encode({ token: { sub: user.id, sv: 0, name: user.name, email: user.email }, secret: BENCH_SECRET });
  return `next-auth.session-token=${token}`;
}

let tasksetOk: boolean | undefined;
/** `taskset -c <cpu>` prefix when the machine has it and more than one core, else nothing. */
export function pin(cpu: number): string[] {
  if (process.env.BENCH_NO_PIN) return [];
  tasksetOk ??= os.cpus().length > 1 && spawnSync("taskset", ["-c", "0", "true"]).status === 0;
  return tasksetOk ? ["taskset", "-c", String(cpu % os.cpus().length)] : [];
}

/** Pins this process (the load generator) to `cpu`. */
export function pinSelf(cpu: number): boolean {
  if (pin(cpu).length === 0) return false;
  return spawnSync("taskset", ["-pc", String(cpu % os.cpus().length), String(process.pid)]).status === 0;
}

/** User + system clock ticks (1/100 s) of a process, from its /proc/<pid>/stat line (fields 14 and 15). */
function cpuTicks(stat: string): number {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** CPU seconds (user+system) and RSS in bytes of a process, from /proc. */
export function procStats(pid: number): { cpuSeconds: number; rss: number } {
  const ticks = cpuTicks(readFileSync(`/proc/${pid}/stat`, "utf8"));
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ticks / 100, rss: rssKb * 1024 };
}

/** CPU nanoseconds so far of each PostgreSQL backend serving database `db` (found by its process title). */
export type TPostgresCpu = Map<number, number>;

/**
 * Reads /proc/<pid>/schedstat (nanoseconds on CPU; a backend is one thread): the 10 ms ticks of
 * /proc/<pid>/stat miss much of a backend that runs for a millisecond at a time, and gave 546 to
 * 1,709 µs for the same batch in runs of the same length. Shared background work (WAL writer,
 * checkpointer, autovacuum) is not included.
 */
export function postgresCpu(db: string): TPostgresCpu {
  const out: TPostgresCpu = new Map();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(` ${db} `)) continue;
      if (!readFileSync(`/proc/${pid}/stat`, "utf8").includes("(postgres)")) continue;
      out.set(Number(pid), Number(readFileSync(`/proc/${pid}/schedstat`, "utf8").split(" ")[0]));
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * CPU seconds the backends of `db` used since `before`, per backend, so a round's database work can be
 * divided by its rows while other databases on the server are busy. Per backend, because pooled
 * connections come and go: summing totals would subtract the past work of every connection that
 * closed during the round (idle pool connections close after 10 s, as the pause between rounds lasts).
 */
export function postgresCpuSecondsSince(db: string, before: TPostgresCpu): number {
  let ns = 0;
  for (const [pid, now] of postgresCpu(db)) ns += now - (before.get(pid) ?? 0);
  return ns / 1e9;
}

export type TChild = {
  port: number;
  pid: number;
  child: ChildProcess;
  output: () => string;
  /** Sends a line to the child's stdin and resolves with the next line it prints that starts with `reply`. */
  command: (line: string, reply: string) => Promise<string>;
  stop: (signal?: NodeJS.Signals) => Promise<void>;
};

/** Open-file limits of this shell: [soft, hard]. */
export function nofileLimits(): [number, number] {
  const out = spawnSync("sh", ["-c", "ulimit -Sn; ulimit -Hn"], { encoding: "utf8" }).stdout.trim().split("\n");
  const n = (v: string | undefined) => (v === "unlimited" ? Infinity : Number(v));
  return [n(out[0]), n(out[1])];
}

/** `prlimit --nofile=n:n` prefix when the soft limit is below `want` (never above the hard limit, which needs root outside a container). */
function raiseNofile(want: number | undefined): string[] {
  if (!want) return [];
  const [soft, hard] = nofileLimits();
  const target = Math.min(want, hard);
  return soft >= target ? [] : ["prlimit", `--nofile=${target}:${hard === Infinity ? target : hard}`];
}

const TSX_LOADER = path.resolve("node_modules/tsx/dist/loader.mjs");

/**
 * Runs a TypeScript entry in a node process of its own (tsx as a loader, so the pid is the server's),
 * pinned to `cpu`, and resolves once it prints `listening <port>`.
 */
export async function spawnChild(entry: string, opts: { cpu: number; env?: Record<string, string | undefined>; nodeArgs?: string[]; port?: number; nofile?: number }): Promise<TChild> {
  const env = { ...process.env, NEXTAUTH_SECRET: BENCH_SECRET, PARLEY_LOG_LEVEL: "warn", NODE_ENV: process.env.NODE_ENV ?? "production", ...opts.env } as NodeJS.ProcessEnv;
  const args = [...raiseNofile(opts.nofile), ...pin(opts.cpu), process.execPath, "--expose-gc", "--import", TSX_LOADER, ...(opts.nodeArgs ?? []), entry, String(opts.port ?? 0)];
  const child = spawn(args[0]!, args.slice(1), { env, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  const waiters: { prefix: string; resolve: (l: string) => void }[] = [];
  let partial = "";
  child.stdout!.on("data", (d: Buffer) => {
    out += d;
    if (out.length > 1e6) out = out.slice(-1e5);
    partial += d;
    let i: number;
    while ((i = partial.indexOf("\n")) >= 0) {
      const line = partial.slice(0, i);
      partial = partial.slice(i + 1);
      const w = waiters.findIndex((x) => line.startsWith(x.prefix));
      if (w >= 0) waiters.splice(w, 1)[0]!.resolve(line);
    }
  });
  child.stderr!.on("data", (d) => {
    out += d;
    if (process.env.BENCH_VERBOSE) process.stderr.write(d);
  });
  const waitLine = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolve, reject) => {
      // Each wait listens for the child's exit only while it waits (a long run sends many commands).
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`${entry} exited with ${code}:\n${out.slice(-3000)}`));
      };
      const timer = setTimeout(() => {
        child.off("exit", onExit);
        reject(new Error(`${entry}: no "${prefix}" line in ${timeoutMs} ms:\n${out.slice(-3000)}`));
      }, timeoutMs);
      waiters.push({
        prefix,
        resolve: (l) => {
          clearTimeout(timer);
          child.off("exit", onExit);
          resolve(l);
        },
      });
      child.once("exit", onExit);
    });
  const line = await waitLine("listening ", 180_000);
  const port = Number(line.split(" ")[1]);
  return {
    port,
    pid: child.pid!,
    child,
    output: () => out,
    command: (cmd, reply) => {
      const p = waitLine(reply, 60_000);
      child.stdin!.write(cmd + "\n");
      return p;
    },
    stop: async (signal = "SIGTERM") => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      const t = setTimeout(() => child.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** A temp folder (PARLEY_DATA_DIR for server children, so they never touch ./data). */
export function tempDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** One line describing the machine, for the figures. */
export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Linux ${os.release()}, node ${process.version}`;
}

/**
 * Runs `fn` and measures, over it: the child's CPU % (of one core) and RSS; with `db`, the CPU % of the
 * PostgreSQL backends serving it; this process's (the generator's); and the whole machine's busy %.
 */
export async function measured<T>(
  pid: number,
  fn: () => Promise<T>,
  db?: string,
): Promise<{ result: T; cpuPercent: number; rssPeak: number; rssEnd: number; seconds: number; pgCpuPercent: number; generatorCpuPercent: number; machineCpuPercent: number }> {
  const a = procStats(pid);
  const pgA = db ? postgresCpu(db) : undefined;
  const genA = process.cpuUsage();
  const machineA = machineBusy();
  const t0 = performance.now();
  let rssPeak = a.rss;
  const timer = setInterval(() => {
    try {
      rssPeak = Math.max(rssPeak, procStats(pid).rss);
    } catch {
      /* exited */
    }
  }, 200);
  try {
    const result = await fn();
    const b = procStats(pid);
    const seconds = (performance.now() - t0) / 1000;
    const gen = process.cpuUsage(genA);
    const machineB = machineBusy();
    return {
      result,
      cpuPercent: (100 * (b.cpuSeconds - a.cpuSeconds)) / seconds,
      rssPeak: Math.max(rssPeak, b.rss),
      rssEnd: b.rss,
      seconds,
      pgCpuPercent: db && pgA ? (100 * postgresCpuSecondsSince(db, pgA)) / seconds : 0,
      generatorCpuPercent: (gen.user + gen.system) / 1e4 / seconds,
      machineCpuPercent: (100 * (machineB.busy - machineA.busy)) / Math.max(1, machineB.total - machineA.total),
    };
  } finally {
    clearInterval(timer);
  }
}

/** Busy and total clock ticks of the whole machine so far, from /proc/stat. */
function machineBusy(): { busy: number; total: number } {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]!.split(/\s+/).slice(1).map(Number);
  const idle = cpu[3]! + cpu[4]!;
  const total = cpu.reduce((x, y) => x + y, 0);
  return { busy: total - idle, total };
}

/** Connects `count` socket.io clients (websocket only), `concurrency` handshakes at a time. */
export async function connectSockets(
  port: number,
  count: number,
  optsFor: (i: number) => { cookie?: string; auth?: Record<string, unknown> },
  { concurrency = 50, reconnection = true }: { concurrency?: number; reconnection?: boolean } = {},
): Promise<import("socket.io-client").Socket[]> {
  const { io } = await import("socket.io-client");
  const sockets: import("socket.io-client").Socket[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const o = optsFor(i);
      const s = io(`http://127.0.0.1:${port}`, {
        path: "/socket.io",
        transports: ["websocket"],
        forceNew: true,
        reconnection,
        reconnectionDelay: 500,
        reconnectionDelayMax: 5000,
        extraHeaders: o.cookie ? { cookie: o.cookie } : {},
        auth: o.auth,
        timeout: 60_000,
      });
      sockets[i] = s;
      await new Promise<void>((resolve, reject) => {
        s.once("connect", () => resolve());
        s.once("connect_error", (err) => reject(new Error(`socket ${i}: ${err.message}`)));
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return sockets;
}

/** Emits with an ack; resolves with the ack or an `{ ok: false }` on timeout. */
export function request<T = unknown>(socket: import("socket.io-client").Socket, event: string, input: unknown, timeoutMs = 10_000): Promise<{ ok: true; data: T } | { ok: false; error: { code: string; message: string } }> {
  return new Promise((resolve) => {
    socket.timeout(timeoutMs).emit(event, input, (err: Error | null, res: { ok: true; data: T } | { ok: false; error: { code: string; message: string } }) => {
      resolve(err ? { ok: false, error: { code: "timeout", message: err.message } } : res);
    });
  });
}

/** How a fan-out run offers its sends: a fixed rate, or a fixed number in flight (saturation). */
export type TSendMode = { kind: "rate"; rate: number; seconds: number } | { kind: "window"; window: number; seconds: number };

/**
 * Offers sends as `mode` says; `sendOne(at)` gets the moment the send was scheduled (latency is measured
 * from it, so a late generator counts against the server, as a user would see it). Resolves once every
 * send has answered, with the seconds it took.
 */
export async function offerSends(mode: TSendMode, sendOne: (at: number) => Promise<void>): Promise<number> {
  const t0 = performance.now();
  const pending: Promise<void>[] = [];
  if (mode.kind === "rate") {
    const total = Math.round(mode.rate * mode.seconds);
    for (let i = 0; i < total; i++) {
      const at = t0 + (i * 1000) / mode.rate;
      const wait = at - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(sendOne(at));
    }
  } else {
    const until = t0 + mode.seconds * 1000;
    const loop = async () => {
      while (performance.now() < until) await sendOne(performance.now());
    };
    for (let w = 0; w < mode.window; w++) pending.push(loop());
  }
  await Promise.all(pending);
  return (performance.now() - t0) / 1000;
}
