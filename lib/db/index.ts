/**
 * The one Prisma client. DATABASE_URL set → PostgreSQL through @prisma/adapter-pg; unset → embedded
 * PGlite under `<dataDir>/pglite`. Created lazily so that importing a module (e.g. during `next build`)
 * never opens the database, and kept on globalThis so the tsx-run server and Next's route bundles,
 * which load separate copies of this module, share one client (PGlite allows one opener per folder).
 */
import { createHash } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { env } from "@/lib/env";
import { PrismaClient } from "@/lib/generated/prisma/client";

export type Db = PrismaClient;
export type { Prisma } from "@/lib/generated/prisma/client";

/** `hotPool`: the connections runHotQuery prepares its statements on (PostgreSQL only). */
type DbState = { client: PrismaClient; pool?: pg.Pool; hotPool?: pg.Pool; pglite?: PGlite; kind: "postgres" | "pglite"; ready?: Promise<void> };

const holder = globalThis as unknown as { __parleyDb?: DbState };

/** Where the embedded database lives. */
export function getPgliteDir(): string {
  return path.join(env.dataDir, "pglite");
}

/** Connections for runHotQuery: the group commit's batches in flight, plus room for the Events API's lookups. */
const HOT_POOL_SIZE = 6;
/**
 * The hot connections' settings. They always run a prepared statement's generic plan: left to choose
 * (plan_cache_mode auto), PostgreSQL re-planned the group-commit batch at every execution when its
 * first batches were small, as on a quiet server (1.2 ms of CPU for a batch of one instead of 0.45 ms).
 * A generic plan lives as long as its connection and is made from the statistics of that moment:
 * made on a fresh install, where "Message" was empty, it scanned every message for every batch,
 * slower and slower until statistics were gathered again. The hot statements are index lookups by
 * design, so these connections never choose a sequential scan where an index serves.
 */
export const HOT_CONNECTION_OPTIONS = "-c plan_cache_mode=force_generic_plan -c enable_seqscan=off";

let lastConnectionErrorLog = 0;
function logConnectionError(err: Error): void {
  if (Date.now() - lastConnectionErrorLog < 10_000) return; // an outage would log every connection
  lastConnectionErrorLog = Date.now();
  console.warn("[parley] database connection lost:", err.message);
}

/**
 * Every connection keeps an error listener for its whole life, and so does the pool (it re-emits an
 * idle client's error). The adapter listens only while a client is idle or inside a transaction; a
 * connection killed in between (a failover, an admin's pg_terminate_backend) would otherwise emit an
 * unhandled 'error' and crash the node. Queries in flight get the error anyway; the pool replaces
 * broken connections.
 */
function survivingLostConnections(pool: pg.Pool): pg.Pool {
  pool.on("connect", (client) => {
    opened.set(pool, (opened.get(pool) ?? 0) + 1);
    client.on("error", logConnectionError);
  });
  pool.on("error", logConnectionError);
  return pool;
}

function createState(): DbState {
  if (env.DATABASE_URL) {
    const pool = survivingLostConnections(new pg.Pool({ connectionString: env.DATABASE_URL, max: env.DATABASE_POOL_SIZE }));
    // Only the hot statements' connections take HOT_CONNECTION_OPTIONS: Prisma's one-off statements want custom plans.
    const hotPool = survivingLostConnections(new pg.Pool({ connectionString: env.DATABASE_URL, max: HOT_POOL_SIZE, options: HOT_CONNECTION_OPTIONS }));
    const adapter = new PrismaPg(pool, { disposeExternalPool: true });
    return { client: new PrismaClient({ adapter, omit: { user: { passwordHash: true } } }), pool, hotPool, kind: "postgres" };
  }
  const dir = getPgliteDir();
  mkdirSync(dir, { recursive: true });
  const pglite = new PGlite(dir, { extensions: { pg_trgm } });
  const adapter = new PrismaPGlite(pglite);
  return { client: new PrismaClient({ adapter, omit: { user: { passwordHash: true } } }), pglite, kind: "pglite" };
}

function getState(): DbState {
  holder.__parleyDb ??= createState();
  return holder.__parleyDb;
}

/** The shared Prisma client (password hashes omitted unless a query asks for them). */
export function getDb(): PrismaClient {
  return getState().client;
}

const statementNames = new Map<string, string>();

/**
 * Runs one hot statement straight on the driver, past Prisma's query engine, whose work per call was
 * a large share of a group-commit batch's CPU (and most of a history page's time). On PostgreSQL the
 * statement is prepared once per connection (`name` plus a hash of the text, so two texts never share
 * a name), so `text` must be fixed, with everything variable in `values`. `pool`: "hot", the small
 * pool of HOT_CONNECTION_OPTIONS, whose generic plans are never re-planned (the group commit); "main",
 * the ordinary pool, for reads that must not queue behind the batches.
 * Each driver parses result columns its own way: select only text, int4, float8, bool, json and
 * text[] (timestamps through epochMsSql).
 */
export async function runHotQuery<T>(name: string, text: string, values: unknown[], pool: "hot" | "main" = "hot"): Promise<T[]> {
  const s = getState();
  if (s.pglite) return (await s.pglite.query<T>(text, values)).rows;
  let statement = statementNames.get(text);
  if (!statement) {
    statement = `${name}_${createHash("sha1").update(text).digest("hex").slice(0, 12)}`;
    statementNames.set(text, statement);
  }
  return (await (pool === "hot" ? s.hotPool! : s.pool!).query<T & pg.QueryResultRow>({ name: statement, text, values })).rows;
}

/** A timestamp column for runHotQuery, as epoch milliseconds under its own name (read back with dateFromEpochMs). */
export function epochMsSql(table: string, column: string): string {
  return `(extract(epoch from ${table}."${column}") * 1000)::float8 AS "${column}"`;
}

export function dateFromEpochMs(ms: number): Date;
export function dateFromEpochMs(ms: number | null): Date | null;
export function dateFromEpochMs(ms: number | null): Date | null {
  return ms === null ? null : new Date(ms);
}

/** Connections each pool has opened since start (a pool replaces closed and idle-expired ones). */
const opened = new WeakMap<pg.Pool, number>();

type TPoolStats = { total: number; idle: number; waiting: number; opened: number };

/** Connections open, idle, opened so far, and queries waiting for one, per pool (PostgreSQL only; benchmarks read it). */
export function dbPoolStats(): { main: TPoolStats; hot: TPoolStats } | null {
  const { pool, hotPool } = getState();
  if (!pool || !hotPool) return null;
  const stats = (p: pg.Pool) => ({ total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount, opened: opened.get(p) ?? 0 });
  return { main: stats(pool), hot: stats(hotPool) };
}

/** Which engine backs the client, and the PGlite instance when embedded. */
export function getDbInfo(): { kind: "postgres" | "pglite"; pglite?: PGlite } {
  const s = getState();
  return { kind: s.kind, pglite: s.pglite };
}

/** Applies pending migrations once per process; every entry point awaits this before serving. */
export function ensureDbReady(): Promise<void> {
  const s = getState();
  s.ready ??= (async () => {
    const { migrateDatabase } = await import("@/lib/db/migrate");
    await migrateDatabase(s.kind === "pglite" ? { kind: "pglite", db: s.pglite! } : { kind: "postgres", url: env.DATABASE_URL! });
  })();
  return s.ready;
}

/** Resolves when the database answers a trivial query (health checks). */
export async function pingDb(): Promise<void> {
  await ensureDbReady();
  await getDb().$queryRaw`SELECT 1`;
}

/** Closes the client and the embedded database (tests, CLI, graceful shutdown). */
export async function closeDb(): Promise<void> {
  const s = holder.__parleyDb;
  if (!s) return;
  holder.__parleyDb = undefined;
  await s.client.$disconnect();
  await s.hotPool?.end();
  if (s.pglite) await s.pglite.close();
}
