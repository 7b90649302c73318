import { describe, expect, it } from "vitest";
import { splitHighlights } from "@/components/search/highlighted-text";

describe("splitHighlights", () => {
  it("splits text at the ranges, as plain strings (markup stays text)", () => {
    expect(splitHighlights("讨论<b>项目</b>进度", [[5, 7]])).toEqual([
      { text: "讨论<b>", isMatch: false },
      { text: "项目", isMatch: true },
      { text: "</b>进度", isMatch: false },
    ]);
  });
  it("ignores ranges outside the text and overlapping ones", () => {
    expect(splitHighlights("abc", [[0, 1], [0, 2], [5, 9]])).toEqual([
      { text: "a", isMatch: true },
      { text: "b", isMatch: true },
      { text: "c", isMatch: false },
    ]);
  });
});
