/** Timestamps and day dividers in the reader's locale (whatever this machine's is). */
import { describe, expect, it } from "vitest";
import { formatDayLabel, formatFullDateTime, formatTime } from "@/components/chat/format-time";

const now = new Date(2026, 10, 27, 15, 30); // 27 November 2026, 15:30 local time

describe("format-time", () => {
  it("labels today and yesterday in words, capitalised, and other days by date (with the year when not this year)", () => {
    const today = formatDayLabel(new Date(2026, 10, 27, 9, 0).toISOString(), now);
    const yesterday = formatDayLabel(new Date(2026, 10, 26, 23, 59).toISOString(), now);
    expect(today).not.toBe(yesterday);
    for (const label of [today, yesterday]) {
      expect(label.charAt(0)).toBe(label.charAt(0).toLocaleUpperCase());
      expect(label).not.toMatch(/\d/);
    }
    const earlier = formatDayLabel(new Date(2026, 2, 4, 12, 0).toISOString(), now);
    expect(earlier).toMatch(/4/);
    expect(earlier).not.toMatch(/2026/);
    expect(formatDayLabel(new Date(2025, 2, 4, 12, 0).toISOString(), now)).toMatch(/2025/);
  });

  it("gives the time of day, and the whole date and time for tooltips", () => {
    const iso = new Date(2026, 10, 27, 14, 5).toISOString();
    expect(formatTime(iso)).toMatch(/05/);
    expect(formatTime(iso)).not.toMatch(/2026/);
    expect(formatFullDateTime(iso)).toMatch(/2026/);
    expect(formatFullDateTime(iso)).toMatch(/05/);
  });
});
