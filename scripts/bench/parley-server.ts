/**
 * A Parley node for the benchmarks, run in its own (pinned) process by scripts/bench/lib.ts
 * spawnChild: `node --import tsx scripts/bench/parley-server.ts <port>`. Without Next unless
 * BENCH_WITH_NEXT=1 (the production build must exist then). Prints `listening <port>`; on stdin,
 * `gc` answers `stats <rss> <heapUsed> <external>` after a full collection; `profile-start` and
 * `profile-stop <file>` record a CPU profile (answers `profile <file>`; open it in Chrome DevTools);
 * `heap <file>` writes a heap snapshot after a full GC (answers `heap <file>`; compare two with
 * scripts/bench/heap-diff.ts); `batches` answers `batches <count> <messages>`, the group commit's
 * batches and the messages in them since start; `lag` answers, for the time since the last `lag`,
 * `lag <p50> <p99> <max> <poolWaiting> <threadpool> <opened>`: the event loop's delay in ms (how long
 * ready work waited for the loop), the most queries seen waiting for a connection of Prisma's pool
 * (sampled every 50 ms), the p99 in ms of a trivial crypto call on libuv's thread pool (next-auth's
 * session check queues there), and how many connections Prisma's pool opened.
 */
import { pbkdf2 } from "node:crypto";
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createHistogram, monitorEventLoopDelay } from "node:perf_hooks";
import { createInterface } from "node:readline";
import { writeHeapSnapshot } from "node:v8";
import { dbPoolStats } from "@/lib/db";
import { groupCommitStats } from "@/lib/messages/group-commit";
import { startParley } from "@/server/app";

async function main(): Promise<void> {
  const withNext = process.env.BENCH_WITH_NEXT === "1";
  const node = await startParley({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1", dev: false, withNext });
  console.log(`listening ${node.port}`);
  let session: Session | undefined;
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  let poolWaiting = 0;
  let openedBefore = 0;
  const threadpool = createHistogram();
  setInterval(() => {
    poolWaiting = Math.max(poolWaiting, dbPoolStats()?.main.waiting ?? 0);
    const t = process.hrtime.bigint();
    pbkdf2("", "", 1, 8, "sha256", () => threadpool.record(process.hrtime.bigint() - t || 1n));
  }, 50).unref();
  createInterface({ input: process.stdin }).on("line", (line) => {
    const [cmd, arg] = line.trim().split(" ");
    if (cmd === "gc") {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      gc?.();
      const m = process.memoryUsage();
      console.log(`stats ${m.rss} ${m.heapUsed} ${m.external}`);
    } else if (cmd === "heap" && arg) {
      (globalThis as { gc?: () => void }).gc?.();
      writeHeapSnapshot(arg);
      console.log(`heap ${arg}`);
    } else if (cmd === "batches") {
      const b = groupCommitStats();
      console.log(`batches ${b.batches} ${b.messages}`);
    } else if (cmd === "lag") {
      const ms = (ns: number) => (ns / 1e6).toFixed(1);
      const opened = dbPoolStats()?.main.opened ?? 0;
      console.log(`lag ${ms(lag.percentile(50))} ${ms(lag.percentile(99))} ${ms(lag.max)} ${poolWaiting} ${ms(threadpool.percentile(99))} ${opened - openedBefore}`);
      openedBefore = opened;
      lag.reset();
      threadpool.reset();
      poolWaiting = 0;
    } else if (cmd === "profile-start") {
      void (async () => {
        session = new Session();
        session.connect();
        await session.post("Profiler.enable");
        await session.post("Profiler.start");
        console.log("profile started");
      })();
    } else if (cmd === "profile-stop" && session) {
      void (async () => {
        const { profile } = await session!.post("Profiler.stop");
        writeFileSync(arg!, JSON.stringify(profile));
        session!.disconnect();
        console.log(`profile ${arg}`);
      })();
    }
  });
  const stop = async () => {
    setTimeout(() => process.exit(1), 5000).unref();
    await node.close();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop());
  process.on("SIGINT", () => void stop());
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
