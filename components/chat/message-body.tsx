"use client";
/**
 * A message's text, by its markup: Parley's Markdown (bold, italic, ~strike~, code, fenced code with
 * highlighting, links, lists, quotes, tables), Slack's mrkdwn (bots, webhooks; parsed by
 * lib/slack/mrkdwn.ts into the same syntax tree) or plain text. All three show Slack's tokens
 * (<@id> mentions, <#id> channels, <!here>, <url|label>) and :emoji: short names.
 * Raw HTML is never interpreted: without rehype-raw, react-markdown turns it into plain text; links
 * keep only http(s) and mailto URLs. A single newline is a line break, as people expect from a chat box.
 */
import "highlight.js/styles/github.css";
import "@/components/chat/message-body.css";
import { memo } from "react";
import Markdown, { defaultUrlTransform, type Components, type Options } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import remarkBreaks from "remark-breaks";
import remarkGfm from "remark-gfm";
import { SlackTokenSpan } from "@/components/chat/slack/tokens";
import type { TMarkup } from "@/lib/messages/schema";
import { remarkMrkdwn, remarkSlackTokens, safeLinkUrl } from "@/lib/slack/mrkdwn";

const remarkPlugins: Record<TMarkup, Options["remarkPlugins"]> = {
  md: [[remarkGfm, { singleTilde: true }], remarkBreaks, remarkSlackTokens],
  mrkdwn: [remarkMrkdwn],
  plain: [[remarkMrkdwn, { formatting: false }]],
};
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
  span: SlackTokenSpan,
};

/** Only http(s) and mailto links (react-markdown's default also lets relative, irc: and xmpp: through). */
export function urlTransform(url: string): string {
  const safe = defaultUrlTransform(url);
  return safe && safeLinkUrl(safe) ? safe : "";
}

/**
 * Anything Markdown (or GFM autolinking) could act on: emphasis, code, links, HTML, entities, escapes,
 * headings, quotes, lists, tables, indented code, URLs and e-mail addresses, blank lines.
 */
export const MARKDOWN_SYNTAX = /[*_~`[\]<>#|!\\&=@:]|www\.|^\s*[-+]|^\s*\d+[.)](?:\s|$)|^ {4}|^\t|\n\s*\n/m;

/** The same for mrkdwn and plain markup: emphasis, code, tokens, entities, emoji, URLs, quotes, lists, blank lines. */
export const MRKDWN_SYNTAX = /[*_~`<>&:]|^\s*(?:[•◦▪‣-]|\d{1,9}[.)])\s|\n\s*\n/m;

/** Most chat messages are plain text: render those directly, as Markdown would, without parsing. */
export function PlainText({ text }: { text: string }) {
  const lines = text.trim().split("\n");
  return <p>{lines.flatMap((line, i) => (i === 0 ? [line] : [<br key={i} />, `\n${line}`]))}</p>;
}

/** Message text without the message-body wrapper (also used inside Block Kit sections and attachments). */
export const FormattedText = memo(function FormattedText({ text, markup = "md" }: { text: string; markup?: TMarkup }) {
  const syntax = markup === "md" ? MARKDOWN_SYNTAX : MRKDWN_SYNTAX;
  if (!syntax.test(text)) return <PlainText text={text} />;
  return (
    <Markdown remarkPlugins={remarkPlugins[markup]} rehypePlugins={rehypePlugins} components={components} urlTransform={urlTransform}>
      {text}
    </Markdown>
  );
});

export const MessageBody = memo(function MessageBody({ body, markup = "md", trailing }: { body: string; markup?: TMarkup; trailing?: React.ReactNode }) {
  return (
    <div className="message-body text-[15px] text-slate-800">
      <FormattedText text={body} markup={markup} />
      {trailing}
    </div>
  );
});
