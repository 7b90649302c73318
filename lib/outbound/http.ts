/**
 * Every request Parley makes to a URL someone else chose (Events API, slash commands, response_url,
 * unfurls) goes through `safeFetch`: http/https only, DNS resolved here and every address checked
 * against the SSRF rules (lib/outbound/guard.ts), the socket pinned to the checked address so a
 * second DNS answer cannot swap it (DNS rebinding), redirects off by default (or re-checked per hop),
 * a timeout and a response size cap. Errors are OutboundError with a short reason an admin can read.
 * URLs are only ever shown without their query string (tokens live there), and headers never.
 */
import { lookup as dnsLookup } from "node:dns/promises";
import http, { type IncomingHttpHeaders } from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { env } from "@/lib/env";
import { blockedRange, isAllowlisted, parseAllowlist, parseIp, type TAllowlist } from "@/lib/outbound/guard";

export type TOutboundReason = "blocked_address" | "timeout" | "too_large" | "bad_url" | "http_error" | "connection_failed";

/** A refused or failed outgoing request; `reason` is stable, `message` is short and safe to show admins. */
export class OutboundError extends Error {
  constructor(
    readonly reason: TOutboundReason,
    message: string,
    /** The HTTP status, for `http_error`. */
    readonly status?: number,
  ) {
    super(message);
    this.name = "OutboundError";
  }
}

export type TSafeInit = {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
};

export type TSafeOptions = {
  /** Whole request, DNS to last byte. Default 5 s. */
  timeoutMs?: number;
  /** Response body cap in bytes. Default 1 MB. */
  maxBytes?: number;
  /** Redirects to follow, each hop checked again; default 0 (a 3xx is returned as it is). At most 3. */
  maxRedirects?: number;
  /** Overrides the configured allow-list for this call. */
  allowlist?: TAllowlist;
};

export type TSafeResponse = { status: number; headers: Record<string, string>; text: string; /** The URL that answered (after redirects), query removed. */ url: string };

export const DEFAULT_TIMEOUT_MS = 5_000;
export const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_REDIRECTS = 3;

// On globalThis, like the bus: the tsx-run server and Next's route bundles load separate copies of
// this module and must apply the same allow-list.
const holder = globalThis as unknown as { __parleyOutboundAllowlist?: TAllowlist };

function configuredAllowlist(): TAllowlist {
  holder.__parleyOutboundAllowlist ??= parseAllowlist(env.PARLEY_OUTBOUND_ALLOWLIST);
  return holder.__parleyOutboundAllowlist;
}

/** Replaces the allow-list read from PARLEY_OUTBOUND_ALLOWLIST (tests, or a config reload). */
export function configureOutbound(opts: { allowlist: string }): void {
  holder.__parleyOutboundAllowlist = parseAllowlist(opts.allowlist);
}

/** A URL fit for logs and admin messages: scheme, host, port and path; never the query or credentials. */
export function redactUrl(url: string | URL): string {
  try {
    const u = typeof url === "string" ? new URL(url) : url;
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return "(invalid URL)";
  }
}

type TResolved = { address: string; family: 4 | 6 };

/**
 * Resolves `host` and checks every address it resolves to; throws blocked_address if any is refused.
 * Returns the checked addresses (normalised: ::ffff:127.0.0.1 becomes 127.0.0.1), the only ones the
 * socket may then connect to.
 */
async function resolveChecked(host: string, allowlist: TAllowlist): Promise<TResolved[]> {
  const literal = parseIp(host);
  let addresses: TResolved[];
  if (literal) {
    addresses = [{ address: literal.toString(), family: literal.kind() === "ipv4" ? 4 : 6 }];
  } else {
    try {
      const found = await dnsLookup(host, { all: true, verbatim: true });
      addresses = found.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
    } catch {
      throw new OutboundError("connection_failed", `could not resolve ${host}`);
    }
    if (addresses.length === 0) throw new OutboundError("connection_failed", `could not resolve ${host}`);
  }
  for (const a of addresses) {
    const ip = parseIp(a.address);
    if (!ip) throw new OutboundError("blocked_address", `${host} resolved to an unusable address`);
    const range = blockedRange(ip);
    if (range && !isAllowlisted(allowlist, host, ip)) {
      const shown = literal ? ip.toString() : `${host} (${ip.toString()})`;
      throw new OutboundError("blocked_address", `${shown} is a ${describeRange(range)} address; an admin can allow it with PARLEY_OUTBOUND_ALLOWLIST`);
    }
  }
  return addresses.map((a) => {
    const ip = parseIp(a.address)!;
    return { address: ip.toString(), family: ip.kind() === "ipv4" ? 4 : 6 };
  });
}

function describeRange(range: string): string {
  const names: Record<string, string> = {
    loopback: "loopback",
    private: "private",
    linkLocal: "link-local (cloud metadata)",
    uniqueLocal: "private (unique-local)",
    unspecified: "unspecified",
    multicast: "multicast",
    broadcast: "broadcast",
    carrierGradeNat: "carrier-grade NAT",
    reserved: "reserved",
    ipv4Compatible: "IPv4-compatible IPv6",
  };
  return names[range] ?? `special-purpose (${range})`;
}

function parseUrl(url: string | URL): URL {
  let u: URL;
  try {
    u = typeof url === "string" ? new URL(url) : new URL(url.href);
  } catch {
    throw new OutboundError("bad_url", "not a valid URL");
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new OutboundError("bad_url", `only http and https URLs are allowed, not ${u.protocol.replace(/:$/, "")}`);
  if (u.username || u.password) throw new OutboundError("bad_url", "URLs with credentials are not allowed");
  if (!u.hostname) throw new OutboundError("bad_url", "the URL has no host");
  return u;
}

function flattenHeaders(h: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** One request to an already-checked address; no redirects. */
function requestOnce(u: URL, pinned: TResolved[], init: TSafeInit, maxBytes: number, signal: AbortSignal): Promise<TSafeResponse> {
  return new Promise((resolve, reject) => {
    // The socket connects to the address checked above whatever DNS says now (rebinding-proof);
    // the Host header and TLS name stay the URL's host.
    const lookup: LookupFunction = (_host, opts, cb) => {
      if ((opts as { all?: boolean }).all) (cb as unknown as (e: null, a: TResolved[]) => void)(null, pinned);
      else cb(null, pinned[0]!.address, pinned[0]!.family);
    };
    const body = init.body === undefined ? undefined : typeof init.body === "string" ? Buffer.from(init.body, "utf8") : init.body;
    const headers: Record<string, string> = { "user-agent": "Parley (+events; Slack-compatible)", ...(init.headers ?? {}) };
    if (body) headers["content-length"] = String(body.length);
    const mod = u.protocol === "https:" ? https : http;
    const req = mod.request(
      {
        protocol: u.protocol,
        hostname: u.hostname.replace(/^\[|\]$/g, ""),
        port: u.port || undefined,
        path: `${u.pathname}${u.search}`,
        method: init.method ?? (body ? "POST" : "GET"),
        headers,
        lookup,
        agent: false,
        signal,
      },
      (res) => {
        const tooLarge = () => {
          // Settle first: destroying the socket fires its own error events.
          reject(new OutboundError("too_large", `response larger than ${maxBytes} bytes`));
          res.destroy();
          req.destroy();
        };
        const declared = Number(res.headers["content-length"]);
        if (Number.isFinite(declared) && declared > maxBytes) return tooLarge();
        const chunks: Buffer[] = [];
        let size = 0;
        res.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) return tooLarge();
          chunks.push(chunk);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: flattenHeaders(res.headers), text: Buffer.concat(chunks).toString("utf8"), url: redactUrl(u) }));
        res.on("error", (err) => reject(toOutboundError(err, signal)));
        res.on("aborted", () => reject(toOutboundError(new Error("aborted"), signal)));
      },
    );
    req.on("error", (err) => reject(toOutboundError(err, signal)));
    req.end(body);
  });
}

function toOutboundError(err: unknown, signal: AbortSignal): OutboundError {
  if (err instanceof OutboundError) return err;
  if (signal.aborted) return new OutboundError("timeout", "no answer in time");
  const code = (err as { code?: string }).code;
  return new OutboundError("connection_failed", code ? `connection failed (${code})` : "connection failed");
}

/**
 * Fetches `url` under the SSRF guard. Resolves with any HTTP status (the caller decides what counts
 * as success; `expectOk` throws `http_error`); throws OutboundError for everything else.
 */
export async function safeFetch(url: string | URL, init: TSafeInit = {}, opts: TSafeOptions = {}): Promise<TSafeResponse> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = Math.min(opts.maxRedirects ?? 0, MAX_REDIRECTS);
  const allowlist = opts.allowlist ?? configuredAllowlist();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      // Timers run before pending I/O after the event loop was busy (a long database call, say): let
      // an answer that already arrived be read first, so our own stall is not blamed on the server.
      setImmediate(() => {
        controller.abort();
        reject(new OutboundError("timeout", `no answer within ${timeoutMs} ms`));
      });
    }, timeoutMs);
  });
  const run = async (): Promise<TSafeResponse> => {
    let u = parseUrl(url);
    let current = init;
    for (let hop = 0; ; hop++) {
      const pinned = await resolveChecked(u.hostname, allowlist);
      if (controller.signal.aborted) throw new OutboundError("timeout", `no answer within ${timeoutMs} ms`);
      const res = await requestOnce(u, pinned, current, maxBytes, controller.signal);
      const location = res.headers.location;
      if (res.status < 300 || res.status >= 400 || res.status === 304 || !location || hop >= maxRedirects) return res;
      const next = parseUrl(new URL(location, u));
      // 303 (and 301/302 after a POST, as browsers do) turn into a GET without the body.
      const method = (current.method ?? (current.body ? "POST" : "GET")).toUpperCase();
      const toGet = res.status === 303 || ((res.status === 301 || res.status === 302) && method === "POST");
      const headers = { ...(current.headers ?? {}) };
      if (next.origin !== u.origin) {
        // Credentials are for the host they were meant for.
        for (const k of Object.keys(headers)) if (/^(authorization|cookie)$/i.test(k)) delete headers[k];
      }
      if (toGet) for (const k of Object.keys(headers)) if (/^content-(type|length)$/i.test(k)) delete headers[k];
      current = toGet ? { method: "GET", headers } : { ...current, headers };
      u = next;
    }
  };
  try {
    return await Promise.race([run(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Throws `http_error` unless the status is 2xx. */
export function expectOk(res: TSafeResponse): TSafeResponse {
  if (res.status < 200 || res.status >= 300) throw new OutboundError("http_error", `HTTP ${res.status} from ${res.url}`, res.status);
  return res;
}
