/**
 * `npm run bench -- <scenario>`: Parley's benchmarks, each measured against a baseline taken in the
 * same run on the same machine (absolute timings vary by machine; ratios travel). docs/performance.md
 * has the figures and the exact commands.
 *
 *   (none)       quick: send + history (20,000 messages) and one fan-out configuration — a few minutes
 *   history      send vs raw INSERT; history pages at BENCH_MESSAGES (default 1,000,000) vs pk lookup
 *   persistence  durable sends vs raw INSERTs at the same concurrency (group commit; scripts/bench/persistence.ts)
 *   fanout       200 and 1,000 sockets × conversations of 10 and 100, vs a bare Socket.IO server
 *                (BENCH_FANOUT sizes, BENCH_WINDOW sends in flight, BENCH_FANOUT_ROUNDS alternating
 *                rounds with the median ratio reported; default 1)
 *   connections  memory per idle authenticated socket at BENCH_SOCKETS (10,000), then a reconnect storm
 *   members      naming and picking people in workspaces of 1,000 and 10,000 (BENCH_WORKSPACE_SIZES): by id and
 *                by search vs reading the whole member list (scripts/bench/members.ts)
 *   load         simulated users (load-test-ng style), ramped until a gate breaks (needs `npm run build`)
 *   channel-open Chromium: click → newest of BENCH_MESSAGES (100,000) painted, cold and warm, vs a 50-message
 *                channel and a bare page; scrolling history (dropped frames, DOM rows); Lighthouse desktop
 *                scores (needs `npm run build`)
 *   xmpp         the fan-out workload against Prosody (XMPP multi-user chat, archive on; ejabberd too when
 *                installed) and Parley side by side (scripts/bench/xmpp.ts; needs `apt-get install -y prosody
 *                lua-dbi-postgresql`; not in `all`)
 *   all          everything above
 *
 * fanout, connections, persistence, members and load need PostgreSQL (BENCH_DATABASE_URL, default
 * postgresql://postgres@127.0.0.1:5432/postgres; a throwaway database is created and dropped).
 * history uses PGlite unless BENCH_DATABASE_URL is set.
 */
const scenario = process.argv[2] ?? "quick";
const num = (name: string, dflt: number) => Number(process.env[name] ?? dflt);

async function main(): Promise<void> {
  const { machine } = await import("./bench/lib");
  console.log(`Parley benchmark "${scenario}" on ${machine()}`);
  const run = async (name: string, fn: () => Promise<unknown>) => {
    if (scenario === name || scenario === "all") await fn();
  };
  if (scenario === "quick") {
    const { runHistory } = await import("./bench/history");
    await runHistory({ messages: num("BENCH_MESSAGES", 20_000), sends: num("BENCH_SENDS", 300) });
    const { runFanout } = await import("./bench/fanout");
    await runFanout([{ sockets: 200, members: 10, rate: 20, seconds: 10, saturateSeconds: 5, window: 32 }]);
    return;
  }
  await run("history", async () => {
    const { runHistory } = await import("./bench/history");
    await runHistory({ messages: num("BENCH_MESSAGES", 1_000_000), sends: num("BENCH_SENDS", 500) });
  });
  await run("persistence", async () => {
    const { runPersistence } = await import("./bench/persistence");
    await runPersistence({ messages: num("BENCH_PERSIST_MESSAGES", 20_000), concurrency: (process.env.BENCH_PERSIST_CONCURRENCY ?? "64").split(",").map(Number), channels: num("BENCH_PERSIST_CHANNELS", 16), history: num("BENCH_PERSIST_HISTORY", 100_000) });
  });
  await run("fanout", async () => {
    const { runFanout } = await import("./bench/fanout");
    const seconds = num("BENCH_SECONDS", 20);
    const rate = num("BENCH_RATE", 20);
    const sizes = (process.env.BENCH_FANOUT ?? "200x10,200x100,1000x10,1000x100").split(",").map((s) => s.split("x").map(Number) as [number, number]);
    const windows = (process.env.BENCH_WINDOW ?? "32,128,256,512").split(",").map(Number);
    await runFanout(sizes.map(([sockets, members]) => ({ sockets, members, rate, seconds, saturateSeconds: num("BENCH_SATURATE_SECONDS", 10), window: windows[0]!, windows })), num("BENCH_FANOUT_ROUNDS", 1));
  });
  await run("connections", async () => {
    const { runConnections } = await import("./bench/connections");
    await runConnections({ sockets: num("BENCH_SOCKETS", 10_000), members: num("BENCH_MEMBERS", 10), stormMessages: num("BENCH_STORM_MESSAGES", 50) });
  });
  await run("members", async () => {
    const { runMembers } = await import("./bench/members");
    await runMembers({ sizes: (process.env.BENCH_WORKSPACE_SIZES ?? "1000,10000").split(",").map(Number), reads: num("BENCH_MEMBER_READS", 50) });
  });
  if (scenario === "xmpp") {
    const { runXmpp } = await import("./bench/xmpp");
    const sizes = (process.env.BENCH_FANOUT ?? "200x10,200x100,1000x10").split(",").map((s) => s.split("x").map(Number) as [number, number]);
    await runXmpp(sizes.map(([sockets, members]) => ({ sockets, members, rate: num("BENCH_RATE", 20), seconds: num("BENCH_SECONDS", 20), saturateSeconds: num("BENCH_SATURATE_SECONDS", 10), window: Number((process.env.BENCH_WINDOW ?? "32").split(",")[0]) })));
    return;
  }
  await run("channel-open", async () => {
    const { runChannelOpen } = await import("./bench/channel-open");
    await runChannelOpen({
      messages: num("BENCH_MESSAGES", 100_000),
      cold: num("BENCH_OPEN_COLD", 16),
      warm: num("BENCH_OPEN_WARM", 30),
      scrollSeconds: num("BENCH_SCROLL_SECONDS", 20),
      scrollPxPerS: num("BENCH_SCROLL_PX_PER_S", 6000),
      lighthouseRuns: num("BENCH_LH_RUNS", 3),
      lighthouseCpuSlowdown: num("BENCH_LH_CPU_SLOWDOWN", 1),
      port: num("BENCH_PORT", 3331),
    });
  });
  await run("load", async () => {
    const { runLoad } = await import("./bench/load");
    await runLoad({
      start: num("BENCH_USERS_START", 250),
      step: num("BENCH_USERS_STEP", 250),
      max: num("BENCH_USERS_MAX", 5000),
      stepSeconds: num("BENCH_STEP_SECONDS", 60),
    });
  });
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
