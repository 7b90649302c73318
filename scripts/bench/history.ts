/**
 * `npm run bench -- history`: the message path against baselines taken in the same run, on the same
 * database.
 *
 *   send:     sendMessage (validation, permission check, seq under row lock, event row, commit)
 *             vs a raw single-row INSERT of the same message — the floor for a durable write.
 *   history:  the newest page, a middle page and the oldest page (by seq cursor) in a channel of N
 *             messages vs a primary-key lookup of one row.
 *
 * Uses a fresh PGlite folder, or PostgreSQL when BENCH_DATABASE_URL is set (a throwaway database
 * is created there and dropped). N = BENCH_MESSAGES (default 1,000,000; the quick run uses 20,000),
 * filled in bulk with generate_series.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function sample(count: number, fn: (i: number) => Promise<unknown>): Promise<{ p50: number; p99: number; perSecond: number }> {
  const times: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < count; i++) times.push(await time(() => fn(i)));
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), perSecond: count / total };
}

export async function runHistory({ messages: N, sends: SENDS }: { messages: number; sends: number }): Promise<void> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  let dbName: string | undefined;
  let dataDir: string | undefined;
  if (adminUrl) {
    dbName = `parley_bench_${randomBytes(4).toString("hex")}`;
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`CREATE DATABASE ${dbName}`);
    await c.end();
    const u = new URL(adminUrl);
    u.pathname = `/${dbName}`;
    process.env.DATABASE_URL = u.toString();
  } else {
    dataDir = mkdtempSync(path.join(os.tmpdir(), "parley-bench-"));
    process.env.PARLEY_DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
  }
  const { ensureDbReady, getDb, closeDb } = await import("@/lib/db");
  const { signUp } = await import("@/lib/users/service");
  const { createWorkspace } = await import("@/lib/workspaces/service");
  const { listMyChannels } = await import("@/lib/channels/service");
  const { sendMessage, listMessages } = await import("@/lib/messages/service");
  const { reset } = await import("@/lib/rate-limit");

  await ensureDbReady();
  const db = getDb();
  const user = await signUp({ name: "Bench", email: `bench-${randomBytes(4).toString("hex")}@example.test`, password: "benchmark password" });
  const actor = { userId: user.id };
  const slug = `bench-${randomBytes(4).toString("hex")}`;
  await createWorkspace({ actor, input: { name: "Bench", slug } });
  const channelId = (await listMyChannels({ actor, slug }))[0]!.id;
  const engine = adminUrl ? "PostgreSQL" : "PGlite";
  console.log(`\nSend and history on ${engine}`);

  // Baseline: one raw INSERT per message into a table of the same shape (no seq, no event, no checks).
  await db.$executeRawUnsafe(`CREATE TABLE bench_raw (id text PRIMARY KEY, "channelId" text, body text, "createdAt" timestamptz DEFAULT now())`);
  const raw = await sample(SENDS, (i) => db.$executeRaw`INSERT INTO bench_raw (id, "channelId", body) VALUES (${`r${i}`}, ${channelId}, ${`raw message ${i} 你好`})`);
  const send = await sample(SENDS, async (i) => {
    if (i % 50 === 0) await reset("messageSend", actor.userId); // measure the path, not the flood limit
    return sendMessage({ actor, input: { channelId, body: `message ${i} 你好 **bold**`, clientMsgId: `bench${i.toString().padStart(6, "0")}` } });
  });

  // Fill the channel to N messages in bulk (seq-consistent), then measure history pages.
  const have = await db.message.count({ where: { channelId } });
  const batch = 100_000;
  const fillStart = performance.now();
  for (let from = have + 1; from <= N; from += batch) {
    const to = Math.min(N, from + batch - 1);
    await db.$executeRaw`
      INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "createdAt", "updatedAt")
      SELECT 'bm' || g, ${channelId}, g, g::bigint, ${user.id}, 'filler ' || g || ' 项目进度', now(), now() FROM generate_series(${from}::int, ${to}::int) g`;
    await db.$executeRaw`INSERT INTO "ChannelEvent" ("channelId", seq, type, "messageId") SELECT ${channelId}, g, 'message.created', 'bm' || g FROM generate_series(${from}::int, ${to}::int) g`;
  }
  await db.$executeRaw`UPDATE "Channel" SET "lastSeq" = GREATEST("lastSeq", ${N}) WHERE id = ${channelId}`;
  await db.$executeRawUnsafe(`ANALYZE`);
  console.log(`filled the channel to ${N} messages in ${((performance.now() - fillStart) / 1000).toFixed(1)} s`);
  const pk = await sample(200, (i) => db.message.findUnique({ where: { id: `bm${(i % 1000) + SENDS + 1}` } }));
  const newest = await sample(200, () => listMessages({ actor, input: { channelId } }));
  const deep = await sample(200, (i) => listMessages({ actor, input: { channelId, before: Math.max(51, Math.floor(N / 2) - ((i * 37) % Math.max(1, Math.floor(N / 4)))) } }));
  const oldest = await sample(200, (i) => listMessages({ actor, input: { channelId, before: 51 + (i % 50) } }));

  const f = (n: number) => n.toFixed(2);
  console.log(`\nsend (${SENDS} sequential)      p50 ${f(send.p50)} ms  p99 ${f(send.p99)} ms  ${send.perSecond.toFixed(0)}/s`);
  console.log(`raw INSERT baseline           p50 ${f(raw.p50)} ms  p99 ${f(raw.p99)} ms  ${raw.perSecond.toFixed(0)}/s`);
  console.log(`  → send / raw throughput: ${(send.perSecond / raw.perSecond).toFixed(2)}×`);
  console.log(`\nhistory newest page (N=${N})   p50 ${f(newest.p50)} ms  p99 ${f(newest.p99)} ms`);
  console.log(`history deep page (seq ~N/2)  p50 ${f(deep.p50)} ms  p99 ${f(deep.p99)} ms`);
  console.log(`history oldest page            p50 ${f(oldest.p50)} ms  p99 ${f(oldest.p99)} ms`);
  console.log(`primary-key lookup baseline   p50 ${f(pk.p50)} ms  p99 ${f(pk.p99)} ms`);
  console.log(`  → newest page / pk lookup p50: ${(newest.p50 / pk.p50).toFixed(2)}×, deep page / newest page p50: ${(deep.p50 / newest.p50).toFixed(2)}×, oldest / newest p50: ${(oldest.p50 / newest.p50).toFixed(2)}× (≈1 means no OFFSET-style slowdown)`);
  console.log(`  → history page p99 (worst of newest/middle/oldest): ${f(Math.max(newest.p99, deep.p99, oldest.p99))} ms (target ≤ 25 ms)`);

  await closeDb();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (adminUrl && dbName) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
}

