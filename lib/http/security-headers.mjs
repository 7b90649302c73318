/**
 * Headers on every response: Next's (next.config.mjs) and the build's static files that the Node
 * server answers itself (server/static-assets.ts).
 */
export const SECURITY_HEADERS = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "same-origin" },
  { key: "X-Frame-Options", value: "DENY" },
];
