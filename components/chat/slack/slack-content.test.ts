/**
 * Slack-style content as the message list renders it (react-dom/server, like message-body.test.ts):
 * markups, tokens with and without a workspace directory, Block Kit, attachments, sender overrides.
 */
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createElement, type ReactElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { slackRichContent } from "@/components/chat/lazy-formatting";
import { MessageBody, MRKDWN_SYNTAX, PlainText, whenParserLoaded } from "@/components/chat/message-body";
import { getRowAuthor, isContinuation, type TMessageRow } from "@/components/chat/message-rows";
import { attachmentColor, SlackAttachments } from "@/components/chat/slack/attachments";
import { SlackBlocks, UNSUPPORTED_BUTTON_HINT } from "@/components/chat/slack/blocks";
import { createStaticDirectory, SlackDirectoryContext } from "@/components/chat/slack/directory";
import { MessageContent, resolveSenderIcon, SenderAvatar } from "@/components/chat/slack/message-content";
import type { TMarkup, TMessage } from "@/lib/messages/schema";
import { buildMessage } from "@/tests/message-fixture";

const directory = createStaticDirectory({ slug: "acme", meId: "cmme", users: { cmada: "Ada Lovelace", cmme: "Me Myself", cmzh: "张三" }, channels: { cmgen: "general", cmzhc: "产品讨论" } });

// The message list waits for the parser and the Block Kit code before it draws (message-body.tsx);
// so do these renders, some of which run while the tests are collected.
await Promise.all([whenParserLoaded(), slackRichContent.load()]);

// As in the workspace, where links to conversations load them ahead through react-query.
const queryClient = new QueryClient();

function render(element: ReactElement, withDirectory = true): string {
  const content = withDirectory ? createElement(SlackDirectoryContext.Provider, { value: directory }, element) : element;
  return renderToStaticMarkup(createElement(QueryClientProvider, { client: queryClient }, content));
}

function body(text: string, markup: TMarkup = "md", withDirectory = true): string {
  return render(createElement(MessageBody, { body: text, markup }), withDirectory);
}

function message(patch: Partial<TMessage> = {}): TMessage {
  return buildMessage({
    ts: "1764100000.000100",
    sender: { id: "bot1", name: "Deploy Bot", avatarUrl: null, isBot: true, botId: "b1" },
    markup: "mrkdwn",
    createdAt: "2026-11-25T10:00:00.000Z",
    ...patch,
  });
}

function content(m: TMessage): string {
  return render(createElement(MessageContent, { message: m, body: m.body, trailing: m.editedAt ? createElement("span", { className: "message-edited" }, "(edited)") : undefined }));
}

describe("tokens in every markup", () => {
  it.each(["md", "mrkdwn", "plain"] as const)("%s: mentions resolve to names, me highlighted, channels link, @here chip", (markup) => {
    const html = body("hi <@cmada> <@cmme> <@cmzh> see <#cmgen> and <#cmzhc|old-name> <!here> <!channel>", markup);
    expect(html).toContain('data-user-id="cmada"');
    expect(html).toContain(">@Ada Lovelace</span>");
    expect(html).toMatch(/bg-amber-100[^>]*>@Me Myself<\/span>/);
    expect(html).toContain(">@张三</span>");
    expect(html).toContain('href="/w/acme/c/cmgen"');
    expect(html).toContain(">#general</a>");
    expect(html).toContain(">#产品讨论</a>");
    expect(html).toContain(">@here</span>");
    expect(html).toContain(">@channel</span>");
    expect(html).not.toContain("&lt;@");
  });

  it("unknown people and channels fall back to the token's label or a neutral name", () => {
    const html = body("<@cmnobody> <@cmgone|former> <#cmsecret> <#cmold|archive>", "mrkdwn");
    expect(html).toContain(">@unknown-user</span>");
    expect(html).toContain(">@former</span>");
    expect(html).toContain(">#unknown-channel</a>");
    expect(html).toContain(">#archive</a>");
  });

  it("without a workspace directory (previews), mentions show labels and channels are not links", () => {
    const html = body("<@cmada> <#cmgen|general>", "mrkdwn", false);
    expect(html).toContain(">@unknown-user</span>");
    expect(html).toContain("#general</span>");
    expect(html).not.toContain("<a");
  });

  it.each(["md", "mrkdwn", "plain"] as const)("%s: <javascript:…> and raw HTML stay text", (markup) => {
    const html = body('<javascript:alert(1)|x> <img src=x onerror="alert(1)"> <script>alert(1)</script> [y](javascript:alert(2))', markup);
    expect(html).not.toMatch(/<(a|img|script)[\s>]/);
    expect(html).toContain("&lt;javascript:alert(1)|x&gt;");
  });

  it("links open in a new tab without opener or referrer", () => {
    expect(body("<https://example.com/a?b=1&amp;c=2|例子>", "mrkdwn")).toContain('<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noopener noreferrer nofollow">例子</a>');
  });
});

describe("mrkdwn messages", () => {
  it("formats Slack's syntax, not Markdown's", () => {
    const html = body("*粗体* _斜体_ ~删除~ `code` # not a heading\n> 引用 :tada:", "mrkdwn");
    expect(html).toContain("<strong>粗体</strong>");
    expect(html).toContain("<em>斜体</em>");
    expect(html).toContain("<del>删除</del>");
    expect(html).toContain("<code>code</code>");
    expect(html).toContain("# not a heading");
    expect(html).toContain("<blockquote>");
    expect(html).toContain("🎉");
  });

  it("highlights nothing it was not asked to, and keeps code literal", () => {
    expect(body("```\n*not bold* <@cmada>\n```", "mrkdwn")).toContain("<pre><code>*not bold* &lt;@cmada&gt;\n</code></pre>");
  });

  it.each(["hello", "早上好！我看了一下，整体方向没问题。", "line one\nline two 第二行", "ok, 3 things to do today"])("plain-text fast path renders %j as the parser would", (text) => {
    expect(MRKDWN_SYNTAX.test(text)).toBe(false);
    const parsed = render(createElement(MessageBody, { body: `${text}\n\n&amp;`, markup: "mrkdwn" }));
    expect(parsed).toContain(renderToStaticMarkup(createElement(PlainText, { text })));
  });
});

describe("Block Kit", () => {
  const blocks = [
    { type: "header", text: { type: "plain_text", text: "部署完成 :rocket:", emoji: true } },
    {
      type: "section",
      text: { type: "mrkdwn", text: "*api* deployed by <@cmada>" },
      fields: [
        { type: "mrkdwn", text: "*Env*\nprod" },
        { type: "plain_text", text: "*literal* <@cmada>" },
      ],
      accessory: { type: "image", image_url: "https://img.example/logo.png", alt_text: "logo" },
    },
    { type: "divider" },
    { type: "context", elements: [{ type: "image", image_url: "https://img.example/i.png", alt_text: "icon" }, { type: "mrkdwn", text: "by _ci_" }] },
    { type: "image", image_url: "https://img.example/chart.png", alt_text: "latency chart", title: { type: "plain_text", text: "Latency" } },
    {
      type: "actions",
      elements: [
        { type: "button", text: { type: "plain_text", text: "Open logs" }, url: "https://ci.example/logs", style: "primary" },
        { type: "button", text: { type: "plain_text", text: "Approve" }, action_id: "approve", value: "1" },
        { type: "static_select", placeholder: { type: "plain_text", text: "Pick" } },
      ],
    },
    { type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "rich ", style: { bold: true } }, { type: "user", user_id: "cmada" }, { type: "emoji", name: "wave" }] }, { type: "rich_text_list", style: "bullet", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "item 一" }] }] }] },
    { type: "video", title: { type: "plain_text", text: "x" } },
    { type: "section", text: { type: "mrkdwn", text: "" } },
  ];
  const html = render(createElement(SlackBlocks, { blocks }));

  it("renders header, section with fields and image accessory, divider, context and image", () => {
    expect(html).toMatch(/<h3[^>]*>部署完成 <span title=":rocket:" class="emoji">🚀<\/span><\/h3>/);
    expect(html).toContain("<strong>api</strong> deployed by ");
    expect(html).toContain(">@Ada Lovelace</span>");
    expect(html).toContain("sm:grid-cols-2");
    expect(html).toContain("*literal* &lt;@cmada&gt;"); // plain_text is literal
    expect(html).toMatch(/<img src="https:\/\/img.example\/logo.png" alt="logo"[^>]*referrerPolicy="no-referrer"/);
    expect(html).toContain('data-block="divider"');
    expect(html).toContain("<em>ci</em>");
    expect(html).toContain("<figcaption");
    expect(html).toContain('alt="latency chart"');
  });

  it("link buttons open a new tab; other buttons are shown but not clickable", () => {
    expect(html).toMatch(/<a href="https:\/\/ci.example\/logs" target="_blank" rel="noopener noreferrer nofollow"[^>]*>Open logs<\/a>/);
    expect(html).toMatch(new RegExp(`<button type="button" aria-disabled="true" title="${UNSUPPORTED_BUTTON_HINT}"[^>]*>Approve</button>`));
    expect(html).toContain("+1 interactive element not supported yet");
  });

  it("renders rich_text and notes unknown or malformed blocks", () => {
    expect(html).toContain("<strong>rich </strong>");
    expect(html).toContain("👋");
    expect(html).toContain("<li");
    expect(html).toContain("item 一");
    expect(html).toContain("Parley cannot show yet (video)");
    expect(html).toContain("Parley cannot show yet (section)");
  });

  it("never renders unsafe URLs from stored blocks", () => {
    const unsafe = render(
      createElement(SlackBlocks, {
        blocks: [
          { type: "image", image_url: "javascript:alert(1)", alt_text: "x" },
          { type: "actions", elements: [{ type: "button", text: { type: "plain_text", text: "Go" }, url: "javascript:alert(1)" }] },
        ],
      }),
    );
    expect(unsafe).not.toContain("javascript:");
    expect(unsafe.match(/cannot show yet/g)).toHaveLength(2);
  });
});

describe("attachments", () => {
  const attachment = {
    color: "good",
    pretext: "Nightly build",
    author_name: "CI 机器人",
    author_link: "https://ci.example",
    author_icon: "https://ci.example/icon.png",
    title: "Build #42",
    title_link: "https://ci.example/42",
    text: "All *green* <@cmada>",
    fields: [
      { title: "Branch", value: "main", short: true },
      { title: "耗时", value: "3m", short: true },
      { title: "Notes", value: "a long one", short: false },
    ],
    thumb_url: "https://ci.example/thumb.png",
    footer: "ci",
    ts: 1764100000,
  };

  it("renders bar, pretext, author, linked title, mrkdwn text, fields, thumbnail and footer", () => {
    const html = render(createElement(SlackAttachments, { attachments: [attachment] }));
    expect(html).toContain("background-color:#2eb67d");
    expect(html).toContain("Nightly build");
    expect(html).toContain('<a href="https://ci.example" target="_blank" rel="noopener noreferrer nofollow" class="hover:underline">CI 机器人</a>');
    expect(html).toMatch(/<a href="https:\/\/ci.example\/42"[^>]*>Build #42<\/a>/);
    expect(html).toContain("<strong>green</strong>");
    expect(html).toContain(">@Ada Lovelace</span>");
    expect(html.match(/col-span-2/g)).toHaveLength(1);
    expect(html).toContain(">耗时</dt>");
    expect(html).toContain('src="https://ci.example/thumb.png"');
    expect(html).toContain('<time dateTime="2025-11-25T19:46:40.000Z"');
  });

  it("formats only the fields mrkdwn_in names, and drops bad links and colours", () => {
    const html = render(
      createElement(SlackAttachments, { attachments: [{ text: "*plain*", pretext: "*bold*", mrkdwn_in: ["pretext"] }, { title: "t", title_link: "javascript:alert(1)" }, { color: "expression(alert(1))" }] }),
    );
    expect(html).toContain("*plain*");
    expect(html).toContain("<strong>bold</strong>");
    expect(html).not.toContain("javascript:");
    expect(html).not.toContain("expression");
    expect(html.match(/cannot show yet \(attachment\)/g)).toHaveLength(2);
    expect([attachmentColor("#abc"), attachmentColor("36a64f"), attachmentColor("danger"), attachmentColor("red;x"), attachmentColor(undefined)]).toEqual(["#abc", "#36a64f", "#e01e5a", "#dddddd", "#dddddd"]);
  });
});

describe("message content", () => {
  it("shows blocks instead of the fallback text, as Slack does", () => {
    const html = content(message({ body: "Fallback for notifications", blocks: [{ type: "section", text: { type: "mrkdwn", text: "*Shown*" } }] }));
    expect(html).not.toContain("Fallback for notifications");
    expect(html).toContain("<strong>Shown</strong>");
  });

  it("shows the text when no block can be shown, with the note", () => {
    const html = content(message({ body: "Fallback 文本", blocks: [{ type: "call", call_id: "x" }] }));
    expect(html).toContain("Fallback 文本");
    expect(html).toContain("cannot show yet (call)");
  });

  it("shows attachments below the text, and (edited) after everything", () => {
    const html = content(message({ body: "Build *done*", attachments: [{ color: "danger", text: "details" }], editedAt: "2026-11-25T10:01:00.000Z" }));
    expect(html.indexOf("<strong>done</strong>")).toBeLessThan(html.indexOf("details"));
    expect(html.indexOf("details")).toBeLessThan(html.indexOf("(edited)"));
  });

  it("renders by markup: md, mrkdwn, plain", () => {
    expect(content(message({ body: "**md bold**", markup: "md" }))).toContain("<strong>md bold</strong>");
    expect(content(message({ body: "*mrkdwn bold*", markup: "mrkdwn" }))).toContain("<strong>mrkdwn bold</strong>");
    expect(content(message({ body: "*not bold*", markup: "plain" }))).toContain("*not bold*");
  });

  it("pending and deleted messages render their text only", () => {
    expect(render(createElement(MessageContent, { message: null, body: "sending 中" }))).toContain("sending 中");
    expect(content(message({ deletedAt: "2026-11-25T10:02:00.000Z", blocks: [{ type: "divider" }] }))).not.toContain("divider");
  });
});

describe("sender overrides", () => {
  it("uses an :emoji: or https icon override, then a bot's https avatar, else initials", () => {
    expect(resolveSenderIcon(message({ overrideIcon: ":robot_face:" }))).toEqual({ emoji: "🤖" });
    expect(resolveSenderIcon(message({ overrideIcon: "https://img.example/bot.png" }))).toEqual({ url: "https://img.example/bot.png" });
    expect(resolveSenderIcon(message({ overrideIcon: "http://img.example/bot.png" }))).toBeNull();
    expect(resolveSenderIcon(message({ overrideIcon: "javascript:alert(1)" }))).toBeNull();
    expect(resolveSenderIcon(message({ overrideIcon: ":no_such_emoji:", sender: { id: "b", name: "B", avatarUrl: "https://img.example/b.png", isBot: true, botId: "b" } }))).toEqual({ url: "https://img.example/b.png" });
    expect(resolveSenderIcon(message({ sender: { id: "u", name: "U", avatarUrl: "https://img.example/u.png", isBot: false, botId: null } }))).toBeNull();
    const avatar = (m: TMessage) => render(createElement(SenderAvatar, { message: m, name: "Deploy Bot", seed: "bot1" }));
    expect(avatar(message({ overrideIcon: ":robot_face:" }))).toContain("🤖");
    expect(avatar(message({ overrideIcon: "https://img.example/bot.png" }))).toMatch(/<img src="https:\/\/img.example\/bot.png"[^>]*referrerPolicy="no-referrer"/);
    expect(avatar(message())).toContain(">DB</span>");
  });

  it("shows the override name and gives each name its own header", () => {
    const me = { id: "me", name: "Me" };
    const row = (m: TMessage): TMessageRow => ({ kind: "stored", key: m.id, message: m });
    const a = row(message({ id: "a", overrideName: "Jenkins 构建" }));
    const b = row(message({ id: "b", overrideName: "Jenkins 构建", createdAt: "2026-11-25T10:01:00.000Z" }));
    const c = row(message({ id: "c", overrideName: "PagerDuty", createdAt: "2026-11-25T10:02:00.000Z" }));
    const d = row(message({ id: "d", overrideName: "  ", createdAt: "2026-11-25T10:03:00.000Z" }));
    expect(getRowAuthor(a, me).senderName).toBe("Jenkins 构建");
    expect(getRowAuthor(d, me).senderName).toBe("Deploy Bot");
    expect(isContinuation(a, b, me)).toBe(true);
    expect(isContinuation(b, c, me)).toBe(false);
  });
});
