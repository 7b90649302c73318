/** Dates and times in the reader's own language and format (12 or 24 hours, 今天 or Today). */

/** Made on first use: making a formatter loads its locale data, ~30–40 ms for these five together on a slow machine. */
function madeOnce<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

const timeFormat = madeOnce(() => new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }));
const fullFormat = madeOnce(() => new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" }));
const dayFormat = madeOnce(() => new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" }));
const dayWithYearFormat = madeOnce(() => new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" }));
const relativeDay = madeOnce(() => new Intl.RelativeTimeFormat(undefined, { numeric: "auto" }));

// In the browser, made ahead one per task rather than all in the task that loads the chat's code:
// the first messages, drawn once their data is here, usually find them made.
if (typeof window !== "undefined") {
  const ahead = [timeFormat, fullFormat, relativeDay, dayFormat, dayWithYearFormat];
  const makeNext = () => {
    ahead.shift()?.();
    if (ahead.length) setTimeout(makeNext, 0);
  };
  setTimeout(makeNext, 0);
}

/** "14:05" or "2:05 PM". */
export function formatTime(iso: string): string {
  return timeFormat().format(new Date(iso));
}

/** For tooltips: the whole date and time. */
export function formatFullDateTime(iso: string): string {
  return fullFormat().format(new Date(iso));
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** A day divider's label: "Today", "Yesterday", "Monday, March 4" (with the year when not this year). */
export function formatDayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const daysAgo = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (daysAgo === 0 || daysAgo === 1) {
    const label = relativeDay().format(-daysAgo, "day");
    return label.charAt(0).toLocaleUpperCase() + label.slice(1);
  }
  return (date.getFullYear() === now.getFullYear() ? dayFormat : dayWithYearFormat)().format(date);
}
