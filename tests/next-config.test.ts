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

  it("leaves compression to the server (server/response-compression.ts), whatever PARLEY_HTTP_COMPRESSION says", async () => {
    // With Next's own on as well, two layers would compress the same answers.
    expect((await loadNextConfig({ PARLEY_HTTP_COMPRESSION: undefined })).compress).toBe(false);
    expect((await loadNextConfig({ PARLEY_HTTP_COMPRESSION: "off" })).compress).toBe(false);
  });
});
