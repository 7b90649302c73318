/**
 * A Parley node for the benchmarks, run in its own (pinned) process by scripts/bench/lib.ts
 * spawnChild: `node --import tsx scripts/bench/parley-server.ts <port>`. Without Next unless
 * BENCH_WITH_NEXT=1 (the production build must exist then). Prints `listening <port>`; on stdin,
 * `gc` answers `stats <rss> <heapUsed> <external>` after a full collection; `profile-start` and
 * `profile-stop <file>` record a CPU profile (answers `profile <file>`; open it in Chrome DevTools);
 * `heap <file>` writes a heap snapshot after a full GC (answers `heap <file>`; compare two with
 * scripts/bench/heap-diff.ts); `batches` answers `batches <count> <messages>`, the group commit's
 * batches and the messages in them since start.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createInterface } from "node:readline";
import { writeHeapSnapshot } from "node:v8";
import { groupCommitStats } from "@/lib/messages/group-commit";
import { startParley } from "@/server/app";

async function main(): Promise<void> {
  const withNext = process.env.BENCH_WITH_NEXT === "1";
  const node = await startParley({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1", dev: false, withNext });
  console.log(`listening ${node.port}`);
  let session: Session | undefined;
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
