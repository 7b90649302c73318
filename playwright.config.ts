/**
 * Playwright: each run starts its own Parley server on a free port with a fresh embedded database.
 *
 * Env knobs: E2E_PROD=1 (serve the production build; run `npm run build` first), E2E_PORT (fixed port;
 * default 3100 if free, else any free port), E2E_DATABASE_URL (run the server on PostgreSQL instead of
 * PGlite), E2E_WORKERS, E2E_SERVER_LOGS=1 (show the server's stdout), CHROMIUM_PATH (see
 * scripts/ensure-chromium.mjs).
 *
 * This file is evaluated by the runner and again by every worker. Values that must agree (port, data
 * folder) are chosen once by the runner and stored in process.env, which the workers inherit.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { resolveChromium } from "./scripts/ensure-chromium.mjs";

const isCI = !!process.env.CI;
const isProd = process.env.E2E_PROD === "1";
const rootDir = import.meta.dirname;
const testDataDir = path.join(rootDir, "test-data");

/** Returns `preferred` if nothing listens on it, else a port the OS picks (synchronously: config is sync). */
function findFreePort(preferred: number): number {
  const script = `
    const net = require("node:net");
    const tryListen = (port, next) => {
      const s = net.createServer();
      s.once("error", next);
      s.listen(port, "127.0.0.1", () => { const p = s.address().port; s.close(() => console.log(p)); });
    };
    tryListen(${preferred}, () => tryListen(0, (e) => { throw e; }));`;
  return Number(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" }).trim());
}

/** Removes data folders left by runs more than a day old (recent ones may belong to a parallel run). */
function pruneOldDataDirs(): void {
  if (!existsSync(testDataDir)) return;
  const dayAgo = Date.now() - 24 * 60 * 60 * 1000;
  for (const name of readdirSync(testDataDir)) {
    const dir = path.join(testDataDir, name);
    if (name.startsWith("e2e-") && statSync(dir).mtimeMs < dayAgo) rmSync(dir, { recursive: true, force: true });
  }
}

if (!process.env.E2E_RUN_DATA_DIR) {
  // Runner process: decide once for this run.
  process.env.E2E_PORT = String(process.env.E2E_PORT ? Number(process.env.E2E_PORT) : findFreePort(3100));
  const dataDir = path.join(testDataDir, `e2e-${Date.now()}-${process.pid}`);
  pruneOldDataDirs();
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  process.env.E2E_RUN_DATA_DIR = dataDir;
  if (isProd && !existsSync(path.join(rootDir, ".next", "BUILD_ID"))) {
    throw new Error("E2E_PROD=1 needs a production build: run `npm run build` first.");
  }
}

const port = Number(process.env.E2E_PORT);
// 127.0.0.1 rather than localhost: the server binds IPv4 and localhost may resolve to ::1 first.
const baseURL = `http://127.0.0.1:${port}`;

const chromium = resolveChromium();
if (chromium.path === null) console.warn(`[playwright.config] ${chromium.error} Run \`node scripts/ensure-chromium.mjs\`.`);

export default defineConfig({
  testDir: "e2e",
  // Next's dev server compiles each route on first visit, which can take tens of seconds on 2 cores.
  timeout: isProd ? 30_000 : 90_000,
  expect: { timeout: isProd ? 5_000 : 15_000 },
  fullyParallel: false,
  forbidOnly: isCI,
  retries: isCI ? 1 : 0,
  workers: Number(process.env.E2E_WORKERS) || 2,
  reporter: "list",
  use: {
    baseURL,
    trace: "on-first-retry",
    screenshot: "only-on-failure",
    navigationTimeout: isProd ? 15_000 : 60_000,
    launchOptions: {
      ...(chromium.path ? { executablePath: chromium.path } : {}),
      // Needed as root in a closed network (docs/offline-env.md); Playwright already gives every
      // launch a fresh user-data-dir. The fake-media flags let call journeys use WebRTC headless.
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--use-fake-device-for-media-stream",
        "--use-fake-ui-for-media-stream",
      ],
    },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: {
    command: isProd ? "npm start" : "npm run dev",
    url: `${baseURL}/api/health`,
    reuseExistingServer: false,
    // The first dev compile (or a cold production start) can take 60–120 s on this hardware.
    timeout: 180_000,
    stdout: process.env.E2E_SERVER_LOGS === "1" ? "pipe" : "ignore",
    stderr: "pipe",
    gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
    env: {
      PORT: String(port),
      HOST: "127.0.0.1",
      PARLEY_DATA_DIR: process.env.E2E_RUN_DATA_DIR!,
      NEXTAUTH_URL: baseURL,
      PARLEY_ALLOWED_ORIGINS: baseURL,
      NEXT_TELEMETRY_DISABLED: "1",
      // The server inherits our environment: blank a developer's DATABASE_URL so that journeys never
      // write to it (lib/env.ts treats "" as unset → PGlite), unless E2E_DATABASE_URL asks for one.
      DATABASE_URL: process.env.E2E_DATABASE_URL ?? "",
    },
  },
});
