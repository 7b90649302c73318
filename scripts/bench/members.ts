/**
 * `npm run bench -- members`: what the chat reads to name and pick people, in workspaces of
 * BENCH_WORKSPACE_SIZES members (default 1,000 and 10,000), through the service layer on PostgreSQL.
 * Baseline, in the same run: the whole member list, which every page load read before (to name
 * mentions, reactions and pins) and each people picker read when opened. Against it: a lookup of 30
 * members by id (a screen's mentions, reactions and pins) and a picker's search (a page of 50 by
 * name or email: empty, Latin, Chinese, no match). Reported: median and p99 time of BENCH_MEMBER_READS
 * reads (default 50) and the answer's JSON size.
 */
import { BENCH_PASSWORD, createBenchDb, f1, f2, migrateAndPool, summary } from "./lib";

type TRead = { label: string; read: () => Promise<unknown> };

async function timeReads(reads: number, read: () => Promise<unknown>): Promise<{ p50: number; p99: number; bytes: number }> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < reads; i++) {
    const start = performance.now();
    const answer = await read();
    times.push(performance.now() - start);
    bytes = Buffer.byteLength(JSON.stringify(answer));
  }
  const { p50, p99 } = summary(times);
  return { p50, p99, bytes };
}

export async function runMembers(options: { sizes: number[]; reads: number }): Promise<void> {
  const db = await createBenchDb();
  try {
    const pool = await migrateAndPool(db.url);
    const { hashPassword } = await import("@/lib/auth/password");
    const hash = await hashPassword(BENCH_PASSWORD);
    const largest = Math.max(...options.sizes);
    // Names as people have them: Latin and Chinese, so searches in either script find some.
    await pool.query(
      `INSERT INTO "User" (id, email, name, "passwordHash", "createdAt", "updatedAt")
       SELECT 'mu' || g, 'person' || g || '@members.test', (ARRAY['Ann','Bo','Chen','Dara','Eli'])[g % 5 + 1] || ' ' || g || ' ' || (ARRAY['张','王','李','赵','刘'])[g % 5 + 1] || '某', $2, now(), now()
       FROM generate_series(0, $1::int - 1) g`,
      [largest, hash],
    );
    for (const size of options.sizes) {
      await pool.query(`INSERT INTO "Workspace" (id, name, slug, "createdAt", "updatedAt") VALUES ($1, $1, $1, now(), now())`, [`mw${size}`]);
      await pool.query(
        `INSERT INTO "WorkspaceMember" (id, "workspaceId", "userId", role, status, "joinedAt", "updatedAt")
         SELECT 'mwm' || $1 || '_' || g, 'mw' || $1, 'mu' || g, (CASE WHEN g = 0 THEN 'OWNER' ELSE 'MEMBER' END)::"WorkspaceRole", 'ACTIVE', now(), now()
         FROM generate_series(0, $1::int - 1) g`,
        [size],
      );
    }
    await pool.query("VACUUM ANALYZE");
    await pool.end();

    // @/lib/db reads DATABASE_URL when first imported.
    process.env.DATABASE_URL = db.url;
    const { listMembers, searchMembers } = await import("@/lib/workspaces/service");
    const actor = { userId: "mu1", sessionVersion: 0 } as never;
    console.log(`\nmembers: reads through the service layer, ${options.reads} of each (ms; JSON size of the answer)`);
    for (const size of options.sizes) {
      const slug = `mw${size}`;
      const ids = Array.from({ length: 30 }, (_, i) => `mu${Math.floor((i * size) / 30)}`).join(",");
      const search = (q: string) => () => searchMembers({ actor, slug, input: { q } });
      const reads: TRead[] = [
        { label: "30 members by id (a screen's names)", read: () => listMembers({ actor, slug, ids }) },
        { label: "picker, empty search (first 50 by name)", read: search("") },
        { label: 'picker, "chen 1"', read: search("chen 1") },
        { label: 'picker, "王某"', read: search("王某") },
        { label: 'picker, "nobody" (no match)', read: search("nobody") },
      ];
      await timeReads(3, () => listMembers({ actor, slug })); // warm the plans and caches
      const all = await timeReads(options.reads, () => listMembers({ actor, slug }));
      console.log(`  ${size.toLocaleString()} members — baseline: the whole list  p50 ${f2(all.p50)}  p99 ${f2(all.p99)}  ${f1(all.bytes / 1024)} KB`);
      for (const { label, read } of reads) {
        const r = await timeReads(options.reads, read);
        console.log(`    ${label.padEnd(42)} p50 ${f2(r.p50).padStart(7)}  p99 ${f2(r.p99).padStart(7)}  ${f1(r.bytes / 1024).padStart(6)} KB   ×${f2(r.p50 / all.p50)} time, ×${(r.bytes / all.bytes).toFixed(3)} bytes of the baseline`);
      }
    }
  } finally {
    await db.drop();
  }
}
