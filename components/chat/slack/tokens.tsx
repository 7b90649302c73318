"use client";
/**
 * How Slack tokens look in a message: <@id> as an "@Name" chip (highlighted when it is me),
 * <#id> as a "#channel" link, <!here> / <!channel> / <!everyone> as a highlighted chip.
 * lib/slack/mrkdwn.ts marks them as spans with data-slack-token; `SlackTokenSpan` maps those.
 */
import type { ComponentProps } from "react";
import { ConversationLink } from "@/components/chat/conversation-link";
import { useSlackDirectory } from "@/components/chat/slack/directory";
import { cn } from "@/components/ui/cn";
import { useMember } from "@/components/workspace/queries";
import { emojiFromName } from "@/lib/emoji";

const chipClass = "rounded px-0.5 font-medium";

export function UserMention({ id, fallback }: { id: string; fallback: React.ReactNode }) {
  const directory = useSlackDirectory();
  const fixedName = directory?.userName?.(id);
  const member = useMember(directory?.slug ?? "", directory?.slug && !directory.userName ? id : null);
  const name = fixedName ?? member?.name;
  const isMe = !!directory?.meId && directory.meId === id;
  return (
    <span data-mention="user" data-user-id={id} className={cn(chipClass, isMe ? "bg-amber-100 text-amber-900" : "bg-sky-100/70 text-[#1264a3]")}>
      {name ? `@${name}` : fallback}
    </span>
  );
}

export function ChannelMention({ id, fallback }: { id: string; fallback: React.ReactNode }) {
  const directory = useSlackDirectory();
  const name = directory?.channelName(id);
  const label = name ? `#${name}` : fallback;
  if (!directory?.slug) return <span className={cn(chipClass, "text-[#1264a3]")}>{label}</span>;
  return (
    <ConversationLink slug={directory.slug} channelId={id} data-mention="channel" className={cn(chipClass, "bg-sky-100/70 text-[#1264a3] hover:underline")}>
      {label}
    </ConversationLink>
  );
}

export function BroadcastMention({ name }: { name: string }) {
  return (
    <span data-mention="broadcast" className={cn(chipClass, "bg-amber-100 text-amber-900")}>
      @{name}
    </span>
  );
}

/** react-markdown's `span`: Slack token spans become chips; other spans (emoji) stay spans. */
export function SlackTokenSpan({ node: _node, children, ...props }: ComponentProps<"span"> & { node?: unknown }) {
  const record = props as Record<string, unknown>;
  const kind = record["data-slack-token"];
  const id = String(record["data-id"] ?? "");
  if (kind === "user") return <UserMention id={id} fallback={children} />;
  if (kind === "channel") return <ChannelMention id={id} fallback={children} />;
  if (kind === "broadcast") return <BroadcastMention name={id} />;
  return <span {...props}>{children}</span>;
}

const EMOJI_NAME = /:([a-z0-9_+-]+(?:::skin-tone-[2-6])?):/g;

/** Plain text with :short_names: shown as emoji (Block Kit plain_text with emoji: true). Nothing else is interpreted. */
export function TextWithEmoji({ text }: { text: string }) {
  const parts: React.ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(EMOJI_NAME)) {
    const unicode = emojiFromName(match[1]!);
    if (!unicode) continue;
    if (match.index > last) parts.push(text.slice(last, match.index));
    parts.push(
      <span key={match.index} title={match[0]} className="emoji">
        {unicode}
      </span>,
    );
    last = match.index + match[0].length;
  }
  if (last === 0) return <>{text}</>;
  parts.push(text.slice(last));
  return <>{parts}</>;
}
