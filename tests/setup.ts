/**
 * Runs in every test worker before the test files, so before any app code reads lib/env.ts.
 * Must not import app code itself (lib/env.ts reads the environment once, at import).
 *
 * - PostgreSQL run (tests/global-setup.ts created a database): DATABASE_URL points at it.
 * - Otherwise: DATABASE_URL is removed and PARLEY_DATA_DIR points at a fresh folder of this worker
 *   process, so each worker has its own PGlite database (PGlite allows one opener per folder).
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

const marker = globalThis as unknown as { __parleyTestEnvReady?: boolean };

if (!marker.__parleyTestEnvReady) {
  // Setup files run before every test file; a worker that runs several files keeps its first folder,
  // because the database client lives on globalThis for the life of the process.
  marker.__parleyTestEnvReady = true;

  // Cast: Next's types declare NODE_ENV read-only.
  (process.env as Record<string, string>).NODE_ENV = "test";
  process.env.PARLEY_LOG_LEVEL ??= "warn";

  const databaseUrl = inject("parleyTestDatabaseUrl");
  if (databaseUrl) {
    process.env.DATABASE_URL = databaseUrl;
  } else {
    delete process.env.DATABASE_URL;
    // Inside the run's folder (global-setup removes it at teardown), so nothing piles up in /tmp.
    const root = inject("parleyTestTmpRoot") || os.tmpdir();
    const dataDir = mkdtempSync(path.join(root, `parley-test-${process.pid}-`));
    process.env.PARLEY_DATA_DIR = dataDir;
    process.on("exit", () => {
      try {
        rmSync(dataDir, { recursive: true, force: true });
      } catch {
        // Best effort: the OS cleans its temp folder eventually.
      }
    });
  }
}
