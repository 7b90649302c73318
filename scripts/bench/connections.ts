/**
 * Connections: memory per idle authenticated socket, then a reconnect storm.
 *
 *   memory: RSS (after a full GC) of a Parley node before and after N authenticated websocket
 *           clients connect (each user in one conversation of M members), ÷ N; the same for a bare
 *           Socket.IO server (the baseline: what Socket.IO itself costs per socket).
 *   storm:  the node is killed (SIGKILL, like a crash) and started again on the same port while
 *           senders keep sending (retrying with the same clientMsgId until acknowledged, like the
 *           browser outbox). Measured: time from the kill until every client is connected again and
 *           has caught up (`channels.sync` from its last seq). Checked: every client ends with exactly
 *           the acknowledged messages of its conversation, each applied once, without a final sync.
 *
 * Limits: each side holds N sockets, so both processes get RLIMIT_NOFILE 65536 (prlimit); the node
 * listens with a backlog of 4096 (capped by net.core.somaxconn, 4096 here).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import type { Socket } from "socket.io-client";
import { nofileLimits, connectSockets, createBenchDb, f1, migrateAndPool, mintCookie, pinSelf, request, seed, sleep, spawnChild, summary, tempDir, type TChild, type TSeed } from "./lib";

type TMsgEvent = { channelId: string; seq: number; message: { id: string; clientMsgId: string | null } };

/** Why catch-ups failed during the storm, by error code. */
const failureCodes = new Map<string, number>();

/** A client following docs/realtime.md for its one conversation, recording what it applied. */
class StormClient {
  last = 0;
  applied = new Map<string, number>();
  syncedAt = 0;
  connectedAt = 0;
  failures = 0;
  syncing: Promise<void> | null = null;
  again = false;
  epoch = 0;

  constructor(
    readonly socket: Socket,
    readonly channelId: string,
  ) {
    socket.on("messages.created", (e: TMsgEvent) => {
      if (e.seq === this.last + 1) this.apply(e);
      else if (e.seq > this.last + 1) void this.catchUp();
    });
    socket.on("connect", () => {
      if (this.epoch > 0 && !this.connectedAt) this.connectedAt = performance.now();
      void this.catchUp().then(() => {
        if (this.epoch > 0 && !this.syncedAt && this.socket.connected) this.syncedAt = performance.now();
      });
    });
  }

  private apply(e: TMsgEvent): void {
    if (e.seq <= this.last) return;
    this.last = e.seq;
    this.applied.set(e.message.id, (this.applied.get(e.message.id) ?? 0) + 1);
  }

  catchUp(): Promise<void> {
    if (this.syncing) {
      this.again = true;
      return this.syncing;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        let backoff = 1000;
        for (;;) {
          const res = await request<{ events: TMsgEvent[]; hasMore: boolean }>(this.socket, "channels.sync", { channelId: this.channelId, after: this.last }, 60_000);
          if (!res.ok) {
            this.failures++;
            failureCodes.set(res.error.code, (failureCodes.get(res.error.code) ?? 0) + 1);
            // Disconnected mid-sync: the next connect catches up. Otherwise back off with jitter, as a
            // browser client must (a herd retrying at once only deepens the queue).
            if (!this.socket.connected) return;
            await sleep(backoff * (0.5 + Math.random()));
            backoff = Math.min(30_000, backoff * 2);
            continue;
          }
          for (const e of res.data.events) this.apply(e);
          if (!res.data.hasMore) break;
        }
      } while (this.again);
    })().finally(() => (this.syncing = null));
    return this.syncing;
  }
}

function listenOverflows(): number {
  // TcpExtListenOverflows + ListenDrops: SYNs or accepted connections the kernel had to drop.
  const text = readFileSync("/proc/net/netstat", "utf8").split("\n");
  for (let i = 0; i < text.length - 1; i++) {
    if (text[i]!.startsWith("TcpExt:") && text[i + 1]!.startsWith("TcpExt:")) {
      const names = text[i]!.split(" ");
      const values = text[i + 1]!.split(" ");
      return Number(values[names.indexOf("ListenOverflows")] ?? 0) + Number(values[names.indexOf("ListenDrops")] ?? 0);
    }
  }
  return 0;
}

type TMem = { sockets: Socket[]; connectSeconds: number; rss: [number, number, number]; heap: [number, number, number]; external: [number, number, number] };

/**
 * Memory (after a full GC) of a fresh node, with N/2 sockets and with N: the average per socket from
 * the fresh node (one-off costs included: code paths, pool connections, JIT — an upper bound) and the
 * marginal cost of the second half (what one more socket costs).
 */
async function memoryPerSocket(server: TChild, count: number, opts: (i: number) => { cookie?: string; auth?: Record<string, unknown> }, heapDir?: string): Promise<TMem> {
  const stats = async () => (await server.command("gc", "stats")).split(" ").slice(1).map(Number);
  const half = Math.floor(count / 2);
  const s0 = await stats();
  const t0 = performance.now();
  const first = await connectSockets(server.port, half, opts, { concurrency: 100 });
  await sleep(2000);
  const s1 = await stats();
  if (heapDir) await server.command(`heap ${heapDir}/half.heapsnapshot`, "heap ");
  const second = await connectSockets(server.port, count - half, (i) => opts(half + i), { concurrency: 100 });
  const connectSeconds = (performance.now() - t0) / 1000;
  await sleep(2000);
  const s2 = await stats();
  if (heapDir) await server.command(`heap ${heapDir}/full.heapsnapshot`, "heap ");
  const pick = (k: number) => [s0[k]!, s1[k]!, s2[k]!] as [number, number, number];
  return { sockets: [...first, ...second], connectSeconds, rss: pick(0), heap: pick(1), external: pick(2) };
}

function describe(label: string, m: TMem, n: number): { avg: number; marginal: number } {
  const kb = (x: number) => (x / 1024).toFixed(1);
  const avg = (m.rss[2] - m.rss[0]) / n;
  const marginal = (m.rss[2] - m.rss[1]) / (n - Math.floor(n / 2));
  const heap = (m.heap[2] - m.heap[1]) / (n - Math.floor(n / 2));
  const ext = (m.external[2] - m.external[1]) / (n - Math.floor(n / 2));
  console.log(
    `  ${label.padEnd(15)} RSS ${(m.rss[0] / 2 ** 20).toFixed(0)} → ${(m.rss[1] / 2 ** 20).toFixed(0)} → ${(m.rss[2] / 2 ** 20).toFixed(0)} MiB (fresh, ${Math.floor(n / 2)}, ${n} sockets): ` +
      `${kb(avg)} KB per socket on average, ${kb(marginal)} KB marginal (JS heap ${kb(heap)} KB + external ${kb(ext)} KB); connected in ${m.connectSeconds.toFixed(1)} s`,
  );
  return { avg, marginal };
}

export async function runConnections({ sockets: N, members: M, stormMessages }: { sockets: number; members: number; stormMessages: number }): Promise<void> {
  pinSelf(1);
  const [soft, hard] = nofileLimits();
  if (soft < N + 1000) spawnSync("prlimit", ["--pid", String(process.pid), `--nofile=${Math.min(65536, hard)}:${hard}`]);
  if (Math.min(65536, hard) < N + 1000) console.warn(`open-file limit ${hard} is too low for ${N} sockets; raise it (ulimit -n / LimitNOFILE)`);
  const nodeArgs: string[] = [];
  const db = await createBenchDb();
  const data = tempDir();
  const extraEnv = { DATABASE_URL: db.url, PARLEY_DATA_DIR: data.dir };
  try {
    const pool = await migrateAndPool(db.url);
    const s: TSeed = await seed(pool, N, [M]);
    await pool.end();
    const cookies = await Promise.all(s.users.map(mintCookie));
    console.log(`\nConnections: ${N} idle authenticated sockets, each user in one conversation of ${M}`);

    // Baseline: a bare Socket.IO server holding the same sockets.
    const bare = await spawnChild("scripts/bench/ceiling-server.ts", { cpu: 0, env: extraEnv, nofile: 65536 });
    const b = await memoryPerSocket(bare, N, (i) => ({ auth: { rooms: s.channelsOf[i] } }));
    for (const so of b.sockets) so.disconnect();
    await bare.stop();
    await sleep(1000);

    let server = await spawnChild("scripts/bench/parley-server.ts", { cpu: 0, env: extraEnv, nodeArgs, nofile: 65536 });
    const port = server.port;
    // BENCH_HEAP=<dir>: heap snapshots of the Parley node at N/2 and N sockets (scripts/bench/heap-diff.ts compares them).
    const p = await memoryPerSocket(server, N, (i) => ({ cookie: cookies[i] }), process.env.BENCH_HEAP);
    const pm = describe("parley", p, N);
    const bm = describe("bare Socket.IO", b, N);
    console.log(`  → parley / bare Socket.IO memory per socket: ${(pm.avg / bm.avg).toFixed(2)}× on average, ${(pm.marginal / bm.marginal).toFixed(2)}× marginal (target ≤ 20 KB, aim 12 KB)`);

    // Reconnect storm.
    const clients = p.sockets.map((so, i) => new StormClient(so, s.channelsOf[i]![0]!));
    // The conversations are empty, so every client's last = 0 is already exact: no initial sync.
    const senders = s.channels.slice(0, Math.min(50, s.channels.length)).map((ch) => ch.members[0]!);
    const acked = new Map<string, Set<string>>(); // channel → message ids
    let sendErrors = 0;
    const sendReliably = async (sender: number, k: number) => {
      const c = clients[sender]!;
      const clientMsgId = `storm${sender}x${k}`;
      const until = performance.now() + 120_000;
      while (performance.now() < until) {
        if (c.socket.connected) {
          const res = await request<{ id: string }>(c.socket, "messages.create", { channelId: c.channelId, body: `storm ${k} 风暴`, clientMsgId }, 3000);
          if (res.ok) {
            const set = acked.get(c.channelId) ?? new Set();
            set.add(res.data.id);
            acked.set(c.channelId, set);
            return;
          }
          if (!["timeout", "unavailable", "internal", "rate_limited"].includes(res.error.code)) {
            if (sendErrors++ === 0) console.warn(`  send refused: ${res.error.code}: ${res.error.message}`);
            return;
          }
        }
        await sleep(100);
      }
      sendErrors++;
    };
    // Messages spread over ~10 s: some before the crash, some while the node is down, some during the storm.
    const perSender = Math.max(1, Math.ceil(stormMessages / senders.length));
    const sending = Promise.all(
      senders.map(async (sender, j) => {
        for (let k = 0; k < perSender; k++) {
          await sleep(((10_000 / perSender) * (0.5 + ((j * 7919) % 100) / 100)) | 0);
          await sendReliably(sender, k);
        }
      }),
    );
    await sleep(1500);
    const overflowBefore = listenOverflows();
    for (const c of clients) c.epoch = 1;
    const tKill = performance.now();
    await server.stop("SIGKILL");
    server = await spawnChild("scripts/bench/parley-server.ts", { cpu: 0, env: extraEnv, nodeArgs, nofile: 65536, port });
    const tUp = performance.now();
    // BENCH_PROFILE=<dir>: a CPU profile of the restarted node from its start until every client caught up.
    if (process.env.BENCH_PROFILE) await server.command("profile-start", "profile started");
    const deadline = tKill + 180_000;
    let lastLog = performance.now();
    while (clients.some((c) => !c.syncedAt) && performance.now() < deadline) {
      await sleep(100);
      if (performance.now() - lastLog > 5000) {
        lastLog = performance.now();
        console.log(`    ${((lastLog - tKill) / 1000).toFixed(0)} s: ${clients.filter((c) => c.socket.connected).length} connected, ${clients.filter((c) => c.connectedAt).length} reconnected, ${clients.filter((c) => c.syncedAt).length} caught up`);
      }
    }
    if (process.env.BENCH_PROFILE) await server.command(`profile-stop ${process.env.BENCH_PROFILE}/storm.cpuprofile`, "profile");
    const done = clients.filter((c) => c.syncedAt);
    const syncFailures = clients.reduce((a, c) => a + c.failures, 0);
    const times = done.map((c) => (c.syncedAt - tKill) / 1000);
    const st = summary(times);
    await sending;
    await sleep(5000);
    const overflows = listenOverflows() - overflowBefore;

    let missing = 0;
    let extra = 0;
    let duplicates = 0;
    let clientsWrong = 0;
    for (const c of clients) {
      const want = acked.get(c.channelId) ?? new Set<string>();
      let wrong = false;
      for (const id of want) if (!c.applied.has(id)) (missing++, (wrong = true));
      for (const [id, n] of c.applied) {
        if (!want.has(id)) (extra++, (wrong = true));
        if (n > 1) (duplicates++, (wrong = true));
      }
      if (wrong) clientsWrong++;
    }
    const totalAcked = [...acked.values()].reduce((a, x) => a + x.size, 0);
    console.log(
      `  storm: node killed and restarted (up again after ${((tUp - tKill) / 1000).toFixed(1)} s); ${done.length}/${N} clients reconnected and caught up; ` +
        `all within ${f1(st.max)} s of the kill (p50 ${f1(st.p50)} s, p99 ${f1(st.p99)} s; target ≤ 30 s)`,
    );
    console.log(
      `  storm: ${totalAcked} messages acknowledged across ${senders.length} conversations during the storm (${sendErrors} gave up); ` +
        `clients missing a message: ${clientsWrong} (missing ${missing}, unexpected ${extra}, applied twice ${duplicates}); kernel listen overflows/drops (whole machine): ${overflows}; channels.sync retries: ${syncFailures}${failureCodes.size ? ` (${[...failureCodes].map(([k, v]) => `${v}× ${k}`).join(", ")})` : ""}`,
    );
    for (const so of p.sockets) {
      so.io.opts.reconnection = false;
      so.disconnect();
    }
    await server.stop();
  } finally {
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    await db.drop();
    data.remove();
  }
}
