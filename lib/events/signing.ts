/**
 * Slack's request signing (v0), used for everything Parley sends to an app (events, slash commands,
 * interactivity): `X-Slack-Signature: v0=<hex HMAC-SHA256(signingSecret, "v0:" + timestamp + ":" + body)>`
 * and `X-Slack-Request-Timestamp: <unix seconds>`. Apps verify it with their signing secret; stock
 * Slack SDKs (Bolt) accept Parley's requests unchanged.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

/** Requests older or newer than this are refused (replay protection), as Slack's SDKs do. */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;

export type TSlackSignatureHeaders = { "X-Slack-Signature": string; "X-Slack-Request-Timestamp": string };

function sign(secret: string, body: string | Buffer, timestampSec: number): string {
  const mac = createHmac("sha256", secret);
  mac.update(`v0:${timestampSec}:`);
  mac.update(body);
  return `v0=${mac.digest("hex")}`;
}

/** The two headers that sign `body` (the exact bytes sent) at `timestampSec` (default now). */
export function signSlackRequest(secret: string, body: string | Buffer, timestampSec: number = Math.floor(Date.now() / 1000)): TSlackSignatureHeaders {
  return { "X-Slack-Signature": sign(secret, body, timestampSec), "X-Slack-Request-Timestamp": String(timestampSec) };
}

export type TVerifyResult = { ok: true } | { ok: false; reason: "missing_headers" | "stale_timestamp" | "bad_signature" };

/**
 * Checks a signed request: both headers present, the timestamp within 5 minutes of `nowSec`, and the
 * signature equal (compared in constant time) to the one computed over the raw body.
 */
export function verifySlackSignature(opts: {
  signingSecret: string;
  body: string | Buffer;
  signature: string | null | undefined;
  timestamp: string | number | null | undefined;
  nowSec?: number;
  toleranceSec?: number;
}): TVerifyResult {
  const { signingSecret, body, signature } = opts;
  if (!signature || opts.timestamp === undefined || opts.timestamp === null || opts.timestamp === "") return { ok: false, reason: "missing_headers" };
  const ts = Number(opts.timestamp);
  if (!Number.isInteger(ts)) return { ok: false, reason: "stale_timestamp" };
  const now = opts.nowSec ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - ts) > (opts.toleranceSec ?? SIGNATURE_TOLERANCE_SECONDS)) return { ok: false, reason: "stale_timestamp" };
  const expected = Buffer.from(sign(signingSecret, body, ts), "utf8");
  const given = Buffer.from(signature, "utf8");
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch (and reveals nothing secret).
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "bad_signature" };
  return { ok: true };
}
