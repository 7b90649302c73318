/**
 * The one place that reads process.env. Everything else imports `env` from here.
 * Secrets the app needs are generated into the data folder on first start, so a newcomer sets nothing.
 */
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { z } from "zod";

const ZEnv = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  DATABASE_URL: z.string().optional(),
  PARLEY_DATA_DIR: z.string().default("./data"),
  REDIS_URL: z.string().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  NEXTAUTH_URL: z.string().optional(),
  /** Public origins allowed to open sockets and send cookie-authenticated writes (comma-separated). */
  PARLEY_ALLOWED_ORIGINS: z.string().optional(),
  /** The address people reach Parley at (webhook URLs, permalinks); defaults to NEXTAUTH_URL, then http://localhost:PORT. */
  PARLEY_PUBLIC_URL: z.string().optional(),
  PARLEY_LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** Outgoing requests (events, slash commands, unfurls) may reach these private hosts, IPs or CIDRs (comma-separated). */
  PARLEY_OUTBOUND_ALLOWLIST: z.string().default(""),
  /** Messages one person may send per 10 seconds (the flood limit). Load tests of many sockets per person raise it. */
  PARLEY_SEND_LIMIT: z.coerce.number().int().min(1).default(60),
  /** Connections to PostgreSQL for ordinary queries, per node (the group commit has 6 more). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(1000).default(20),
  /** `off`: pages and API answers are sent uncompressed, for a balancer that compresses (server/response-compression.ts). */
  PARLEY_HTTP_COMPRESSION: z.enum(["on", "off"]).default("on"),
  /** libuv's thread pool (Node's default 4): file I/O and async crypto (next-auth's session check) share it; password hashing has its own thread. */
  UV_THREADPOOL_SIZE: z.coerce.number().int().min(1).max(1024).default(4),
});

export type TEnv = z.infer<typeof ZEnv> & { dataDir: string };

function loadEnv(): TEnv {
  const parsed = ZEnv.safeParse(process.env);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  }
  return { ...parsed.data, DATABASE_URL: parsed.data.DATABASE_URL || undefined, REDIS_URL: parsed.data.REDIS_URL || undefined, dataDir: path.resolve(parsed.data.PARLEY_DATA_DIR) };
}

export const env: TEnv = loadEnv();

/** Reads a secret from env or from `<dataDir>/secrets.json`, generating and saving it on first use. */
export function getOrCreateSecret(name: "sessionSecret" | "adminSecret"): string {
  if (name === "sessionSecret" && env.NEXTAUTH_SECRET) return env.NEXTAUTH_SECRET;
  const file = path.join(env.dataDir, "secrets.json");
  let secrets: Record<string, string> = {};
  if (existsSync(file)) secrets = JSON.parse(readFileSync(file, "utf8"));
  if (!secrets[name]) {
    secrets[name] = randomBytes(32).toString("base64url");
    mkdirSync(env.dataDir, { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets[name];
}

/**
 * next-auth 4 reads its secret and URL from process.env itself; set them here, once, before it loads.
 */
export function exportAuthEnv(port: number): void {
  // Next's anonymous telemetry would try to reach the internet from every install.
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  process.env.NEXTAUTH_SECRET = getOrCreateSecret("sessionSecret");
  if (!env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = `http://localhost:${port}`;
}

/** Base URL for links Parley hands out (webhook URLs, permalinks), without a trailing slash. */
export function publicBaseUrl(): string {
  const url = env.PARLEY_PUBLIC_URL || process.env.NEXTAUTH_URL || `http://localhost:${env.PORT || 3000}`;
  return url.replace(/\/+$/, "");
}
