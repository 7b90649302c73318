/**
 * The `/remind` grammar. Deliberately small and exact; anything else gets the usage hint.
 *
 *   /remind me <what> in <n> <unit>          unit: minute(s) min(s) m  hour(s) hr(s) h  day(s) d  分钟 分 小时 钟头 天
 *   /remind me <what> <n><unit>后            (Chinese: "/remind me 喝水 10分钟后")
 *   /remind me <what> at <HH:MM>             24-hour clock, the next time it comes round (today or tomorrow)
 *   /remind me <what> tomorrow [at <HH:MM>]  tomorrow at 09:00 unless a time is given (also 明天 [HH:MM])
 *   /remind me in <n> <unit> <what>          the "when" may also come first (only for "in …")
 *
 * "me" may also be written 我. A leading "to " is dropped from <what>. <n> is a whole number; the
 * reminder must fall within 365 days. Times of day use the person's UTC offset from the browser.
 */

export const REMIND_USAGE =
  "Usage: `/remind me <what> in <n> minutes|hours|days`, `/remind me <what> at HH:MM`, `/remind me <what> tomorrow [at HH:MM]` — e.g. `/remind me stand-up in 10 minutes`, `/remind me 喝水 in 10 minutes`, `/remind me 喝水 10分钟后`.";

const MAX_AHEAD_MS = 365 * 24 * 60 * 60 * 1000;
const MAX_WHAT_CHARS = 1000;

const UNIT_MS: Record<string, number> = {
  minute: 60_000, minutes: 60_000, min: 60_000, mins: 60_000, m: 60_000, 分钟: 60_000, 分: 60_000,
  hour: 3_600_000, hours: 3_600_000, hr: 3_600_000, hrs: 3_600_000, h: 3_600_000, 小时: 3_600_000, 钟头: 3_600_000,
  day: 86_400_000, days: 86_400_000, d: 86_400_000, 天: 86_400_000,
};
const UNIT_RE = "(minutes?|mins?|m|hours?|hrs?|h|days?|d|分钟|分|小时|钟头|天)";

export type TParsedReminder = { ok: true; what: string; dueAt: Date } | { ok: false; error: string };

function cleanWhat(raw: string): string {
  return raw.trim().replace(/^to\s+/i, "").trim();
}

/** The next moment it is `hh:mm` for someone `tzOffsetMinutes` behind UTC, at least `minDays` days ahead. */
function nextClockTime(now: Date, hh: number, mm: number, tzOffsetMinutes: number, dayShift: number | null): Date {
  const local = new Date(now.getTime() - tzOffsetMinutes * 60_000); // "local" wall clock read through UTC getters
  const target = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + (dayShift ?? 0), hh, mm);
  let due = target + tzOffsetMinutes * 60_000;
  if (dayShift === null && due <= now.getTime()) due += 86_400_000;
  return new Date(due);
}

function parseClock(s: string): { hh: number; mm: number } | null {
  const m = /^(\d{1,2})[:：](\d{2})$/.exec(s);
  if (!m) return null;
  const hh = Number(m[1]);
  const mm = Number(m[2]);
  return hh <= 23 && mm <= 59 ? { hh, mm } : null;
}

/** Parses the text after "/remind". `now` and the offset are parameters so tests are exact. */
export function parseRemind(text: string, opts: { now?: Date; tzOffsetMinutes?: number } = {}): TParsedReminder {
  const now = opts.now ?? new Date();
  const tz = opts.tzOffsetMinutes ?? 0;
  const usage = (why: string): TParsedReminder => ({ ok: false, error: `${why} ${REMIND_USAGE}` });
  const t = text.trim().replace(/\s+/g, " ");
  const who = /^(me|我)(?:\s+|(?=[^\x00-\x7f]))(.*)$/i.exec(t);
  if (!who) return usage("Reminders are for yourself: start with `me`.");
  const rest = who[2]!.trim();

  let what: string | undefined;
  let dueAt: Date | undefined;
  let m: RegExpExecArray | null;
  if ((m = new RegExp(`^(.+?)\\s+in\\s+(\\d{1,6})\\s*${UNIT_RE}$`, "i").exec(rest)) || (m = new RegExp(`^(.+?)\\s*(\\d{1,6})\\s*${UNIT_RE}后$`, "i").exec(rest))) {
    what = m[1];
    dueAt = new Date(now.getTime() + Number(m[2]) * UNIT_MS[m[3]!.toLowerCase()]!);
  } else if ((m = new RegExp(`^in\\s+(\\d{1,6})\\s*${UNIT_RE}\\s+(.+)$`, "i").exec(rest))) {
    what = m[3];
    dueAt = new Date(now.getTime() + Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
  } else if ((m = /^(.+?)\s+(?:tomorrow|明天)(?:\s*(?:at\s+)?(\d{1,2}[:：]\d{2}))?$/i.exec(rest)) || (m = /^(.+?)\s*明天(?:\s*(\d{1,2}[:：]\d{2}))?$/.exec(rest))) {
    const clock = m[2] ? parseClock(m[2]) : { hh: 9, mm: 0 };
    if (!clock) return usage(`"${m[2]}" is not a time of day (use 24-hour HH:MM).`);
    what = m[1];
    dueAt = nextClockTime(now, clock.hh, clock.mm, tz, 1);
  } else if ((m = /^(.+?)\s+at\s+(\S+)$/i.exec(rest))) {
    const clock = parseClock(m[2]!);
    if (!clock) return usage(`"${m[2]}" is not a time of day (use 24-hour HH:MM).`);
    what = m[1];
    dueAt = nextClockTime(now, clock.hh, clock.mm, tz, null);
  } else {
    return usage("I could not tell when to remind you.");
  }
  what = cleanWhat(what ?? "");
  if (!what) return usage("Say what to remind you about.");
  if ([...what].length > MAX_WHAT_CHARS) return { ok: false, error: `A reminder can be at most ${MAX_WHAT_CHARS} characters.` };
  if (dueAt.getTime() - now.getTime() <= 0) return usage("That time has already passed.");
  if (dueAt.getTime() - now.getTime() > MAX_AHEAD_MS) return { ok: false, error: "Reminders can be set at most 365 days ahead." };
  return { ok: true, what, dueAt };
}
