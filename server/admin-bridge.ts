/**
 * Lets `npm run admin` work while the server holds the embedded database (PGlite allows one opener per
 * data folder): the server listens on a Unix socket inside the data folder, which only the account
 * that owns the folder can reach, and runs the CLI's commands itself.
 */
import { existsSync, mkdirSync, unlinkSync } from "node:fs";
import { createServer } from "node:http";
import path from "node:path";
import { runAdminCommand } from "@/lib/admin/commands";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors";

/** Where the bridge listens. */
export function getAdminSocketPath(): string {
  return path.join(env.dataDir, "admin.sock");
}

/** Starts the bridge; returns its closer. */
export async function startAdminBridge(): Promise<{ close: () => Promise<void> }> {
  const socketPath = getAdminSocketPath();
  mkdirSync(env.dataDir, { recursive: true });
  if (existsSync(socketPath)) unlinkSync(socketPath);
  const server = createServer(async (req, res) => {
    let body = "";
    for await (const chunk of req) body += chunk;
    let status = 200;
    let out: unknown;
    try {
      const { command, flags } = JSON.parse(body || "{}") as { command: string; flags: unknown };
      out = { ok: true, result: await runAdminCommand(command, flags) };
    } catch (err) {
      const e = toErrorResponse(err);
      status = e.status;
      out = { ok: false, ...e.body };
    }
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(out));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
