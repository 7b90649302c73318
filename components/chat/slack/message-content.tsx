"use client";
/**
 * Everything a stored message shows below its header: the text by its markup, then Block Kit
 * blocks and legacy attachments. As in Slack, a message whose blocks we can show displays the
 * blocks instead of `text` (senders put a notification fallback there, usually the same words);
 * attachments show below the text. Also the sender's avatar, which a bot or webhook may override
 * per message with an https image or an :emoji: name.
 */
import { useEffect } from "react";
import { hasSlackRichContent, slackRichContent, useLazyModule } from "@/components/chat/lazy-formatting";
import { MessageBody } from "@/components/chat/message-body";
import { Avatar } from "@/components/ui/avatar";
import { cn } from "@/components/ui/cn";
import { emojiFromName } from "@/lib/emoji";
import type { TMessage } from "@/lib/messages/schema";
import { hasShowableBlocks } from "@/lib/slack/block-types";

/** What MessageContent reads of a message (stored or ephemeral). */
export type TMessageContentSource = Pick<TMessage, "markup" | "blocks" | "attachments"> & { deletedAt?: string | null };

/** The message's content; `message` is null for my unsent messages (text only). */
export function MessageContent({ message, body, trailing }: { message: TMessageContentSource | null; body: string; trailing?: React.ReactNode }) {
  // Blocks and attachments are drawn by code loaded when a message has them; until it is here, the
  // text shows (the sender's fallback for them). The message list waits for it before drawing.
  const richContent = useLazyModule(slackRichContent);
  const isRich = !!message && !message.deletedAt && hasSlackRichContent(message);
  useEffect(() => {
    if (isRich) void slackRichContent.load();
  }, [isRich]);
  if (!message || message.deletedAt) return <MessageBody body={body} trailing={trailing} />;
  if (!richContent) return <MessageBody body={body} markup={message.markup} trailing={trailing} />;
  const { SlackBlocks, SlackAttachments } = richContent;
  const blocks = hasShowableBlocks(message.blocks) ? message.blocks : null;
  const attachments = message.attachments?.length ? message.attachments : null;
  // All-unknown blocks: show the text (the sender's fallback) and the "unsupported" notes.
  const otherBlocks = !blocks && message.blocks?.length ? message.blocks : null;
  const showText = !blocks && body.trim().length > 0;
  return (
    <>
      {showText && <MessageBody body={body} markup={message.markup} trailing={blocks || attachments ? undefined : trailing} />}
      {(blocks ?? otherBlocks) && <SlackBlocks blocks={(blocks ?? otherBlocks)!} />}
      {attachments && <SlackAttachments attachments={attachments} />}
      {(!showText || blocks || attachments) && trailing && <div className="message-body text-[15px]">{trailing}</div>}
    </>
  );
}

const EMOJI_ICON = /^:([a-z0-9_+-]+(?:::skin-tone-[2-6])?):$/;

/** The picture a message's icon override or bot avatar asks for: an emoji, an https image, or none. */
export function resolveSenderIcon(message: Pick<TMessage, "overrideIcon" | "sender"> | null): { emoji: string } | { url: string } | null {
  if (!message) return null;
  const candidates = [message.overrideIcon, message.sender.isBot ? message.sender.avatarUrl : null];
  for (const icon of candidates) {
    if (!icon) continue;
    const emoji = EMOJI_ICON.exec(icon.trim());
    if (emoji) {
      const unicode = emojiFromName(emoji[1]!);
      if (unicode) return { emoji: unicode };
      continue;
    }
    try {
      if (new URL(icon).protocol === "https:") return { url: icon };
    } catch {
      // Not a URL: fall through to the next candidate.
    }
  }
  return null;
}

/** The sender's avatar: the override icon or bot avatar when there is one, else initials. */
export function SenderAvatar({ message, name, seed, className }: { message: Pick<TMessage, "overrideIcon" | "sender"> | null; name: string; seed: string; className?: string }) {
  const icon = resolveSenderIcon(message);
  if (icon && "emoji" in icon) {
    return (
      <span aria-hidden="true" data-testid="sender-icon" className={cn("inline-flex size-9 shrink-0 items-center justify-center text-[26px] leading-none select-none", className)}>
        {icon.emoji}
      </span>
    );
  }
  if (icon) {
    // No referrer: the icon's host should not learn which workspace is reading.
    return <img src={icon.url} alt="" aria-hidden="true" data-testid="sender-icon" loading="lazy" referrerPolicy="no-referrer" className={cn("size-9 shrink-0 rounded-md object-cover", className)} />;
  }
  return <Avatar name={name} seed={seed} className={className} />;
}
