/**
 * Admin CLI: `npm run admin -- <command> [--flags]`, one JSON object on stdout, errors on stderr with a
 * non-zero exit. Reads the same configuration as the server. On embedded PGlite with the server
 * running, the command runs inside the server (server/admin-bridge.ts); otherwise it opens the
 * database itself.
 */
import { existsSync } from "node:fs";
import { request } from "node:http";
import path from "node:path";

function parseArgs(argv: string[]): { command: string; flags: Record<string, string | true> } {
  const [command = "help", ...rest] = argv;
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith("--")) throw new Error(`Unexpected argument "${arg}"; flags look like --name value`);
    const eq = arg.indexOf("=");
    if (eq > 0) flags[arg.slice(2, eq)] = arg.slice(eq + 1);
    else if (rest[i + 1] !== undefined && !rest[i + 1]!.startsWith("--")) flags[arg.slice(2)] = rest[++i]!;
    else flags[arg.slice(2)] = true;
  }
  return { command, flags };
}

function viaBridge(socketPath: string, command: string, flags: unknown): Promise<{ status: number; body: { ok: boolean; result?: unknown; error?: { message: string } } } | null> {
  return new Promise((resolve) => {
    const req = request({ socketPath, path: "/run", method: "POST", headers: { "content-type": "application/json" } }, (res) => {
      let data = "";
      res.on("data", (c) => (data += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 500, body: JSON.parse(data) }));
    });
    // No server behind a stale socket file: run locally instead.
    req.on("error", () => resolve(null));
    req.end(JSON.stringify({ command, flags }));
  });
}

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    fail((err as Error).message);
  }
  const { command, flags } = parsed;
  // Keep stdout for the one JSON answer; library chatter goes to stderr.
  console.log = (...args: unknown[]) => process.stderr.write(args.map(String).join(" ") + "\n");
  const { env } = await import("@/lib/env");
  if (!env.DATABASE_URL) {
    const socketPath = path.join(env.dataDir, "admin.sock");
    if (existsSync(socketPath)) {
      const res = await viaBridge(socketPath, command, flags);
      if (res) {
        if (!res.body.ok) fail(res.body.error?.message ?? "failed");
        process.stdout.write(JSON.stringify(res.body.result) + "\n");
        return;
      }
    }
  }
  const { runAdminCommand } = await import("@/lib/admin/commands");
  const { closeDb, ensureDbReady } = await import("@/lib/db");
  const { toAppError } = await import("@/lib/errors");
  try {
    if (command !== "help") await ensureDbReady();
    const result = await runAdminCommand(command, flags);
    process.stdout.write(JSON.stringify(result) + "\n");
  } catch (err) {
    const e = toAppError(err);
    await closeDb().catch(() => undefined);
    fail(e.message);
  }
  await closeDb();
}

void main();
