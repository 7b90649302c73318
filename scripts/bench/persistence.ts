/**
 * `npm run bench -- persistence`: acknowledged durable messages per second through the real send path
 * (validation, rights, seq + ts under the channel lock, message + event rows, commit; group commit
 * under load) against raw single-row INSERTs of the same rows into a table of the same shape, with
 * the same number of requests in flight, on the same PostgreSQL in the same run.
 *
 * BENCH_PERSIST_MESSAGES (default 6,000), BENCH_PERSIST_CONCURRENCY (requests in flight; a list such as
 * "16,64,256" measures each, default 64), BENCH_PERSIST_CHANNELS (default 16). Every user sends at
 * most 50 messages per round, under the flood limit.
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { createBenchDb, f1, f2, summary } from "./lib";

type TRound = { perSecond: number; p50: number; p99: number };

/** Runs `total` calls of `fn` with `concurrency` in flight; throughput and latency. */
async function drive(total: number, concurrency: number, fn: (i: number) => Promise<unknown>): Promise<TRound> {
  const latencies: number[] = [];
  let next = 0;
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
  const s = summary(latencies);
  return { perSecond: total / seconds, p50: s.p50, p99: s.p99 };
}

export async function runPersistence(opts: { messages: number; concurrency: number[]; channels: number }): Promise<void> {
  const db = await createBenchDb();
  // As many connections as Parley's own pool (lib/db), so the baseline is not held back by fewer.
  const pool = new pg.Pool({ connectionString: db.url, max: 20 });
  try {
    const { ensureDbReady, closeDb } = await import("@/lib/db");
    await ensureDbReady();
    const { signUp } = await import("@/lib/users/service");
    const { createWorkspace, addMemberDirect } = await import("@/lib/workspaces/service");
    const { createChannel } = await import("@/lib/channels/service");
    const { sendMessage } = await import("@/lib/messages/service");
    const { groupCommitStats } = await import("@/lib/messages/group-commit");

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
    await pool.query(`CREATE TABLE raw_message (LIKE "Message" INCLUDING DEFAULTS INCLUDING INDEXES)`);

    const body = "a durable message with an ordinary length of text, 一条普通长度的消息";
    let rawSeq = 0;
    const raw = (concurrency: number) =>
      drive(opts.messages, concurrency, (i) => {
        const seq = ++rawSeq;
        return pool.query(`INSERT INTO raw_message (id, "channelId", seq, ts, "senderId", body, "updatedAt") VALUES ($1, $2, $3, $4, $5, $6, now())`, [
          `r${randomBytes(10).toString("hex")}`,
          channels[i % channels.length],
          seq,
          seq,
          users[i % users.length]!.id,
          body,
        ]);
      });
    let round = 0;
    const parley = (concurrency: number) => {
      round++;
      return drive(opts.messages, concurrency, (i) => {
        // Spread senders so nobody passes the flood limit (50 per user per round, limit 60 / 10 s).
        const user = users[Math.floor(i / perUser) % users.length]!;
        return sendMessage({ actor: { userId: user.id }, input: { channelId: channels[i % channels.length]!, body, clientMsgId: `p${round}-${i}-${randomBytes(4).toString("hex")}` } });
      });
    };

    // Warm both paths, then alternate so neither gets a warmer cache or a quieter machine.
    await drive(200, 8, (i) => pool.query(`SELECT ${i}`));
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
      console.log(`  raw single-row INSERT: ${f1(rawBest.perSecond)}/s   p50 ${f2(rawBest.p50)} ms  p99 ${f2(rawBest.p99)} ms`);
      console.log(`  Parley durable send:   ${f1(parleyBest.perSecond)}/s   p50 ${f2(parleyBest.p50)} ms  p99 ${f2(parleyBest.p99)} ms`);
      console.log(`  ratio Parley / raw:    ${f2(parleyBest.perSecond / rawBest.perSecond)}×   (target ≥ 1.5×, aim 3×)`);
      console.log(`  group commit: ${batches} batches, ${f1((after.messages - before.messages) / Math.max(1, batches))} messages per batch on average`);
    }
    await closeDb();
  } finally {
    await pool.end();
    await db.drop();
  }
}
