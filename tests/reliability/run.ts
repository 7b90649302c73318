/**
 * Reliability harness (docs/reliability.md): two nodes as child processes on 127.0.0.1 with
 * PostgreSQL and Redis, recording socket.io clients, and a failure in every scenario.
 *
 *   npm run reliability                 short version (CI)
 *   npm run reliability -- --long       long version (the figures in docs/reliability.md)
 *   npm run reliability -- --only kill  scenarios whose name contains "kill"
 *
 * Needs PostgreSQL (PARLEY_TEST_PG_URL, default postgresql://postgres@127.0.0.1:5432/postgres) and a
 * `redis-server` binary (the harness runs its own Redis on a free port, so it can restart it).
 * Exit code 0 only if every scenario passed.
 */
import { Cluster } from "@/tests/reliability/cluster";

const args = process.argv.slice(2);
const size = args.includes("--long") ? "long" : "short";
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const keep = args.includes("--keep");
const adminUrl = process.env.PARLEY_TEST_PG_URL || "postgresql://postgres@127.0.0.1:5432/postgres";

const cluster = new Cluster(adminUrl);
const started = Date.now();
let exitCode = 0;
const rows: string[] = [];
try {
  await cluster.start(2);
  // The harness seeds data and removes members itself: point lib/env at the cluster before any app
  // module loads, and relay its domain events to the nodes like any other process would.
  Object.assign(process.env, cluster.harnessEnv(), { PARLEY_LOG_LEVEL: "error" });
  const { Harness } = await import("@/tests/reliability/harness");
  const { scenarios } = await import("@/tests/reliability/scenarios");
  const { startEventRelay } = await import("@/server/cluster-bus");
  const users = await import("@/lib/users/service");
  const userRepo = await import("@/lib/users/repository");
  const workspaces = await import("@/lib/workspaces/service");
  const channels = await import("@/lib/channels/service");
  const messages = await import("@/lib/messages/service");
  const reactions = await import("@/lib/messages/reactions");
  const stopRelay = await startEventRelay();
  const h = new Harness(cluster, {
    signUp: users.signUp,
    findUserById: userRepo.findUserById,
    createWorkspace: workspaces.createWorkspace,
    addMemberDirect: workspaces.addMemberDirect,
    createChannel: channels.createChannel,
    addChannelMembers: channels.addChannelMembers,
    removeChannelMember: channels.removeChannelMember,
    editMessage: messages.editMessage,
    deleteMessage: messages.deleteMessage,
    addReaction: reactions.addReaction,
  });
  await h.seed(size === "long" ? 110 : 50);
  console.log(`[reliability] ${size} run; cluster up (nodes ${cluster.nodes.map((n) => n.port).join(", ")}, lb ${cluster.lb.port}, redis ${cluster.redisPort}) in ${Date.now() - started} ms`);
  for (const scenario of scenarios) {
    if (only && !scenario.name.includes(only)) continue;
    const t0 = Date.now();
    try {
      const { figures } = await scenario.run(h, size);
      const line = `PASS  ${scenario.name}  (${((Date.now() - t0) / 1000).toFixed(1)} s)  ${Object.entries(figures).map(([k, v]) => `${k}=${v}`).join(" ")}`;
      rows.push(line);
      console.log(`[reliability] ${line}`);
    } catch (err) {
      exitCode = 1;
      const line = `FAIL  ${scenario.name}  (${((Date.now() - t0) / 1000).toFixed(1)} s)  ${(err as Error).message}`;
      rows.push(line);
      console.log(`[reliability] ${line}`);
    } finally {
      h.closeClients();
      // Every node up again for the next scenario.
      for (const node of cluster.nodes) if (!node.child || node.child.exitCode !== null || node.child.signalCode !== null) await cluster.startNode(node.index);
      for (const node of cluster.nodes) node.redisProxy.heal();
    }
  }
  await stopRelay();
  await h.db.end();
} catch (err) {
  exitCode = 1;
  console.error("[reliability] harness failed:", err);
} finally {
  await cluster.stop(keep || exitCode !== 0).catch((err) => console.error(err));
  console.log(`\n[reliability] ${size} run finished in ${((Date.now() - started) / 1000).toFixed(1)} s; node start-up ${cluster.startTimes.map((t) => `${t} ms`).join(", ")}`);
  for (const r of rows) console.log(`  ${r}`);
  if (exitCode !== 0) console.log(`  logs kept in ${cluster.dir}`);
  process.exit(exitCode);
}
