"use client";
/**
 * Edits, deletes, read positions and joins. Over the socket when it is connected (one round trip,
 * same ack shape as sending); over HTTP otherwise, so these still work while the socket reconnects.
 */
import type { TChannelView } from "@/lib/channels/schema";
import { api } from "@/lib/client/api";
import { getSocket, request } from "@/lib/client/realtime";
import type { TMessage } from "@/lib/messages/schema";

/** Replaces a message's text (own messages). */
export async function editMessage(messageId: string, body: string): Promise<TMessage> {
  if (getSocket().connected) return request("messages.update", { messageId, body });
  return (await api<{ message: TMessage }>(`/api/messages/${encodeURIComponent(messageId)}`, { method: "PATCH", body: { body } })).message;
}

/** Deletes a message (own; admins any). */
export async function deleteMessage(messageId: string): Promise<TMessage> {
  if (getSocket().connected) return request("messages.delete", { messageId });
  return (await api<{ message: TMessage }>(`/api/messages/${encodeURIComponent(messageId)}`, { method: "DELETE" })).message;
}

/** Moves my read position in a conversation forward. */
export async function markChannelRead(channelId: string, seq: number): Promise<number> {
  if (getSocket().connected) return (await request("channels.read", { channelId, seq })).lastReadSeq;
  return (await api<{ lastReadSeq: number }>(`/api/channels/${encodeURIComponent(channelId)}/read`, { body: { seq } })).lastReadSeq;
}

/** Joins a public channel. */
export async function joinChannel(channelId: string): Promise<TChannelView> {
  return (await api<{ channel: TChannelView }>(`/api/channels/${encodeURIComponent(channelId)}/join`, { method: "POST" })).channel;
}

/** Adds my reaction (a short name such as "thumbsup", or the emoji itself). */
export async function addReaction(messageId: string, emoji: string): Promise<TMessage> {
  if (getSocket().connected) return request("reactions.add", { messageId, emoji });
  return (await api<{ message: TMessage }>(`/api/messages/${encodeURIComponent(messageId)}/reactions`, { body: { emoji } })).message;
}

/** Removes my reaction. */
export async function removeReaction(messageId: string, emoji: string): Promise<TMessage> {
  if (getSocket().connected) return request("reactions.remove", { messageId, emoji });
  return (await api<{ message: TMessage }>(`/api/messages/${encodeURIComponent(messageId)}/reactions?emoji=${encodeURIComponent(emoji)}`, { method: "DELETE" })).message;
}

/** Pins or unpins a message in its channel. */
export async function setPinned(messageId: string, isPinned: boolean): Promise<TMessage> {
  if (getSocket().connected) return request(isPinned ? "pins.add" : "pins.remove", { messageId });
  return (await api<{ message: TMessage }>(`/api/messages/${encodeURIComponent(messageId)}/pin`, { method: isPinned ? "POST" : "DELETE" })).message;
}
