/**
 * Vitest global setup (runs once, in the main process, before any worker starts).
 *
 * With PARLEY_TEST_PG_URL set (an admin URL such as postgresql://postgres@127.0.0.1:5432/postgres) it
 * creates a throwaway database `parley_test_<timestamp>_<random>`, hands its URL to the workers and
 * drops it afterwards. Without it the tests run on embedded PGlite (one folder per worker, see
 * tests/setup.ts) and this does nothing.
 *
 * The URL reaches the workers two ways: `process.env.DATABASE_URL` here (forked workers inherit the
 * environment) and `project.provide("parleyTestDatabaseUrl")`, which tests/setup.ts reads with
 * `inject()` and copies into DATABASE_URL before any test file imports app code.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** URL of this run's throwaway PostgreSQL database, or "" when the tests use PGlite. */
    parleyTestDatabaseUrl: string;
    /** Folder holding this run's per-worker PGlite folders; removed at teardown. */
    parleyTestTmpRoot: string;
  }
}

const DB_PREFIX = "parley_test_";
/** Databases left by crashed runs are dropped once they are this old (younger ones may be in use). */
const STALE_AFTER_MS = 6 * 60 * 60 * 1000;

/** Runs `fn` with a connection to the admin database. */
async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Terminates every connection to `name` and drops it. */
async function dropDatabase(client: pg.Client, name: string): Promise<void> {
  await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()", [name]);
  await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** Drops parley_test_* databases whose name says they were made long ago (runs that never tore down). */
async function dropStaleDatabases(client: pg.Client): Promise<void> {
  const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'parley\\_test\\_%'");
  for (const { datname } of rows) {
    const createdAt = Number(datname.slice(DB_PREFIX.length).split("_")[0]);
    if (Number.isFinite(createdAt) && Date.now() - createdAt > STALE_AFTER_MS) await dropDatabase(client, datname).catch(() => {});
  }
}

/** Creates the run's database when PARLEY_TEST_PG_URL is set; returns the teardown. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // Workers are stopped with a signal, so their own exit handlers may not run: remove everything here.
  const tmpRoot = mkdtempSync(path.join(os.tmpdir(), "parley-test-run-"));
  project.provide("parleyTestTmpRoot", tmpRoot);
  const removeTmpRoot = () => rmSync(tmpRoot, { recursive: true, force: true });

  const adminUrl = process.env.PARLEY_TEST_PG_URL;
  if (!adminUrl) {
    if (process.env.DATABASE_URL) {
      // Tests create and wipe data: never aim them at a developer's database by accident.
      console.warn("[tests] Ignoring DATABASE_URL; unit tests use PGlite. Set PARLEY_TEST_PG_URL to test on PostgreSQL.");
      delete process.env.DATABASE_URL;
    }
    project.provide("parleyTestDatabaseUrl", "");
    return async () => removeTmpRoot();
  }

  const name = `${DB_PREFIX}${Date.now()}_${randomBytes(4).toString("hex")}`;
  await withAdmin(adminUrl, async (client) => {
    await dropStaleDatabases(client);
    await client.query(`CREATE DATABASE "${name}"`);
  });
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const databaseUrl = url.toString();

  process.env.DATABASE_URL = databaseUrl;
  project.provide("parleyTestDatabaseUrl", databaseUrl);
  console.log(`[tests] PostgreSQL test database: ${name}`);

  return async () => {
    removeTmpRoot();
    await withAdmin(adminUrl, (client) => dropDatabase(client, name));
    console.log(`[tests] Dropped ${name}`);
  };
}
