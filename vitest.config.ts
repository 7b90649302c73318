/**
 * Vitest: service, API and socket tests (`**\/*.test.ts`). Each worker process gets its own embedded
 * PGlite folder (tests/setup.ts); with PARLEY_TEST_PG_URL set, every worker shares one throwaway
 * PostgreSQL database instead (tests/global-setup.ts creates and drops it).
 */
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": path.resolve(import.meta.dirname) },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/.next/**", "e2e/**", "lib/generated/**", "test-data/**", "data/**"],
    // Separate processes: PGlite, Prisma and the realtime bus keep state on globalThis.
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 60_000,
    teardownTimeout: 30_000,
    setupFiles: ["tests/setup.ts"],
    globalSetup: ["tests/global-setup.ts"],
  },
});
