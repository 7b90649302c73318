"use client";
/** The conversation page's content: the conversation the URL shows (see conversation-location.ts). */
import { ChannelView } from "@/components/chat/channel-view";
import { useOpenChannelId } from "@/components/chat/conversation-location";

export function ConversationRoute({ channelId }: { channelId: string }) {
  // The URL, not the route's params: switching conversations in place changes only the URL.
  const openChannelId = useOpenChannelId() ?? channelId;
  // Keyed so switching channels starts each view fresh (draft, scroll, editing state).
  return <ChannelView key={openChannelId} channelId={openChannelId} />;
}
