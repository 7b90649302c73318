"use client";
/**
 * The browser's one Socket.IO connection (per tab), typed with the shared contract, plus its
 * connection state for the indicator and an ack helper that turns `{ ok: false }` into errors.
 */
import { useSyncExternalStore } from "react";
import { io, type Manager, type Socket } from "socket.io-client";
import { SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents } from "@/lib/realtime/contract";

export type TParleySocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type TConnectionState = "connecting" | "connected" | "reconnecting";

/** Error codes after which sending the same thing again cannot succeed (docs/realtime.md). */
const PERMANENT_ERROR_CODES = new Set(["validation_failed", "forbidden", "not_found", "conflict"]);

/** A failed socket request: the server's error code, or `timeout` / `offline` from the client. */
export class RealtimeError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "RealtimeError";
  }

  /** Whether retrying the same request later may work. */
  get isRetryable(): boolean {
    return !PERMANENT_ERROR_CODES.has(this.code);
  }
}

let socket: TParleySocket | null = null;
let connectionState: TConnectionState = "connecting";
let hasEverConnected = false;
const stateListeners = new Set<() => void>();

function setConnectionState(next: TConnectionState): void {
  if (next === connectionState) return;
  connectionState = next;
  for (const listener of stateListeners) listener();
}

const watchedManagers = new WeakSet<Manager>();

/**
 * Makes the manager count a connection closed before its handshake as a failed attempt.
 *
 * While an attempt is opening, Socket.IO's manager waits for the Engine.IO connection's `open` or
 * `error` and otherwise for its own timeout (20 s). A websocket that is accepted and then closed
 * before the handshake (a balancer or a node that is shutting down closing it) ends with `close`
 * alone, so the next attempt would wait those 20 s. Reported as an `error`, it is retried after the
 * usual backoff.
 */
export function retryAttemptsClosedBeforeHandshake(manager: Manager): void {
  if (watchedManagers.has(manager)) return;
  watchedManagers.add(manager);
  let watchedEngine: Manager["engine"] | null = null;
  const watchEngine = () => {
    const engine = manager.engine;
    if (!engine || engine === watchedEngine) return;
    watchedEngine = engine;
    let hasOpened = false;
    engine.once("open", () => {
      hasOpened = true;
    });
    engine.once("close", (reason) => {
      if (hasOpened) return;
      // `emitReserved` is how the engine itself reports errors; its type hides it as protected.
      (engine as unknown as { emitReserved(event: "error", error: Error): void }).emitReserved("error", new Error(`Connection closed before the handshake (${reason})`));
    });
  };
  // Every attempt (the first, each reconnection, a manual connect) goes through `open`, which makes
  // a new engine unless one is open already.
  const open = manager.open.bind(manager);
  manager.open = (callback) => {
    open(callback);
    watchEngine();
    return manager;
  };
  watchEngine();
}

/** The tab's socket, created on first use; it reconnects by itself after drops. */
export function getSocket(): TParleySocket {
  if (socket) return socket;
  // WebSocket first: behind a load balancer without sticky sessions, the long-polling handshake's
  // requests could reach different nodes (docs/scaling.md). Polling only when websockets fail.
  socket = io({ path: SOCKET_PATH, withCredentials: true, transports: ["websocket", "polling"], tryAllTransports: true, reconnectionDelay: 500, reconnectionDelayMax: 5000 });
  retryAttemptsClosedBeforeHandshake(socket.io);
  socket.on("connect", () => {
    hasEverConnected = true;
    setConnectionState("connected");
  });
  socket.on("disconnect", () => setConnectionState(hasEverConnected ? "reconnecting" : "connecting"));
  socket.on("connect_error", () => setConnectionState(hasEverConnected ? "reconnecting" : "connecting"));
  if (typeof window !== "undefined") {
    // The browser knows before any heartbeat times out (Engine.IO itself only listens when the host
    // is not "localhost"): drop the transport so the state shows it and the manager starts reconnecting.
    window.addEventListener("offline", () => socket?.io.engine?.close());
    // Back online: reconnect at once rather than waiting out the reconnection backoff (up to 5 s).
    window.addEventListener("online", () => {
      if (!socket || socket.connected) return;
      socket.disconnect();
      socket.connect();
    });
  }
  return socket;
}

const HANDSHAKE_RETRY_FIRST_MS = 1000;
const HANDSHAKE_RETRY_MAX_MS = 15_000;

/**
 * How long to wait before asking again after the server refused a handshake (busy, or its database
 * out of reach); `attempt` counts the retries in a row before this one. Socket.IO retries network
 * failures by itself, not refusals.
 * 1 s doubling to 15 s, each spread over ±50 %, so that the many clients a restarted node refused
 * together do not all come back together.
 */
export function handshakeRetryDelayMs(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(HANDSHAKE_RETRY_MAX_MS, HANDSHAKE_RETRY_FIRST_MS * 2 ** attempt);
  return Math.round(base * (0.5 + random()));
}

/** Closes the tab's socket (sign-out, ended session). */
export function closeSocket(): void {
  socket?.disconnect();
  socket = null;
  hasEverConnected = false;
  setConnectionState("connecting");
}

/** Live connection state for the indicator. */
export function useConnectionState(): TConnectionState {
  return useSyncExternalStore(
    (listener) => {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    () => connectionState,
    () => "connecting",
  );
}

type TAckData<E extends keyof ClientToServerEvents> = Parameters<Parameters<ClientToServerEvents[E]>[1]>[0] extends infer R
  ? R extends { ok: true; data: infer D }
    ? D
    : never
  : never;

/**
 * Emits a client event and resolves with the ack's data. Rejects with RealtimeError: the server's
 * code, `timeout` when no ack arrives in time, `offline` when not connected (nothing is buffered, so
 * a request is never delivered twice behind the caller's back).
 */
export async function request<E extends keyof ClientToServerEvents>(event: E, input: unknown, timeoutMs = 10_000): Promise<TAckData<E>> {
  const s = getSocket();
  if (!s.connected) throw new RealtimeError("offline", "Not connected; trying to reconnect");
  let res: { ok: true; data: unknown } | { ok: false; error: { code: string; message: string } };
  try {
    // The generic emit cannot see that every client event has the same (input, ack) shape.
    res = await (s.timeout(timeoutMs) as unknown as { emitWithAck(e: string, i: unknown): Promise<typeof res> }).emitWithAck(event, input);
  } catch {
    throw new RealtimeError("timeout", "The server did not answer in time");
  }
  if (!res.ok) throw new RealtimeError(res.error.code, res.error.message);
  return res.data as TAckData<E>;
}
