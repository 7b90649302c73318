import { describe, expect, it, vi } from "vitest";
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

describe("prepareEmojiTable", () => {
  // A fresh module each time: the table is built once per module.
  const freshEmoji = async () => {
    vi.resetModules();
    return import("@/lib/emoji");
  };

  it("builds the table in slices, giving the main thread back between them", async () => {
    const emoji = await freshEmoji();
    let yields = 0;
    await emoji.prepareEmojiTable(async () => void yields++, 0);
    // A slice of 0 ms takes one emoji at a time: one yield per emoji but the last.
    expect(yields).toBeGreaterThan(1000);
    expect([emoji.emojiFromName("tada"), emoji.nameFromEmoji("👍"), emoji.searchEmoji("tad", 1)[0]?.name]).toEqual(["🎉", "+1", "tada"]);
    // Built: another call does nothing.
    const before = yields;
    await emoji.prepareEmojiTable(async () => void yields++, 0);
    expect(yields).toBe(before);
  });

  it("answers a lookup made while it is being built, and then stops", async () => {
    const emoji = await freshEmoji();
    let yields = 0;
    const names: (string | null)[] = [];
    await emoji.prepareEmojiTable(async () => {
      yields++;
      if (yields === 3) names.push(emoji.emojiFromName("white_check_mark"), emoji.nameFromEmoji("🎉"));
    }, 0);
    expect(names).toEqual(["✅", "tada"]);
    expect(yields).toBe(3);
    expect(emoji.searchEmoji("+1", 1)[0]).toEqual({ name: "+1", unicode: "👍" });
  });
});
