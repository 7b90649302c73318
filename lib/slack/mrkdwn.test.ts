import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { decodeSlackEntities, mrkdwnToPlainText, parseMrkdwn, parseSlackToken, remarkMrkdwn, remarkSlackTokens, safeLinkUrl } from "@/lib/slack/mrkdwn";

/** mrkdwn through react-markdown, as the message body renders it (without the UI's span → chip mapping). */
function mrkdwn(text: string, formatting = true): string {
  return renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [[remarkMrkdwn, { formatting }]] }, text));
}

function markdown(text: string): string {
  return renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [[remarkGfm, { singleTilde: true }], remarkBreaks, remarkSlackTokens] }, text));
}

describe("mrkdwn formatting", () => {
  it.each([
    ["*bold*", "<p><strong>bold</strong></p>"],
    ["_italic_", "<p><em>italic</em></p>"],
    ["~strike~", "<p><del>strike</del></p>"],
    ["`a *b* <@U1>`", "<p><code>a *b* &lt;@U1&gt;</code></p>"],
    ["*_both_*", "<p><strong><em>both</em></strong></p>"],
    ["a*b*c snake_case_name 2*3*4", "<p>a*b*c snake_case_name 2*3*4</p>"],
    ["a * not bold * b", "<p>a * not bold * b</p>"],
    ["*unclosed _it_", "<p>*unclosed <em>it</em></p>"],
    ["这是*重点*内容，_斜体_。", "<p>这是<strong>重点</strong>内容，<em>斜体</em>。</p>"],
    ["5 &lt; 6 &amp;&amp; 7 &gt; 2", "<p>5 &lt; 6 &amp;&amp; 7 &gt; 2</p>"],
    ["&amp;lt;", "<p>&amp;lt;</p>"],
  ])("%j", (text, html) => expect(mrkdwn(text)).toBe(html));

  it("keeps single newlines as line breaks and blank lines as paragraphs", () => {
    expect(mrkdwn("one\ntwo\n\n三")).toBe("<p>one<br/>\ntwo</p>\n<p>三</p>");
  });

  it("renders ``` blocks as preformatted code, literally", () => {
    expect(mrkdwn("before\n```\nif (a &lt; b) { *x* }\n```\nafter")).toBe("<p>before</p>\n<pre><code>if (a &lt; b) { *x* }\n</code></pre>\n<p>after</p>");
    expect(mrkdwn("```one line```")).toBe("<pre><code>one line\n</code></pre>");
  });

  it("renders > and &gt; quotes, and >>> quotes the rest", () => {
    expect(mrkdwn("> quoted *b*\n&gt; more\nnot")).toBe("<blockquote>\n<p>quoted <strong>b</strong><br/>\nmore</p>\n</blockquote>\n<p>not</p>");
    expect(mrkdwn("intro\n>>> all\nof this")).toBe("<p>intro</p>\n<blockquote>\n<p>all<br/>\nof this</p>\n</blockquote>");
  });

  it("renders bullet and numbered lines as lists", () => {
    expect(mrkdwn("• one\n- two\n1. first\n2. second")).toBe("<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<ol>\n<li>first</li>\n<li>second</li>\n</ol>");
    expect(mrkdwn("3. third")).toBe('<ol start="3">\n<li>third</li>\n</ol>');
  });

  it("turns :short_names: into emoji and leaves unknown names and times alone", () => {
    expect(mrkdwn(":tada: :+1::skin-tone-2: :no_such_emoji: 12:30:45")).toBe(
      '<p><span title=":tada:" class="emoji">🎉</span> <span title=":+1::skin-tone-2:" class="emoji">👍🏻</span> :no_such_emoji: 12:30:45</p>',
    );
  });

  it("links bare http(s) URLs without trailing punctuation", () => {
    expect(mrkdwn("see https://example.com/a?b=1&amp;c=2. ok")).toBe('<p>see <a href="https://example.com/a?b=1&amp;c=2">https://example.com/a?b=1&amp;c=2</a>. ok</p>');
  });

  it("plain markup keeps tokens and emoji but no formatting", () => {
    expect(mrkdwn("*not bold* <@U1> :tada:\n> not a quote", false)).toBe(
      '<p>*not bold* <span data-slack-token="user" data-id="U1">@unknown-user</span> <span title=":tada:" class="emoji">🎉</span><br/>\n&gt; not a quote</p>',
    );
  });

  it("parses a 40,000-character line of unmatched markers (no quadratic rescans)", () => {
    const tree = parseMrkdwn("*a _b ~c ".repeat(4500));
    expect(tree.children).toHaveLength(1);
    expect(mrkdwnToPlainText("*a _b ~c ".repeat(4500))).toBe("*a _b ~c ".repeat(4500).trim());
  });
});

describe("Slack tokens", () => {
  it.each([
    ["@cmi3xabc", { kind: "user", id: "cmi3xabc", label: null }],
    ["@U1|bob", { kind: "user", id: "U1", label: "bob" }],
    ["#C1", { kind: "channel", id: "C1", label: null }],
    ["#C1|general", { kind: "channel", id: "C1", label: "general" }],
    ["!here", { kind: "broadcast", name: "here" }],
    ["!channel", { kind: "broadcast", name: "channel" }],
    ["!everyone", { kind: "broadcast", name: "everyone" }],
    ["!here|here", { kind: "broadcast", name: "here" }],
    ["!subteam^S1|@devs", { kind: "text", text: "@devs" }],
    ["!date^1392734382^{date_short}|Feb 18, 2014", { kind: "text", text: "Feb 18, 2014" }],
    ["https://example.com|Example", { kind: "link", url: "https://example.com", label: "Example" }],
    ["http://example.com", { kind: "link", url: "http://example.com", label: null }],
    ["mailto:a@b.co|a@b.co", { kind: "link", url: "mailto:a@b.co", label: "a@b.co" }],
    ["javascript:alert(1)|x", { kind: "text", text: "<javascript:alert(1)|x>" }],
    ["JavaScript:alert(1)", { kind: "text", text: "<JavaScript:alert(1)>" }],
    ["data:text/html,<b>|x", { kind: "text", text: "<data:text/html,<b>|x>" }],
    ["www.example.com", { kind: "text", text: "<www.example.com>" }],
    ["@bad id", { kind: "text", text: "<@bad id>" }],
  ])("<%s>", (inner, token) => expect(parseSlackToken(inner)).toEqual(token));

  it("renders mentions, channels and broadcasts as marked spans and links as links in mrkdwn", () => {
    expect(mrkdwn("<@cmi3x1> in <#C1|general> <!here> <https://a.example/?q=1&amp;r=2|A &amp; B> <mailto:a@b.co|a@b.co>")).toBe(
      '<p><span data-slack-token="user" data-id="cmi3x1">@unknown-user</span> in <span data-slack-token="channel" data-id="C1">#general</span> <span data-slack-token="broadcast" data-id="here">@here</span> <a href="https://a.example/?q=1&amp;r=2">A &amp; B</a> <a href="mailto:a@b.co">a@b.co</a></p>',
    );
  });

  it("shows <javascript:…> and other unsafe links as text, in mrkdwn and Markdown", () => {
    for (const render of [mrkdwn, markdown]) {
      const html = render("<javascript:alert(1)|x> <data:text/html;base64,PHNjcmlwdD4=|y> <vbscript:msgbox|z>");
      expect(html).not.toContain("<a");
      expect(html).toContain("&lt;javascript:alert(1)|x&gt;");
    }
    expect(markdown("[x](javascript:alert(1)) [y](/relative)")).toBe("<p>x y</p>");
  });

  it("never produces raw HTML", () => {
    for (const render of [mrkdwn, markdown]) {
      const html = render('<img src=x onerror=alert(1)> <script>alert(1)</script> &lt;b&gt;x&lt;/b&gt; <a href="javascript:x">y</a>');
      expect(html).not.toMatch(/<(img|script|b|a)[\s>]/);
    }
  });

  it("renders the same tokens and emoji in Markdown messages", () => {
    expect(markdown("hi <@U1> and <!here> in <#C1|gen>: <https://a.example|site> <mailto:a@b.co|a@b.co> :+1: `<@U2> :tada:` **<@U3|bob>**")).toBe(
      '<p>hi <span data-slack-token="user" data-id="U1">@unknown-user</span> and <span data-slack-token="broadcast" data-id="here">@here</span> in <span data-slack-token="channel" data-id="C1">#gen</span>: <a href="https://a.example">site</a> <a href="mailto:a@b.co">a@b.co</a> <span title=":+1:" class="emoji">👍</span> <code>&lt;@U2&gt; :tada:</code> <strong><span data-slack-token="user" data-id="U3">@bob</span></strong></p>',
    );
    // Ordinary Markdown autolinks are untouched.
    expect(markdown("<https://a.example/x>")).toBe('<p><a href="https://a.example/x">https://a.example/x</a></p>');
  });
});

describe("helpers", () => {
  it("decodes only Slack's three escapes, once", () => {
    expect(decodeSlackEntities("&lt;&gt;&amp;&amp;lt;&quot;")).toBe("<>&&lt;&quot;");
  });

  it.each([
    ["https://a.example/x", true],
    ["http://a.example", true],
    ["mailto:a@b.co", true],
    ["javascript:alert(1)", false],
    ["https://", false],
    ["ftp://a.example", false],
    ["//a.example", false],
    ["/relative", false],
  ])("safeLinkUrl(%j)", (url, ok) => expect(safeLinkUrl(url) !== null).toBe(ok));

  it("gives readable plain text", () => {
    const names = { userName: (id: string) => (id === "U1" ? "Ada" : null), channelName: (id: string) => (id === "C1" ? "ops" : null) };
    expect(mrkdwnToPlainText("*Deploy* of `api` <https://ci.example/1|done> by <@U1> in <#C1> &amp; :tada:\n• a\n• b", names)).toBe(
      "Deploy of api done (https://ci.example/1) by @Ada in #ops & 🎉\n• a\n• b",
    );
    // Unknown mentions stay tokens, so whoever shows the text can still resolve them.
    expect(mrkdwnToPlainText("<@U9> <#C9> <#C8|general> <@U8|bob> <!here>")).toBe("<@U9> <#C9> #general @bob @here");
  });
});

describe("broadcasts that start a Markdown line", () => {
  // CommonMark reads "<!" + letter at a line start as an HTML block; the line is parsed again.
  it.each([
    ["<!here> please **review**", '<p><span data-slack-token="broadcast" data-id="here">@here</span> please <strong>review</strong></p>'],
    ["<!channel>\nnext *x*", '<p><span data-slack-token="broadcast" data-id="channel">@channel</span></p>\n<p>next <em>x</em></p>'],
    ["- <!here> in a list", '<ul>\n<li><span data-slack-token="broadcast" data-id="here">@here</span> in a list</li>\n</ul>'],
    ["> <!everyone> 注意", '<blockquote>\n<p><span data-slack-token="broadcast" data-id="everyone">@everyone</span> 注意</p>\n</blockquote>'],
    ["<!DOCTYPE html> stays text", "&lt;!DOCTYPE html&gt; stays text"],
  ])("%j", (text, html) => expect(markdown(text)).toBe(html));
});
