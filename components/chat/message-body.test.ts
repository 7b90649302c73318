import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { FormattedText, getMarkdownTree, isFormattedTextParsed, MARKDOWN_SYNTAX, parseTextsInSlices, PlainText, subscribeHighlighter, warmFormattedText, whenParserLoaded } from "@/components/chat/message-body";

/** What the Markdown path produces (without highlighting, which plain text never needs). */
function renderMarkdown(text: string): string {
  return renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm, remarkBreaks] }, text));
}

// First in the file: nothing has loaded the parser yet (in a browser, the module asks for it at once).
describe("the parser, loaded apart from the page's scripts", () => {
  it("shows a formatted text as plain text until the parser is here, and parses once it is", async () => {
    const text = "**早** and [a link](https://example.com/early)";
    expect(renderToStaticMarkup(getMarkdownTree(text, "md"))).toBe(renderToStaticMarkup(createElement(PlainText, { text })));
    expect(isFormattedTextParsed(text, "md")).toBe(false);
    // The list's first screen waits for it instead of drawing plain text.
    await parseTextsInSlices([{ body: text, markup: "md" }]);
    expect(isFormattedTextParsed(text, "md")).toBe(true);
    expect(renderToStaticMarkup(getMarkdownTree(text, "md"))).toContain("<strong>早</strong>");
    expect(renderToStaticMarkup(createElement(FormattedText, { text, markup: "md" }))).toContain('<a href="https://example.com/early" target="_blank" rel="noopener noreferrer nofollow">');
  });
});

describe("plain-text fast path", () => {
  it.each(["hello", "早上好！我看了一下，整体方向没问题。", "line one\nline two 第二行", "  padded  ", "ok, 3 things to do today", "1 apple and 2 pears"])(
    "renders %j exactly as Markdown would",
    (text) => {
      expect(MARKDOWN_SYNTAX.test(text)).toBe(false);
      expect(renderToStaticMarkup(createElement(PlainText, { text }))).toBe(renderMarkdown(text));
    },
  );

  it.each(["**bold**", "a_b_c", "~x~", "`x`", "<b>x</b>", "https://example.com", "www.example.com", "a@b.co", "- item", "+ item", "1. item", "2) item", "# title", "> quote", "Title\n---", "Title\n===", "a\n\nb", "    code", "&amp;", "x | y", "\\*"])(
    "leaves %j to the Markdown parser",
    (text) => expect(MARKDOWN_SYNTAX.test(text)).toBe(true),
  );
});

describe("parsed-text cache", () => {
  beforeAll(() => whenParserLoaded());
  it("returns the same tree for the same text and markup, and renders what the component renders", () => {
    const text = "**注意**：see [the issue](https://example.com/1) and `code`";
    const first = getMarkdownTree(text, "md");
    expect(getMarkdownTree(text, "md")).toBe(first);
    expect(renderToStaticMarkup(getMarkdownTree(text, "plain"))).not.toContain("<strong>"); // keyed by markup too
    expect(renderToStaticMarkup(first)).toBe(renderToStaticMarkup(createElement(FormattedText, { text, markup: "md" })));
    expect(renderToStaticMarkup(first)).toContain("<strong>注意</strong>");
  });
});

describe("parsing in slices", () => {
  it("parses every text it is given, giving the main thread back between slices", async () => {
    const texts = Array.from({ length: 400 }, (_, i) => ({ body: `**第 ${i} 条** see [issue ${i}](https://example.com/${i}), \`code ${i}\` and _more_ ~text~ here`, markup: "md" as const }));
    expect(texts.some((t) => isFormattedTextParsed(t.body, t.markup))).toBe(false);
    let otherTasks = 0;
    const tick = setInterval(() => otherTasks++, 0);
    await parseTextsInSlices(texts);
    clearInterval(tick);
    expect(texts.every((t) => isFormattedTextParsed(t.body, t.markup))).toBe(true);
    expect(otherTasks).toBeGreaterThan(0); // parsed in one stretch, the interval would never have run
  });

  it("parses nothing in the calling task, and stops when cancelled between slices", async () => {
    const texts = Array.from({ length: 1000 }, (_, i) => ({ body: `_cancelled ${i}_ with [a link](https://example.com/c/${i}) and **bold**`, markup: "md" as const }));
    let checks = 0;
    const parsing = parseTextsInSlices(texts, () => ++checks > 1);
    expect(isFormattedTextParsed(texts[0]!.body, "md")).toBe(false);
    await parsing;
    expect(isFormattedTextParsed(texts[0]!.body, "md")).toBe(true); // the first slice runs
    expect(isFormattedTextParsed(texts.at(-1)!.body, "md")).toBe(false);
  });

  it("counts plain text as parsed: it is drawn without the parser", () => {
    expect(isFormattedTextParsed("早上好，今天开会吗", "md")).toBe(true);
    expect(isFormattedTextParsed("**not yet**", "md")).toBe(false);
  });
});

describe("code highlighting, loaded on first need", () => {
  beforeAll(() => whenParserLoaded());
  it("shows a code block plain at first, then highlighted once highlight.js has loaded", async () => {
    const text = "```ts\nconst answer = 42;\n```";
    const python = "```python\ndef answer():\n    return 42\n```";
    const html = () => renderToStaticMarkup(getMarkdownTree(text, "md"));
    // Told that highlighting has arrived only once the blocks drawn plain meanwhile are highlighted
    // in the cache, so the re-render it causes parses nothing.
    const parsedWhenTold: boolean[] = [];
    const unsubscribe = subscribeHighlighter(() => parsedWhenTold.push(isFormattedTextParsed(text, "md") && isFormattedTextParsed(python, "md")));
    expect(html()).toContain("const answer = 42;");
    expect(renderToStaticMarkup(getMarkdownTree(python, "md"))).not.toContain("hljs-keyword");
    await vi.waitFor(() => expect(parsedWhenTold).toEqual([true]), { timeout: 10_000 });
    unsubscribe();
    expect(html()).toContain('<span class="hljs-keyword">const</span>');
    // One highlighter serves every language.
    expect(renderToStaticMarkup(getMarkdownTree(python, "md"))).toContain('<span class="hljs-keyword">def</span>');
    // Text without a code block never needs it.
    expect(renderToStaticMarkup(getMarkdownTree("`inline` only", "md"))).toBe("<p><code>inline</code> only</p>");
  });

  it("warms a code block's highlighted tree, the one a render then takes from the cache", async () => {
    const text = "```ts\nconst warmed = true;\n```";
    await warmFormattedText(text, "md");
    const tree = getMarkdownTree(text, "md");
    expect(getMarkdownTree(text, "md")).toBe(tree);
    expect(renderToStaticMarkup(tree)).toContain('<span class="hljs-keyword">const</span>');
  });
});
