/**
 * The Markdown and mrkdwn parser: react-markdown with its remark plugins, Parley's link rules and
 * the Slack token components — the largest part of the chat's JavaScript after React, so it is
 * loaded apart from the page's first scripts (lazy-formatting.ts).
 */
import Markdown, { defaultUrlTransform, type Components, type Options } from "react-markdown";
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
 * The element tree for a text. react-markdown's synchronous Markdown is a pure function of its
 * options (no hooks): calling it directly yields the same tree React would render.
 */
export function parseToTree(text: string, markup: TMarkup, rehypePlugins: Options["rehypePlugins"]): React.ReactElement {
  return Markdown({ remarkPlugins: remarkPlugins[markup], rehypePlugins, components, urlTransform, children: text }) as React.ReactElement;
}
