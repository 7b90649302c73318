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

export const MessageBody = memo(function MessageBody({ body, trailing }: { body: string; trailing?: React.ReactNode }) {
  return (
    <div className="message-body text-[15px] text-slate-800">
      <Markdown remarkPlugins={remarkPlugins} rehypePlugins={rehypePlugins} components={components}>
        {body}
      </Markdown>
      {trailing}
    </div>
  );
});
