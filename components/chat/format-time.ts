/** Dates and times in the reader's own language and format (12 or 24 hours, 今天 or Today). */

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", month: "long", day: "numeric" });
const dayWithYearFormat = new Intl.DateTimeFormat(undefined, { weekday: "long", year: "numeric", month: "long", day: "numeric" });
const relativeDay = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });

/** "14:05" or "2:05 PM". */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/** For tooltips: the whole date and time. */
export function formatFullDateTime(iso: string): string {
  return fullFormat.format(new Date(iso));
}

function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** A day divider's label: "Today", "Yesterday", "Monday, March 4" (with the year when not this year). */
export function formatDayLabel(iso: string, now = new Date()): string {
  const date = new Date(iso);
  const daysAgo = Math.round((startOfDay(now) - startOfDay(date)) / 86_400_000);
  if (daysAgo === 0 || daysAgo === 1) {
    const label = relativeDay.format(-daysAgo, "day");
    return label.charAt(0).toLocaleUpperCase() + label.slice(1);
  }
  return (date.getFullYear() === now.getFullYear() ? dayFormat : dayWithYearFormat).format(date);
}
