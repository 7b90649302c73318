"use client";
/**
 * A link to a conversation of the workspace (the sidebar's items, #channel mentions in messages).
 * A plain click switches in place — only the URL changes, no route request (conversation-location.ts);
 * other clicks (a new tab, or from a screen that is not a conversation) follow the link. Its newest
 * page and details start loading when the pointer or focus arrives (or at the press, on touch), not
 * whenever the link is in view: Next would ask the server for the route of every link on screen.
 */
import { useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import type { ComponentProps } from "react";
import { getConversationHref, isPlainClick, switchConversationInPlace } from "@/components/chat/conversation-location";
import { prefetchChannel } from "@/components/workspace/queries";
import { prefetchTimeline } from "@/lib/client/queries";

type TConversationLinkProps = Omit<ComponentProps<typeof Link>, "href" | "prefetch" | "onClick"> & {
  slug: string;
  channelId: string;
  /** Already on screen: nothing to load ahead. */
  isOpen?: boolean;
};

export function ConversationLink({ slug, channelId, isOpen = false, ...rest }: TConversationLinkProps) {
  const queryClient = useQueryClient();
  // Loaded once: later changes arrive by socket.
  const prefetch = isOpen ? undefined : () => void Promise.all([prefetchTimeline(queryClient, channelId), prefetchChannel(queryClient, channelId)]);
  const onClick = (event: React.MouseEvent<HTMLAnchorElement>) => {
    if (isPlainClick(event) && switchConversationInPlace(slug, channelId)) event.preventDefault();
  };
  return <Link href={getConversationHref(slug, channelId)} prefetch={false} onClick={onClick} onPointerEnter={prefetch} onPointerDown={prefetch} onFocus={prefetch} {...rest} />;
}
