import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import Markdown from "react-markdown";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { describe, expect, it } from "vitest";
import { MARKDOWN_SYNTAX, PlainText } from "@/components/chat/message-body";

/** What the Markdown path produces (without highlighting, which plain text never needs). */
function renderMarkdown(text: string): string {
  return renderToStaticMarkup(createElement(Markdown, { remarkPlugins: [remarkGfm, remarkBreaks] }, text));
}

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
