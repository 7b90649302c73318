/**
 * Fan-out: N sockets (websocket transport), each user in one conversation of M members, senders going
 * through the real send path (socket `messages.create` with ack: validation, permission check, seq,
 * stored message, commit, publish, emit). Measured per delivery: from the moment the
 * send was scheduled to the moment a member's socket received it (so a late sender counts against
 * the server, not for it). The same load against scripts/bench/ceiling-server.ts (Socket.IO rooms,
 * no database) is the ceiling.
 *
 *   fixed rate:  R messages/s for T s → send→deliver p50/p99/p99.9, deliveries/s, server CPU and RSS.
 *   saturation:  W sends in flight for S s, for each W of BENCH_WINDOW (default 32, 128, 256, 512) → the most
 *                deliveries/s each server sustains (its best window; the ratio). A server that needs a
 *                durable commit per send is bound by latency at a small window, not by capacity.
 *
 * Server on core 0, this generator on core 1 (taskset), PostgreSQL unpinned.
 */
import os from "node:os";
import type { Socket } from "socket.io-client";
import {
  connectSockets,
  createBenchDb,
  f1,
  f2,
  measured,
  migrateAndPool,
  mintCookie,
  offerSends,
  pinSelf,
  request,
  seed,
  sleep,
  spawnChild,
  summary,
  tempDir,
  type TChild,
  type TSeed,
  type TSendMode,
} from "./lib";

/** `window`: sends in flight when saturating; `windows`: several, each measured (fan-out keeps each server's best). */
export type TFanoutConfig = { sockets: number; members: number; rate: number; seconds: number; saturateSeconds: number; window: number; windows?: number[] };

export type TPhase = {
  sent: number;
  acked: number;
  errors: Record<string, number>;
  deliveries: number;
  expected: number;
  latency: ReturnType<typeof summary>;
  ack: ReturnType<typeof summary>;
  deliveriesPerSecond: number;
  messagesPerSecond: number;
  cpuPercent: number;
  rssPeak: number;
  /** The PostgreSQL backends serving the bench database, and this generator, in % of one core; the whole machine in % of all its cores. */
  pgCpuPercent: number;
  generatorCpuPercent: number;
  machineCpuPercent: number;
  /** Parley only: messages per group-commit batch. */
  perBatch?: number;
};

/** `saturated`: the best of `byWindow` (most deliveries/s). */
export type TTarget = { name: "parley" | "ceiling"; fixed: TPhase; saturated: TPhase; byWindow: { window: number; phase: TPhase }[] };

let runCounter = 0;

/** Drives one phase against already connected sockets. */
async function drive(
  server: TChild,
  sockets: Socket[],
  channels: { id: string; members: number[] }[],
  mode: TSendMode,
  db: string,
  countBatches: boolean,
): Promise<TPhase> {
  const run = `r${++runCounter}${Date.now().toString(36)}`;
  const scheduled = new Map<string, { t: number; members: number }>();
  const latencies: number[] = [];
  const acks: number[] = [];
  const errors: Record<string, number> = {};
  let deliveries = 0;
  let deliveriesInWindow = 0;
  let windowOpen = true;
  let sent = 0;
  let acked = 0;
  let k = 0;
  const onCreated = (e: { message: { clientMsgId: string | null } }) => {
    const s = e.message.clientMsgId ? scheduled.get(e.message.clientMsgId) : undefined;
    if (!s) return;
    latencies.push(performance.now() - s.t);
    deliveries++;
    if (windowOpen) deliveriesInWindow++;
  };
  for (const s of sockets) s.on("messages.created", onCreated);

  const sendOne = async (t: number) => {
    const ch = channels[k % channels.length]!;
    const sender = ch.members[Math.floor(k / channels.length) % ch.members.length]!;
    const clientMsgId = `${run}x${k++}`;
    scheduled.set(clientMsgId, { t, members: ch.members.length });
    sent++;
    const res = await request(sockets[sender]!, "messages.create", { channelId: ch.id, body: `fan-out ${clientMsgId} 你好，世界`, clientMsgId });
    acks.push(performance.now() - t);
    if (res.ok) acked++;
    else errors[res.error.code] = (errors[res.error.code] ?? 0) + 1;
  };

  const batches = async () => (countBatches ? (await server.command("batches", "batches")).split(" ").slice(1).map(Number) : [0, 0]);
  const [batches0, batched0] = await batches();
  const m = await measured(server.pid, async () => {
    const seconds = await offerSends(mode, sendOne);
    windowOpen = false;
    return seconds;
  }, db);
  // Stragglers: wait until every stored message reached every member (or 10 s).
  const expected = [...scheduled.values()].reduce((a, s) => a + s.members, 0) - Object.values(errors).reduce((a, b) => a + b, 0) * channels[0]!.members.length;
  const until = performance.now() + 10_000;
  while (deliveries < expected && performance.now() < until) await sleep(50);
  for (const s of sockets) s.off("messages.created", onCreated);
  const [batches1, batched1] = await batches();
  const seconds = m.result;
  return {
    sent,
    acked,
    errors,
    deliveries,
    expected,
    latency: summary(latencies),
    ack: summary(acks),
    deliveriesPerSecond: deliveriesInWindow / seconds,
    messagesPerSecond: acked / seconds,
    cpuPercent: m.cpuPercent,
    rssPeak: m.rssPeak,
    pgCpuPercent: m.pgCpuPercent,
    generatorCpuPercent: m.generatorCpuPercent,
    machineCpuPercent: m.machineCpuPercent,
    ...(countBatches ? { perBatch: (batched1! - batched0!) / Math.max(1, batches1! - batches0!) } : {}),
  };
}

/** Runs one configuration against a fresh server process (Parley or the ceiling) and returns both phases. */
export async function runTarget(name: "parley" | "ceiling", cfg: TFanoutConfig, s: TSeed, dbUrl: string): Promise<TTarget> {
  const data = tempDir();
  const server = await spawnChild(name === "parley" ? "scripts/bench/parley-server.ts" : "scripts/bench/ceiling-server.ts", {
    cpu: 0,
    // 200 sockets saturating the server send ~8 messages a second each, past a person's flood limit
    // (60 per 10 s), which the ceiling does not have: refusals would be measured instead of fan-out.
    env: { DATABASE_URL: dbUrl, PARLEY_DATA_DIR: data.dir, PARLEY_SEND_LIMIT: "1000000" },
  });
  try {
    const db = new URL(dbUrl).pathname.slice(1);
    const channels = s.channels.filter((c) => c.id.startsWith(`bc${cfg.members}_`) && c.members.every((u) => u < cfg.sockets));
    const cookies = name === "parley" ? await Promise.all(s.users.slice(0, cfg.sockets).map(mintCookie)) : [];
    const sockets = await connectSockets(server.port, cfg.sockets, (i) => (name === "parley" ? { cookie: cookies[i] } : { auth: { rooms: s.channelsOf[i] } }));
    await sleep(500);
    // Warm-up (JIT, connection pool): a second at the fixed rate, not counted.
    await drive(server, sockets, channels, { kind: "rate", rate: cfg.rate, seconds: 1 }, db, name === "parley");
    const fixed = await drive(server, sockets, channels, { kind: "rate", rate: cfg.rate, seconds: cfg.seconds }, db, name === "parley");
    // BENCH_PROFILE=<dir>: a CPU profile of the server during the saturated phase (Chrome DevTools).
    const profile = process.env.BENCH_PROFILE && name === "parley" ? `${process.env.BENCH_PROFILE}/fanout-${cfg.sockets}x${cfg.members}.cpuprofile` : undefined;
    if (profile) await server.command("profile-start", "profile started");
    const byWindow: TTarget["byWindow"] = [];
    for (const window of cfg.windows ?? [cfg.window]) {
      byWindow.push({ window, phase: await drive(server, sockets, channels, { kind: "window", window, seconds: cfg.saturateSeconds }, db, name === "parley") });
    }
    if (profile) console.log(`  server ${(await server.command(`profile-stop ${profile}`, "profile")).slice(8)}`);
    for (const so of sockets) so.disconnect();
    const saturated = byWindow.reduce((a, b) => (b.phase.deliveriesPerSecond > a.phase.deliveriesPerSecond ? b : a)).phase;
    return { name, fixed, saturated, byWindow };
  } finally {
    await server.stop();
    data.remove();
  }
}

/** Server CPU time per delivery: generator-independent (the generator's one core caps what it can receive). */
export function usPerDelivery(p: TPhase): number {
  return ((p.cpuPercent / 100) * 1e6) / Math.max(1, p.deliveriesPerSecond);
}

/** One printed line per phase: latency, throughput, ack, server CPU and RSS, delivered/expected, errors. */
export function line(label: string, p: TPhase): string {
  const err = Object.entries(p.errors).map(([k, v]) => `${k}:${v}`).join(",") || "0";
  return (
    `  ${label.padEnd(22)} send→deliver p50 ${f1(p.latency.p50)} p99 ${f1(p.latency.p99)} p99.9 ${f1(p.latency.p999)} ms | ` +
    `${p.deliveriesPerSecond.toFixed(0)} deliveries/s, ${p.messagesPerSecond.toFixed(0)} msg/s | ack p99 ${f1(p.ack.p99)} ms | ` +
    `server CPU ${p.cpuPercent.toFixed(0)}% (${f1(usPerDelivery(p))} µs/delivery), RSS ${(p.rssPeak / 2 ** 20).toFixed(0)} MiB | ` +
    `PostgreSQL ${p.pgCpuPercent.toFixed(0)}%, generator ${p.generatorCpuPercent.toFixed(0)}%, machine ${p.machineCpuPercent.toFixed(0)}% of its ${os.cpus().length} cores${p.perBatch ? `, ${f1(p.perBatch)} messages per batch` : ""} | delivered ${p.deliveries}/${p.expected}, errors ${err}`
  );
}

/**
 * A throwaway database seeded for `configs` (users for the largest, one conversation per size each);
 * `close` drops it. Shared with scripts/bench/xmpp.ts, which measures Parley the same way.
 */
export async function openFanoutDb(configs: TFanoutConfig[]): Promise<{ seed: TSeed; url: string; groups: number[]; close: () => Promise<void> }> {
  const maxSockets = Math.max(...configs.map((c) => c.sockets));
  const db = await createBenchDb();
  const close = async () => {
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    await db.drop();
  };
  try {
    const pool = await migrateAndPool(db.url);
    const groups = [...new Set(configs.map((c) => c.members))];
    const s = await seed(pool, maxSockets, groups);
    await pool.end();
    return { seed: s, url: db.url, groups, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/**
 * `rounds` > 1 measures each configuration that many times, the two servers alternating, and reports
 * the median ratio: on a 2-core machine shared by server, generator and PostgreSQL, one pair's ratio
 * moved by ±25 % from run to run (the ceiling's own best ranged 46,000–72,000 deliveries/s).
 */
export async function runFanout(configs: TFanoutConfig[], rounds = 1): Promise<{ cfg: TFanoutConfig; parley: TTarget; ceiling: TTarget }[]> {
  pinSelf(1);
  const { seed: s, url, groups, close } = await openFanoutDb(configs);
  const results: { cfg: TFanoutConfig; parley: TTarget; ceiling: TTarget }[] = [];
  try {
    console.log(`\nFan-out (server on core 0, generator on core 1; every socket's user is in one conversation per size ${groups.join("/")})`);
    for (const cfg of configs) {
      const pairs: { parley: TTarget; ceiling: TTarget; ratio: number }[] = [];
      for (let round = 1; round <= rounds; round++) {
        const ceiling = await runTarget("ceiling", cfg, s, url);
        const parley = await runTarget("parley", cfg, s, url);
        const windows = parley.byWindow.map((w) => w.window);
        const roundLabel = rounds > 1 ? ` (round ${round} of ${rounds})` : "";
        console.log(`\n${cfg.sockets} sockets, conversations of ${cfg.members}, ${cfg.rate} msg/s for ${cfg.seconds} s; saturation: ${windows.join(" and ")} sends in flight for ${cfg.saturateSeconds} s${roundLabel}`);
        console.log(line("parley  fixed rate", parley.fixed));
        console.log(line("ceiling fixed rate", ceiling.fixed));
        for (const [i, w] of windows.entries()) {
          console.log(line(`parley  saturated ${w}`, parley.byWindow[i]!.phase));
          console.log(line(`ceiling saturated ${w}`, ceiling.byWindow[i]!.phase));
        }
        const best = (t: TTarget) => t.byWindow.find((w) => w.phase === t.saturated)!.window;
        const ratio = parley.saturated.deliveriesPerSecond / ceiling.saturated.deliveriesPerSecond;
        console.log(
          `  → parley / ceiling deliveries/s (saturated, each at its best window: ${best(parley)} / ${best(ceiling)}): ${f2(ratio)}×; ` +
            `p99 at ${cfg.rate} msg/s: ${f1(parley.fixed.latency.p99)} vs ${f1(ceiling.fixed.latency.p99)} ms; ` +
            `server CPU per delivery (saturated): ${f1(usPerDelivery(parley.saturated))} vs ${f1(usPerDelivery(ceiling.saturated))} µs → deliveries per server core-second ${f2(usPerDelivery(ceiling.saturated) / usPerDelivery(parley.saturated))}× the ceiling's`,
        );
        pairs.push({ parley, ceiling, ratio });
      }
      // In run order for the printout, the median (the lower one of an even count) as the result.
      const median = [...pairs].sort((a, b) => a.ratio - b.ratio)[Math.floor((pairs.length - 1) / 2)]!;
      if (rounds > 1) console.log(`  ⇒ ${cfg.sockets} × ${cfg.members}: ratios ${pairs.map((p) => `${f2(p.ratio)}×`).join(", ")}; median ${f2(median.ratio)}×`);
      results.push({ cfg, parley: median.parley, ceiling: median.ceiling });
    }
  } finally {
    await close();
  }
  return results;
}
