import { describe, expect, it } from "vitest";
import { emojiFromName, nameFromEmoji, searchEmoji } from "@/lib/emoji";

describe("emoji short names (Slack's names)", () => {
  it.each([
    ["thumbsup", "👍"],
    ["+1", "👍"],
    [":tada:", "🎉"],
    ["white_check_mark", "✅"],
    ["heart", "❤️"],
    ["rainbow-flag", "🏳️‍🌈"],
    ["+1::skin-tone-3", "👍🏼"],
    ["THUMBSUP", "👍"],
  ])("%s → %s", (name, unicode) => expect(emojiFromName(name)).toBe(unicode));

  it.each(["", "nope_not_an_emoji", "nope::skin-tone-3", "+1::skin-tone-9"])("%j is unknown", (name) => expect(emojiFromName(name)).toBeNull());

  it.each([
    ["👍", "+1"],
    ["❤", "heart"],
    ["❤️", "heart"],
    ["✅", "white_check_mark"],
    ["👍🏼", "+1::skin-tone-3"],
    ["🏳️‍🌈", "rainbow-flag"],
  ])("%s → %s", (unicode, name) => expect(nameFromEmoji(unicode)).toBe(name));

  it.each(["", "x", "中", "👍👍"])("%j has no name", (text) => expect(nameFromEmoji(text)).toBeNull());

  it("round-trips every name it gives", () => {
    for (const { name, unicode } of searchEmoji("a", 5000)) expect(emojiFromName(nameFromEmoji(unicode)!)).toBe(emojiFromName(name));
  });

  it("searches exact, then prefix (shortest first), then substring, each emoji once", () => {
    const names = searchEmoji("heart", 50).map((e) => e.name);
    expect(names[0]).toBe("heart");
    expect(names.indexOf("hearts")).toBeLessThan(names.indexOf("heart_eyes"));
    expect(names).toContain("broken_heart");
    expect(names.indexOf("heart_eyes")).toBeLessThan(names.indexOf("broken_heart"));
    expect(searchEmoji("thumbsup", 10).filter((e) => e.unicode === "👍")).toHaveLength(1);
    expect(searchEmoji(":tad", 1)).toEqual([{ name: "tada", unicode: "🎉" }]);
    expect(searchEmoji("", 10)).toEqual([]);
    expect(searchEmoji("zzzz", 10)).toEqual([]);
  });
});
