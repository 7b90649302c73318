/**
 * `npm run bench -- history`: the message path against baselines taken in the same run, on the same
 * database.
 *
 *   send:     sendMessage (validation, permission check, seq under row lock, the message row, commit)
 *             vs a raw single-row INSERT of the same message — the floor for a durable write.
 *   history:  the newest page, a middle page and the oldest page (by seq cursor) in a channel of N
 *             messages vs a primary-key lookup of one row.
 *   search:   searchMessages (lib/search) over the same N messages — a rare word, a common word, a
 *             Chinese two-character word, a phrase, relevance order, a second page, and an in: filter
 *             (a second channel of N/50) — vs the same primary-key lookup.
 *
 * The seeded texts are realistic for search: 4–15 words per message drawn from a mixed English and
 * Chinese vocabulary with a Zipf-like skew (the commonest word is in about a third of the messages),
 * Chinese words written without spaces, plus planted rare words and phrases of known frequency.
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

/** Searches timed per query kind. */
const SEARCH_SAMPLES = Number(process.env.BENCH_SEARCH_SAMPLES ?? 200);

/**
 * SQL text of a seeded message (row `g`): 4–15 words, each English (spaced) or Chinese (written
 * without spaces), picked with a Zipf-like skew (power(random(), 2.5) favours the start of each list);
 * planted: "zephyrquartz" in 1 message of 10,007, "release plan" in 1 of 997.
 */
const EN_WORDS = "the to and of a in is for on that it with we this be are deploy release plan meeting review bug fix update server client api test build merge branch ticket customer report design data query index cache latency dashboard alert incident rollback staging production feature sprint roadmap budget invoice contract launch demo".split(" ");
const ZH_WORDS = "我们 今天 项目 进度 会议 讨论 测试 上线 问题 需求 客户 版本 发布 服务器 数据库 接口 文档 设计 计划 周报 修复 部署 性能 监控 告警 回滚 预算 合同 演示 产品 用户 反馈 优化 团队 明天 下午 已经 完成 负责 安排".split(" ");
const sqlArray = (words: string[]) => `ARRAY[${words.map((w) => `'${w}'`).join(",")}]::text[]`;
const BENCH_TEXT_SQL = `(
  SELECT string_agg(w.word, CASE WHEN w.zh THEN '' ELSE ' ' END)
  FROM (
    SELECT z.zh, CASE WHEN z.zh THEN (${sqlArray(ZH_WORDS)})[1 + floor(power(random(), 2.5) * ${ZH_WORDS.length})::int]
                      ELSE (${sqlArray(EN_WORDS)})[1 + floor(power(random(), 2.5) * ${EN_WORDS.length})::int] END AS word
    FROM (SELECT random() < 0.5 AS zh, k FROM generate_series(1, 4 + (g % 12)) k) z
  ) w
) || CASE WHEN g % 10007 = 0 THEN ' zephyrquartz' ELSE '' END || CASE WHEN g % 997 = 0 THEN ' release plan' ELSE '' END`;

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
  const ws = { id: (await db.workspace.findUniqueOrThrow({ where: { slug }, select: { id: true } })).id };
  let searchWorst = 0;
  const engine = adminUrl ? "PostgreSQL" : "PGlite";
  console.log(`\nSend and history on ${engine}`);

  // Baseline: one raw INSERT per message into a table of the same shape (no seq, no event, no checks).
  await db.$executeRawUnsafe(`CREATE TABLE bench_raw (id text PRIMARY KEY, "channelId" text, body text, "createdAt" timestamptz DEFAULT now())`);
  const raw = await sample(SENDS, (i) => db.$executeRaw`INSERT INTO bench_raw (id, "channelId", body) VALUES (${`r${i}`}, ${channelId}, ${`raw message ${i} 你好`})`);
  const send = await sample(SENDS, async (i) => {
    if (i % 50 === 0) await reset("messageSend", actor.userId); // measure the path, not the flood limit
    return sendMessage({ actor, input: { channelId, body: `message ${i} 你好 **bold**`, clientMsgId: `bench${i.toString().padStart(6, "0")}` } });
  });

  // Fill the channel to N messages in bulk (seq-consistent), then measure history pages. The search
  // index is dropped during the bulk fill and rebuilt after (as a bulk import would), which is much
  // faster than maintaining a GIN index row by row; the generated column is computed either way.
  const have = await db.message.count({ where: { channelId } });
  const batch = 100_000;
  const fillStart = performance.now();
  await db.$executeRawUnsafe(`DROP INDEX IF EXISTS "Message_searchVector_idx"`);
  const fill = async (chId: string, prefix: string, from: number, to: number) => {
    await db.$executeRawUnsafe(
      `INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "createdAt", "updatedAt")
       SELECT $3 || g, $1, g, g::bigint, $2, ${BENCH_TEXT_SQL}, now(), now() FROM generate_series($4::int, $5::int) g`,
      chId, user.id, prefix, from, to,
    );
  };
  for (let from = have + 1; from <= N; from += batch) await fill(channelId, "bm", from, Math.min(N, from + batch - 1));
  await db.$executeRaw`UPDATE "Channel" SET "lastSeq" = GREATEST("lastSeq", ${N}) WHERE id = ${channelId}`;
  // A second, smaller channel for the in: filter.
  const { createChannel } = await import("@/lib/channels/service");
  const small = await createChannel({ actor, slug, input: { name: "bench-small", kind: "PUBLIC" } });
  const smallN = Math.max(1000, Math.floor(N / 50));
  await fill(small.id, "bs", 1, smallN);
  await db.$executeRaw`UPDATE "Channel" SET "lastSeq" = ${smallN} WHERE id = ${small.id}`;
  const fillSeconds = (performance.now() - fillStart) / 1000;
  const indexStart = performance.now();
  await db.$executeRawUnsafe(`SET maintenance_work_mem = '256MB'`).catch(() => undefined);
  await db.$executeRawUnsafe(`CREATE INDEX "Message_searchVector_idx" ON "Message" USING gin ("searchVector")`);
  const indexSeconds = (performance.now() - indexStart) / 1000;
  // A settled database, as a server that has held these messages for a while is: without VACUUM the
  // first reads set hint bits page by page, and autovacuum (triggered by the million inserts) works
  // through the table and its search index during the measurement.
  await db.$executeRawUnsafe(`VACUUM ANALYZE`);
  console.log(`filled the channel to ${N} messages (+${smallN} in #bench-small) in ${fillSeconds.toFixed(1)} s; search index built in ${indexSeconds.toFixed(1)} s`);
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

  // Search: each kind through the service (permission-scoped query, count up to 1,000, snippets).
  const { searchMessages } = await import("@/lib/search/service");
  const frequency = async (tsquery: string) => Number((await db.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "Message" WHERE "searchVector" @@ ${tsquery}::tsquery`)[0]!.n);
  const kinds: { label: string; query: string; sort?: "newest" | "relevance"; secondPage?: boolean; tsquery: string }[] = [
    { label: "rare word", query: "zephyrquartz", tsquery: "'zephyrquartz'" },
    { label: "common word", query: "the", tsquery: "'the'" },
    { label: "Chinese two-character word", query: "项目", tsquery: "'项目'" },
    { label: "phrase", query: '"release plan"', tsquery: "'release' <-> 'plan'" },
    { label: "two words (AND)", query: "deploy 测试", tsquery: "'deploy' & '测试'" },
    { label: "common word, relevance", query: "the", sort: "relevance", tsquery: "'the'" },
    { label: "common word, 2nd page", query: "the", secondPage: true, tsquery: "'the'" },
    { label: "common word in:#bench-small", query: "the in:#bench-small", tsquery: "'the'" },
  ];
  console.log(`\nsearch over ${N + smallN} messages (20 per page, through searchMessages)`);
  for (const k of kinds) {
    const matching = await frequency(k.tsquery);
    const cursor = k.secondPage ? (await searchMessages(actor, { workspaceId: ws.id, query: k.query, limit: 20 })).nextCursor ?? undefined : undefined;
    const r = await sample(SEARCH_SAMPLES, async (i) => {
      if (i % 50 === 0) await reset("search", actor.userId); // measure the path, not the rate limit
      return searchMessages(actor, { workspaceId: ws.id, query: k.query, sort: k.sort ?? "newest", limit: 20, cursor, withTotal: !cursor });
    });
    searchWorst = Math.max(searchWorst, r.p99);
    console.log(`search ${k.label.padEnd(30)} p50 ${f(r.p50)} ms  p99 ${f(r.p99)} ms  (${matching.toLocaleString("en-US")} messages match)`);
  }
  console.log(`primary-key lookup baseline   p50 ${f(pk.p50)} ms  p99 ${f(pk.p99)} ms`);
  console.log(`  → search page p99 (worst kind): ${f(searchWorst)} ms (target ≤ 25 ms)`);

  await closeDb();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (adminUrl && dbName) {
    const c = new pg.Client({ connectionString: adminUrl });
    await c.connect();
    await c.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await c.end();
  }
}

