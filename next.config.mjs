import { SECURITY_HEADERS } from "./lib/http/security-headers.mjs";

/** @type {import('next').NextConfig} */
const nextConfig = {
  // Loaded from node_modules at run time: they carry wasm, native binaries or data files.
  serverExternalPackages: [
    "@electric-sql/pglite",
    "pglite-prisma-adapter",
    "@prisma/adapter-pg",
    "@prisma/client",
    "@prisma/driver-adapter-utils",
    "@prisma/schema-engine-wasm",
    "@node-rs/argon2",
    "pg",
    "socket.io",
  ],
  // Dev only: the app is often opened as 127.0.0.1 (tests, scripts); let Next's dev assets load there.
  allowedDevOrigins: ["127.0.0.1"],
  poweredByHeader: false,
  // The server compresses Next's answers itself, more cheaply (server/response-compression.ts), or
  // leaves that to a balancer (PARLEY_HTTP_COMPRESSION=off).
  compress: false,
  // For profiling (`npm run bench -- channel-open` with BENCH_OPEN_TRACE names sources through them);
  // off by default: they would publish the client code's sources.
  productionBrowserSourceMaps: process.env.PARLEY_BROWSER_SOURCE_MAPS === "1",
  experimental: {
    // Going back to a conversation within 30 s reuses its route payload instead of asking the server
    // again (Next's default for dynamic pages is 0). Our pages are thin — an auth check and a client
    // component whose data comes from react-query — so nothing in the payload goes stale; the data
    // itself is checked on every open. Measured by `npm run bench -- channel-open`.
    staleTimes: { dynamic: 30 },
  },
  reactStrictMode: true,
  async headers() {
    return [
      {
        // The app icon, always linked as /icon.svg?icon.<content hash>.svg: a new icon is a new URL.
        // Next serves it with max-age=0 and no validator, so Chromium fetched it whole again on every
        // in-place switch between conversations (measured by scripts/bench/channel-open.ts).
        source: "/icon.svg",
        headers: [{ key: "Cache-Control", value: "public, max-age=31536000, immutable" }],
      },
      { source: "/:path*", headers: [...SECURITY_HEADERS] },
    ];
  },
};

export default nextConfig;
