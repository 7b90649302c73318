/**
 * Test helpers for the realtime layer: start an in-process node (no Next), mint the session cookie
 * next-auth would set, and a client that follows docs/realtime.md (apply by seq, catch up on
 * reconnect) while recording every frame it receives.
 */
import { randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { io as connectIo, type Socket } from "socket.io-client";
import { getOrCreateSecret } from "@/lib/env";
import type { TMessage } from "@/lib/messages/schema";
import type { ClientToServerEvents, ServerToClientEvents, TChannelEvent, TSyncResult } from "@/lib/realtime/contract";
import { createChannel, listMyChannels } from "@/lib/channels/service";
import { findUserById } from "@/lib/users/repository";
import { signUp } from "@/lib/users/service";
import { addMemberDirect, createWorkspace } from "@/lib/workspaces/service";
import { startParley, type TParleyNode } from "@/server/app";

export type TClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** Starts a node on `port` (0 = any), sharing this process's database. */
export function startNode(port = 0): Promise<TParleyNode> {
  return startParley({ port, host: "127.0.0.1", dev: true, withNext: false });
}

export type TTrio = { users: Record<"alice" | "bob" | "carol", { id: string }>; slug: string; general: string; secret: string };

/**
 * The realtime tests' cast: alice owns a workspace whose members are bob and carol; #general holds
 * all three, a private channel only alice and bob.
 */
export async function createTrio(workspaceName: string, slugPrefix: string): Promise<TTrio> {
  const rid = () => randomBytes(6).toString("hex");
  const users = {} as TTrio["users"];
  for (const who of ["alice", "bob", "carol"] as const) {
    users[who] = await signUp({ name: who, email: `${who}-${rid()}@example.test`, password: "correct horse battery" });
  }
  const slug = `${slugPrefix}-${rid()}`;
  await createWorkspace({ actor: { userId: users.alice.id }, input: { name: workspaceName, slug } });
  await addMemberDirect({ workspaceSlug: slug, userId: users.bob.id, role: "MEMBER" });
  await addMemberDirect({ workspaceSlug: slug, userId: users.carol.id, role: "MEMBER" });
  const general = (await listMyChannels({ actor: { userId: users.alice.id }, slug })).find((c) => c.isGeneral)!.id;
  const secret = (await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `secret-${rid()}`, kind: "PRIVATE", memberIds: [users.bob.id] } })).id;
  return { users, slug, general, secret };
}

/** The cookie header next-auth would set for this user after signing in. */
export async function sessionCookie(userId: string): Promise<string> {
  const user = await findUserById(userId);
  if (!user) throw new Error("no such user");
  const token = await encode({ token: { sub: user.id, sv: user.sessionVersion, name: user.name, email: user.email }, secret: getOrCreateSecret("sessionSecret") });
  return `next-auth.session-token=${token}`;
}

type TAckResult<T> = { ok: true; data: T } | { ok: false; error: { code: string; message: string } };

/** A chat client that keeps per-channel `last` seq and a log of every frame received. */
export class TestClient {
  readonly socket: TClientSocket;
  /** Every change frame as it arrived (live or by catch-up), in arrival order. */
  readonly frames: { via: "live" | "sync"; event: TChannelEvent }[] = [];
  /** Applied messages per channel, by id. */
  readonly messages = new Map<string, Map<string, TMessage>>();
  readonly last = new Map<string, number>();
  private syncing = new Map<string, Promise<void>>();

  constructor(
    port: number,
    cookie: string | undefined,
    readonly watched: string[],
  ) {
    this.socket = connectIo(`http://127.0.0.1:${port}`, {
      path: "/socket.io",
      transports: ["websocket"],
      extraHeaders: cookie ? { cookie } : {},
      reconnectionDelay: 50,
      reconnectionDelayMax: 200,
      autoConnect: false,
    });
    for (const name of ["messages.created", "messages.updated", "messages.deleted"] as const) {
      this.socket.on(name, (e) => {
        this.frames.push({ via: "live", event: e });
        this.onEvent(e).catch(() => undefined);
      });
    }
    this.socket.on("connect", () => {
      // A failed catch-up is retried on the next connect or gap.
      for (const ch of this.watched) this.catchUp(ch).catch(() => undefined);
    });
  }

  /** Connects and resolves once connected (rejects with the server's refusal). */
  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      const ok = () => {
        this.socket.off("connect_error", bad);
        resolve();
      };
      const bad = (err: Error) => {
        this.socket.off("connect", ok);
        reject(err);
      };
      this.socket.once("connect", ok);
      this.socket.once("connect_error", bad);
      this.socket.connect();
    });
  }

  private apply(e: TChannelEvent): void {
    const last = this.last.get(e.channelId) ?? 0;
    if (e.seq <= last) return;
    const byId = this.messages.get(e.channelId) ?? new Map<string, TMessage>();
    byId.set(e.message.id, e.message);
    this.messages.set(e.channelId, byId);
    this.last.set(e.channelId, e.seq);
  }

  private async onEvent(e: TChannelEvent): Promise<void> {
    const last = this.last.get(e.channelId) ?? 0;
    if (e.seq === last + 1) this.apply(e);
    else if (e.seq > last + 1) await this.catchUp(e.channelId);
  }

  /** Asks the server for every change after `last` and applies them in order. */
  catchUp(channelId: string): Promise<void> {
    const running = this.syncing.get(channelId);
    if (running) return running.then(() => this.catchUp(channelId));
    const p = (async () => {
      for (;;) {
        const res = await this.request<TSyncResult>("channels.sync", { channelId, after: this.last.get(channelId) ?? 0 });
        if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
        for (const e of res.data.events) {
          this.frames.push({ via: "sync", event: e });
          this.apply(e);
        }
        if (!res.data.hasMore) return;
      }
    })().finally(() => this.syncing.delete(channelId));
    this.syncing.set(channelId, p);
    return p;
  }

  /** Emits with an ack and a timeout. */
  request<T>(event: keyof ClientToServerEvents, input: unknown, timeoutMs = 5000): Promise<TAckResult<T>> {
    return new Promise((resolve, reject) => {
      (this.socket.timeout(timeoutMs) as unknown as { emit: (ev: string, input: unknown, cb: (err: Error | null, res: TAckResult<T>) => void) => void }).emit(event, input, (err, res) => {
        if (err) reject(err);
        else resolve(res);
      });
    });
  }

  /** Sends like the browser outbox does: retries with the same clientMsgId until acknowledged. */
  async sendReliably(channelId: string, body: string, clientMsgId: string, deadlineMs = 20_000): Promise<TMessage> {
    const until = Date.now() + deadlineMs;
    for (;;) {
      try {
        if (this.socket.connected) {
          const res = await this.request<TMessage>("messages.create", { channelId, body, clientMsgId }, 2000);
          if (res.ok) return res.data;
          if (!["unavailable", "internal", "rate_limited"].includes(res.error.code)) throw new Error(`${res.error.code}: ${res.error.message}`);
        }
      } catch (err) {
        // Lost in flight (timeout, or the connection dropped before the ack): retry with the same id.
        if (!(err instanceof Error) || !/timed out|timeout|disconnected/i.test(err.message)) throw err;
      }
      if (Date.now() > until) throw new Error(`message ${clientMsgId} not acknowledged in time`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Current, not-deleted messages of a channel in history order. */
  visible(channelId: string): TMessage[] {
    return [...(this.messages.get(channelId)?.values() ?? [])].filter((m) => !m.deletedAt && !m.threadRootId).sort((a, b) => a.seq - b.seq);
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Waits until `check` passes (polling), failing with its last error after `timeoutMs`. */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}
