"use client";
/**
 * A message's text as Markdown (bold, italic, ~strike~, code, fenced code with highlighting, links,
 * lists, quotes, tables). Raw HTML is never interpreted: without rehype-raw, react-markdown turns it
 * into plain text, and its default urlTransform drops `javascript:` / `data:` URLs. A single newline
 * is a line break, as people expect from a chat box.
 */
import "highlight.js/styles/github.css";
import "@/components/chat/message-body.css";
import { memo } from "react";
import Markdown, { type Components, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";

const remarkPlugins: Options["remarkPlugins"] = [[remarkGfm, { singleTilde: true }], remarkBreaks];
const rehypePlugins: Options["rehypePlugins"] = [[rehypeHighlight, { plainText: ["text", "txt", "plain"] }]];

const components: Components = {
  // Links leave the app and carry no referrer or ranking credit.
  a: ({ node: _node, href, children, ...rest }) => (
    <a {...rest} href={href} target="_blank" rel="noopener noreferrer nofollow">
      {children}
    </a>
  ),
  // Remote images would leak readers' addresses to whoever posted them: show a link instead.
  img: ({ src, alt }) =>
    typeof src === "string" && src ? (
      <a href={src} target="_blank" rel="noopener noreferrer nofollow">
        {alt || src}
      </a>
    ) : (
      <>{alt}</>
    ),
};

/**
 * Anything Markdown (or GFM autolinking) could act on: emphasis, code, links, HTML, entities, escapes,
 * headings, quotes, lists, tables, indented code, URLs and e-mail addresses, blank lines.
 */
export const MARKDOWN_SYNTAX = /[*_~`[\]<>#|!\\&=@:]|www\.|^\s*[-+]|^\s*\d+[.)](?:\s|$)|^ {4}|^\t|\n\s*\n/m;

/** Most chat messages are plain text: render those directly, as Markdown would, without parsing. */
export function PlainText({ text }: { text: string }) {
  const lines = text.trim().split("\n");
  return <p>{lines.flatMap((line, i) => (i === 0 ? [line] : [<br key={i} />, `\n${line}`]))}</p>;
}

export const MessageBody = memo(function MessageBody({ body, trailing }: { body: string; trailing?: React.ReactNode }) {
  return (
    <div className="message-body text-[15px] text-slate-800">
      {MARKDOWN_SYNTAX.test(body) ? (
        <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
          {body}
        </Markdown>
      ) : (
        <PlainText text={body} />
      )}
      {trailing}
    </div>
  );
});
