/**
 * `npm run bench -- persistence`: acknowledged durable messages per second through the real send path
 * (validation, rights, seq + ts under the channel lock, the message row, commit; group commit
 * under load) against raw single-row INSERTs of the same rows into a table of the same shape, with
 * the same number of requests in flight, on the same PostgreSQL in the same run.
 *
 * BENCH_PERSIST_MESSAGES (default 20,000: a round of a few seconds; at 6,000 a round lasted under a
 * second and measured mostly the ramp-up and the drain), BENCH_PERSIST_CONCURRENCY (requests in flight; a list such as
 * "16,64,256" measures each, default 64), BENCH_PERSIST_CHANNELS (default 16), BENCH_PERSIST_HISTORY
 * (messages already stored before the rounds, default 100,000). Every user sends at most 50 messages
 * per round, under the flood limit.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createBenchDb, f1, f2, postgresCpu, postgresCpuSecondsSince, summary } from "./lib";

/** `pgCpuUs`: CPU time per row of the PostgreSQL backends serving the database, `nodeCpuUs`: of this process. */
type TRound = { perSecond: number; p50: number; p99: number; pgCpuUs: number; nodeCpuUs: number };

/** Runs `total` calls of `fn` with `concurrency` in flight; throughput and latency. */
async function drive(db: string, total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<TRound> {
  const latencies: number[] = [];
  let next = 0;
  const pg0 = postgresCpu(db);
  const node0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (;;) {
        const i = next++;
        if (i >= total) return;
        const t = process.hrtime.bigint();
        await fn(i);
        latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const pgCpuUs = (postgresCpuSecondsSince(db, pg0) * 1e6) / total;
  const node = process.cpuUsage(node0);
  const s = summary(latencies);
  return { perSecond: total / seconds, p50: s.p50, p99: s.p99, pgCpuUs, nodeCpuUs: (node.user + node.system) / total };
}

export async function runPersistence(opts: { messages: number; concurrency: number[]; channels: number; history: number }): Promise<void> {
  const db = await createBenchDb();
  // As many connections as Parley's main pool (lib/db; its hot statements have 6 more, of which the
  // group commit uses at most 2), so the baseline is not held back by fewer.
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  try {
    const { ensureDbReady, closeDb } = await import("@/lib/db");
    await ensureDbReady();
    const { signUp } = await import("@/lib/users/service");
    const { createWorkspace, addMemberDirect } = await import("@/lib/workspaces/service");
    const { createChannel } = await import("@/lib/channels/service");
    const { sendMessage } = await import("@/lib/messages/service");
    const { groupCommitStats } = await import("@/lib/messages/group-commit");
    const { toTsvectorText } = await import("@/lib/search/tokenize");

    const body = "a durable message with an ordinary length of text, 一条普通长度的消息";
    const perUser = 50;
    const userCount = Math.ceil(opts.messages / perUser) + 1;
    const users: { id: string }[] = [];
    // Sign-up hashes passwords with argon2 (slow on purpose); insert the people directly instead.
    const hash = "!";
    for (let i = 0; i < userCount; i++) {
      const id = `bu${randomBytes(8).toString("hex")}`;
      await pool.query(`INSERT INTO "User"(id, email, name, "passwordHash", "updatedAt") VALUES ($1, $2, $3, $4, now())`, [id, `${id}@bench.test`, `User ${i}`, hash]);
      users.push({ id });
    }
    const owner = await signUp({ email: `owner-${randomBytes(4).toString("hex")}@bench.test`, name: "Owner", password: "benchmark password" });
    const slug = `persist-${randomBytes(3).toString("hex")}`;
    await createWorkspace({ actor: { userId: owner.id }, input: { name: "Persistence", slug } });
    for (const u of users) await addMemberDirect({ workspaceSlug: slug, userId: u.id, role: "MEMBER" });
    const channels: string[] = [];
    for (let c = 0; c < opts.channels; c++) {
      channels.push((await createChannel({ actor: { userId: owner.id }, slug, input: { name: `load-${c}`, memberIds: users.map((u) => u.id) } })).id);
    }
    // A database in use: history in every channel (both tables start with the same rows, so their
    // indexes are the same size) and statistics. Measured on empty tables, plans made for a few
    // pages are kept by every connection while the table grows under the benchmark.
    if (opts.history > 0) {
      const perChannel = Math.ceil(opts.history / channels.length);
      await pool.query(
        `WITH v AS (SELECT parley_search_vector($3) AS vec)
         INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "searchVector", "createdAt", "updatedAt")
         SELECT 'h' || c.ord || '_' || g, c.id, 1000 + g, 1000 + g, $4, $3, v.vec, now(), now()
         FROM unnest($1::text[]) WITH ORDINALITY AS c(id, ord), generate_series(1, $2::int) g, v`,
        [channels, perChannel, body, users[0]!.id],
      );
      await pool.query(`UPDATE "Channel" SET "lastSeq" = "lastSeq" + 1000 + $2, "lastTs" = GREATEST("lastTs", 1000 + $2) WHERE id = ANY($1::text[])`, [channels, perChannel]);
    }
    await pool.query(`CREATE TABLE raw_message (LIKE "Message" INCLUDING DEFAULTS INCLUDING INDEXES)`);
    await pool.query(`INSERT INTO raw_message SELECT * FROM "Message"`);
    await pool.query("VACUUM ANALYZE");

    let rawSeq = 100_000_000; // above the seeded history's seqs
    // The same row Parley stores, search vector included (its GIN index is the costliest of the table's).
    const searchVector = toTsvectorText(body);
    const raw = (concurrency: number) =>
      drive(db.name, opts.messages, concurrency, (i) => {
        const seq = ++rawSeq;
        return pool.query(`INSERT INTO raw_message (id, "channelId", seq, ts, "senderId", body, "searchVector", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, $7::tsvector, now())`, [
          `r${randomBytes(10).toString("hex")}`,
          channels[i % channels.length],
          seq,
          seq,
          users[i % users.length]!.id,
          body,
          searchVector,
        ]);
      });
    let round = 0;
    const parley = (concurrency: number) => {
      round++;
      return drive(db.name, opts.messages, concurrency, (i) => {
        // Spread senders so nobody passes the flood limit (50 per user per round, limit 60 / 10 s).
        const user = users[Math.floor(i / perUser) % users.length]!;
        return sendMessage({ actor: { userId: user.id }, input: { channelId: channels[i % channels.length]!, body, clientMsgId: `p${round}-${i}-${randomBytes(4).toString("hex")}` } });
      });
    };

    // Warm both paths, then alternate so neither gets a warmer cache or a quieter machine.
    await drive(db.name, 200, 8, (i) => pool.query(`SELECT ${i}`));
    for (const concurrency of opts.concurrency) {
      const results: { raw: TRound[]; parley: TRound[] } = { raw: [], parley: [] };
      const before = groupCommitStats();
      for (let r = 0; r < 2; r++) {
        results.raw.push(await raw(concurrency));
        results.parley.push(await parley(concurrency));
        // The flood limit's 10-second window must pass before the same users send again.
        await new Promise((res) => setTimeout(res, 10_500));
      }
      const after = groupCommitStats();
      const best = (rs: TRound[]) => rs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a));
      const rawBest = best(results.raw);
      const parleyBest = best(results.parley);
      const batches = after.batches - before.batches;
      console.log(`\npersistence — ${opts.messages} messages, ${concurrency} in flight, ${opts.channels} channels, PostgreSQL`);
      const cpu = (r: TRound) => `CPU per row: PostgreSQL backends ${f1(r.pgCpuUs)} µs, Node ${f1(r.nodeCpuUs)} µs`;
      console.log(`  raw single-row INSERT: ${f1(rawBest.perSecond)}/s   p50 ${f2(rawBest.p50)} ms  p99 ${f2(rawBest.p99)} ms   ${cpu(rawBest)}`);
      console.log(`  Parley durable send:   ${f1(parleyBest.perSecond)}/s   p50 ${f2(parleyBest.p50)} ms  p99 ${f2(parleyBest.p99)} ms   ${cpu(parleyBest)}`);
      console.log(`  ratio Parley / raw:    ${f2(parleyBest.perSecond / rawBest.perSecond)}×   (target ≥ 1.5×, aim 3×)`);
      console.log(`  group commit: ${batches} batches, ${f1((after.messages - before.messages) / Math.max(1, batches))} messages per batch on average`);
    }
    await closeDb();
  } finally {
    await pool.end();
    await db.drop();
  }
}
