import type { NextConfig } from "next";
import { afterEach, describe, expect, it, vi } from "vitest";

// Imported by URL: the .mjs file carries its type as a JSDoc comment, which TypeScript does not read here.
const NEXT_CONFIG_URL = new URL("../next.config.mjs", import.meta.url).href;

/** next.config.mjs as the server would read it at start-up with this environment. */
async function loadNextConfig(env: Record<string, string | undefined>) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  vi.resetModules();
  return ((await import(NEXT_CONFIG_URL)) as { default: NextConfig }).default;
}

describe("next.config.mjs", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("compresses pages and API answers unless PARLEY_HTTP_COMPRESSION=off (a balancer compresses)", async () => {
    expect((await loadNextConfig({ PARLEY_HTTP_COMPRESSION: undefined })).compress).toBe(true);
    expect((await loadNextConfig({ PARLEY_HTTP_COMPRESSION: "on" })).compress).toBe(true);
    expect((await loadNextConfig({ PARLEY_HTTP_COMPRESSION: "off" })).compress).toBe(false);
  });
});
