/**
 * Applies `prisma/migrations/*\/migration.sql` with Prisma's schema engine compiled to WebAssembly
 * (`@prisma/schema-engine-wasm`), because the native engine the Prisma CLI wants cannot be downloaded
 * on offline machines (docs: /work/shared/docs/offline-env.md, "Prisma 7").
 *
 * - Same bookkeeping as `prisma migrate deploy`: the engine records each migration (with the SHA-256 of
 *   its file) in `_prisma_migrations`, so a machine with internet access can use the stock CLI too.
 * - The `.wasm` is read from disk and instantiated here with the imports of `schema_engine_bg.js` (the
 *   package's entry imports the `.wasm` as an ES module, which plain Node/tsx cannot load). The glue is
 *   imported by its package specifier, so Next bundles it normally; the compiled WebAssembly.Module is
 *   kept on globalThis, so tsx and Next's route bundles compile the 5 MB binary once per process.
 * - Calls are serialised per process (queue on globalThis). On PostgreSQL, processes are serialised by a
 *   session advisory lock held on a dedicated connection for the whole run. (The engine also runs
 *   `pg_advisory_lock(72707369)`, but on a pooled connection that an idle timeout may close; ours is
 *   the one relied on.)
 * - Adapter fixes (see fixExecuteScript, relabelCharColumns): scripts run whole, like the native engine;
 *   PGlite errors in a migration are no longer lost; `"char"` catalog columns are readable via adapter-pg.
 * - Engine logs never reach stdout: everything goes to stderr when PARLEY_LOG_LEVEL=debug, and recent
 *   warnings/errors are attached to the thrown error.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";

export type MigrateTarget = { kind: "pglite"; db: PGlite } | { kind: "postgres"; url: string };

type EngineBg = typeof import("@prisma/schema-engine-wasm/schema_engine_bg");
type SchemaEngine = import("@prisma/schema-engine-wasm/schema_engine_bg").SchemaEngine;
type MigrationList = import("@prisma/schema-engine-wasm/schema_engine_bg").MigrationList;

/** Key of the cross-process advisory lock (arbitrary; distinct from Prisma's own 72707369). */
const PG_MIGRATE_LOCK_KEY = 727073690;

const FILTERS = { externalTables: [] as string[], externalEnums: [] as string[] };

type Shared = {
  wasmModule?: Promise<WebAssembly.Module>;
  initialised: WeakMap<object, Promise<LoadedEngine>>;
  queue: Promise<unknown>;
};
const holder = globalThis as unknown as { __parleySchemaEngine?: Shared };
function shared(): Shared {
  holder.__parleySchemaEngine ??= { initialised: new WeakMap(), queue: Promise.resolve() };
  return holder.__parleySchemaEngine;
}

/** The folder holding the migrations (resolved from the working directory, i.e. the repo root). */
export function getMigrationsDir(): string {
  return path.join(process.cwd(), "prisma", "migrations");
}

/** Finds a file of `@prisma/schema-engine-wasm` on disk, without bundler-visible `require.resolve`. */
function resolveEngineFile(file: string): string {
  const spec = ["@prisma", "schema-engine-wasm", "schema_engine_bg"].join("/");
  const bases: string[] = [path.join(process.cwd(), "package.json")];
  try {
    if (typeof import.meta.url === "string" && import.meta.url.startsWith("file:")) bases.push(import.meta.url);
  } catch {
    /* not an ES module context */
  }
  for (const base of bases) {
    try {
      const resolve = createRequire(base).resolve;
      return path.join(path.dirname(resolve(spec)), file);
    } catch {
      /* try the next base */
    }
  }
  return path.join(process.cwd(), "node_modules", "@prisma", "schema-engine-wasm", file);
}

type LoadedEngine = {
  bg: EngineBg;
  /** The engine's timers (it arms a timeout per operation and never clears it); see withSchemaEngine. */
  timers: Set<ReturnType<typeof setTimeout>>;
  active: number;
};

/** Loads the wasm-bindgen glue and instantiates the engine binary into it (once per glue module). */
export async function loadSchemaEngine(): Promise<LoadedEngine> {
  const bg: EngineBg = await import("@prisma/schema-engine-wasm/schema_engine_bg");
  const s = shared();
  let loading = s.initialised.get(bg);
  if (!loading) {
    loading = (async () => {
      s.wasmModule ??= (async () => {
        const file = resolveEngineFile("schema_engine_bg.wasm");
        let bytes: Buffer;
        try {
          bytes = await readFile(file);
        } catch (e) {
          throw new Error(`Cannot read the Prisma schema engine (${file}): is @prisma/schema-engine-wasm installed? ${(e as Error).message}`);
        }
        return WebAssembly.compile(new Uint8Array(bytes));
      })();
      const mod = await s.wasmModule;
      const timers = new Set<ReturnType<typeof setTimeout>>();
      const imports: Record<string, unknown> = { ...bg };
      for (const name of Object.keys(bg)) {
        if (!name.startsWith("__wbg_setTimeout_")) continue;
        imports[name] = (callback: () => void, ms: number) => {
          const t = setTimeout(() => {
            timers.delete(t);
            callback();
          }, ms >>> 0);
          timers.add(t);
          return t;
        };
      }
      const instance = await WebAssembly.instantiate(mod, { "./schema_engine_bg.js": imports as WebAssembly.ModuleImports });
      bg.__wbg_set_wasm(instance.exports);
      (instance.exports as { __wbindgen_start: () => void }).__wbindgen_start();
      return { bg, timers, active: 0 };
    })();
    loading.catch(() => s.initialised.delete(bg));
    s.initialised.set(bg, loading);
  }
  return loading;
}

/**
 * Keeps the engine's log lines off stdout: everything → stderr when PARLEY_LOG_LEVEL=debug; warnings and
 * errors (shortened) are kept for the error message. INFO lines are noise there: they echo whole scripts.
 */
export function makeEngineLog(): { callback: (line: unknown) => void; recent: () => string } {
  const ring: string[] = [];
  const debug = process.env.PARLEY_LOG_LEVEL === "debug";
  return {
    callback: (line: unknown) => {
      const text = (typeof line === "string" ? line : JSON.stringify(line)).trim();
      if (debug) process.stderr.write(`[schema-engine] ${text}\n`);
      let level = "";
      let message = text;
      try {
        const parsed = JSON.parse(text) as { level?: string; fields?: { message?: string } };
        level = parsed.level ?? "";
        message = parsed.fields?.message ?? text;
      } catch {
        /* not JSON: keep as is */
      }
      if (level === "WARN" || level === "ERROR") {
        ring.push(`${level} ${message.length > 300 ? `${message.slice(0, 300)}…` : message}`);
        if (ring.length > 5) ring.shift();
      }
    },
    recent: () => ring.join("\n"),
  };
}

type ErrorRegistryLike = { consumeError(id: number): { error: unknown } | undefined };

/**
 * Turns whatever the engine threw (Error, JSON string, plain object) into readable text. Errors raised
 * inside the driver adapter reach the engine as "External error id#N"; the registry of the bound
 * factory holds the original, which is spliced back in.
 */
export function engineErrorMessage(e: unknown, registry?: ErrorRegistryLike): string {
  let msg: string;
  if (e instanceof Error) msg = e.message;
  else if (typeof e === "string") msg = e;
  else if (e && typeof e === "object") {
    const o = e as { message?: unknown; error?: unknown; error_code?: unknown };
    msg = typeof o.message === "string" ? o.message : typeof o.error === "string" ? o.error : JSON.stringify(e);
    if (o.error_code) msg = `${o.error_code}: ${msg}`;
  } else msg = String(e);
  // Drop the engine's span trace ("   0: sql_schema_connector::… / with … / at …rs:113"), keeping the
  // name of the migration that failed.
  const failed = /migration_name="([^"]+)"/.exec(msg)?.[1];
  msg = msg
    .split("\n")
    .filter((l) => !/^\s+(\d+: |with |at \S+\.rs:)/.test(l))
    .join("\n")
    .trim();
  if (failed && !msg.includes(failed)) msg = `${failed}: ${msg}`;
  if (registry) {
    msg = msg.replace(/External error id#(\d+)/g, (whole, id: string) => {
      const rec = registry.consumeError(Number(id));
      if (!rec) return whole;
      const err = rec.error as { message?: unknown; cause?: unknown; originalMessage?: unknown; kind?: unknown } | undefined;
      const inner = err && typeof err === "object" ? (err.cause as { message?: unknown; originalMessage?: unknown } | undefined) : undefined;
      const text = [err?.message, inner?.originalMessage, inner?.message].find((t) => typeof t === "string" && t) ?? JSON.stringify(err);
      return `${whole} (${text})`;
    });
  }
  return msg;
}

/** Reads the migrations folder the way the Prisma CLI does (sorted directories, migration.sql each). */
export async function readMigrationsList(baseDir: string): Promise<MigrationList> {
  const lockPath = "migration_lock.toml";
  const lockContent = await readFile(path.join(baseDir, lockPath), "utf8").catch(() => null);
  const entries = await readdir(baseDir, { withFileTypes: true });
  const dirs = entries.filter((d) => d.isDirectory()).map((d) => d.name).sort((a, b) => a.localeCompare(b));
  const migrationDirectories = await Promise.all(
    dirs.map(async (name) => {
      const content = await readFile(path.join(baseDir, name, "migration.sql"), "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (err: Error) => ({ tag: "error" as const, value: err.message }),
      );
      return { path: name, migrationFile: { path: "migration.sql", content } };
    }),
  );
  return { baseDir, lockfile: { path: lockPath, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

/**
 * PostgreSQL's internal `"char"` type (OID 18, array 1002), returned by some catalog queries, has no
 * Prisma column type, so @prisma/adapter-pg throws UnsupportedNativeDataType on it. Relabel such
 * columns as text (25 / 1009) in the raw results, before the adapter maps them (adapter and transactions).
 */
export function relabelCharColumns(adapter: object): void {
  type IO = { performIO?: (q: unknown) => Promise<{ fields?: { dataTypeID: number }[]; rows?: unknown[][] }>; startTransaction?: (...a: unknown[]) => Promise<object> };
  const a = adapter as IO;
  const io = a.performIO;
  if (typeof io === "function") {
    a.performIO = async (q: unknown) => {
      const res = await io.call(a, q);
      const fields = res?.fields ?? [];
      for (let i = 0; i < fields.length; i++) {
        if (fields[i].dataTypeID === 18) fields[i].dataTypeID = 25;
        else if (fields[i].dataTypeID === 1002) {
          fields[i].dataTypeID = 1009;
          // pg leaves "char"[] as an array literal ("{r,v}"); a text-array column must hold an array.
          const parse = ((await import("pg")).default.types.getTypeParser as (oid: number) => (v: string) => unknown)(1009);
          for (const row of res.rows ?? []) if (typeof row[i] === "string") row[i] = parse(row[i] as string);
        }
      }
      return res;
    };
  }
  const start = a.startTransaction;
  if (typeof start === "function") {
    a.startTransaction = async (...args: unknown[]) => {
      const tx = await start.apply(a, args);
      relabelCharColumns(tx);
      return tx;
    };
  }
}

/**
 * Runs a migration script the way Prisma's native engine does on PostgreSQL: the whole file as one
 * simple-protocol query (so PostgreSQL runs it in one implicit transaction, and `$$` function bodies or
 * semicolons inside strings survive). Both adapters get this wrong for migrations:
 * - pglite-prisma-adapter 0.7 does not await `exec`, so a failing migration is recorded as applied
 *   and its error surfaces later as an unhandled rejection (crashing the process);
 * - @prisma/adapter-pg splits the script on every ";" and runs the pieces one by one.
 */
export function fixExecuteScript(adapter: object, kind: MigrateTarget["kind"]): void {
  const a = adapter as {
    executeScript?: (script: string) => Promise<void>;
    onError?: (e: unknown) => never;
    client?: { exec?: (sql: string) => Promise<unknown> };
    underlyingDriver?: () => { query?: (sql: string) => Promise<unknown> };
  };
  const run =
    kind === "pglite"
      ? (sql: string) => a.client!.exec!(sql)
      : (sql: string) => {
          const pool = a.underlyingDriver!();
          return pool.query!(sql);
        };
  if (kind === "pglite" ? typeof a.client?.exec !== "function" : typeof a.underlyingDriver !== "function") {
    throw new Error(`Unexpected ${kind} driver adapter shape: cannot run migration scripts safely (adapter version changed?)`);
  }
  a.executeScript = async (script: string) => {
    try {
      await run(script);
    } catch (e) {
      if (typeof a.onError === "function") a.onError(e);
      throw e;
    }
  };
}

/** Wraps a factory so every adapter the engine opens is tracked (and disposed by us at the end). */
function trackingFactory(inner: SqlMigrationAwareDriverAdapterFactory, opened: SqlDriverAdapter[], onAdapter?: (a: SqlDriverAdapter) => void): SqlMigrationAwareDriverAdapterFactory {
  const track = (a: SqlDriverAdapter) => {
    opened.push(a);
    onAdapter?.(a);
    return a;
  };
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => track(await inner.connect()),
    connectToShadowDb: async () => track(await inner.connectToShadowDb()),
  };
}

function describeTarget(target: MigrateTarget): string {
  if (target.kind === "pglite") return `PGlite ${target.db.dataDir ?? "(in memory)"}`;
  try {
    const u = new URL(target.url);
    return `PostgreSQL ${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
  } catch {
    return "PostgreSQL (unparsable DATABASE_URL)";
  }
}

/** Holds a session advisory lock on its own connection so concurrent processes migrate one at a time. */
async function withPgLock<T>(target: { kind: "postgres"; url: string }, fn: () => Promise<T>): Promise<T> {
  const pg = (await import("pg")).default;
  const client = new pg.Client({ connectionString: target.url });
  client.on("error", () => {}); // a dropped lock connection must not crash the process (the engine also locks)
  try {
    await client.connect();
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATE_LOCK_KEY]);
  } catch (e) {
    await client.end().catch(() => {});
    throw new Error(`Database migration failed on ${describeTarget(target)}: cannot connect or take the migration lock: ${(e as Error).message}`, { cause: e });
  }
  try {
    try {
      return await fn();
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATE_LOCK_KEY]).catch(() => {});
    }
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Runs `fn` with a schema engine bound to `factory`, then frees it and disposes the adapters it opened.
 * Engine failures are rethrown as Errors whose message starts with `what` and carries the adapter's
 * original error and the last engine log lines. The engine arms a 10 s timeout per operation and never
 * clears it; those timers are cleared here once no engine is running, or every CLI run would linger.
 */
export async function withSchemaEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  options: { what: string; datamodels?: [string, string][]; onAdapter?: (a: SqlDriverAdapter) => void },
  fn: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const loaded = await loadSchemaEngine();
  const { bindMigrationAwareSqlAdapterFactory } = await import("@prisma/driver-adapter-utils");
  const opened: SqlDriverAdapter[] = [];
  const log = makeEngineLog();
  const bound = bindMigrationAwareSqlAdapterFactory(trackingFactory(factory, opened, options.onAdapter));
  let engine: SchemaEngine | undefined;
  loaded.active++;
  try {
    engine = await loaded.bg.SchemaEngine.new({ datamodels: options.datamodels }, log.callback, bound);
    return await fn(engine);
  } catch (e) {
    const recent = log.recent();
    throw new Error(`${options.what}: ${engineErrorMessage(e, bound.errorRegistry)}${recent ? `\nLast schema engine log lines:\n${recent}` : ""}`, { cause: e });
  } finally {
    try {
      engine?.free();
    } catch {
      /* already freed */
    }
    for (const a of opened) await a.dispose().catch(() => {});
    if (--loaded.active === 0) {
      for (const t of loaded.timers) clearTimeout(t);
      loaded.timers.clear();
    }
  }
}

async function migrateOnce(target: MigrateTarget): Promise<string[]> {
  const baseDir = getMigrationsDir();
  const isDir = await stat(baseDir).then((s) => s.isDirectory(), () => false);
  if (!isDir) throw new Error(`No migrations folder at ${baseDir} (run from the repository root, or create one with \`npm run db:diff -- <name>\`).`);
  const migrationsList = await readMigrationsList(baseDir);
  if (migrationsList.migrationDirectories.length === 0) throw new Error(`No migrations in ${baseDir}: create one with \`npm run db:diff -- <name>\`.`);

  let factory: SqlMigrationAwareDriverAdapterFactory;
  let onAdapter: ((a: SqlDriverAdapter) => void) | undefined;
  if (target.kind === "postgres") {
    const { PrismaPg } = await import("@prisma/adapter-pg");
    factory = new PrismaPg({ connectionString: target.url, max: 2 });
    onAdapter = (a) => {
      relabelCharColumns(a);
      fixExecuteScript(a, "postgres");
    };
  } else {
    const { PrismaPGlite } = await import("pglite-prisma-adapter");
    factory = new PrismaPGlite(target.db) as unknown as SqlMigrationAwareDriverAdapterFactory;
    onAdapter = (a) => fixExecuteScript(a, "pglite");
  }
  return withSchemaEngine(factory, { what: `Database migration failed on ${describeTarget(target)}`, onAdapter }, async (engine) => {
    const out = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    return out.appliedMigrationNames;
  });
}

/**
 * Applies every migration not yet recorded in `_prisma_migrations`; returns the names just applied
 * (empty when the database is up to date). Safe to call concurrently within and across processes.
 */
export function migrateDatabase(target: MigrateTarget): Promise<string[]> {
  const s = shared();
  const run = async () => (target.kind === "postgres" ? withPgLock(target, () => migrateOnce(target)) : migrateOnce(target));
  const result = s.queue.then(run, run);
  s.queue = result.catch(() => {});
  return result;
}
