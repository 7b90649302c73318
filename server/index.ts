/**
 * The Parley process: applies migrations, then serves Next (pages and HTTP API) and Socket.IO on one
 * port. `npm run dev` runs it in development, `npm start` serves the production build.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import next from "next";
import { closeDb, ensureDbReady } from "@/lib/db";
import { env, exportAuthEnv } from "@/lib/env";
import { startAdminBridge } from "@/server/admin-bridge";
import { attachRealtime } from "@/server/realtime";

async function main(): Promise<void> {
  const dev = env.NODE_ENV !== "production";
  exportAuthEnv(env.PORT);
  await ensureDbReady();

  const httpServer = createServer();
  const app = next({ dev, dir: process.cwd(), hostname: "localhost", port: env.PORT, httpServer });
  await app.prepare();
  const handle = app.getRequestHandler();

  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith("/socket.io/")) return; // Socket.IO's own listener answers these.
    // The one trustworthy client address, for rate limits (a proxy in front should be configured to
    // pass its own; see docs/deployment.md).
    req.headers["x-real-ip"] = req.socket.remoteAddress ?? "unknown";
    void handle(req, res);
  });
  const realtime = attachRealtime(httpServer);

  await new Promise<void>((resolve) => httpServer.listen(env.PORT, env.HOST, resolve));
  const port = (httpServer.address() as AddressInfo).port;
  if (env.PORT === 0) exportAuthEnv(port);
  const bridge = await startAdminBridge(port);
  console.log(`Parley listening on http://127.0.0.1:${port} (${dev ? "development" : "production"}, ${env.DATABASE_URL ? "PostgreSQL" : "embedded PGlite"})`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`Parley stopping (${signal})`);
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    await bridge.close();
    await realtime.close();
    await new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await app.close?.();
    await closeDb();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((err) => {
  console.error("Parley failed to start:", err);
  process.exit(1);
});
