/**
 * One cluster node for the reliability harness: the real server (server/app.ts, Socket.IO, the
 * cluster bus, PostgreSQL, Redis) without Next's pages, which the harness does not exercise and
 * which would make each of its many restarts slow. Configured by the environment like
 * server/index.ts; SIGTERM stops it gracefully, SIGKILL is a crash.
 */
import { env } from "@/lib/env";
import { startParley } from "@/server/app";

const node = await startParley({ port: env.PORT, host: "127.0.0.1", dev: false, withNext: false });
console.log(`node listening on http://127.0.0.1:${node.port} (pid ${process.pid})`);
let stopping = false;
process.on("SIGTERM", () => {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(1), 10_000).unref();
  void node.close().then(() => process.exit(0));
});
