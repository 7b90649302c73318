/**
 * `npm run db:migrate` — applies pending migrations from prisma/migrations to the configured database:
 * DATABASE_URL set → PostgreSQL, otherwise the embedded PGlite in `<PARLEY_DATA_DIR or ./data>/pglite`
 * (the same configuration lib/db uses). Prints a one-line summary on stdout; on failure prints the
 * reason on stderr and exits 1. Safe to run while nothing else has the PGlite folder open.
 */
import { closeDb, getDbInfo, getPgliteDir } from "@/lib/db";
import { migrateDatabase } from "@/lib/db/migrate";
import { env } from "@/lib/env";

async function main(): Promise<void> {
  const started = Date.now();
  const info = getDbInfo();
  const where = info.kind === "pglite" ? `PGlite at ${getPgliteDir()}` : "PostgreSQL (DATABASE_URL)";
  try {
    const applied = await migrateDatabase(info.kind === "pglite" ? { kind: "pglite", db: info.pglite! } : { kind: "postgres", url: env.DATABASE_URL! });
    const ms = Date.now() - started;
    console.log(applied.length ? `Applied ${applied.length} migration(s) to ${where} in ${ms} ms: ${applied.join(", ")}` : `${where} is up to date (${ms} ms).`);
  } finally {
    await closeDb();
  }
}

main().catch((e) => {
  process.stderr.write(`db:migrate failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
