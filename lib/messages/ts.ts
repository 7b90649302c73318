/**
 * Slack's `ts`: seconds since the epoch with six decimals ("1764100000.000123"). Parley stores it as
 * microseconds (a bigint), unique and increasing within a channel, so it doubles as a message id.
 */
const TS_RE = /^(\d{1,12})(?:\.(\d{1,6}))?$/;

export function formatTs(micros: bigint): string {
  const s = micros / 1_000_000n;
  const us = micros % 1_000_000n;
  return `${s}.${us.toString().padStart(6, "0")}`;
}

/** Parses a ts (or any seconds value with up to six decimals, as Slack's oldest/latest take); null when malformed. */
export function parseTs(value: unknown): bigint | null {
  if (typeof value === "number" && Number.isFinite(value) && value >= 0) value = value.toFixed(6);
  if (typeof value !== "string") return null;
  const m = TS_RE.exec(value.trim());
  if (!m) return null;
  return BigInt(m[1]!) * 1_000_000n + BigInt((m[2] ?? "").padEnd(6, "0"));
}
