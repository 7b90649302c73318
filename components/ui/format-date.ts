/**
 * Dates in the reader's own language and time zone (Intl picks both from the browser), so a
 * Chinese browser reads "2025年3月4日 14:05". Call these only in the browser, never while
 * rendering on the server, or the server's locale would leak into the page.
 */

/** "Mar 4, 2025, 2:05 PM" / "2025年3月4日 14:05". */
export function formatDateTime(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" }).format(new Date(iso));
}

/** "Mar 4, 2025" / "2025年3月4日". */
export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(undefined, { dateStyle: "medium" }).format(new Date(iso));
}

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "in 3 days", "2 hours ago" / "3天后", "2小时前". */
export function formatRelative(iso: string, now = Date.now()): string {
  const diff = new Date(iso).getTime() - now;
  const format = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
  }
  return format.format(Math.round(diff / 1000), "second");
}
