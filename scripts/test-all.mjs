#!/usr/bin/env node
// `npm test`: every test suite, in order, stopping at the first failure.
//   1. Chromium for Playwright (installs Debian's package when root and missing)
//   2. unit/API/socket tests on embedded PGlite
//   3. the same on PostgreSQL, when PARLEY_TEST_PG_URL is set, or in CI when PostgreSQL answers
//   3b. the cluster reliability harness (short), when PostgreSQL (as in 3) and Redis answer
//   4. Playwright journeys; in CI (or with E2E_PROD=1) against the production build
// Ends with a summary and a last line `N passed, N failed` (counting steps); exit 0 only if all passed.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const bin = (name) => path.join(rootDir, "node_modules", ".bin", name);
const isCI = !!process.env.CI;
const DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
const baseEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };

/** Resolves true when something accepts TCP connections on host:port within a second. */
function isPortOpen(host, port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** Runs a command with inherited stdio; resolves its exit code (128 + n when killed by a signal). */
function runCommand(cmd, args, env) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: rootDir, env, stdio: "inherit" });
    child.once("error", (err) => {
      console.error(`Could not start ${cmd}: ${err.message}`);
      resolve(127);
    });
    child.once("exit", (code, signal) => resolve(code ?? 128 + (os.constants.signals[signal] ?? 1)));
  });
}

/** Whether an executable of this name is on PATH. */
function hasCommand(name) {
  return (process.env.PATH ?? "").split(path.delimiter).some((dir) => {
    try {
      fs.accessSync(path.join(dir, name), fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** Returns `env` without the given keys. */
function without(env, ...keys) {
  const copy = { ...env };
  for (const key of keys) delete copy[key];
  return copy;
}

async function planSteps() {
  const steps = [
    { name: "chromium", cmd: process.execPath, args: [path.join(rootDir, "scripts", "ensure-chromium.mjs")], env: baseEnv },
    {
      name: "unit tests (PGlite)",
      cmd: bin("vitest"),
      args: ["run", "--passWithNoTests"],
      env: without(baseEnv, "DATABASE_URL", "PARLEY_TEST_PG_URL"),
    },
  ];

  let pgUrl = process.env.PARLEY_TEST_PG_URL;
  let pgSkipReason = "";
  if (!pgUrl && isCI) {
    if (await isPortOpen("127.0.0.1", 5432)) pgUrl = DEFAULT_PG_URL;
    else pgSkipReason = "PostgreSQL does not answer on 127.0.0.1:5432";
  } else if (!pgUrl) {
    pgSkipReason = "set PARLEY_TEST_PG_URL (or CI) to run it";
  }
  steps.push({
    name: "unit tests (PostgreSQL)",
    cmd: bin("vitest"),
    args: ["run", "--passWithNoTests"],
    env: { ...without(baseEnv, "DATABASE_URL"), PARLEY_TEST_PG_URL: pgUrl ?? "" },
    skip: pgUrl ? "" : pgSkipReason,
  });

  // The cluster's reliability harness (tests/reliability, short version): two nodes with
  // PostgreSQL and Redis. It runs its own redis-server so it can restart it.
  let reliabilitySkip = "";
  if (!pgUrl) reliabilitySkip = pgSkipReason || "needs PostgreSQL";
  else if (!(await isPortOpen("127.0.0.1", 6379))) reliabilitySkip = "Redis does not answer on 127.0.0.1:6379";
  else if (!hasCommand("redis-server")) reliabilitySkip = "no redis-server binary on PATH";
  steps.push({
    name: "reliability (2-node cluster, short)",
    cmd: bin("tsx"),
    args: ["tests/reliability/run.ts"],
    env: { ...without(baseEnv, "DATABASE_URL", "REDIS_URL"), PARLEY_TEST_PG_URL: pgUrl ?? "" },
    skip: reliabilitySkip,
  });

  const isProd = isCI || process.env.E2E_PROD === "1";
  if (isProd) steps.push({ name: "build (for e2e)", cmd: "npm", args: ["run", "build"], env: baseEnv });
  steps.push({
    name: isProd ? "e2e (production build)" : "e2e (dev server)",
    cmd: bin("playwright"),
    args: ["test", "--pass-with-no-tests"],
    env: isProd ? { ...baseEnv, E2E_PROD: "1" } : without(baseEnv, "E2E_PROD"),
  });
  return steps;
}

function formatDuration(ms) {
  const s = ms / 1000;
  return s < 60 ? `${s.toFixed(1)}s` : `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, "0")}s`;
}

const steps = await planSteps();
const results = [];
let exitCode = 0;
for (const step of steps) {
  if (exitCode !== 0) {
    results.push({ name: step.name, status: "not run" });
    continue;
  }
  if (step.skip) {
    console.log(`\n=== ${step.name}: skipped (${step.skip})`);
    results.push({ name: step.name, status: "skipped" });
    continue;
  }
  console.log(`\n=== ${step.name}: ${path.basename(step.cmd)} ${step.args.join(" ")}`);
  const started = Date.now();
  const code = await runCommand(step.cmd, step.args, step.env);
  const ms = Date.now() - started;
  results.push({ name: step.name, status: code === 0 ? "passed" : `failed (exit ${code})`, ms });
  if (code !== 0) exitCode = code;
}

const passed = results.filter((r) => r.status === "passed").length;
const failed = results.filter((r) => r.status.startsWith("failed")).length;
console.log("\n=== Summary");
for (const r of results) console.log(`  ${r.status.padEnd(16)} ${r.name}${r.ms === undefined ? "" : `  (${formatDuration(r.ms)})`}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
