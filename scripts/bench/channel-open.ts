/**
 * `npm run bench -- channel-open` (needs `npm run build`): opening a channel of 100,000 messages in
 * Chromium, scrolling back through its history, and Lighthouse's desktop scores — against baselines
 * measured in the same run.
 *
 *   open:    click on the channel in the sidebar → its newest message's row is in the DOM, inside the
 *            list's viewport, not hidden, and a frame with it has been painted (checked every animation frame;
 *            the time is taken after that frame, by a task posted from its rAF callback). The click
 *            time is the click event's own timestamp. Cold = first visit after a page load (nothing
 *            in react-query's cache); warm = switching back to it. Baselines: the same click into a
 *            channel of 50 messages (same app, same path), and a bare page whose button renders 50
 *            static rows (the browser's floor on this machine).
 *   scroll:  the list scrolled up continuously (BENCH_SCROLL_PX_PER_S, default 6,000 px/s — a fast
 *            flick, sustained) for BENCH_SCROLL_SECONDS; every animation frame's interval, long tasks
 *            (PerformanceObserver "longtask"), older pages' fetch times, time spent with the
 *            "Loading older messages…" row in view, and the number of message rows in the DOM.
 *   BENCH_OPEN_TRACE=<n>: n more loads of the channel page traced, each long task listed with its CPU
 *            time by source (page-trace.ts); BENCH_OPEN_TRACE_DETAIL=1 adds each task's functions
 *            by self time and Parley's own functions by inclusive time.
 *   lighthouse: desktop preset (performance, accessibility, best practices, SEO) on the sign-in page
 *            and a signed-in channel page, median of BENCH_LH_RUNS runs; BENCH_LH_CPU_SLOWDOWN=4 slows
 *            the CPU 4× in Lighthouse's throttling, for the scores a slower machine would give.
 *
 * The server (production build, PostgreSQL), Chromium and this process run unpinned (see below).
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { resolveChromium } from "../ensure-chromium.mjs";
import { createBenchDb, f1, migrateAndPool, mintCookie, percentile, pinSelf, seed, spawnChild, tempDir, type TChild } from "./lib";
import { tracePageLoads } from "./page-trace";

const BIG = "bc_big";
const SMALL = "bc_small";
const GENERAL = "bc_general";

/** Chromium flags for a closed network (docs/offline-env.md). */
const CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions", "--mute-audio"];

/**
 * Message texts as people write them: Chinese, English and both, plain or with Markdown, code, links,
 * lists and quotes. `$g` is replaced by the message number in SQL.
 */
const BODIES = [
  "今天下午三点开会讨论项目进度，记得带上第 $g 版的设计稿",
  "Deployed build #$g to staging — looks good so far 👍",
  "**注意**：数据库迁移会在周五晚上进行，预计停机 _30 分钟_",
  "Can someone review PR $g? https://git.example.com/parley/pull/$g",
  "```ts\nconst total = items.reduce((sum, item) => sum + item.price, 0);\nconsole.log(`total: ${total}`);\n```",
  "ok",
  "好的，我明天跟进一下 customer feedback，然后更新 roadmap",
  "- 修复登录问题\n- 更新依赖\n- write the release notes for v$g",
  "Lunch at 12:30? 中午一起吃饭吗",
  "The latency graph is at https://grafana.example.com/d/abc?orgId=1 — p99 went from 120 ms to 80 ms after the index change.",
  "`npm run build` 失败了，报错是 `Module not found: Can't resolve 'fs'`",
  "We should probably split the onboarding flow into three steps. 第一步填写基本信息，第二步邀请同事，第三步创建第一个频道。That way people see value before they have to invite anyone, which is what the interviews suggested.",
  "> 用户说搜索太慢了\n我们下个迭代优化一下，see [the issue](https://git.example.com/parley/issues/$g)",
  "thanks!",
  "收到",
  "I'll take a look after standup",
];

/** Inserts `count` messages into `channelId` by SQL, 45 s apart, senders changing every few messages. */
async function fillChannel(pool: import("pg").Pool, channelId: string, count: number, users: number): Promise<void> {
  const bodies = BODIES.map((b) => b.replaceAll("'", "''"));
  const arr = `ARRAY[${bodies.map((b) => `'${b}'`).join(",")}]::text[]`;
  const batch = 50_000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    await pool.query(
      `INSERT INTO "Message" (id, "channelId", seq, ts, "senderId", body, "createdAt", "updatedAt")
       SELECT $1 || '_m' || g, $1, g, ((extract(epoch FROM t) * 1000000)::bigint), 'bu' || ((g / 3 + g / 7) % $4::int), replace((${arr})[1 + (g * 7) % ${bodies.length}], '$g', g::text), t, t
       FROM generate_series($2::int, $3::int) g, LATERAL (SELECT now() - (($3::int - g) * interval '45 seconds') - interval '1 minute' AS t) x`,
      [channelId, from, to, users],
    );
  }
  await pool.query(
    `UPDATE "Channel" c SET "lastSeq" = $2, "lastTs" = m.ts, "lastMessageAt" = m."createdAt" FROM "Message" m WHERE c.id = $1 AND m."channelId" = $1 AND m.seq = $2`,
    [channelId, count],
  );
  await pool.query(`UPDATE "ChannelMember" SET "lastReadSeq" = $2 WHERE "channelId" = $1`, [channelId, count]);
}

/** Sets up the three channels everyone is in: #general (30 messages), #small (50), #big (N). */
async function seedChannels(pool: import("pg").Pool, workspaceId: string, users: number, big: number): Promise<Record<string, number>> {
  const channels: [string, string, boolean, number][] = [
    [GENERAL, "general", true, 30],
    [SMALL, "small-小频道", false, 50],
    [BIG, "big-十万条", false, big],
  ];
  for (const [id, name, isGeneral] of channels) {
    await pool.query(`INSERT INTO "Channel" (id, "workspaceId", kind, name, "isGeneral", "createdAt", "updatedAt") VALUES ($1, $2, 'PUBLIC', $3, $4, now() - interval '100 days', now())`, [id, workspaceId, name, isGeneral]);
    await pool.query(`INSERT INTO "ChannelMember" (id, "channelId", "userId", "joinedAt") SELECT $1 || '_cm' || g, $1, 'bu' || g, now() - interval '100 days' FROM generate_series(0, $2::int - 1) g`, [id, users]);
  }
  const seqs: Record<string, number> = {};
  for (const [id, , , count] of channels) {
    await fillChannel(pool, id, count, users);
    seqs[id] = count;
  }
  await pool.query("ANALYZE");
  return seqs;
}

/** In-page helpers, installed before any page script (a string: tsx's helpers must not leak into the page). */
const PAGE_SCRIPT = `(() => {
  const B = (window.__bench = { clickAt: 0, longTasks: [] });
  document.addEventListener("click", (e) => { B.clickAt = e.timeStamp; }, true);
  try {
    new PerformanceObserver((list) => { for (const e of list.getEntries()) B.longTasks.push({ start: e.startTime, duration: e.duration }); }).observe({ type: "longtask", buffered: true });
  } catch {}
  const afterPaint = (fn) => { const ch = new MessageChannel(); ch.port1.onmessage = fn; ch.port2.postMessage(0); };
  /** Resolves once a frame showing the row of message seq in the channel's list has been painted. */
  // When the router changed the URL (Next pushes the state when it commits the navigation).
  const pushState = history.pushState.bind(history);
  history.pushState = (...args) => { B.pushedAt = performance.now(); return pushState(...args); };
  B.watchRendered = (channelId, seq) => {
    B.steps = {};
    const seen = (name) => { if (B.steps[name] === undefined) B.steps[name] = performance.now() - B.clickAt; };
    const observer = new MutationObserver(() => {
      const view = document.querySelector('[data-testid="channel-view"][data-channel-id="' + channelId + '"]');
      if (view) seen("view in DOM");
      if (view && view.querySelector('article[data-testid="message"]')) seen("first row in DOM");
      if (view && view.querySelector('article[data-seq="' + seq + '"]')) seen("newest row in DOM");
    });
    observer.observe(document.body, { childList: true, subtree: true });
    B.pending = new Promise((resolve) => {
      const check = () => {
        const view = document.querySelector('[data-testid="channel-view"][data-channel-id="' + channelId + '"]');
        const row = view && view.querySelector('article[data-seq="' + seq + '"]');
        const scroller = view && view.querySelector('[data-virtuoso-scroller]');
        if (row && scroller) {
          const r = row.getBoundingClientRect(), s = scroller.getBoundingClientRect();
          // In the list's viewport and not hidden (react-virtuoso keeps the list visibility:hidden
          // until it has scrolled to its initial item).
          const isShown = getComputedStyle(row).visibility === "visible";
          const isInView = r.height > 0 && r.bottom > s.top && r.top < s.bottom;
          // Where the frames before went (the first frame in each state).
          seen(isShown ? (isInView ? "newest row in view at a frame" : "list shown, newest row out of view at a frame") : "newest row in DOM, list hidden at a frame");
          if (isInView && isShown) {
            const rows = view.querySelectorAll('article[data-testid="message"]').length;
            observer.disconnect();
            if (B.pushedAt >= B.clickAt) B.steps["URL pushed"] = B.pushedAt - B.clickAt;
            // Whether the newest page had arrived before the click (the idle prefetch of likely
            // conversations, conversation-prefetch.ts) or was still on its way.
            const newestPage = "/api/channels/" + channelId + "/messages?limit=";
            const preloaded = performance.getEntriesByType("resource").some((e) => e.name.includes(newestPage) && e.responseEnd <= B.clickAt);
            afterPaint(() => resolve({ ms: performance.now() - B.clickAt, rows, preloaded }));
            return;
          }
        }
        requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    });
  };
  /** What the page fetched since the last click: path, start and end relative to the click (ms). */
  B.fetchesSinceClick = () => performance.getEntriesByType("resource").filter((e) => e.startTime >= B.clickAt - 1).map((e) => {
    const u = new URL(e.name);
    return { path: u.pathname + (u.search.includes("_rsc") ? " (RSC)" : u.search.replace(/_rsc=[^&]*&?/, "")), start: e.startTime - B.clickAt, end: e.responseEnd - B.clickAt };
  });
  /** Scrolls the list up at pxPerS for seconds; records frame intervals, row counts, waits at the top. */
  B.scrollUp = (pxPerS, seconds) => new Promise((resolve) => {
    const scroller = document.querySelector('[data-testid="channel-view"] [data-virtuoso-scroller]');
    const frames = [], rowCounts = [];
    let waitingMs = 0, last = 0, minSeq = Infinity, pixels = 0;
    const start = performance.now();
    const longTasksBefore = B.longTasks.length;
    const step = (now) => {
      if (last) {
        const dt = now - last;
        frames.push(dt);
        const loader = document.querySelector('[data-testid="loading-older"]');
        if (loader) {
          const r = loader.getBoundingClientRect(), s = scroller.getBoundingClientRect();
          if (r.bottom > s.top && r.top < s.bottom) waitingMs += dt;
        }
        const before = scroller.scrollTop;
        scroller.scrollTop = before - (pxPerS * Math.min(dt, 50)) / 1000;
        pixels += before - scroller.scrollTop;
      }
      last = now;
      const rows = scroller.querySelectorAll('article[data-testid="message"]');
      rowCounts.push(rows.length);
      for (const row of rows) { const s = Number(row.getAttribute("data-seq")); if (s && s < minSeq) minSeq = s; }
      if (now - start < seconds * 1000) requestAnimationFrame(step);
      else resolve({ frames, rowCounts, waitingMs, minSeq, pixels, longTasks: B.longTasks.slice(longTasksBefore) });
    };
    requestAnimationFrame(step);
  });
})();`;

/** A page with a button that renders 50 static rows shaped like message rows: the browser's floor. */
const BARE_PAGE = `<!doctype html><html lang="en"><head><style>
  body{margin:0;font:15px system-ui,sans-serif} #list{height:600px;overflow:auto} .row{display:flex;gap:8px;padding:2px 20px}
  .av{width:36px;height:36px;border-radius:6px;background:#ccc;flex:none} b{font-weight:700} time{color:#64748b;font-size:12px}
</style></head><body><button id="go">open</button><div id="list"></div><script>
  document.getElementById("go").addEventListener("click", () => {
    const list = document.getElementById("list");
    list.textContent = "";
    for (let i = 1; i <= 50; i++) {
      const row = document.createElement("article");
      row.className = "row"; row.setAttribute("data-seq", String(i));
      row.innerHTML = '<div class="av"></div><div><header><b>User ' + (i % 5) + ' 用户</b> <time>10:' + String(i).padStart(2, "0") + '</time></header><p>今天下午三点开会讨论项目进度 — message ' + i + ' with <code>code</code> and a <a href="#">link</a></p></div>';
      list.appendChild(row);
    }
    list.scrollTop = list.scrollHeight;
  });
</script></body></html>`;

/** `preloaded`: the conversation's newest page had arrived before the click. */
type TOpen = { ms: number; rows: number; preloaded: boolean };

function stats(values: number[]): { p50: number; p75: number; p95: number; n: number } {
  const s = [...values].sort((a, b) => a - b);
  return { p50: percentile(s, 50), p75: percentile(s, 75), p95: percentile(s, 95), n: s.length };
}

function line(label: string, values: number[], baseline?: number[]): string {
  const a = stats(values);
  const ratio = baseline?.length ? `  ×${(a.p75 / stats(baseline).p75).toFixed(2)} of baseline p75` : "";
  return `  ${label.padEnd(44)} n=${String(a.n).padStart(3)}  p50 ${f1(a.p50).padStart(6)}  p75 ${f1(a.p75).padStart(6)}  p95 ${f1(a.p95).padStart(6)} ms${ratio}`;
}

/** Clicks the sidebar link of `channelId` and resolves with click → newest row painted. */
async function openChannel(page: Page, channelId: string, newestSeq: number): Promise<TOpen> {
  await page.evaluate(`window.__bench.watchRendered(${JSON.stringify(channelId)}, ${newestSeq})`);
  await page.click(`[data-testid="sidebar-channel"][data-channel-id="${channelId}"]`);
  const open = (await page.evaluate("window.__bench.pending")) as TOpen;
  // A moment later the list must have settled at the very bottom (the newest message fully shown).
  await page.waitForTimeout(300);
  const gap = (await page.evaluate(`(() => { const s = document.querySelector('[data-testid="channel-view"] [data-virtuoso-scroller]'); return s.scrollHeight - s.scrollTop - s.clientHeight; })()`)) as number;
  if (gap > 2) notAtBottom.push(`${channelId}: ${gap.toFixed(0)} px above the bottom`);
  return open;
}

/** Opens after which the list had not settled at the bottom (should stay empty). */
const notAtBottom: string[] = [];

async function openWorkspaceAt(page: Page, base: string, channelId: string, newestSeq: number): Promise<void> {
  await page.goto(`${base}/w/bench/c/${channelId}`);
  await page.waitForSelector(`[data-testid="channel-view"][data-channel-id="${channelId}"] article[data-seq="${newestSeq}"]`, { timeout: 60_000 });
  // Let the page settle (socket connected, sidebar and directory loaded, idle callbacks run).
  await page.waitForTimeout(Number(process.env.BENCH_SETTLE_MS ?? 500));
}

async function measureOpens(context: BrowserContext, base: string, seqs: Record<string, number>, cold: number, warm: number) {
  const page = await context.newPage();
  const coldBig: TOpen[] = [];
  const coldSmall: TOpen[] = [];
  for (let i = 0; i < cold; i++) {
    // A fresh page load each time: nothing cached in react-query; then the first visits.
    await openWorkspaceAt(page, base, GENERAL, seqs[GENERAL]!);
    if (i % 2 === 0) {
      coldBig.push(await openChannel(page, BIG, seqs[BIG]!));
      coldSmall.push(await openChannel(page, SMALL, seqs[SMALL]!));
    } else {
      coldSmall.push(await openChannel(page, SMALL, seqs[SMALL]!));
      coldBig.push(await openChannel(page, BIG, seqs[BIG]!));
    }
  }
  // Warm: both visited already in this page; switch back and forth. From #small: the last cold
  // round may have ended on #big, and clicking the open conversation is no switch (it was measured
  // as one, waiting ~470 ms for a paint that never came: the warm p95 of every run until 2026-11-27 07:20).
  const warmBig: TOpen[] = [];
  const warmSmall: TOpen[] = [];
  if (page.url().endsWith(`/c/${BIG}`)) await openChannel(page, SMALL, seqs[SMALL]!);
  for (let i = 0; i < warm; i++) {
    warmBig.push(await openChannel(page, BIG, seqs[BIG]!));
    await page.waitForTimeout(150);
    warmSmall.push(await openChannel(page, SMALL, seqs[SMALL]!));
    await page.waitForTimeout(150);
  }
  // Where the time goes: one more warm and one more cold open of #big, with what they fetched and
  // the renderer's main-thread time by kind (Chromium's Performance.getMetrics, before → after).
  const metricsSession = await context.newCDPSession(page);
  await metricsSession.send("Performance.enable");
  const metrics = async () => Object.fromEntries((await metricsSession.send("Performance.getMetrics")).metrics.map((m) => [m.name, m.value]));
  // BENCH_OPEN_PROFILE=<file>: a CPU profile of each of those two opens alone (profiler started
  // just before the click, stopped after the paint), written to <file> with .warm / .cold inserted.
  const profileFile = process.env.BENCH_OPEN_PROFILE;
  const cdp = profileFile ? await context.newCDPSession(page) : undefined;
  if (cdp) {
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: 200 });
  }
  const breakdown = async (label: string, kind: "warm" | "cold") => {
    const before = await metrics();
    if (cdp) await cdp.send("Profiler.start");
    const r = await openChannel(page, BIG, seqs[BIG]!);
    const profile = cdp ? (await cdp.send("Profiler.stop")).profile : undefined;
    const after = await metrics();
    const d = (k: string) => (after[k]! - before[k]!) * 1000;
    const fetches = (await page.evaluate("window.__bench.fetchesSinceClick()")) as { path: string; start: number; end: number }[];
    console.log(`  ${label}: painted at ${f1(r.ms)} ms; fetched: ${fetches.map((x) => `${x.path} ${f1(x.start)}→${f1(x.end)}`).join(", ") || "nothing"}`);
    const steps = (await page.evaluate("window.__bench.steps")) as Record<string, number>;
    console.log(`      steps: ${Object.entries(steps).sort((a, b) => a[1] - b[1]).map(([k, v]) => `${k} ${f1(v)}`).join(", ")}`);
    console.log(`      main thread (click → 300 ms after paint): script ${f1(d("ScriptDuration"))} ms, style ${f1(d("RecalcStyleDuration"))} ms (${after.RecalcStyleCount! - before.RecalcStyleCount!}×), layout ${f1(d("LayoutDuration"))} ms (${after.LayoutCount! - before.LayoutCount!}×), all tasks ${f1(d("TaskDuration"))} ms`);
    if (profile) {
      const file = profileFile!.replace(/(\.cpuprofile)?$/, `.${kind}.cpuprofile`);
      writeFileSync(file, JSON.stringify(profile));
      console.log(`      CPU profile of this open (click → 300 ms after paint): ${file}; heaviest self time:`);
      for (const [name, ms] of topSelfTime(profile, 12)) console.log(`      ${f1(ms).padStart(7)} ms  ${name}`);
    }
  };
  await openChannel(page, SMALL, seqs[SMALL]!);
  await breakdown("one warm open of #big", "warm");
  await openWorkspaceAt(page, base, GENERAL, seqs[GENERAL]!);
  await breakdown("one cold open of #big", "cold");
  if (cdp) {
    // And the page load Lighthouse scores: navigation to #big → 2 s later (hydration, first data, idle work).
    await cdp.send("Profiler.start");
    await page.goto(`${base}/w/bench/c/${BIG}`);
    await page.waitForTimeout(2000);
    const { profile } = await cdp.send("Profiler.stop");
    const file = profileFile!.replace(/(\.cpuprofile)?$/, ".load.cpuprofile");
    writeFileSync(file, JSON.stringify(profile));
    console.log(`  CPU profile of loading #big (navigation → 2 s later): ${file}; heaviest self time:`);
    for (const [name, ms] of topSelfTime(profile, 12)) console.log(`      ${f1(ms).padStart(7)} ms  ${name}`);
  }
  await page.close();
  return { coldBig, coldSmall, warmBig, warmSmall };
}

async function measureBare(context: BrowserContext, base: string, count: number): Promise<number[]> {
  const page = await context.newPage();
  // Served as a navigation (not setContent: document.open() would drop the init script's listeners).
  await page.route(`${base}/__bench-bare`, (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: BARE_PAGE }));
  await page.goto(`${base}/__bench-bare`);
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    await page.evaluate(`(() => {
      const B = window.__bench;
      B.pending = new Promise((resolve) => {
        const check = () => {
          const row = document.querySelector('article[data-seq="50"]');
          if (row) { const ch = new MessageChannel(); ch.port1.onmessage = () => resolve(performance.now() - B.clickAt); ch.port2.postMessage(0); return; }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      });
    })()`);
    await page.click("#go");
    out.push((await page.evaluate("window.__bench.pending")) as number);
    await page.evaluate(`document.getElementById("list").textContent = ""`);
    await page.waitForTimeout(50);
  }
  await page.close();
  return out;
}

/** Self time per function (name, file:line) in a CDP CPU profile, heaviest first. */
function topSelfTime(profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples?: number[]; timeDeltas?: number[] }, count: number): [string, number][] {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < samples.length; i++) {
    const frame = byId.get(samples[i]!)?.callFrame;
    if (!frame) continue;
    const key = `${frame.functionName || "(anonymous)"} ${frame.url.split("/").slice(-1)[0] ?? ""}:${frame.lineNumber + 1}`;
    totals.set(key, (totals.get(key) ?? 0) + (deltas[i + 1] ?? 0) / 1000);
  }
  return [...totals.entries()].filter(([k]) => !k.startsWith("(idle)")).sort((a, b) => b[1] - a[1]).slice(0, count);
}

type TScroll = { frames: number[]; rowCounts: number[]; waitingMs: number; minSeq: number; pixels: number; longTasks: { start: number; duration: number }[] };

async function measureScroll(context: BrowserContext, base: string, seqs: Record<string, number>, pxPerS: number, seconds: number) {
  const page = await context.newPage();
  const olderFetches: number[] = [];
  const started = new Map<string, number>();
  page.on("request", (r) => {
    if (r.url().includes(`/api/channels/${BIG}/messages`) && r.url().includes("before=")) started.set(r.url(), performance.now());
  });
  page.on("requestfinished", (r) => {
    const t = started.get(r.url());
    if (t !== undefined) olderFetches.push(performance.now() - t);
  });
  await openWorkspaceAt(page, base, BIG, seqs[BIG]!);
  // Programmatic scrolling is no wheel, touch or key: let the list's "keep at the bottom while
  // settling" window (2 s after opening) pass first.
  await page.waitForTimeout(2000);
  const result = (await page.evaluate(`window.__bench.scrollUp(${pxPerS}, ${seconds})`)) as TScroll;
  await page.close();
  return { ...result, olderFetches };
}

/** Frames that should have been shown but were not: an interval of k frame periods drops k-1. */
function droppedFrames(frames: number[]): { dropped: number; expected: number; period: number } {
  const sorted = [...frames].sort((a, b) => a - b);
  const period = percentile(sorted, 25) || 16.7;
  let dropped = 0;
  for (const dt of frames) dropped += Math.max(0, Math.round(dt / period) - 1);
  return { dropped, expected: frames.length + dropped, period };
}

function lighthouseVersion(): string {
  const file = createRequire(import.meta.url).resolve("lighthouse/package.json");
  return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
}

/** Starts Chromium with a DevTools port for Lighthouse (what chrome-launcher does, without another dependency). */
async function launchForDevtools(chromiumPath: string, userDataDir: string): Promise<{ port: number; kill: () => Promise<void> }> {
  // Its own process group, so that stopping it stops its helpers (which write to the profile) too.
  const child = spawn(chromiumPath, ["--headless=new", ...CHROMIUM_FLAGS, "--remote-debugging-port=0", `--user-data-dir=${userDataDir}`, "about:blank"], { stdio: ["ignore", "ignore", "pipe"], detached: true });
  const port = await new Promise<number>((resolve, reject) => {
    let err = "";
    const timer = setTimeout(() => reject(new Error(`Chromium did not open a DevTools port:\n${err}`)), 30_000);
    child.stderr!.on("data", (d: Buffer) => {
      err += d;
      const m = /DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(err);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once("exit", (code) => reject(new Error(`Chromium exited with ${code}:\n${err}`)));
  });
  return {
    port,
    kill: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    },
  };
}

type TLighthouseScores = Record<string, number>;

async function runLighthouse(chromiumPath: string, url: string, cookie: string | undefined, runs: number, cpuSlowdown: number): Promise<{ median: TLighthouseScores; all: TLighthouseScores[]; audits: string[] }> {
  const { default: lighthouse } = await import("lighthouse");
  const { default: desktopConfig } = await import("lighthouse/core/config/desktop-config.js");
  const all: TLighthouseScores[] = [];
  let audits: string[] = [];
  for (let i = 0; i < runs; i++) {
    const userDataDir = mkdtempSync(path.join(os.tmpdir(), "parley-lh-"));
    const chrome = await launchForDevtools(chromiumPath, userDataDir);
    try {
      const result = await lighthouse(
        url,
        {
          port: chrome.port,
          output: "json",
          logLevel: "error",
          onlyCategories: ["performance", "accessibility", "best-practices", "seo"],
          extraHeaders: cookie ? { Cookie: cookie } : undefined,
          // The desktop preset's throttling with its CPU multiplier (1) replaced: stands in for a slower machine.
          throttling: { ...desktopConfig.settings!.throttling, cpuSlowdownMultiplier: cpuSlowdown },
        },
        desktopConfig,
      );
      const lhr = result!.lhr;
      // BENCH_LH_REPORT=<dir>: each run's full report, for the audits this summary leaves out.
      const reportDir = process.env.BENCH_LH_REPORT;
      if (reportDir) {
        mkdirSync(reportDir, { recursive: true });
        writeFileSync(path.join(reportDir, `${new URL(url).pathname.replaceAll("/", "_")}.${i}.json`), JSON.stringify(lhr));
      }
      const scores: TLighthouseScores = {};
      for (const [id, c] of Object.entries(lhr.categories)) scores[id] = Math.round((c.score ?? 0) * 100);
      for (const id of ["first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "cumulative-layout-shift", "speed-index"]) {
        const a = lhr.audits[id];
        if (a?.numericValue !== undefined) scores[id] = a.numericValue;
      }
      all.push(scores);
      // What keeps a category below 100: failing audits (score < 0.9) that carry weight.
      audits = Object.values(lhr.categories).flatMap((c) =>
        c.auditRefs
          .filter((r) => r.weight > 0 && (lhr.audits[r.id]?.score ?? 1) < 0.9)
          .map((r) => {
            const audit = lhr.audits[r.id]!;
            // Accessibility audits name the failing elements: show the first few.
            const items = ((audit.details as { items?: { node?: { selector?: string; snippet?: string } }[] } | undefined)?.items ?? []).flatMap((it) => (it.node ? [`${it.node.selector} ${it.node.snippet?.slice(0, 120)}`] : []));
            return `${c.id}: ${r.id} (${audit.displayValue ?? audit.score})${items.slice(0, 4).map((x) => `\n          ${x}`).join("")}`;
          }),
      );
    } finally {
      await chrome.kill();
      // Chromium's helper processes may still be writing there for a moment after it exits.
      try {
        rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (err) {
        console.warn(`  (could not remove ${userDataDir}: ${(err as Error).message})`);
      }
    }
  }
  const median: TLighthouseScores = {};
  for (const key of Object.keys(all[0] ?? {})) {
    const s = all.map((x) => x[key]!).sort((a, b) => a - b);
    median[key] = s[Math.floor(s.length / 2)]!;
  }
  return { median, all, audits };
}

function printLighthouse(label: string, r: Awaited<ReturnType<typeof runLighthouse>>): void {
  const m = r.median;
  console.log(
    `  ${label.padEnd(22)} performance ${m.performance}  accessibility ${m.accessibility}  best-practices ${m["best-practices"]}  SEO ${m.seo}   ` +
      `(FCP ${f1(m["first-contentful-paint"]!)} ms, LCP ${f1(m["largest-contentful-paint"]!)} ms, TBT ${f1(m["total-blocking-time"]!)} ms, CLS ${m["cumulative-layout-shift"]?.toFixed(3)}; runs: ${r.all.map((x) => x.performance).join("/")})`,
  );
  for (const a of r.audits) console.log(`      below 90: ${a}`);
}

export async function runChannelOpen(opts: { messages: number; cold: number; warm: number; scrollSeconds: number; scrollPxPerS: number; lighthouseRuns: number; lighthouseCpuSlowdown: number; port: number }): Promise<void> {
  // Unpinned by default: a browser is several busy processes (browser, renderer, GPU, network), and
  // pinned to one core of a shared machine it measured 900 ms for a click that takes 10 ms unpinned.
  const isPinned = process.env.BENCH_PIN === "1";
  if (!isPinned) process.env.BENCH_NO_PIN ??= "1";
  if (isPinned) pinSelf(1); // Chromium's processes inherit it.
  const chromium = resolveChromium();
  if (chromium.path === null) throw new Error(`${chromium.error} Run \`node scripts/ensure-chromium.mjs\`.`);
  const db = await createBenchDb();
  const data = tempDir();
  let server: TChild | undefined;
  let browser: Browser | undefined;
  try {
    const pool = await migrateAndPool(db.url);
    const users = 5;
    const s = await seed(pool, users, []);
    const seedStart = performance.now();
    const seqs = await seedChannels(pool, s.workspaceId, users, opts.messages);
    await pool.end();
    console.log(`\nChannel open in Chromium: #big has ${opts.messages.toLocaleString("en")} messages (seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s), #small 50; production build, PostgreSQL`);
    const base = `http://127.0.0.1:${opts.port}`;
    server = await spawnChild("scripts/bench/parley-server.ts", {
      cpu: 0,
      port: opts.port,
      env: { DATABASE_URL: db.url, PARLEY_DATA_DIR: data.dir, BENCH_WITH_NEXT: "1", NODE_ENV: "production", NEXTAUTH_URL: base, PARLEY_ALLOWED_ORIGINS: base },
    });
    const cookie = await mintCookie(s.users[0]!);
    const [cookieName, cookieValue] = [cookie.slice(0, cookie.indexOf("=")), cookie.slice(cookie.indexOf("=") + 1)];
    console.log(`  server, Chromium and this process unpinned (BENCH_PIN=1 pins the server to core 0, the rest to core 1); load average ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);

    // BENCH_OPEN_SERVE=1: only seed and serve, for looking at the page by hand (until interrupted).
    if (process.env.BENCH_OPEN_SERVE === "1") {
      console.log(`  serving ${base}/w/bench/c/${BIG} — cookie: ${cookie}`);
      await new Promise<void>((resolve) => process.once("SIGINT", resolve));
      return;
    }
    const { chromium: pw } = await import("playwright-core");
    browser = await pw.launch({ executablePath: chromium.path, args: CHROMIUM_FLAGS });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await context.addCookies([{ name: cookieName, value: cookieValue, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
    await context.addInitScript(PAGE_SCRIPT);
    // Warm-up: the server's first renders and queries, Chromium's code caches.
    {
      const page = await context.newPage();
      await openWorkspaceAt(page, base, GENERAL, seqs[GENERAL]!);
      await openChannel(page, BIG, seqs[BIG]!);
      await openChannel(page, SMALL, seqs[SMALL]!);
      await page.close();
    }
    if (opts.warm > 0 && opts.cold > 0) {
      const bare = await measureBare(context, base, opts.warm);
      const o = await measureOpens(context, base, seqs, opts.cold, opts.warm);
      const ms = (x: TOpen[]) => x.map((v) => v.ms);
      console.log(`\n  click → newest message painted                                                  (target: #big p75 ≤ 150 ms)`);
      console.log(line("cold: #big (100,000), first visit after load", ms(o.coldBig), ms(o.coldSmall)));
      console.log(line("cold: #small (50), first visit after load", ms(o.coldSmall)));
      // A first visit finds its newest page loaded already when the idle prefetch of likely
      // conversations got to it within the settle time, or fetches it (started on hover) on the way.
      for (const preloaded of [true, false]) {
        const opens = [...o.coldBig, ...o.coldSmall].filter((x) => x.preloaded === preloaded);
        if (opens.length) console.log(line(`  cold, both: newest page ${preloaded ? "prefetched at idle" : "fetched on the way"}`, ms(opens)));
      }
      console.log(line("warm: #big, switching back", ms(o.warmBig), ms(o.warmSmall)));
      console.log(line("warm: #small, switching back", ms(o.warmSmall)));
      console.log(line("bare page: click → 50 static rows painted", bare));
      console.log(`  → #big ÷ #small p75: cold ${(stats(ms(o.coldBig)).p75 / stats(ms(o.coldSmall)).p75).toFixed(2)}×, warm ${(stats(ms(o.warmBig)).p75 / stats(ms(o.warmSmall)).p75).toFixed(2)}×; #big warm ÷ bare page p75 ${(stats(ms(o.warmBig)).p75 / stats(bare).p75).toFixed(2)}×`);
      console.log(`  list settled at the bottom 300 ms after each open: ${notAtBottom.length === 0 ? "yes, every time" : `NO, ${notAtBottom.length} times: ${notAtBottom.slice(0, 3).join("; ")}`}`);
      console.log(`  message rows in the DOM when #big was painted: ${Math.min(...o.warmBig.map((x) => x.rows), ...o.coldBig.map((x) => x.rows))}–${Math.max(...o.warmBig.map((x) => x.rows), ...o.coldBig.map((x) => x.rows))}`);
    }
    if (opts.scrollSeconds > 0) {
      const sc = await measureScroll(context, base, seqs, opts.scrollPxPerS, opts.scrollSeconds);
      const d = droppedFrames(sc.frames);
      const frames = stats(sc.frames);
      const longMs = sc.longTasks.reduce((a, t) => a + t.duration, 0);
      const fetches = stats(sc.olderFetches);
      console.log(`\n  scrolling #big up at ${opts.scrollPxPerS} px/s for ${opts.scrollSeconds} s: ${Math.round(sc.pixels).toLocaleString("en")} px, back to seq ${sc.minSeq.toLocaleString("en")} (${(seqs[BIG]! - sc.minSeq + 1).toLocaleString("en")} messages, ${sc.olderFetches.length} older pages)`);
      console.log(`  frames: ${sc.frames.length}, interval p50 ${f1(frames.p50)} / p95 ${f1(frames.p95)} / max ${f1(Math.max(...sc.frames))} ms; dropped ${d.dropped} of ${d.expected} (${((100 * d.dropped) / Math.max(1, d.expected)).toFixed(1)} %, frame period ${f1(d.period)} ms)`);
      console.log(`  long tasks: ${sc.longTasks.length}, ${f1(longMs)} ms in all (longest ${f1(Math.max(0, ...sc.longTasks.map((t) => t.duration)))} ms); "Loading older messages…" in view ${f1(sc.waitingMs)} ms`);
      console.log(`  older page fetch (request → response body): p50 ${f1(fetches.p50)} / p95 ${f1(fetches.p95)} ms`);
      console.log(`  message rows in the DOM while scrolling: ${Math.min(...sc.rowCounts)}–${Math.max(...sc.rowCounts)} (virtualised: bounded while ${(seqs[BIG]! - sc.minSeq + 1).toLocaleString("en")} messages passed)`);
    }
    await context.close();
    const traceLoads = Number(process.env.BENCH_OPEN_TRACE ?? 0);
    if (traceLoads > 0) {
      // A context of its own: without the bench's instrumentation (PAGE_SCRIPT) in the page.
      const traceContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await traceContext.addCookies([{ name: cookieName, value: cookieValue, domain: "127.0.0.1", path: "/", httpOnly: true, sameSite: "Lax" }]);
      await tracePageLoads(browser, traceContext, `${base}/w/bench/c/${BIG}`, traceLoads);
      await traceContext.close();
    }
    await browser.close();
    browser = undefined;

    if (opts.lighthouseRuns > 0) {
      const slowdown = opts.lighthouseCpuSlowdown === 1 ? "" : `, CPU slowed ${opts.lighthouseCpuSlowdown}× (BENCH_LH_CPU_SLOWDOWN)`;
      console.log(`\n  Lighthouse ${lighthouseVersion()}, desktop preset${slowdown}, median of ${opts.lighthouseRuns} run(s)`);
      printLighthouse("sign-in page", await runLighthouse(chromium.path, `${base}/login`, undefined, opts.lighthouseRuns, opts.lighthouseCpuSlowdown));
      printLighthouse("channel page (#big)", await runLighthouse(chromium.path, `${base}/w/bench/c/${BIG}`, cookie, opts.lighthouseRuns, opts.lighthouseCpuSlowdown));
    }
    console.log(`  load average after: ${os.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    data.remove();
    await db.drop();
  }
}
