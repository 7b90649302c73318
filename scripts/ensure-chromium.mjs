#!/usr/bin/env node
// Finds (and on a Debian CI box, installs) a Chromium for Playwright and prints its path.
// `npx playwright install` downloads from a CDN that these machines cannot reach, so we prefer
// Debian's package and hand its path to Playwright as `executablePath` (see docs offline-env.md).
//
// Order: $CHROMIUM_PATH → /usr/bin/chromium → Playwright's own downloaded browser → apt-get (root on
// Debian only). `playwright.config.ts` imports `resolveChromium()` (no side effects, never installs).
import { spawnSync } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";

export const SYSTEM_CHROMIUM = "/usr/bin/chromium";

function isExecutable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Path of Playwright's own Chromium when it was downloaded (`npx playwright install chromium`). */
function findPlaywrightChromium() {
  try {
    const require = createRequire(import.meta.url);
    const file = require("playwright-core").chromium.executablePath();
    return file && isExecutable(file) ? file : null;
  } catch {
    return null;
  }
}

/**
 * Resolves the Chromium to use without installing anything.
 * @returns {{ path: string, source: "env" | "system" | "playwright" } | { path: null, error: string }}
 */
export function resolveChromium(env = process.env) {
  if (env.CHROMIUM_PATH) {
    // An explicit choice that does not exist is a mistake to report, not a reason to pick another.
    if (isExecutable(env.CHROMIUM_PATH)) return { path: env.CHROMIUM_PATH, source: "env" };
    return { path: null, error: `CHROMIUM_PATH=${env.CHROMIUM_PATH} is not an executable file.` };
  }
  if (isExecutable(SYSTEM_CHROMIUM)) return { path: SYSTEM_CHROMIUM, source: "system" };
  const bundled = findPlaywrightChromium();
  if (bundled) return { path: bundled, source: "playwright" };
  return { path: null, error: "No Chromium found (CHROMIUM_PATH unset, /usr/bin/chromium missing, no Playwright browser)." };
}

function canAptInstall() {
  return process.platform === "linux" && process.getuid?.() === 0 && existsSync("/etc/debian_version") && spawnSync("sh", ["-c", "command -v apt-get"]).status === 0;
}

function run(cmd, args) {
  process.stderr.write(`ensure-chromium: $ ${cmd} ${args.join(" ")}\n`);
  // apt's progress goes to stderr so that stdout carries only the resulting path.
  const r = spawnSync(cmd, args, { stdio: ["ignore", process.stderr, process.stderr], env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal})`);
}

/** Resolves Chromium, installing Debian's package with apt-get when allowed; throws with advice otherwise. */
export function ensureChromium(env = process.env) {
  const found = resolveChromium(env);
  if (found.path) return found;
  if (env.CHROMIUM_PATH) throw new Error(found.error);
  if (!canAptInstall()) {
    throw new Error(
      `${found.error}\nInstall one of: \`sudo apt-get install -y chromium\` (Debian/Ubuntu), ` +
        "`npx playwright install chromium` (needs internet), or set CHROMIUM_PATH to a Chromium/Chrome binary.",
    );
  }
  process.stderr.write("ensure-chromium: no Chromium found; installing Debian's chromium package with apt-get\n");
  run("apt-get", ["update"]);
  run("apt-get", ["install", "-y", "chromium"]);
  const after = resolveChromium(env);
  if (!after.path) throw new Error(`apt-get installed chromium but ${SYSTEM_CHROMIUM} is still missing.`);
  return after;
}

const isMain = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isMain) {
  try {
    const { path, source } = ensureChromium();
    process.stderr.write(`ensure-chromium: using ${path} (${source})\n`);
    process.stdout.write(`${path}\n`);
  } catch (err) {
    process.stderr.write(`ensure-chromium: ${err instanceof Error ? err.message : err}\n`);
    process.exit(1);
  }
}
