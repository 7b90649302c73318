/**
 * A recording chat client for the reliability harness. It follows docs/realtime.md exactly (apply by
 * seq, catch up after a gap, after every connect and on a `channels.resync` hint, and again after a
 * backoff when a catch-up fails — no periodic head check, so the harness sees whether the servers
 * alone make it converge) and records every frame.
 */
import { encode } from "next-auth/jwt";
import { io as connectIo, type Socket } from "socket.io-client";
import type { TMessage } from "@/lib/messages/schema";
import type { ClientToServerEvents, ServerToClientEvents, TChannelEvent, TSyncResult } from "@/lib/realtime/contract";

/** Answers that retrying cannot change (as lib/client/realtime.ts). */
const PERMANENT_ERRORS = new Set(["validation_failed", "forbidden", "not_found", "conflict"]);
const CATCH_UP_RETRY_MIN_MS = 500;
const CATCH_UP_RETRY_MAX_MS = 8000;

type TAckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };
export type TFrame = { channelId: string; seq: number; type: string; via: "live" | "sync"; at: number };

/** The cookie next-auth would set for this user after signing in. */
export async function mintCookie(user: { id: string; sessionVersion: number; name: string; email: string }, secret: string): Promise<string> {
  const token = await encode({ token: { sub: user.id, sv: user.sessionVersion, name: user.name, email: user.email }, secret });
  return `next-auth.session-token=${token}`;
}

export class RecordingClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly frames: TFrame[] = [];
  /** Seqs applied per conversation, in the order applied. */
  readonly applied = new Map<string, number[]>();
  readonly state = new Map<string, Map<string, TMessage>>();
  readonly last = new Map<string, number>();
  /** Problems the client itself saw (a sync answer that skipped a seq). */
  readonly anomalies: string[] = [];
  readonly errorCodes = new Map<string, number>();
  connects = 0;
  resyncHints = 0;
  private syncing = new Map<string, Promise<void>>();
  private syncAgain = new Set<string>();
  private retryDelayMs = new Map<string, number>();

  constructor(
    url: string,
    cookie: string,
    readonly userId: string,
    readonly watched: string[],
  ) {
    this.socket = connectIo(url, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: { cookie },
      reconnectionDelay: 100,
      reconnectionDelayMax: 1000,
      autoConnect: false,
    });
    for (const name of ["messages.created", "messages.updated", "messages.deleted"] as const) {
      this.socket.on(name, (e) => this.onLive(e));
    }
    this.socket.on("connect", () => {
      this.connects++;
      for (const ch of this.watched) void this.catchUp(ch);
    });
    this.socket.on("channels.resync", ({ channelIds }) => {
      this.resyncHints++;
      for (const ch of channelIds ?? this.watched) if (this.watched.includes(ch)) void this.catchUp(ch);
    });
    // A refused handshake (node busy or starting) is not retried by Socket.IO itself.
    this.socket.on("connect_error", () => {
      if (!this.socket.active && !this.closed) setTimeout(() => !this.closed && this.socket.connect(), 200);
    });
  }

  private closed = false;

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ok = () => (this.socket.off("connect_error", bad), resolve());
      const bad = (err: Error) => (this.socket.off("connect", ok), reject(err));
      this.socket.once("connect", ok);
      this.socket.once("connect_error", bad);
      this.socket.connect();
    });
  }

  private onLive(e: TChannelEvent): void {
    this.frames.push({ channelId: e.channelId, seq: e.seq, type: e.type, via: "live", at: Date.now() });
    const last = this.last.get(e.channelId) ?? 0;
    if (e.seq === last + 1) this.apply(e);
    else if (e.seq > last + 1) void this.catchUp(e.channelId);
  }

  private apply(e: TChannelEvent): void {
    const last = this.last.get(e.channelId) ?? 0;
    if (e.seq <= last) return;
    if (e.seq !== last + 1) this.anomalies.push(`${e.channelId}: applied ${e.seq} after ${last}`);
    const byId = this.state.get(e.channelId) ?? new Map<string, TMessage>();
    byId.set(e.message.id, e.message);
    this.state.set(e.channelId, byId);
    this.last.set(e.channelId, e.seq);
    const list = this.applied.get(e.channelId) ?? [];
    list.push(e.seq);
    this.applied.set(e.channelId, list);
  }

  /** Every change after `last`, from the database through the server; one run per channel at a time. */
  catchUp(channelId: string): Promise<void> {
    const running = this.syncing.get(channelId);
    if (running) {
      this.syncAgain.add(channelId);
      return running;
    }
    const run = (async () => {
      do {
        this.syncAgain.delete(channelId);
        for (;;) {
          if (!this.socket.connected) return;
          let res: TAckResult<TSyncResult>;
          try {
            res = await this.request<TSyncResult>("channels.sync", { channelId, after: this.last.get(channelId) ?? 0, limit: 500 });
          } catch {
            this.count("sync_unanswered");
            this.catchUpLater(channelId); // Timed out, or disconnected (then the next connect catches up too).
            return;
          }
          if (!res.ok) {
            this.count(`sync_${res.error.code}`);
            if (!PERMANENT_ERRORS.has(res.error.code)) this.catchUpLater(channelId);
            return;
          }
          for (const e of res.data.events) {
            this.frames.push({ channelId: e.channelId, seq: e.seq, type: e.type, via: "sync", at: Date.now() });
            this.apply(e);
          }
          if (!res.data.hasMore) break;
        }
        this.retryDelayMs.delete(channelId);
      } while (this.syncAgain.has(channelId));
    })().finally(() => this.syncing.delete(channelId));
    this.syncing.set(channelId, run);
    return run;
  }

  /**
   * A catch-up that failed or went unanswered is tried again after a backoff (docs/realtime.md, rule 3):
   * an overloaded node may answer late or not at all, and after the traffic stops no gap would ask again.
   */
  private catchUpLater(channelId: string): void {
    const delay = Math.min(CATCH_UP_RETRY_MAX_MS, (this.retryDelayMs.get(channelId) ?? CATCH_UP_RETRY_MIN_MS / 2) * 2);
    this.retryDelayMs.set(channelId, delay);
    setTimeout(() => {
      if (!this.closed && this.socket.connected) void this.catchUp(channelId);
    }, delay * (0.5 + Math.random() / 2));
  }

  private count(code: string): void {
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }

  request<T>(event: keyof ClientToServerEvents, input: unknown, timeoutMs = 5000): Promise<TAckResult<T>> {
    return new Promise((resolve, reject) => {
      (this.socket.timeout(timeoutMs) as unknown as { emit: (ev: string, input: unknown, cb: (err: Error | null, res: TAckResult<T>) => void) => void }).emit(event, input, (err, res) => {
        if (err) reject(err);
        else resolve(res);
      });
    });
  }

  /**
   * Sends like the browser outbox: retries with the same clientMsgId until acknowledged. Returns the
   * acknowledged message; errors that cannot succeed on retry are thrown.
   */
  async sendReliably(channelId: string, body: string, clientMsgId: string, deadlineMs = 120_000): Promise<TMessage> {
    const until = Date.now() + deadlineMs;
    // Back off on failures (with jitter), as a well-behaved client must: immediate retries from
    // every client at once turn a short outage into a long overload.
    let backoffMs = 100;
    for (;;) {
      let waitMs = 100;
      if (this.socket.connected) {
        try {
          const res = await this.request<TMessage>("messages.create", { channelId, body, clientMsgId }, 5000);
          if (res.ok) return res.data;
          this.count(res.error.code);
          if (!["unavailable", "internal", "rate_limited"].includes(res.error.code)) throw new Error(`${res.error.code}: ${res.error.message}`);
          waitMs = backoffMs;
          backoffMs = Math.min(backoffMs * 2, 5000);
        } catch (err) {
          if (!(err instanceof Error) || !/timed out|timeout|disconnected/i.test(err.message)) throw err;
          this.count("timeout");
        }
      }
      if (Date.now() > until) throw new Error(`message ${clientMsgId} not acknowledged in ${deadlineMs} ms`);
      await new Promise((r) => setTimeout(r, waitMs / 2 + Math.random() * waitMs));
    }
  }

  /** Stops reading from the network (the server's buffers fill up), or starts again. */
  setReading(isReading: boolean): void {
    const raw = (this.socket.io.engine?.transport as unknown as { ws?: { _socket?: { pause(): void; resume(): void } } })?.ws?._socket;
    if (!raw) throw new Error("no websocket to pause");
    if (isReading) raw.resume();
    else raw.pause();
  }

  /** Drops the connection without telling the server (like a network loss); `reconnect` later. */
  dropConnection(): void {
    this.socket.disconnect();
  }

  reconnect(): void {
    this.socket.connect();
  }

  close(): void {
    this.closed = true;
    this.socket.disconnect();
  }
}
