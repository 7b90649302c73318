"use client";
/**
 * Ephemeral messages in this tab ("Only visible to you"): kept in memory only, so they are gone after
 * a reload, as in Slack. Fed by the socket's `messages.ephemeral`; the tray under the open channel
 * reads them per conversation and can dismiss them.
 */
import { useSyncExternalStore } from "react";
import { getSocket } from "@/lib/client/realtime";
import type { TEphemeralMessage } from "@/lib/messages/ephemeral";

/** Per conversation, at most this many are kept (oldest dropped). */
const MAX_PER_CHANNEL = 20;
const EMPTY: readonly TEphemeralMessage[] = [];

let byChannel = new Map<string, readonly TEphemeralMessage[]>();
const listeners = new Set<() => void>();
let isSubscribed = false;

function emit(): void {
  for (const l of listeners) l();
}

/** Adds one (or, for a response_url `replace`/`deleted`, replaces or drops its group). */
export function addEphemeral(m: TEphemeralMessage): void {
  let list = byChannel.get(m.channelId) ?? EMPTY;
  if (m.groupId && (m.replace || m.deleted)) list = list.filter((x) => x.groupId !== m.groupId);
  if (!m.deleted) list = [...list, m].slice(-MAX_PER_CHANNEL);
  byChannel = new Map(byChannel).set(m.channelId, list);
  emit();
}

/** Removes one (the dismiss button). */
export function dismissEphemeral(channelId: string, id: string): void {
  const list = byChannel.get(channelId);
  if (!list) return;
  byChannel = new Map(byChannel).set(channelId, list.filter((m) => m.id !== id));
  emit();
}

function ensureSubscribed(): void {
  if (isSubscribed || typeof window === "undefined") return;
  isSubscribed = true;
  getSocket().on("messages.ephemeral", addEphemeral);
}

function subscribe(listener: () => void): () => void {
  ensureSubscribed();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The ephemeral messages shown in one conversation, oldest first. */
export function useEphemerals(channelId: string): readonly TEphemeralMessage[] {
  return useSyncExternalStore(
    subscribe,
    () => byChannel.get(channelId) ?? EMPTY,
    () => EMPTY,
  );
}
