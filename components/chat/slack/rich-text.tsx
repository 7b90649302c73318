"use client";
/**
 * Slack's rich_text block (what Slack's own composer sends): sections, bullet and numbered lists,
 * quotes and preformatted text, with styled text, links, mentions and emoji. Read loosely: unknown
 * element types are skipped, links keep only http(s) and mailto URLs.
 */
import { BroadcastMention, ChannelMention, UserMention } from "@/components/chat/slack/tokens";
import { emojiFromName } from "@/lib/emoji";
import { safeLinkUrl } from "@/lib/slack/mrkdwn";

type TElement = { type?: unknown; [key: string]: unknown };

function asElements(value: unknown): TElement[] {
  return Array.isArray(value) ? value.filter((v): v is TElement => typeof v === "object" && v !== null) : [];
}

function str(value: unknown): string {
  return typeof value === "string" ? value : "";
}

function Styled({ style, children }: { style: unknown; children: React.ReactNode }) {
  const s = (typeof style === "object" && style !== null ? style : {}) as Record<string, unknown>;
  let node = children;
  if (s.code) node = <code>{node}</code>;
  if (s.strike) node = <del>{node}</del>;
  if (s.italic) node = <em>{node}</em>;
  if (s.bold) node = <strong>{node}</strong>;
  return <>{node}</>;
}

function Inline({ element }: { element: TElement }) {
  switch (element.type) {
    case "text":
      return <Styled style={element.style}>{str(element.text)}</Styled>;
    case "link": {
      const url = safeLinkUrl(str(element.url));
      const label = str(element.text) || str(element.url);
      if (!url) return <>{label}</>;
      return (
        <Styled style={element.style}>
          <a href={url} target="_blank" rel="noopener noreferrer nofollow">
            {label}
          </a>
        </Styled>
      );
    }
    case "user":
      return <UserMention id={str(element.user_id)} fallback="@unknown-user" />;
    case "channel":
      return <ChannelMention id={str(element.channel_id)} fallback="#unknown-channel" />;
    case "broadcast":
      return <BroadcastMention name={str(element.range) || "here"} />;
    case "usergroup":
      return <BroadcastMention name="group" />;
    case "emoji": {
      const unicode = emojiFromName(str(element.name));
      return (
        <span className="emoji" title={`:${str(element.name)}:`}>
          {unicode ?? `:${str(element.name)}:`}
        </span>
      );
    }
    case "date":
      return <>{str(element.fallback) || new Date(Number(element.timestamp) * 1000).toLocaleString()}</>;
    default:
      return null;
  }
}

function InlineList({ elements }: { elements: unknown }) {
  return (
    <>
      {asElements(elements).map((element, index) => (
        <Inline key={index} element={element} />
      ))}
    </>
  );
}

function Part({ element }: { element: TElement }) {
  switch (element.type) {
    case "rich_text_section":
      return (
        <p className="whitespace-pre-wrap">
          <InlineList elements={element.elements} />
        </p>
      );
    case "rich_text_quote":
      return (
        <blockquote className="whitespace-pre-wrap">
          <InlineList elements={element.elements} />
        </blockquote>
      );
    case "rich_text_preformatted":
      return (
        <pre>
          <code>
            {asElements(element.elements)
              .map((e) => str(e.text) || str(e.url))
              .join("")}
          </code>
        </pre>
      );
    case "rich_text_list": {
      const items = asElements(element.elements).map((item, index) => (
        <li key={index} className="whitespace-pre-wrap">
          <InlineList elements={item.elements} />
        </li>
      ));
      const indent = { marginLeft: `${Math.min(Math.max(Number(element.indent) || 0, 0), 6) * 1.5}rem` };
      return element.style === "ordered" ? (
        <ol style={indent} start={Number(element.offset) > 0 ? Number(element.offset) + 1 : undefined}>
          {items}
        </ol>
      ) : (
        <ul style={indent}>{items}</ul>
      );
    }
    default:
      return null;
  }
}

export function RichText({ elements }: { elements: unknown }) {
  return (
    <>
      {asElements(elements).map((element, index) => (
        <Part key={index} element={element} />
      ))}
    </>
  );
}
