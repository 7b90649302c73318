/**
 * Domain events, published by services after their transaction commits. Only server/realtime
 * subscribes and turns them into Socket.IO emits. Kept on globalThis so that the tsx-run server and
 * Next's route bundles (separate module copies in one process) share one bus.
 */
import { EventEmitter } from "node:events";
import type { TEphemeralMessage } from "@/lib/messages/ephemeral";
import type { TChannelEvent } from "@/lib/realtime/contract";

export type TChannelChange = "created" | "renamed" | "archived" | "unarchived";
export type TReactionChange = { userId: string; emoji: string; added: boolean };
/** `pinnedById`/`pinnedAt` (ISO time): the pin made, or the one taken away. */
export type TPinChange = { userId: string; added: boolean; pinCount: number; pinnedById: string; pinnedAt: string };

export type TDomainEvent =
  /**
   * `reaction`: set when the change is a reaction added or removed (the Events API's reaction_added/removed);
   * `pin`: the message was pinned or unpinned (pin_added/pin_removed; `pinCount` after the change);
   * `edited`: the message's text was edited (the Events API's message_changed).
   */
  | { kind: "channel.event"; event: TChannelEvent; reaction?: TReactionChange; pin?: TPinChange; edited?: boolean }
  /** `changes`/`actorId`: what happened, when known (the Events API's channel_created, channel_rename, …). */
  | { kind: "channel.updated"; workspaceId: string; channelId: string; changes?: TChannelChange[]; actorId?: string }
  | { kind: "channel.memberAdded"; workspaceId: string; channelId: string; userIds: string[] }
  | { kind: "channel.memberRemoved"; workspaceId: string; channelId: string; userIds: string[] }
  | { kind: "channel.read"; workspaceId: string; channelId: string; userId: string; lastReadSeq: number }
  | { kind: "workspace.updated"; workspaceId: string }
  | { kind: "workspace.memberAdded"; workspaceId: string; userId: string }
  | { kind: "user.sessionsEnded"; userId: string; reason: string }
  /** Shown to one person only, never stored (lib/messages/ephemeral.ts). */
  | { kind: "message.ephemeral"; userId: string; message: TEphemeralMessage }
  /** A reminder was created: the scheduler rechecks its next wake-up (no socket emit). */
  | { kind: "reminder.scheduled"; dueAt: string };

const holder = globalThis as unknown as { __parleyBus?: EventEmitter };

function getBus(): EventEmitter {
  if (!holder.__parleyBus) {
    holder.__parleyBus = new EventEmitter();
    holder.__parleyBus.setMaxListeners(100);
  }
  return holder.__parleyBus;
}

/** Publishes a committed change to whoever listens (the realtime server). Never throws. */
export function publish(event: TDomainEvent): void {
  try {
    getBus().emit("event", event);
  } catch (err) {
    console.error("[parley] event listener failed:", err);
  }
}

/** Subscribes to all domain events; returns the unsubscribe function. */
export function subscribe(listener: (event: TDomainEvent) => void): () => void {
  getBus().on("event", listener);
  return () => getBus().off("event", listener);
}
