/**
 * Where a page load's long tasks go (`BENCH_OPEN_TRACE=<loads>` in channel-open.ts): Chromium's
 * trace of the load with its CPU profiler on, each main-thread task of 50 ms or more listed with what
 * it ran (script evaluation, timers, animation frames, layouts) and its CPU samples by source — the
 * package, or Parley's file — read through the build's source maps when it has them
 * (`PARLEY_BROWSER_SOURCE_MAPS=1 npm run build`), else by script file. Total blocking time (each
 * task's time beyond 50 ms after the first paint) is what Lighthouse scores from these tasks.
 */
import type { Browser, BrowserContext } from "playwright-core";
import { SourceMapConsumer } from "source-map-js";

type TTraceEvent = { name: string; ph: string; pid: number; tid: number; ts: number; dur?: number; args?: { name?: string; data?: Record<string, unknown> } };
type TProfileNode = { id: number; parent?: number; callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number } };

const LONG_TASK_MS = 50;
/** Trace events a task's own breakdown names. */
const TASK_PARTS = ["EvaluateScript", "FunctionCall", "TimerFire", "FireAnimationFrame", "RunMicrotasks", "ParseHTML", "Layout", "UpdateLayoutTree"];

/** Source maps of the page's scripts, fetched once (null: the script has none). */
function sourceMaps(): (scriptUrl: string) => Promise<SourceMapConsumer | null> {
  const cache = new Map<string, Promise<SourceMapConsumer | null>>();
  return (scriptUrl) => {
    let map = cache.get(scriptUrl);
    if (!map) {
      map = (async () => {
        const script = await (await fetch(scriptUrl)).text();
        const name = /sourceMappingURL=(\S+)\s*$/.exec(script)?.[1];
        if (!name) return null;
        const response = await fetch(new URL(name, scriptUrl));
        return response.ok ? new SourceMapConsumer(await response.json()) : null;
      })().catch(() => null);
      cache.set(scriptUrl, map);
    }
    return map;
  };
}

/** "react-virtuoso", "next", "components/chat/message-list.tsx"… for a source map's source path. */
function sourceLabel(source: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (pkg) return pkg[1]!;
  // Its self time is mostly compiling each module's code as the module is first required.
  if (source.includes("[turbopack]")) return "turbopack runtime (instantiating modules)";
  return source.replace(/^.*\[project\]\//, "").replace(/^webpack:\/\/_N_E\/(\.\/)?/, "");
}

export async function tracePageLoads(browser: Browser, context: BrowserContext, url: string, loads: number): Promise<void> {
  const mapFor = sourceMaps();
  console.log(`\n  long tasks of loading ${new URL(url).pathname} (BENCH_OPEN_TRACE; each with its CPU time by source, ms):`);
  for (let load = 1; load <= loads; load++) {
    const page = await context.newPage();
    await page.goto("about:blank");
    await browser.startTracing(page, { categories: ["devtools.timeline", "disabled-by-default-devtools.timeline", "v8.execute", "disabled-by-default-v8.cpu_profiler", "loading", "blink.user_timing"] });
    await page.goto(url, { waitUntil: "load" });
    await page.waitForTimeout(3000);
    const events = (JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TTraceEvent[] }).traceEvents;
    await page.close();

    // The page's own navigation, on its renderer's main thread (renderers also report blank ones,
    // for frames they create).
    const navigation = events.filter((e) => e.name === "navigationStart" && String(e.args?.data?.documentLoaderURL ?? "").startsWith("http")).at(-1);
    if (!navigation) throw new Error("no navigation of the page in the trace");
    const main = { pid: navigation.pid, tid: navigation.tid };
    const onMain = (e: TTraceEvent) => e.pid === main.pid && e.tid === main.tid && e.ph === "X";
    const start = navigation.ts;
    const fcp = events.find((e) => e.name === "firstContentfulPaint" && e.pid === main.pid && e.ts > start)?.ts ?? start;
    const lcp = events.filter((e) => e.name === "largestContentfulPaint::Candidate" && e.pid === main.pid).at(-1)?.ts;
    const tasks = events.filter((e) => onMain(e) && e.name === "RunTask" && (e.dur ?? 0) >= LONG_TASK_MS * 1000).sort((a, b) => a.ts - b.ts);

    // CPU samples: the profile's nodes and (time, node) pairs, in trace time.
    const nodes = new Map<number, TProfileNode>();
    const samples: [number, number][] = [];
    const profileStart = events.find((e) => e.name === "Profile" && e.pid === main.pid && e.tid === main.tid) as (TTraceEvent & { id?: string }) | undefined;
    let time = (profileStart?.args?.data?.startTime as number | undefined) ?? 0;
    for (const e of events as (TTraceEvent & { id?: string })[]) {
      if (e.name !== "ProfileChunk" || e.pid !== main.pid || e.id !== profileStart?.id) continue;
      const profile = e.args?.data?.cpuProfile as { nodes?: TProfileNode[]; samples?: number[] } | undefined;
      for (const node of profile?.nodes ?? []) nodes.set(node.id, node);
      const deltas = (e.args?.data?.timeDeltas ?? []) as number[];
      (profile?.samples ?? []).forEach((id, i) => samples.push([(time += deltas[i] ?? 0), id]));
    }

    const blocking = tasks.filter((t) => t.ts > fcp).reduce((sum, t) => sum + t.dur! / 1000 - LONG_TASK_MS, 0);
    const ms = (us: number) => (us / 1000).toFixed(0);
    console.log(`  load ${load}: first paint ${ms(fcp - start)} ms, largest paint ${lcp ? ms(lcp - start) : "?"} ms, ${tasks.length} long tasks, blocking after first paint ≈ ${blocking.toFixed(0)} ms`);
    for (const task of tasks) {
      const end = task.ts + task.dur!;
      const parts = new Map<string, number>();
      for (const e of events) if (onMain(e) && e.ts >= task.ts && e.ts < end && TASK_PARTS.includes(e.name)) parts.set(e.name, (parts.get(e.name) ?? 0) + e.dur!);
      const bySource = new Map<string, number>();
      const inside = samples.filter(([ts]) => ts >= task.ts && ts <= end);
      for (const [, id] of inside) {
        const frame = nodes.get(id)?.callFrame;
        // Native and V8's own entries: "(program)", "(garbage collector)", "(appendChild)"…
        let label = !frame?.functionName ? "(program)" : frame.functionName.startsWith("(") ? frame.functionName : `(${frame.functionName})`;
        if (frame?.url?.includes("/_next/")) {
          const map = await mapFor(frame.url);
          const source = map?.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber }).source;
          label = source ? sourceLabel(source) : `${frame.url.split("/").pop()}${map ? " (unmapped)" : ""}`;
        }
        bySource.set(label, (bySource.get(label) ?? 0) + 1);
      }
      const share = (count: number) => ((count / Math.max(1, inside.length)) * task.dur!) / 1000;
      const top = [...bySource].sort((a, b) => b[1] - a[1]).slice(0, 6);
      console.log(`    at ${ms(task.ts - start)} ms, ${ms(task.dur!)} ms: ${[...parts].map(([name, us]) => `${name} ${ms(us)}`).join(", ")}`);
      console.log(`      ${top.map(([label, count]) => `${label} ${share(count).toFixed(0)}`).join(", ")}`);
      if (process.env.BENCH_OPEN_TRACE_DETAIL === "1") await printFunctions(inside, nodes, mapFor, share);
    }
  }
}

/** A task's functions by self time, and Parley's own functions by inclusive time (BENCH_OPEN_TRACE_DETAIL=1). */
async function printFunctions(
  inside: [number, number][],
  nodes: Map<number, TProfileNode>,
  mapFor: ReturnType<typeof sourceMaps>,
  share: (count: number) => number,
): Promise<void> {
  const selfBy = new Map<string, number>();
  const inclusiveBy = new Map<string, number>();
  const nameOf = async (frame: TProfileNode["callFrame"]) => {
    if (!frame.url?.includes("/_next/")) return { label: frame.functionName || "(program)", ours: false };
    const map = await mapFor(frame.url);
    const pos = map?.originalPositionFor({ line: frame.lineNumber + 1, column: frame.columnNumber });
    const source = pos?.source ? sourceLabel(pos.source) : frame.url.split("/").pop()!;
    return { label: `${source}:${pos?.line ?? "?"} ${pos?.name ?? frame.functionName}`, ours: !!pos?.source && !pos.source.includes("node_modules") && !pos.source.includes("[turbopack]") };
  };
  for (const [, id] of inside) {
    const leaf = nodes.get(id);
    if (!leaf) continue;
    const self = await nameOf(leaf.callFrame);
    selfBy.set(self.label, (selfBy.get(self.label) ?? 0) + 1);
    const seen = new Set<string>();
    for (let node: TProfileNode | undefined = leaf; node; node = node.parent ? nodes.get(node.parent) : undefined) {
      const named = await nameOf(node.callFrame);
      if (!named.ours || seen.has(named.label)) continue;
      seen.add(named.label);
      inclusiveBy.set(named.label, (inclusiveBy.get(named.label) ?? 0) + 1);
    }
  }
  const list = (by: Map<string, number>) => [...by].sort((a, b) => b[1] - a[1]).slice(0, 12).map(([label, count]) => `        ${share(count).toFixed(1).padStart(6)}  ${label}`).join("\n");
  console.log(`      self:\n${list(selfBy)}\n      inclusive (Parley):\n${list(inclusiveBy)}`);
}
