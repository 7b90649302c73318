"use client";
/**
 * Wires the tab's socket to the react-query caches for one workspace screen: live changes into the
 * timelines, unread counts and invalidations into the sidebar, catch-up after reconnects and every
 * 30 s, the outbox sender, and the way out when the session ends. Children read it with useChat().
 */
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { createContext, useContext, useEffect, useMemo, useRef, useState } from "react";
import { useOpenChannelId } from "@/components/chat/conversation-location";
import type { TChannelView } from "@/lib/channels/schema";
import { ChannelSync } from "@/lib/client/channel-sync";
import { Outbox, OutboxSender } from "@/lib/client/outbox";
import { queryKeys } from "@/lib/client/query-keys";
import { sidebarChannelsQuery } from "@/lib/client/queries";
import { closeSocket, getSocket, handshakeRetryDelayMs, request } from "@/lib/client/realtime";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";
import { isSidebarBehind, recordNewMessage, recordRead } from "@/lib/client/sidebar-cache";
import { followThreadsAndPins } from "@/lib/client/thread-cache";
import type { TMe, TWorkspaceRole } from "@/lib/client/types";
import type { TChannelEvent } from "@/lib/realtime/contract";

const HEAD_CHECK_INTERVAL_MS = 30_000;
/** After a `channels.resync` hint, the sidebar is re-read within this long (spreads a node's hint to all its sockets). */
const RESYNC_REREAD_SPREAD_MS = 3000;

type TChatContext = {
  slug: string;
  me: TMe;
  /** My role in this workspace, once known. */
  role: TWorkspaceRole | undefined;
  openChannelId: string | null;
  outbox: Outbox;
  channelSync: ChannelSync;
};

const ChatContext = createContext<TChatContext | null>(null);

/** The chat services for the current workspace screen. */
export function useChat(): TChatContext {
  const context = useContext(ChatContext);
  if (!context) throw new Error("useChat must be used inside <ChatProvider>");
  return context;
}

/**
 * Asks whether we are still signed in; if not, goes to the sign-in page. next-auth's session answer
 * alone is not enough: it decodes the cookie without seeing that the session was ended on the
 * server (password change, deactivation), which only our own API checks.
 */
async function leaveIfSignedOut(goToLogin: () => void): Promise<void> {
  try {
    const [sessionResponse, meResponse] = await Promise.all([
      fetch("/api/auth/session", { credentials: "same-origin", cache: "no-store" }),
      fetch("/api/me", { credentials: "same-origin", cache: "no-store" }),
    ]);
    const session = (await sessionResponse.json()) as { user?: unknown } | null;
    if (session?.user && meResponse.status !== 401) return;
  } catch {
    return; // Cannot tell (offline): keep the page; the socket retries.
  }
  closeSocket();
  goToLogin();
}

/** Routes socket events into the caches; returns the unsubscribe function. */
function subscribeToSocket(options: {
  queryClient: QueryClient;
  channelSync: ChannelSync;
  outbox: Outbox;
  me: TMe;
  getOpenChannelId: () => string | null;
  getSlug: () => string;
  onSignedOutSuspected: () => void;
}): () => void {
  const { queryClient, channelSync, outbox, me, getOpenChannelId, getSlug, onSignedOutSuspected } = options;
  const socket = getSocket();
  let handshakeRetry: ReturnType<typeof setTimeout> | undefined;
  let refusedHandshakes = 0;

  const onChange = (event: TChannelEvent) => {
    channelSync.applyLiveChange(event);
    if (event.type !== "message.created") return;
    const isMine = event.message.sender.id === me.id;
    // Delivered, even if the ack got lost: stop showing (and retrying) the pending copy.
    if (isMine && event.message.clientMsgId) outbox.remove(event.message.clientMsgId);
    // Replies only in a thread are not new in the channel.
    if (event.message.threadRootId && !event.message.broadcast) return;
    const isBeingRead = event.channelId === getOpenChannelId() && document.visibilityState === "visible";
    recordNewMessage(queryClient, event.message, { workspaceId: event.workspaceId, isUnread: !isMine && !isBeingRead });
  };
  const onMembershipChange = ({ channelId }: { channelId: string }) => {
    void refreshAfterChange(queryClient, queryKeys.allSidebarChannels);
    void refreshAfterChange(queryClient, queryKeys.channel(channelId));
    // Joined the open channel: its events reach us only from now on, so fetch what came before.
    if (channelId === getOpenChannelId()) void channelSync.catchUp(channelId).catch(() => undefined);
  };
  const onRead = ({ channelId, lastReadSeq }: { channelId: string; lastReadSeq: number }) => recordRead(queryClient, channelId, lastReadSeq);
  const onWorkspaceUpdated = () => {
    void refreshAfterChange(queryClient, queryKeys.allWorkspaces);
    void refreshAfterChange(queryClient, queryKeys.allWorkspaceDetails);
  };
  // Unread counts, names and pin counts change by socket events too: what events were missed (the
  // connection was down — a server restart or a dropped connection, the browser perhaps never
  // offline, so react-query's own refetch on reconnect does not fire — or lost between servers) is
  // only in a fresh read.
  const rereadConversations = () => {
    void refreshAfterChange(queryClient, queryKeys.allSidebarChannels);
    const openChannelId = getOpenChannelId();
    if (openChannelId) void refreshAfterChange(queryClient, queryKeys.channel(openChannelId));
  };
  // The sidebar was first read (preloaded with the page) before the socket could hear of changes:
  // once it does, the server's heads tell whether that read missed any, sparing a second read if not.
  const rereadSidebarIfBehind = async () => {
    const slug = getSlug();
    try {
      await queryClient.ensureQueryData(sidebarChannelsQuery(slug));
      const { channels: heads } = await request("channels.heads", { slug });
      const cached = queryClient.getQueryData<TChannelView[]>(queryKeys.sidebarChannels(slug));
      if (!cached || !isSidebarBehind(cached, heads)) return;
    } catch {
      // Cannot tell: read it again.
    }
    void refreshAfterChange(queryClient, queryKeys.sidebarChannels(slug));
  };
  let hasConnected = socket.connected;
  const onConnect = () => {
    refusedHandshakes = 0;
    channelSync.resyncAfterReconnect(getOpenChannelId());
    if (hasConnected) rereadConversations();
    else void rereadSidebarIfBehind();
    hasConnected = true;
  };
  // Live events may have been lost between servers: catch up as after a reconnect. A node sends this
  // to all its sockets at once, so the lists are re-read at a random moment of the next few seconds.
  let rereadTimer: ReturnType<typeof setTimeout> | undefined;
  const onResync = ({ channelIds }: { channelIds?: string[] }) => {
    channelSync.resync(channelIds, getOpenChannelId());
    clearTimeout(rereadTimer);
    rereadTimer = setTimeout(rereadConversations, Math.random() * RESYNC_REREAD_SPREAD_MS);
  };
  const onConnectError = (err: Error) => {
    if (err.message === "unauthorized") onSignedOutSuspected();
    // A handshake refused by the server (busy, or a session that turns out to be fine) is not
    // retried by Socket.IO itself; a network failure is (then the socket stays `active`).
    if (!socket.active) {
      clearTimeout(handshakeRetry);
      handshakeRetry = setTimeout(() => socket.connect(), handshakeRetryDelayMs(refusedHandshakes++));
    }
  };

  socket.on("messages.created", onChange);
  socket.on("messages.updated", onChange);
  socket.on("messages.deleted", onChange);
  socket.on("channels.joined", onMembershipChange);
  socket.on("channels.removed", onMembershipChange);
  socket.on("channels.updated", onMembershipChange);
  socket.on("channels.read", onRead);
  socket.on("workspaces.updated", onWorkspaceUpdated);
  socket.on("session.ended", onSignedOutSuspected);
  socket.on("connect", onConnect);
  socket.on("channels.resync", onResync);
  socket.on("connect_error", onConnectError);
  return () => {
    clearTimeout(handshakeRetry);
    clearTimeout(rereadTimer);
    socket.off("messages.created", onChange);
    socket.off("messages.updated", onChange);
    socket.off("messages.deleted", onChange);
    socket.off("channels.joined", onMembershipChange);
    socket.off("channels.removed", onMembershipChange);
    socket.off("channels.updated", onMembershipChange);
    socket.off("channels.read", onRead);
    socket.off("workspaces.updated", onWorkspaceUpdated);
    socket.off("session.ended", onSignedOutSuspected);
    socket.off("connect", onConnect);
    socket.off("channels.resync", onResync);
    socket.off("connect_error", onConnectError);
  };
}

/** Provides the chat services; render only on the client, once `me` is known. */
export function ChatProvider({ slug, me, role, children }: { slug: string; me: TMe; role: TWorkspaceRole | undefined; children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const router = useRouter();
  const openChannelId = useOpenChannelId();
  const openChannelRef = useRef(openChannelId);
  const slugRef = useRef(slug);
  const [channelSync] = useState(() => new ChannelSync(queryClient));
  const [outbox] = useState(() => new Outbox(me.id));

  useEffect(() => {
    openChannelRef.current = openChannelId;
    slugRef.current = slug;
  }, [openChannelId, slug]);

  useEffect(() => outbox.followOtherTabs(), [outbox]);

  useEffect(() => {
    const goToLogin = () => router.replace(`/login?callbackUrl=${encodeURIComponent(window.location.pathname)}`);
    const unsubscribe = subscribeToSocket({
      queryClient,
      channelSync,
      outbox,
      me,
      getOpenChannelId: () => openChannelRef.current,
      getSlug: () => slugRef.current,
      onSignedOutSuspected: () => void leaveIfSignedOut(goToLogin),
    });
    const stopSender = new OutboxSender(outbox, (message) => channelSync.applyAcknowledged(message)).start();
    const stopFollowing = followThreadsAndPins(queryClient, channelSync);
    // Periodic head check: converges even if a live event was silently lost.
    const headCheck = setInterval(() => {
      const channelId = openChannelRef.current;
      if (channelId && getSocket().connected) void channelSync.catchUp(channelId).catch(() => undefined);
    }, HEAD_CHECK_INTERVAL_MS);
    return () => {
      unsubscribe();
      stopSender();
      stopFollowing();
      clearInterval(headCheck);
    };
  }, [queryClient, channelSync, outbox, me, router]);

  const context = useMemo(() => ({ slug, me, role, openChannelId, outbox, channelSync }), [slug, me, role, openChannelId, outbox, channelSync]);
  return <ChatContext.Provider value={context}>{children}</ChatContext.Provider>;
}
