"use client";
/** One conversation in the sidebar: glyph, name, and bold with a badge while it has unread messages. */
import { memo } from "react";
import { cn } from "@/components/ui/cn";
import { ChannelGlyph, getChannelTitle } from "@/components/chat/channel-identity";
import { ConversationLink } from "@/components/chat/conversation-link";
import type { TChannelView } from "@/lib/channels/schema";

/** Memoised: a conversation switch re-renders the sidebar, but only two items change. */
export const SidebarItem = memo(function SidebarItem({ slug, channel, myName, isActive }: { slug: string; channel: TChannelView; myName: string; isActive: boolean }) {
  const title = getChannelTitle(channel, myName);
  // Muted conversations (`/mute`) never show a badge or bold; they stay dimmed.
  const isMuted = !!channel.muted;
  const hasUnread = channel.unreadCount > 0 && !isActive && !isMuted;
  return (
    <ConversationLink
      slug={slug}
      channelId={channel.id}
      isOpen={isActive}
      aria-current={isActive ? "page" : undefined}
      data-testid="sidebar-channel"
      data-channel-id={channel.id}
      data-unread={hasUnread ? "true" : undefined}
      data-muted={isMuted ? "true" : undefined}
      className={cn(
        "group flex h-8 items-center gap-2 rounded-md px-2 text-[15px] focus-visible:outline-2 focus-visible:outline-white/60",
        isActive ? "bg-[#1164a3] text-white" : hasUnread ? "font-bold text-white hover:bg-white/10" : isMuted ? "text-white/40 hover:bg-white/10" : "text-white/70 hover:bg-white/10",
      )}
    >
      <ChannelGlyph channel={channel} className={cn("size-4", !isActive && !hasUnread && "opacity-70")} />
      <span className="min-w-0 flex-1 truncate">{title}</span>
      {hasUnread && (
        <span data-testid="unread-badge" aria-label={`${channel.unreadCount} unread`} className="rounded-full bg-[#cd2553] px-1.5 text-xs leading-5 font-bold text-white">
          {channel.unreadCount > 99 ? "99+" : channel.unreadCount}
        </span>
      )}
    </ConversationLink>
  );
});
