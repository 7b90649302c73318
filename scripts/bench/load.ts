/**
 * Simulated users in the style of Mattermost's load-test-ng (its "simulative" controller): each user
 * signs in through next-auth's credentials flow and loads the conversation page as a browser does (the
 * page, then at once /api/me, the workspace, the sidebar, the conversation's details and newest page;
 * the socket; `channels.heads`; then the newest page and details of each other conversation, loaded
 * ahead one at a time). It then loops forever: pick an action by weight, run it, idle (at least 1 s,
 * 20 s on average — load-test-ng's defaults). Weights follow load-test-ng's action frequencies, mapped
 * to what Parley has:
 *
 *   switch channel 6.5   GET newest page + POST read position, + the details once 30 s old (SwitchChannel)
 *   scroll         2.0   GET the page before the oldest one shown   (ScrollChannel)
 *   unread check   2.0   GET the sidebar with unread counts         (UnreadCheck + OpenDirectOrGroupChannel)
 *   post           1.0   socket messages.create; 18 % are thread replies (CreatePost, PercentReplies)
 *   view thread    0.9   GET a thread's replies                     (ViewThread + ViewGlobalThreads)
 *   permalink      0.3   GET /api/messages/:id/replies of a recent message (ClickPermalink)
 *   react          0.13  POST /api/messages/:id/reactions           (AddReaction)
 *   reconnect      0.14  drop the socket, connect, catch up by channels.sync, read the sidebar and
 *                        the conversation's details again (ReconnectWebSocket)
 *   search         0.5   GET /api/workspaces/bench/search?q=… (SearchPosts; weight ours: a few searches an hour per user)
 *
 * → about one action per 21 s and one post per ~4.5 minutes per user. Each user is in a team
 * conversation of 10, a department of 100 and the all-hands of everyone; it opens them with weights
 * 0.6 / 0.3 / 0.1.
 *
 * Users are added in steps (BENCH_USERS_START, +BENCH_USERS_STEP every BENCH_STEP_SECONDS, up to
 * BENCH_USERS_MAX), arriving over the step's first half. Each step's second half is judged against the gates: errors < 0.025 %, average
 * request < 100 ms, p99 < 2 s, Parley's CPU < 85 % (of the one core it is pinned to). The answer is
 * the largest step that held. The generator runs on the other core of the same machine.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { Socket } from "socket.io-client";
import { BENCH_PASSWORD, createBenchDb, f1, measured, migrateAndPool, pinSelf, request, seed, sleep, spawnChild, summary, tempDir, type TChild, type TSeed } from "./lib";

type TSample = { action: string; ms: number; ok: boolean; at: number };

class Recorder {
  samples: TSample[] = [];
  errorsByKind = new Map<string, number>();
  record(action: string, ms: number, ok: boolean, detail?: string): void {
    this.samples.push({ action, ms, ok, at: performance.now() });
    if (!ok) {
      const k = `${action}: ${detail ?? "?"}`;
      this.errorsByKind.set(k, (this.errorsByKind.get(k) ?? 0) + 1);
    }
  }
  since(t: number): TSample[] {
    return this.samples.filter((s) => s.at >= t);
  }
}

const REACTIONS = ["thumbsup", "tada", "eyes", "white_check_mark"];

const ACTIONS: [string, number][] = [
  ["switch", 6.5],
  ["scroll", 2.0],
  ["unread", 2.0],
  ["post", 1.0],
  ["thread", 0.9],
  ["permalink", 0.3],
  ["react", 0.13],
  ["reconnect", 0.14],
  ["search", 0.5],
];
const TOTAL_WEIGHT = ACTIONS.reduce((a, [, w]) => a + w, 0);
/** The browser's react-query staleTime for a conversation's details (app/providers.tsx). */
const DETAILS_STALE_MS = 30_000;
const MIN_IDLE_MS = Number(process.env.BENCH_MIN_IDLE_MS ?? 1000);
const AVG_IDLE_MS = Number(process.env.BENCH_AVG_IDLE_MS ?? 20_000);

function pickAction(): string {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [name, w] of ACTIONS) if ((r -= w) < 0) return name;
  return "switch";
}

function idleMs(): number {
  return MIN_IDLE_MS - Math.log(1 - Math.random()) * (AVG_IDLE_MS - MIN_IDLE_MS);
}

type TMsg = { id: string; seq: number; threadRootId: string | null; replyCount: number };

class SimUser {
  private cookies = new Map<string, string>();
  socket: Socket | undefined;
  private running = true;
  private channel: string;
  private oldest = new Map<string, number>();
  private recent = new Map<string, TMsg[]>();
  private detailsReadAt = new Map<string, number>();
  private k = 0;
  /** "<messageId> <emoji>" this user has reacted with. */
  private readonly reacted = new Set<string>();
  private sleeping: { timer: NodeJS.Timeout; resolve: () => void } | undefined;

  constructor(
    readonly base: string,
    readonly index: number,
    readonly user: { id: string; email: string },
    readonly channels: string[],
    readonly rec: Recorder,
  ) {
    this.channel = channels[0]!;
  }

  private get cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** One HTTP request, timed and recorded; resolves with the parsed body (or undefined on failure). */
  private async http<T = any>(action: string, pathname: string, init: { method?: string; json?: unknown; form?: URLSearchParams; text?: boolean } = {}): Promise<T | undefined> {
    // What Chromium sends (Node's fetch would say "gzip, deflate"): the node compresses for browsers.
    const headers: Record<string, string> = { "accept-encoding": "gzip, deflate, br, zstd" };
    if (this.cookies.size) headers.cookie = this.cookieHeader;
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = init.form.toString();
    }
    const t = performance.now();
    try {
      const res = await fetch(this.base + pathname, { method: init.method ?? "GET", headers, body, redirect: "manual", signal: AbortSignal.timeout(30_000) });
      for (const c of res.headers.getSetCookie()) {
        const pair = c.split(";")[0]!;
        const i = pair.indexOf("=");
        this.cookies.set(pair.slice(0, i), pair.slice(i + 1));
      }
      const text = await res.text();
      const ok = res.status < 400;
      this.rec.record(action, performance.now() - t, ok, ok ? undefined : `${res.status} ${text.slice(0, 80)}`);
      if (!ok) return undefined;
      return (init.text ? text : text ? JSON.parse(text) : undefined) as T;
    } catch (err) {
      this.rec.record(action, performance.now() - t, false, (err as Error).message.slice(0, 80));
      return undefined;
    }
  }

  private async ack<T>(action: string, event: string, input: unknown): Promise<T | undefined> {
    const t = performance.now();
    if (!this.socket?.connected) {
      // Like the browser outbox: wait for the connection instead of failing the action.
      await new Promise<void>((r) => {
        const timer = setTimeout(r, 10_000);
        this.socket?.once("connect", () => (clearTimeout(timer), r()));
      });
    }
    const res = await request<T>(this.socket!, event, input, 30_000);
    this.rec.record(action, performance.now() - t, res.ok, res.ok ? undefined : `${res.error.code} ${res.error.message.slice(0, 60)}`);
    return res.ok ? res.data : undefined;
  }

  async login(): Promise<boolean> {
    const csrf = await this.http<{ csrfToken: string }>("login", "/api/auth/csrf");
    if (!csrf) return false;
    await this.http("login", "/api/auth/callback/credentials", { method: "POST", form: new URLSearchParams({ csrfToken: csrf.csrfToken, email: this.user.email, password: BENCH_PASSWORD, json: "true" }) });
    if (!this.cookies.has("next-auth.session-token")) {
      this.rec.record("login", 0, false, "no session cookie");
      return false;
    }
    await this.http("page", `/w/bench/c/${this.channel}`, { text: true });
    // What the page reads next, as a browser does: the reads it preloads, at once.
    await Promise.all([
      this.http("page", "/api/me"),
      this.http("page", "/api/workspaces/bench"),
      this.http("unread", "/api/workspaces/bench/channels"),
      this.readDetails("page", this.channel),
      this.open(this.channel),
    ]);
    await this.connect();
    // Once connected, the browser checks its sidebar read against the heads (chat-provider.tsx)…
    await this.ack("unread", "channels.heads", { slug: "bench" });
    // …and at idle loads ahead the other conversations, one at a time (conversation-prefetch.ts).
    for (const channelId of this.channels) {
      if (channelId === this.channel) continue;
      await Promise.all([this.http("prefetch", `/api/channels/${channelId}/messages?limit=50`), this.readDetails("prefetch", channelId)]);
    }
    return true;
  }

  /** A conversation's details, read again once the browser's copy is stale (react-query, 30 s). */
  private async readDetails(action: string, channelId: string): Promise<void> {
    const readAt = this.detailsReadAt.get(channelId);
    if (readAt !== undefined && performance.now() - readAt < DETAILS_STALE_MS) return;
    this.detailsReadAt.set(channelId, performance.now());
    await this.http(action, `/api/channels/${channelId}`);
  }

  private async connect(): Promise<void> {
    const { io } = await import("socket.io-client");
    const t = performance.now();
    this.socket = io(this.base, { path: "/socket.io", transports: ["websocket"], forceNew: true, extraHeaders: { cookie: this.cookieHeader }, reconnectionDelay: 1000, reconnectionDelayMax: 5000, timeout: 30_000 });
    // Live messages feed the user's idea of recent messages (reactions and replies pick from them).
    this.socket.on("messages.created", (e: { channelId: string; message: TMsg }) => {
      if (e.message.threadRootId) return;
      const list = this.recent.get(e.channelId) ?? [];
      list.push(e.message);
      if (list.length > 50) list.shift();
      this.recent.set(e.channelId, list);
    });
    await new Promise<void>((resolve) => {
      this.socket!.once("connect", () => {
        this.rec.record("connect", performance.now() - t, true);
        resolve();
      });
      this.socket!.once("connect_error", (err) => {
        this.rec.record("connect", performance.now() - t, false, err.message);
        resolve();
      });
    });
  }

  private async open(channelId: string): Promise<void> {
    this.channel = channelId;
    const page = await this.http<{ messages: TMsg[]; head: number }>("switch", `/api/channels/${channelId}/messages?limit=50`);
    if (!page) return;
    this.recent.set(channelId, page.messages.filter((m) => !m.threadRootId).slice(-50));
    this.oldest.set(channelId, page.messages[0]?.seq ?? 0);
    if (page.head > 0) await this.http("switch", `/api/channels/${channelId}/read`, { method: "POST", json: { seq: page.head } });
  }

  private pickChannel(): string {
    const r = Math.random();
    return this.channels[r < 0.6 ? 0 : r < 0.9 ? 1 : 2] ?? this.channels[0]!;
  }

  private pickRecent(): TMsg | undefined {
    const list = this.recent.get(this.channel) ?? [];
    return list[Math.floor(Math.random() * list.length)];
  }

  private async act(action: string): Promise<void> {
    switch (action) {
      case "switch": {
        const channelId = this.pickChannel();
        await Promise.all([this.open(channelId), this.readDetails("switch", channelId)]);
        return;
      }
      case "scroll": {
        const before = this.oldest.get(this.channel) ?? 0;
        if (before <= 1) return this.open(this.channel);
        const page = await this.http<{ messages: TMsg[] }>("scroll", `/api/channels/${this.channel}/messages?before=${before}&limit=50`);
        if (page?.messages[0]) this.oldest.set(this.channel, page.messages[0].seq);
        return;
      }
      case "unread":
        await this.http("unread", "/api/workspaces/bench/channels");
        return;
      case "post": {
        const root = Math.random() < 0.18 ? this.pickRecent() : undefined;
        const clientMsgId = `ld${this.index}x${this.k++}x${Date.now().toString(36)}`;
        await this.ack(root ? "reply" : "post", "messages.create", { channelId: this.channel, body: `message ${this.k} from user ${this.index} — 今天的进度 **ok**`, clientMsgId, ...(root ? { threadRootId: root.id } : {}) });
        return;
      }
      case "thread":
      case "permalink": {
        const m = this.pickRecent();
        if (!m) return this.open(this.channel);
        await this.http(action, `/api/messages/${m.id}/replies?limit=50`);
        return;
      }
      case "react": {
        const m = this.pickRecent();
        if (!m) return;
        // As in the app, where a reaction of one's own is a toggle: never the same one twice (a 409).
        const emoji = REACTIONS.map((_, i) => REACTIONS[(this.k + i) % REACTIONS.length]!).find((e) => !this.reacted.has(`${m.id} ${e}`));
        this.k++;
        if (!emoji) return;
        this.reacted.add(`${m.id} ${emoji}`);
        await this.http("react", `/api/messages/${m.id}/reactions`, { method: "POST", json: { emoji } });
        return;
      }
      case "search": {
        // Words the seeded and posted messages contain, Chinese and English; newest first, one page.
        const q = ["进度", "message", "今天", "ok user"][this.k++ % 4]!;
        await this.http("search", `/api/workspaces/bench/search?q=${encodeURIComponent(q)}&limit=20`);
        return;
      }
      case "reconnect": {
        const t = performance.now();
        this.socket!.disconnect();
        await new Promise<void>((resolve) => {
          this.socket!.once("connect", () => resolve());
          this.socket!.connect();
          setTimeout(resolve, 30_000);
        });
        const ok = this.socket!.connected;
        this.rec.record("connect", performance.now() - t, ok, ok ? undefined : "reconnect timed out");
        if (!ok) return;
        // As the browser: catch up the open conversation, read the sidebar and its details again.
        this.detailsReadAt.delete(this.channel);
        await Promise.all([
          this.ack("sync", "channels.sync", { channelId: this.channel, after: Math.max(0, (this.recent.get(this.channel)?.at(-1)?.seq ?? 1) - 1) }),
          this.http("unread", "/api/workspaces/bench/channels"),
          this.readDetails("sync", this.channel),
        ]);
        return;
      }
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeping = undefined;
        resolve();
      }, ms);
      this.sleeping = { timer, resolve };
    });
  }

  async run(): Promise<void> {
    while (this.running) {
      await this.act(pickAction());
      if (!this.running) break;
      await this.idle(idleMs());
    }
  }

  stop(): void {
    this.running = false;
    if (this.sleeping) {
      clearTimeout(this.sleeping.timer);
      this.sleeping.resolve();
    }
    this.socket?.disconnect();
  }
}

/** "action count avg/p99; …", slowest p99 first. */
function perAction(samples: TSample[]): string {
  const byAction = new Map<string, number[]>();
  for (const x of samples) {
    const list = byAction.get(x.action);
    if (list) list.push(x.ms);
    else byAction.set(x.action, [x.ms]);
  }
  return [...byAction]
    .map(([action, ms]) => [action, summary(ms)] as const)
    .sort((a, b) => b[1].p99 - a[1].p99)
    .map(([action, q]) => `${action} ${q.n} ${f1(q.avg)}/${f1(q.p99)}`)
    .join("; ");
}

type TStep = { users: number; requests: number; errors: number; errorPct: number; avg: number; p99: number; cpu: number; pgCpu: number; genCpu: number; machineCpu: number; rss: number; serverLag: string; generatorLag: number; poolWaiting: string; threadpool: string; poolOpened: string; pass: boolean; why: string[] };

export async function runLoad({ start, step, max, stepSeconds }: { start: number; step: number; max: number; stepSeconds: number }): Promise<TStep[]> {
  if (!existsSync(path.resolve(".next/BUILD_ID"))) throw new Error("the load scenario serves the production build: run `npm run build` first (in a clone, not in a shared checkout)");
  pinSelf(1);
  const db = await createBenchDb();
  const data = tempDir();
  let server: TChild | undefined;
  const users: SimUser[] = [];
  const steps: TStep[] = [];
  try {
    const pool = await migrateAndPool(db.url);
    const s: TSeed = await seed(pool, max, [10, 100, 0]);
    // Some history to scroll: 200 messages in every conversation.
    await pool.query(`
      INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "createdAt", "updatedAt")
      SELECT c.id || '_m' || g, c.id, g, g::bigint, (SELECT "userId" FROM "ChannelMember" m WHERE m."channelId" = c.id LIMIT 1), 'earlier message ' || g || ' 早先的消息', now(), now()
      FROM "Channel" c, generate_series(1, 200) g`);
    await pool.query(`UPDATE "Channel" SET "lastSeq" = 200, "lastTs" = 200`);
    await pool.query("ANALYZE");
    await pool.end();
    server = await spawnChild("scripts/bench/parley-server.ts", { cpu: 0, env: { DATABASE_URL: db.url, PARLEY_DATA_DIR: data.dir, BENCH_WITH_NEXT: "1", NODE_ENV: "production" }, nofile: 65536 });
    const base = `http://127.0.0.1:${server.port}`;
    const rec = new Recorder();
    // Event-loop delay on both sides: a request waiting for a busy loop is a queue CPU averages hide,
    // and a late generator loop would add its own delay to every latency it records.
    const generatorLag = monitorEventLoopDelay({ resolution: 10 });
    generatorLag.enable();
    console.log(`\nSimulated users (load-test-ng style; about one action per ${(AVG_IDLE_MS / 1000).toFixed(0)} s per user), +${step} users every ${stepSeconds} s, judged on each step's second half`);
    console.log(`  ${"users".padStart(6)} ${"requests".padStart(8)} ${"errors".padStart(8)} ${"avg ms".padStart(7)} ${"p99 ms".padStart(7)} ${"parley CPU".padStart(10)} ${"pg CPU".padStart(7)} ${"gen CPU".padStart(7)} ${"machine".padStart(7)} ${"RSS MiB".padStart(7)} ${"loop delay p99 / max ms: server".padStart(31)} ${"generator".padStart(9)} ${"pool queue".padStart(10)} ${"threadpool p99".padStart(14)} ${"opened".padStart(6)}`);
    // Warm-up: Next compiles route handlers on first use.
    const warm = new SimUser(base, 0, s.users[0]!, s.channelsOf[0]!, new Recorder());
    await warm.login();
    warm.stop();

    let n = 0;
    for (let target = start; target <= max; target += step) {
      const stepStart = performance.now();
      // New users arrive spread over the first half of the step (sign-in hashes with argon2: a burst).
      const arriving = target - n;
      const arrivals: Promise<void>[] = [];
      for (let i = 0; i < arriving; i++) {
        const idx = n++;
        arrivals.push(
          (async () => {
            await sleep((i / arriving) * (stepSeconds * 450));
            const u = new SimUser(base, idx, s.users[idx]!, s.channelsOf[idx]!, rec);
            users.push(u);
            if (await u.login()) void u.run();
          })(),
        );
      }
      const half = stepStart + (stepSeconds * 1000) / 2;
      await sleep(half - performance.now());
      // BENCH_PROFILE=<dir>: a CPU profile of the server over every step's judged half (the last one is kept).
      if (process.env.BENCH_PROFILE) await server.command("profile-start", "profile started");
      await server.command("lag", "lag ");
      generatorLag.reset();
      const tA = performance.now();
      const m = await measured(
        server.pid,
        async () => {
          await sleep(stepStart + stepSeconds * 1000 - performance.now());
          await Promise.all(arrivals);
        },
        db.name,
      );
      if (process.env.BENCH_PROFILE) await server.command(`profile-stop ${process.env.BENCH_PROFILE}/load-${target}.cpuprofile`, "profile");
      const [, , serverP99, serverMax, poolWaiting, threadpoolP99, poolOpened] = (await server.command("lag", "lag ")).split(" ");
      const window = rec.since(tA);
      const st = summary(window.map((x) => x.ms));
      const errors = window.filter((x) => !x.ok).length;
      const r: TStep = {
        users: target,
        requests: window.length,
        errors,
        errorPct: (100 * errors) / Math.max(1, window.length),
        avg: st.avg,
        p99: st.p99,
        cpu: m.cpuPercent,
        pgCpu: m.pgCpuPercent,
        genCpu: m.generatorCpuPercent,
        machineCpu: m.machineCpuPercent,
        rss: m.rssEnd,
        serverLag: `${serverP99} / ${serverMax}`,
        generatorLag: generatorLag.percentile(99) / 1e6,
        poolWaiting: poolWaiting!,
        threadpool: threadpoolP99!,
        poolOpened: poolOpened!,
        pass: true,
        why: [],
      };
      if (r.errorPct >= 0.025) r.why.push(`errors ${r.errorPct.toFixed(3)} %`);
      if (r.avg >= 100) r.why.push(`average ${f1(r.avg)} ms`);
      if (r.p99 >= 2000) r.why.push(`p99 ${f1(r.p99)} ms`);
      if (r.cpu >= 85) r.why.push(`Parley CPU ${r.cpu.toFixed(0)} %`);
      r.pass = r.why.length === 0;
      steps.push(r);
      console.log(
        `  ${String(r.users).padStart(6)} ${String(r.requests).padStart(8)} ${String(r.errors).padStart(8)} ${f1(r.avg).padStart(7)} ${f1(r.p99).padStart(7)} ${(r.cpu.toFixed(0) + "%").padStart(10)} ${(r.pgCpu.toFixed(0) + "%").padStart(7)} ${(r.genCpu.toFixed(0) + "%").padStart(7)} ${(r.machineCpu.toFixed(0) + "%").padStart(7)} ${(r.rss / 2 ** 20).toFixed(0).padStart(7)} ${r.serverLag.padStart(31)} ${f1(r.generatorLag).padStart(9)} ${r.poolWaiting.padStart(10)} ${r.threadpool.padStart(14)} ${r.poolOpened.padStart(6)}  ${r.pass ? "holds" : "BREAKS: " + r.why.join(", ")}`,
      );
      if (!r.pass) {
        console.log(`  in the step that broke, per action (count, avg / p99 ms): ${perAction(window)}`);
        break;
      }
    }
    console.log(`  per action over the whole run (count, avg / p99 ms): ${perAction(rec.samples)}`);
    if (rec.errorsByKind.size) console.log(`  errors: ${[...rec.errorsByKind].slice(0, 8).map(([k, v]) => `${v}× ${k}`).join(" | ")}`);
    const held = steps.filter((x) => x.pass).at(-1);
    console.log(`  → largest user count that held every gate: ${held ? held.users : "none"}${steps.at(-1)?.pass ? ` (stopped at BENCH_USERS_MAX=${max} without breaking)` : ""} (target ≥ 1,000, aim 3,000; Mattermost: 217 on 2+2 vCPU)`);
  } finally {
    for (const u of users) u.stop();
    await server?.stop();
    const { closeDb } = await import("@/lib/db");
    await closeDb();
    await db.drop();
    data.remove();
  }
  return steps;
}
