/**
 * The one typed list of Socket.IO events, imported by the server and the browser so names cannot
 * drift. Documented for other clients in docs/realtime.md.
 */
import type { TSidebarHead } from "@/lib/channels/schema";
import type { TErrorBody } from "@/lib/errors";
import type { TEphemeralMessage } from "@/lib/messages/ephemeral";
import type { TMessage } from "@/lib/messages/schema";

/** Socket.IO path; kept apart from Next's own dev websocket. */
export const SOCKET_PATH = "/socket.io";

export type TChangeType = "message.created" | "message.updated" | "message.deleted";

/** One change in a conversation's gap-free sequence, carrying the message's current state. */
export type TChannelEvent = {
  channelId: string;
  workspaceId: string;
  seq: number;
  type: TChangeType;
  message: TMessage;
};

/** `through`: the last seq this answer covers; ask again after it while `hasMore`. */
export type TSyncResult = { channelId: string; events: TChannelEvent[]; head: number; through: number; hasMore: boolean };

export type TAck<T> = (res: { ok: true; data: T } | ({ ok: false } & TErrorBody)) => void;

export interface ServerToClientEvents {
  "messages.created": (e: TChannelEvent) => void;
  "messages.updated": (e: TChannelEvent) => void;
  "messages.deleted": (e: TChannelEvent) => void;
  /** A message only you see (slash command replies, chat.postEphemeral); never stored, no seq. */
  "messages.ephemeral": (e: TEphemeralMessage) => void;
  /** Invalidate: channel name/topic/archive, its member list or its pin count changed. */
  "channels.updated": (e: { workspaceId: string; channelId: string }) => void;
  /** You were added to a channel (you now receive its events). */
  "channels.joined": (e: { workspaceId: string; channelId: string }) => void;
  /** You left or were removed: you no longer receive its events. */
  "channels.removed": (e: { workspaceId: string; channelId: string }) => void;
  /** Your read position moved (in another tab, say). */
  "channels.read": (e: { workspaceId: string; channelId: string; lastReadSeq: number }) => void;
  /** Invalidate: workspace details, members or roles changed. */
  "workspaces.updated": (e: { workspaceId: string }) => void;
  /** Your session was ended (deactivated, password changed, signed out everywhere). */
  "session.ended": (e: { reason: string }) => void;
  /**
   * Live events may have been lost between servers (a node lost Redis, or restarted): catch up the
   * listed conversations — every one you show when `channelIds` is absent — after your last seq.
   */
  "channels.resync": (e: { channelIds?: string[] }) => void;
  /** Who is typing in a conversation now (expires by itself; sent when it changes). */
  "typing.updated": (e: { channelId: string; userIds: string[] }) => void;
}

export interface ClientToServerEvents {
  "messages.create": (input: unknown, ack: TAck<TMessage>) => void;
  "messages.update": (input: unknown, ack: TAck<TMessage>) => void;
  "messages.delete": (input: unknown, ack: TAck<TMessage>) => void;
  /** Changes after `after` in one conversation, from the database. */
  "channels.sync": (input: unknown, ack: TAck<TSyncResult>) => void;
  /**
   * `{ channels: [{ channelId, after }], limit? }` (up to 100): the same for many conversations in one
   * request — after a reconnect, say. Each result is what `channels.sync` would answer; conversations
   * you may not read are listed in `notFound`.
   */
  "channels.syncMany": (input: unknown, ack: TAck<{ results: TSyncResult[]; notFound: string[] }>) => void;
  "channels.read": (input: unknown, ack: TAck<{ lastReadSeq: number }>) => void;
  /**
   * `{ slug }`: the workspace's sidebar conversations, each with its head (`lastSeq`) and my
   * `lastReadSeq` — to tell whether a sidebar read before the socket connected has missed anything.
   */
  "channels.heads": (input: unknown, ack: TAck<{ channels: TSidebarHead[] }>) => void;
  /** `{ messageId, emoji }`: add / remove my reaction (a message.updated change). */
  "reactions.add": (input: unknown, ack: TAck<TMessage>) => void;
  "reactions.remove": (input: unknown, ack: TAck<TMessage>) => void;
  /** `{ messageId }`: pin / unpin a message in its channel (members; a message.updated change). */
  "pins.add": (input: unknown, ack: TAck<TMessage>) => void;
  "pins.remove": (input: unknown, ack: TAck<TMessage>) => void;
  /** Which of these users are online (connected to any node). */
  "presence.query": (input: unknown, ack: TAck<{ online: string[] }>) => void;
  /** I am typing in this conversation (repeat every few seconds while typing; expires by itself). */
  "typing.start": (input: unknown, ack: TAck<{ channelId: string }>) => void;
}

export type SocketData = { userId: string; sessionVersion: number };

export const rooms = {
  user: (userId: string) => `user:${userId}`,
  workspace: (workspaceId: string) => `workspace:${workspaceId}`,
  channel: (channelId: string) => `channel:${channelId}`,
};
