import { describe, expect, it } from "vitest";
import { fallbackText, slackValidationErrors, ZAttachments, ZBlocks } from "@/lib/slack/blocks";

function blockErrors(value: unknown): string[] {
  const result = ZBlocks.safeParse(value);
  return result.success ? [] : slackValidationErrors(result.error, "blocks");
}

function attachmentErrors(value: unknown): string[] {
  const result = ZAttachments.safeParse(value);
  return result.success ? [] : slackValidationErrors(result.error, "attachments");
}

const mrkdwn = (text: string) => ({ type: "mrkdwn", text });
const plain = (text: string) => ({ type: "plain_text", text, emoji: true });

/** A message using every block type we render, as Slack's Block Kit Builder writes it. */
const everyBlock = [
  { type: "header", text: plain("部署完成 Deploy finished") },
  {
    type: "section",
    block_id: "s1",
    text: mrkdwn("*api* was deployed by <@cmi3xabc>"),
    fields: [mrkdwn("*Env*\nprod"), mrkdwn("*版本*\nv1.2")],
    accessory: { type: "image", image_url: "https://img.example/a.png", alt_text: "logo" },
  },
  { type: "section", text: mrkdwn("Open it"), accessory: { type: "button", text: plain("Open"), url: "https://ci.example/1", action_id: "open" } },
  { type: "divider" },
  { type: "context", elements: [{ type: "image", image_url: "https://img.example/i.png", alt_text: "icon" }, mrkdwn("by *ci*"), plain("today")] },
  { type: "image", image_url: "https://img.example/chart.png", alt_text: "chart", title: plain("Latency") },
  {
    type: "actions",
    elements: [
      { type: "button", text: plain("Approve"), style: "primary", value: "yes", action_id: "a" },
      { type: "button", text: plain("Logs"), url: "https://ci.example/logs" },
      { type: "static_select", placeholder: plain("Pick"), options: [] },
    ],
  },
  { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "hello " }, { type: "emoji", name: "tada" }] }] },
];

describe("ZBlocks", () => {
  it("accepts every supported block type and keeps fields it does not know", () => {
    const result = ZBlocks.parse([...everyBlock, { type: "section", text: mrkdwn("x"), expand: true }]);
    expect(result).toHaveLength(everyBlock.length + 1);
    expect(result.at(-1)).toMatchObject({ expand: true });
    expect(result[0]).toEqual(everyBlock[0]);
  });

  it("keeps unknown block types as sent (Slack adds new ones)", () => {
    const video = { type: "video", title: plain("x"), video_url: "https://v.example", extra: { deep: [1, 2] } };
    expect(ZBlocks.parse([video])).toEqual([video]);
  });

  it("takes a JSON-encoded string, as form posts send it", () => {
    expect(ZBlocks.parse(JSON.stringify([{ type: "divider" }]))).toEqual([{ type: "divider" }]);
    expect(blockErrors("not json")).toEqual(["must be an array of blocks [json-pointer:/blocks]"]);
  });

  it.each(([
    [[{ type: "section", text: mrkdwn("x".repeat(3001)) }], "must be at most 3000 characters [json-pointer:/blocks/0/text/text]"],
    [[{ type: "section", text: mrkdwn("中".repeat(3001)) }], "must be at most 3000 characters [json-pointer:/blocks/0/text/text]"],
    [[{ type: "section" }], "must have text or fields [json-pointer:/blocks/0/text]"],
    [[{ type: "section", text: mrkdwn("  ") }], "must not be empty [json-pointer:/blocks/0/text/text]"],
    [[{ type: "section", text: { type: "html", text: "x" } }], 'must be "plain_text" or "mrkdwn" [json-pointer:/blocks/0/text/type]'],
    [[{ type: "section", fields: Array.from({ length: 11 }, () => mrkdwn("f")) }], "must have at most 10 items [json-pointer:/blocks/0/fields]"],
    [[{ type: "header", text: plain("h".repeat(151)) }], "must be at most 150 characters [json-pointer:/blocks/0/text/text]"],
    [[{ type: "header", text: mrkdwn("*h*") }], 'must be "plain_text" [json-pointer:/blocks/0/text/type]'],
    [[{ type: "image", image_url: "javascript:alert(1)", alt_text: "a" }], "must be an http(s) URL [json-pointer:/blocks/0/image_url]"],
    [[{ type: "image", image_url: "https://a.example/x.png" }], "is required [json-pointer:/blocks/0/alt_text]"],
    [[{ type: "divider" }, { type: "actions", elements: [{ type: "button", text: plain("Go"), url: "ftp://a.example" }] }], "must be an http(s) URL [json-pointer:/blocks/1/elements/0/url]"],
    [[{ type: "actions", elements: [{ type: "button", text: plain("x".repeat(76)) }] }], "must be at most 75 characters [json-pointer:/blocks/0/elements/0/text/text]"],
    [[{ type: "actions", elements: [] }], "must have at least 1 item [json-pointer:/blocks/0/elements]"],
    [[{ type: "actions", elements: [{ type: "button", text: plain("x"), style: "fancy" }] }], 'must be "primary" or "danger" [json-pointer:/blocks/0/elements/0/style]'],
    [[{ type: "context", elements: [{ type: "button", text: plain("x") }] }], '"button" is not a supported context element type here (expected image, plain_text, mrkdwn) [json-pointer:/blocks/0/elements/0/type]'],
    [[{ type: "section", text: mrkdwn("x"), accessory: { type: "image", image_url: "data:image/png;base64,AA", alt_text: "a" } }], "must be an http(s) URL [json-pointer:/blocks/0/accessory/image_url]"],
    [[{ text: "no type" }], 'must have a "type" [json-pointer:/blocks/0/type]'],
    [[{ type: "divider", block_id: "b".repeat(256) }], "must be at most 255 characters [json-pointer:/blocks/0/block_id]"],
    [[{ type: "section", text: mrkdwn("nul \u0000") }], "contains a NUL character [json-pointer:/blocks/0/text/text]"],
    [Array.from({ length: 51 }, () => ({ type: "divider" })), "must have at most 50 blocks [json-pointer:/blocks]"],
    [{ type: "divider" }, "must be an array of blocks [json-pointer:/blocks]"],
  ] as [unknown, string][]).map(([value, message]) => ({ value, message })))("refuses: $message", ({ value, message }) => expect(blockErrors(value)).toContain(message));
});

describe("ZAttachments", () => {
  const full = {
    color: "#36a64f",
    fallback: "Build 42 passed",
    pretext: "Nightly build",
    author_name: "CI 机器人",
    author_link: "https://ci.example",
    author_icon: "https://ci.example/icon.png",
    title: "Build 42",
    title_link: "https://ci.example/42",
    text: "All *green* :tada:",
    fields: [
      { title: "Branch", value: "main", short: true },
      { title: "耗时", value: "3m", short: true },
    ],
    image_url: "https://ci.example/chart.png",
    thumb_url: "https://ci.example/thumb.png",
    footer: "ci",
    footer_icon: "https://ci.example/f.png",
    ts: 1764100000,
    mrkdwn_in: ["text", "pretext"],
    blocks: [{ type: "divider" }],
    callback_id: "legacy-kept",
  };

  it("accepts Slack's attachment fields, colours and empty links", () => {
    expect(ZAttachments.parse([full])).toEqual([full]);
    for (const color of ["good", "warning", "danger", "#fff", "36a64f", "#A1B2C3"]) expect(attachmentErrors([{ color }])).toEqual([]);
    expect(attachmentErrors([{ title_link: "", ts: "1764100000.000200" }])).toEqual([]);
  });

  it.each(([
    [[{ color: "red" }], 'must be "good", "warning", "danger" or a hex colour like #36a64f [json-pointer:/attachments/0/color]'],
    [[{ title_link: "javascript:alert(1)" }], "must be an http(s) URL [json-pointer:/attachments/0/title_link]"],
    [[{ image_url: "file:///etc/passwd" }], "must be an http(s) URL [json-pointer:/attachments/0/image_url]"],
    [[{ footer: "f".repeat(301) }], "must be at most 300 characters [json-pointer:/attachments/0/footer]"],
    [[{ fields: [{ title: "t", value: 5 }] }], "Invalid input: expected string, received number [json-pointer:/attachments/0/fields/0/value]"],
    [[{ ts: "yesterday" }], "must be a Unix time in seconds [json-pointer:/attachments/0/ts]"],
    [[{ blocks: [{ type: "header", text: plain("") }] }], "must not be empty [json-pointer:/attachments/0/blocks/0/text/text]"],
    [Array.from({ length: 21 }, () => ({ text: "x" })), "must have at most 20 attachments [json-pointer:/attachments]"],
  ] as [unknown, string][]).map(([value, message]) => ({ value, message })))("refuses: $message", ({ value, message }) => expect(attachmentErrors(value)).toContain(message));
});

describe("fallbackText", () => {
  it("summarises blocks as plain text", () => {
    expect(fallbackText(everyBlock, null)).toBe(["部署完成 Deploy finished", "api was deployed by <@cmi3xabc>", "Env\nprod", "版本\nv1.2", "Open it", "by ci today", "Latency", "hello 🎉"].join("\n"));
  });

  it("names mentions when given resolvers", () => {
    expect(fallbackText([everyBlock[1]], null, { userName: () => "Ada" })).toContain("api was deployed by @Ada");
  });

  it("uses an attachment's fallback, else its visible text", () => {
    expect(fallbackText(null, [{ fallback: "Build 42 passed", text: "ignored" }, { pretext: "Nightly", title: "Build <https://x.example|43>", text: "a &amp; b", fields: [{ title: "Branch", value: "main" }], footer: "ci" }])).toBe(
      "Build 42 passed\nNightly\nBuild 43 (https://x.example)\na & b\nBranch: main\nci",
    );
  });

  it("ignores what it cannot read", () => {
    expect(fallbackText([null, 5, { type: "video" }, { type: "divider" }] as unknown[], [null, "x"] as unknown[])).toBe("");
    expect(fallbackText(undefined, undefined)).toBe("");
  });
});
