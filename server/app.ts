/**
 * Builds and starts one Parley node: migrations, then the HTTP API (server/api-routes.ts), Next (pages)
 * and Socket.IO on one port. Tests start it without Next (`withNext: false`) to exercise the API and
 * the realtime layer quickly.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { closeDb, ensureDbReady } from "@/lib/db";
import { env, exportAuthEnv } from "@/lib/env";
import { startEventsWorker } from "@/lib/events/dispatcher";
import { AppError } from "@/lib/errors";
import { errorResponse } from "@/lib/http/handler";
import { closeRedis, warmUpRedis } from "@/lib/redis";
import { startReminderScheduler } from "@/lib/reminders/scheduler";
import { startAdminBridge } from "@/server/admin-bridge";
import { createApiRoutes } from "@/server/api-routes";
import { isValidHostHeader, sendFetchResponse, setSecurityHeaders } from "@/server/fetch-bridge";
import { handleIntegrationRequest } from "@/server/integration-routes";
import { attachRealtime } from "@/server/realtime";
import { withResponseCompression } from "@/server/response-compression";
import { createStaticAssets } from "@/server/static-assets";

export type TParleyNode = { port: number; close: () => Promise<void> };

/** Starts a node on `port` (0 = any free port). */
export async function startParley(opts: { port: number; host?: string; dev: boolean; withNext?: boolean; closeDbOnStop?: boolean }): Promise<TParleyNode> {
  exportAuthEnv(opts.port);
  await ensureDbReady();
  // Cluster mode: be connected to Redis before the first request (shared rate limits from the start).
  await warmUpRedis();

  const httpServer = createServer();
  // Idle keep-alive connections stay open longer than a load balancer keeps its own to a node (60 s
  // for most): a node closing one first makes the balancer's next request on it fail (a 502; a
  // direct client sees ECONNRESET). Node requires headersTimeout above it.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;
  let nextApp: { close?: () => Promise<void> } | undefined;
  // Without Next (tests) the API still answers over real HTTP; pages are Next's alone.
  let handleNext = (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(404).end();
  let serveStaticAsset: (req: IncomingMessage, res: ServerResponse) => boolean = () => false;
  if (opts.withNext !== false) {
    const { default: next } = await import("next");
    const app = next({ dev: opts.dev, dir: process.cwd(), hostname: "localhost", port: opts.port, httpServer });
    await app.prepare();
    const handler = app.getRequestHandler();
    handleNext = (req, res) => void handler(req, res);
    nextApp = app as unknown as { close?: () => Promise<void> };
    // The build's scripts and styles, compressed once (in development they change as you edit).
    if (!opts.dev) serveStaticAsset = createStaticAssets(path.join(process.cwd(), ".next", "static"));
  }
  const serveApi = createApiRoutes();
  const handle = withResponseCompression(env.PARLEY_HTTP_COMPRESSION, (req, res) => {
    if (!serveApi(req, res)) handleNext(req, res);
  });
  httpServer.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (req.url?.startsWith("/socket.io/")) return; // Socket.IO's own listener answers these.
    // Every route builds its request's URL from the Host header: one that is not host[:port] is refused.
    if (!isValidHostHeader(req.headers.host)) {
      setSecurityHeaders(res);
      void sendFetchResponse(res, errorResponse(new AppError("bad_request", "Malformed Host header"))).catch(() => res.destroy());
      return;
    }
    if (serveStaticAsset(req, res)) return;
    // The one trustworthy client address, for rate limits; clients cannot set it.
    req.headers["x-real-ip"] = req.socket.remoteAddress ?? "unknown";
    if (handleIntegrationRequest(req, res)) return;
    handle(req, res);
  });
  const realtime = await attachRealtime(httpServer);

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    // A reconnect storm (every client of a restarted node at once) overflows Node's default backlog
    // of 511; the kernel caps this at net.core.somaxconn (docs/performance.md).
    httpServer.listen({ port: opts.port, host: opts.host ?? env.HOST, backlog: 4096 }, () => resolve());
  });
  const port = (httpServer.address() as AddressInfo).port;
  if (opts.port === 0) exportAuthEnv(port);
  const bridge = await startAdminBridge();
  // Events API: records deliveries for this node's changes and sends them (lib/events/dispatcher.ts).
  const events = startEventsWorker();
  // Reminders (`/remind`): sleeps until the next one is due; every node runs one (claims never collide).
  const reminders = startReminderScheduler();

  return {
    port,
    close: async () => {
      reminders.stop();
      await events.stop();
      await bridge.close();
      await realtime.close();
      httpServer.closeAllConnections();
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await nextApp?.close?.();
      if (opts.closeDbOnStop !== false) {
        await closeDb();
        await closeRedis();
      }
    },
  };
}
