"use client";
/**
 * Messages not yet acknowledged by the server, kept per user in localStorage so they survive a reload
 * and are shown as pending until the ack (or their own `messages.created` event) arrives. The sender
 * delivers them in order over the socket; the server deduplicates by `clientMsgId`, so a retry after
 * a lost ack never makes a second message.
 */
import { request, RealtimeError, getSocket } from "@/lib/client/realtime";
import type { TMessage } from "@/lib/messages/schema";

export type TOutboxEntry = {
  clientMsgId: string;
  channelId: string;
  body: string;
  createdAt: string;
  status: "pending" | "failed";
  /** Why the server refused it, for failed entries. */
  error?: string;
  /** A thread reply: its root, and whether it is also sent to the channel. */
  threadRootId?: string;
  broadcast?: boolean;
};

const SEND_TIMEOUT_MS = 10_000;
const MAX_RETRY_DELAY_MS = 30_000;

/** A fresh id for a message: a UUID without dashes (8–64 of [A-Za-z0-9_-], docs/realtime.md). */
export function createClientMsgId(): string {
  // randomUUID exists only in secure contexts; a self-hosted install on plain http still needs ids.
  if (typeof crypto.randomUUID === "function") return crypto.randomUUID().replaceAll("-", "");
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
}

function isOutboxEntry(value: unknown): value is TOutboxEntry {
  const e = value as Partial<TOutboxEntry> | null;
  return !!e && typeof e.clientMsgId === "string" && typeof e.channelId === "string" && typeof e.body === "string" && (e.status === "pending" || e.status === "failed");
}

/** One person's outbox, shared by their tabs through localStorage. */
export class Outbox {
  private entries: readonly TOutboxEntry[];
  private readonly listeners = new Set<() => void>();
  private readonly storageKey: string;

  constructor(userId: string) {
    this.storageKey = `parley.outbox.${userId}`;
    this.entries = this.read();
  }

  /** Follows changes other tabs make to the same outbox; returns the stop function. */
  followOtherTabs(): () => void {
    window.addEventListener("storage", this.onStorage);
    return () => window.removeEventListener("storage", this.onStorage);
  }

  /** Current entries, oldest first; the same array until something changes (for useSyncExternalStore). */
  list = (): readonly TOutboxEntry[] => this.entries;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Queues a new message (a thread reply when `thread` is given) and returns it. */
  add(channelId: string, body: string, thread?: { threadRootId: string; broadcast?: boolean }): TOutboxEntry {
    const entry: TOutboxEntry = { clientMsgId: createClientMsgId(), channelId, body, createdAt: new Date().toISOString(), status: "pending", ...(thread ? { threadRootId: thread.threadRootId, broadcast: !!thread.broadcast } : {}) };
    this.write([...this.entries, entry]);
    return entry;
  }

  remove(clientMsgId: string): void {
    if (this.entries.some((e) => e.clientMsgId === clientMsgId)) this.write(this.entries.filter((e) => e.clientMsgId !== clientMsgId));
  }

  markFailed(clientMsgId: string, error: string): void {
    this.write(this.entries.map((e) => (e.clientMsgId === clientMsgId ? { ...e, status: "failed", error } : e)));
  }

  /** Puts a failed entry back in the queue (Retry). */
  retry(clientMsgId: string): void {
    this.write(this.entries.map((e) => (e.clientMsgId === clientMsgId ? { ...e, status: "pending", error: undefined } : e)));
  }

  private read(): TOutboxEntry[] {
    try {
      const parsed: unknown = JSON.parse(localStorage.getItem(this.storageKey) ?? "[]");
      return Array.isArray(parsed) ? parsed.filter(isOutboxEntry) : [];
    } catch {
      return [];
    }
  }

  private write(entries: readonly TOutboxEntry[]): void {
    this.entries = entries;
    try {
      if (entries.length) localStorage.setItem(this.storageKey, JSON.stringify(entries));
      else localStorage.removeItem(this.storageKey);
    } catch {
      // Storage full or disabled: the outbox still works for this page's lifetime.
    }
    this.notify();
  }

  /** Another tab changed the outbox. */
  private onStorage = (event: StorageEvent): void => {
    if (event.key !== this.storageKey) return;
    this.entries = this.read();
    this.notify();
  };

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/**
 * Delivers pending entries one at a time, oldest first (so they commit in the order typed), whenever
 * the socket is connected. Retryable failures back off (1 s, 2 s, 4 s … 30 s) and retry at once on
 * every reconnect; refusals that cannot change (validation_failed, forbidden, not_found) fail the entry.
 */
export class OutboxSender {
  private isDraining = false;
  private failureCount = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly outbox: Outbox,
    private readonly onDelivered: (message: TMessage) => void,
  ) {}

  /** Starts delivering; returns the stop function. */
  start(): () => void {
    const socket = getSocket();
    const onConnect = () => {
      this.failureCount = 0;
      this.kick();
    };
    socket.on("connect", onConnect);
    const unsubscribe = this.outbox.subscribe(() => this.kick());
    this.kick();
    return () => {
      socket.off("connect", onConnect);
      unsubscribe();
      clearTimeout(this.retryTimer);
    };
  }

  /** Sends what is pending, unless a pass is already running (it picks up new entries itself). */
  kick(): void {
    if (this.isDraining || !getSocket().connected) return;
    clearTimeout(this.retryTimer);
    void this.drain();
  }

  private async drain(): Promise<void> {
    this.isDraining = true;
    try {
      for (;;) {
        const next = this.outbox.list().find((e) => e.status === "pending");
        if (!next || !getSocket().connected) return;
        try {
          const thread = next.threadRootId ? { threadRootId: next.threadRootId, broadcast: !!next.broadcast } : {};
          const message = await request("messages.create", { channelId: next.channelId, body: next.body, clientMsgId: next.clientMsgId, ...thread }, SEND_TIMEOUT_MS);
          this.failureCount = 0;
          this.onDelivered(message);
          this.outbox.remove(next.clientMsgId);
        } catch (err) {
          const error = err instanceof RealtimeError ? err : new RealtimeError("internal", "Could not send");
          if (error.isRetryable) {
            this.scheduleRetry();
            return;
          }
          this.outbox.markFailed(next.clientMsgId, error.message);
        }
      }
    } finally {
      this.isDraining = false;
    }
  }

  private scheduleRetry(): void {
    this.failureCount += 1;
    const delay = Math.min(MAX_RETRY_DELAY_MS, 1000 * 2 ** (this.failureCount - 1));
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.kick(), delay);
  }
}
