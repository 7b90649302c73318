/**
 * Where to go after signing in. Only paths on this site are followed: `//evil.example`, `/\evil`,
 * `javascript:` and other origins fall back, so a crafted link cannot send someone elsewhere.
 */
export function getSafeCallbackPath(raw: string | string[] | null | undefined, fallback = "/workspaces", origin?: string): string {
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (!value) return fallback;
  let candidate = value;
  // next-auth itself may hand us an absolute URL on our own origin.
  if (/^https?:\/\//i.test(candidate)) {
    if (!origin) return fallback;
    try {
      const url = new URL(candidate);
      if (url.origin !== origin) return fallback;
      candidate = `${url.pathname}${url.search}${url.hash}`;
    } catch {
      return fallback;
    }
  }
  if (!candidate.startsWith("/") || candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
  // Control characters (a tab or newline inside "/\t/evil") can be dropped by URL parsers.
  if (/[\u0000-\u001f\u007f]/.test(candidate)) return fallback;
  // Signing in to land back on the sign-in page would loop.
  if (/^\/(login|signup)(?:[/?#]|$)/.test(candidate)) return fallback;
  return candidate;
}

/** A link to `page` that keeps the callback, e.g. "/signup?callbackUrl=%2Finvite%2Fabc". */
export function withCallbackUrl(page: "/login" | "/signup", callbackPath: string | undefined): string {
  return callbackPath && callbackPath !== "/workspaces" ? `${page}?callbackUrl=${encodeURIComponent(callbackPath)}` : page;
}
