/**
 * Carries committed domain events between the nodes of a cluster through one Redis stream
 * (docs/scaling.md). Every node appends the events its own services publish and reads everyone
 * else's, in stream order, resuming from its last entry after a Redis disconnect.
 *
 * Redis is never on the send path: appends are fire-and-forget. An append that fails (Redis down or
 * unreachable) means other nodes' clients missed a live event, and since a client only notices a
 * gap when a later event arrives, the node records it and, once Redis answers again, appends a
 * `resync` entry: every node then tells its clients to catch up from their last seq. A reader that
 * lost Redis does the same for its own clients when it gets it back.
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { env } from "@/lib/env";
import { createRedisClient } from "@/lib/redis";
import { subscribe, type TDomainEvent } from "@/lib/realtime/bus";

export const EVENT_STREAM_KEY = "parley:events";
/** Approximate stream length kept: minutes of traffic, so a reader that was briefly cut off resumes. */
const STREAM_MAX_LEN = 100_000;
const READ_BLOCK_MS = 2000;
const READ_COUNT = 500;
/** How often a pending resync is retried while Redis stays unavailable. */
const RESYNC_RETRY_MS = 1000;

export type TClusterMessage =
  | { t: "event"; e: TDomainEvent }
  /** Clients may have missed live events: catch up (all conversations when `channelIds` is absent). */
  | { t: "resync"; channelIds?: string[] }
  | { t: "typing"; channelId: string; userIds: string[] };

export type TClusterBus = {
  readonly nodeId: string;
  /** Appends to the stream without waiting; failures are remembered and answered with a resync. */
  publish(message: TClusterMessage): void;
  close(): Promise<void>;
};

type TBusHandlers = {
  /** A message from another node, in stream order. */
  onMessage: (message: TClusterMessage) => void;
  /** This node's reader was cut off and may have missed entries: resync the local clients. */
  onReaderRecovered: () => void;
};

function log(message: string): void {
  if (env.PARLEY_LOG_LEVEL !== "silent" && env.PARLEY_LOG_LEVEL !== "error") console.warn(`[parley] ${message}`);
}

/**
 * Starts reading the stream (from now; not at all without `handlers`) and returns the publisher.
 * `announce`: ask every node to resync once Redis answers (a serving node starting up).
 */
export async function startClusterBus(handlers: TBusHandlers | null, opts: { announce: boolean }): Promise<TClusterBus> {
  const nodeId = randomBytes(6).toString("hex");
  // A generous timeout: appends block nothing, and on a starved machine a short one turns slow
  // answers into failed publishes and needless cluster-wide resyncs.
  const writer = createRedisClient("events-writer", { commandTimeout: 2000 });
  // Blocking reads need their own connection; its timeout covers the block time.
  const reader = handlers ? createRedisClient("events-reader", { commandTimeout: READ_BLOCK_MS + 1500 }) : undefined;
  let closed = false;
  let resyncPending = false;
  let publishFailed = false;

  const append = (message: TClusterMessage) => writer.xadd(EVENT_STREAM_KEY, "MAXLEN", "~", STREAM_MAX_LEN, "*", "n", nodeId, "m", JSON.stringify(message));

  const flushResync = async () => {
    if (!resyncPending || closed) return;
    try {
      await append({ t: "resync" });
      resyncPending = false;
      if (publishFailed) log("cluster bus: Redis back; asked every node to resync its clients");
      publishFailed = false;
    } catch {
      // Still unavailable; the timer tries again.
    }
  };
  const resyncTimer = setInterval(() => void flushResync(), RESYNC_RETRY_MS);
  resyncTimer.unref();

  const publish = (message: TClusterMessage) => {
    if (closed) return;
    append(message).then(
      () => {
        if (resyncPending) void flushResync();
      },
      () => {
        if (message.t === "typing") return; // Ephemeral; the next one will do.
        if (!publishFailed) log("cluster bus: could not publish to Redis; other nodes will be asked to resync");
        publishFailed = true;
        resyncPending = true;
      },
    );
  };

  // Start after the current end of the stream (clients connecting now catch up from the database).
  // Never read from an older position: replayed membership or session events would be applied again.
  let lastId: string | null = null;
  let markPositioned: () => void = () => undefined;
  const positioned = new Promise<void>((resolve) => (markPositioned = resolve));
  const readLoop = async () => {
    let hadError = false;
    while (!closed && handlers) {
      try {
        if (!reader) return;
        if (lastId === null) {
          const newest = (await reader.xrevrange(EVENT_STREAM_KEY, "+", "-", "COUNT", 1)) as [string, string[]][];
          lastId = newest[0]?.[0] ?? "0-0";
          markPositioned();
        }
        const res = (await reader.xread("COUNT", READ_COUNT, "BLOCK", READ_BLOCK_MS, "STREAMS", EVENT_STREAM_KEY, lastId)) as [string, [string, string[]][]][] | null;
        if (hadError) {
          hadError = false;
          handlers.onReaderRecovered();
        }
        for (const [id, fields] of res?.[0]?.[1] ?? []) {
          lastId = id;
          const from = fields[fields.indexOf("n") + 1];
          const raw = fields[fields.indexOf("m") + 1];
          if (from === nodeId || !raw) continue;
          try {
            handlers.onMessage(JSON.parse(raw) as TClusterMessage);
          } catch (err) {
            console.error("[parley] cluster bus: bad entry", id, err);
          }
        }
      } catch {
        if (closed) return;
        if (!hadError) log("cluster bus: reading from Redis failed; will resync local clients when it answers");
        hadError = true;
        // Unreachable at start: serve anyway; the local clients resync once the reader recovers.
        markPositioned();
        await new Promise((r) => setTimeout(r, 250));
      }
    }
  };
  void readLoop();
  if (handlers) await positioned;
  else markPositioned();

  // Tail loss: a node that died (or lost Redis) after committing but before publishing leaves other
  // nodes' clients unaware until the next change. A node that (re)starts asks everyone to resync.
  if (opts.announce) {
    resyncPending = true;
    void flushResync();
  }

  return {
    nodeId,
    publish,
    close: async () => {
      closed = true;
      clearInterval(resyncTimer);
      writer.disconnect();
      reader?.disconnect();
    },
  };
}

/**
 * For processes that change data but serve no sockets (admin CLI, test harnesses): forwards this
 * process's domain events to the cluster so the nodes deliver them. Returns the stop function.
 */
export async function startEventRelay(): Promise<() => Promise<void>> {
  const bus = await startClusterBus(null, { announce: false });
  const unsubscribe = subscribe((e) => bus.publish({ t: "event", e }));
  return async () => {
    unsubscribe();
    // Let in-flight appends finish.
    await new Promise((r) => setTimeout(r, 100));
    await bus.close();
  };
}
