/**
 * Socket.IO: authenticates the handshake with the next-auth session cookie, puts each socket in the
 * rooms the database says it belongs to (user, workspaces, channels), answers the client events in
 * lib/realtime/contract.ts through the services, and turns committed domain events into emits.
 * The only place that emits socket events.
 *
 * Cluster (REDIS_URL set, docs/scaling.md): domain events travel between nodes on a Redis stream
 * (server/cluster-bus.ts) and every node delivers them to its own sockets only. Delivery never waits
 * on Redis, and in a cluster a channel's live events go only to sockets whose user the database says
 * may read it at delivery time, because room membership on one node can lag a change made on another.
 */
import type { Server as HttpServer } from "node:http";
import { createAdapter } from "@socket.io/redis-streams-adapter";
import { Server, type Socket } from "socket.io";
import { decodeSessionCookie } from "@/lib/auth/session";
import { getChannelAccess, getSocketSessions, listChannelIdsForUser, listLiveReaders, listSidebarHeads, markRead } from "@/lib/channels/service";
import { createBatcher } from "@/lib/concurrency";
import { env } from "@/lib/env";
import { notFound, toErrorResponse } from "@/lib/errors";
import { pinMessage, unpinMessage } from "@/lib/messages/pins";
import { addReaction, removeReaction } from "@/lib/messages/reactions";
import { deleteMessage, editMessage, sendMessage } from "@/lib/messages/service";
import { syncChannel, syncManyChannels } from "@/lib/messages/sync";
import { subscribe, type TDomainEvent } from "@/lib/realtime/bus";
import { rooms, SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents, type SocketData, type TAck } from "@/lib/realtime/contract";
import { getPresenceStore, PRESENCE_TTL_MS, ZPresenceQuery, ZTypingStart } from "@/lib/realtime/presence";
import { createRedisClient, isRedisConfigured } from "@/lib/redis";
import { startClusterBus, type TClusterBus, type TClusterMessage } from "@/server/cluster-bus";

type TIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type TSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** Browsers must come from our own origin (or one listed in PARLEY_ALLOWED_ORIGINS); other clients send no Origin. */
function isOriginAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (!origin) return true;
  const allowed = (env.PARLEY_ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

/** A socket whose client stops reading is cut off once this many packets wait for it (it reconnects and catches up). */
const MAX_BUFFERED_PACKETS = 2000;
const SLOW_CONSUMER_CHECK_MS = 1000;
/** While the database cannot check readers, how often to retry before re-sending the resync hint. */
const HINT_RETRY_MS = 2000;
/** Presence heartbeats for local sockets; well inside PRESENCE_TTL_MS so a live node never looks gone. */
const PRESENCE_REFRESH_MS = PRESENCE_TTL_MS / 3;

type TChannelEmit = { channelId: string; emit: (room: string) => void };

/**
 * Delivers everything this node must emit, to its own sockets only (`io.local`): domain events from
 * its own services and, in a cluster, from the other nodes.
 */
class LocalDelivery {
  private readonly queue: TChannelEmit[] = [];
  private draining = false;
  private resyncRunning: Promise<void> | null = null;
  private resyncAgain = false;
  private readonly pendingHints = new Set<string>();
  private hintTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly io: TIo,
    /** Check readers against the database before each channel emit (cluster). */
    private readonly checkReaders: boolean,
  ) {}

  private localRoomSize(room: string): number {
    return this.io.of("/").adapter.rooms.get(room)?.size ?? 0;
  }

  /** Emits something that belongs to a conversation to the local sockets allowed to read it. */
  toChannel(channelId: string, emit: (room: string) => void): void {
    if (!this.checkReaders) {
      emit(rooms.channel(channelId));
      return;
    }
    this.queue.push({ channelId, emit });
    if (!this.draining) void this.drain();
  }

  /**
   * One readers query per batch of queued emits (in order), then emit. A socket in the room whose
   * user may no longer read the conversation is taken out of the room first. If the database cannot
   * answer, nothing is sent but a resync hint: clients catch up through the permission-checked path.
   */
  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        const channelIds = [...new Set(batch.map((b) => b.channelId))].filter((id) => this.localRoomSize(rooms.channel(id)) > 0);
        if (channelIds.length === 0) continue;
        let readers: Map<string, Set<string>>;
        try {
          readers = await listLiveReaders(channelIds);
        } catch (err) {
          console.warn("[parley] could not check readers; sending a resync hint instead:", (err as Error).message);
          this.hintLater(channelIds);
          continue;
        }
        for (const item of batch) {
          const room = rooms.channel(item.channelId);
          const members = this.io.of("/").adapter.rooms.get(room);
          if (!members?.size) continue;
          const allowed = readers.get(item.channelId);
          for (const socketId of [...members]) {
            const socket = this.io.of("/").sockets.get(socketId);
            if (socket && !allowed?.has(socket.data.userId)) socket.leave(room);
          }
          item.emit(room);
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /**
   * The database could not say who may read these conversations, so their events were not sent.
   * Hint now, and again once the database answers (the clients' catch-up may have failed too).
   */
  private hintLater(channelIds: string[]): void {
    const hint = (ids: string[]) => this.io.local.to(ids.map(rooms.channel)).emit("channels.resync", { channelIds: ids });
    hint(channelIds);
    for (const id of channelIds) this.pendingHints.add(id);
    if (this.hintTimer) return;
    this.hintTimer = setInterval(() => {
      const ids = [...this.pendingHints];
      listLiveReaders(ids.slice(0, 1)).then(
        () => {
          for (const id of ids) this.pendingHints.delete(id);
          if (this.pendingHints.size === 0) {
            clearInterval(this.hintTimer);
            this.hintTimer = undefined;
          }
          hint(ids);
        },
        () => undefined, // Still down: try again.
      );
    }, HINT_RETRY_MS);
    this.hintTimer.unref();
  }

  /** Stops timers (node shutdown). */
  close(): void {
    clearInterval(this.hintTimer);
  }

  /** Routes one committed domain event to the local sockets. */
  route(e: TDomainEvent): void {
    const local = this.io.local;
    switch (e.kind) {
      case "channel.event": {
        const name = e.event.type === "message.created" ? "messages.created" : e.event.type === "message.updated" ? "messages.updated" : "messages.deleted";
        this.toChannel(e.event.channelId, (room) => local.to(room).emit(name, e.event));
        return;
      }
      case "channel.updated":
        this.toChannel(e.channelId, (room) => local.to(room).emit("channels.updated", { workspaceId: e.workspaceId, channelId: e.channelId }));
        return;
      case "channel.memberAdded": {
        const userRooms = e.userIds.map(rooms.user);
        local.in(userRooms).socketsJoin(rooms.channel(e.channelId));
        local.to(userRooms).emit("channels.joined", { workspaceId: e.workspaceId, channelId: e.channelId });
        return;
      }
      case "channel.memberRemoved": {
        const userRooms = e.userIds.map(rooms.user);
        local.in(userRooms).socketsLeave(rooms.channel(e.channelId));
        local.to(userRooms).emit("channels.removed", { workspaceId: e.workspaceId, channelId: e.channelId });
        return;
      }
      case "channel.read":
        local.to(rooms.user(e.userId)).emit("channels.read", { workspaceId: e.workspaceId, channelId: e.channelId, lastReadSeq: e.lastReadSeq });
        return;
      case "workspace.memberAdded":
        local.in(rooms.user(e.userId)).socketsJoin(rooms.workspace(e.workspaceId));
        local.to(rooms.user(e.userId)).emit("workspaces.updated", { workspaceId: e.workspaceId });
        return;
      case "workspace.updated":
        local.to(rooms.workspace(e.workspaceId)).emit("workspaces.updated", { workspaceId: e.workspaceId });
        return;
      case "message.ephemeral":
        local.to(rooms.user(e.userId)).emit("messages.ephemeral", e.message);
        return;
      case "user.sessionsEnded":
        local.to(rooms.user(e.userId)).emit("session.ended", { reason: e.reason });
        local.in(rooms.user(e.userId)).disconnectSockets(true);
        return;
    }
  }

  /** Routes a message from another node. */
  routeRemote(m: TClusterMessage): void {
    if (m.t === "event") this.route(m.e);
    else if (m.t === "typing") this.toChannel(m.channelId, (room) => this.io.local.to(room).emit("typing.updated", { channelId: m.channelId, userIds: m.userIds }));
    else void this.resyncAll();
  }

  /**
   * Live events (membership changes included) may have been missed: re-read every local socket's
   * rooms from the database, then tell it to catch up. Runs once at a time; a request during a run
   * schedules one more.
   */
  resyncAll(): Promise<void> {
    if (this.resyncRunning) {
      this.resyncAgain = true;
      return this.resyncRunning;
    }
    this.resyncRunning = (async () => {
      do {
        this.resyncAgain = false;
        const sockets = [...this.io.of("/").sockets.values()];
        // A few at a time: a node may hold thousands of sockets.
        for (let i = 0; i < sockets.length; i += 25) {
          await Promise.all(sockets.slice(i, i + 25).map((socket) => refreshRooms(socket).catch(() => undefined)));
        }
        for (const socket of sockets) if (socket.connected) socket.emit("channels.resync", {});
      } while (this.resyncAgain);
    })().finally(() => (this.resyncRunning = null));
    return this.resyncRunning;
  }
}

/** The rooms the database says this socket belongs to; joins what is missing and leaves the rest. */
async function refreshRooms(socket: TSocket): Promise<void> {
  setRooms(socket, await listChannelIdsForUser(socket.data.userId));
}

/**
 * Handshake admission. Every handshake used to run 3–4 queries of its own, and during a reconnect
 * storm they held all 20 pool connections while the catch-ups (`channels.sync`) that make clients
 * whole again queued behind thousands of them (docs/performance.md). Now waiting handshakes are
 * answered together — one query for up to HANDSHAKE_BATCH sockets — with at most
 * HANDSHAKE_CONCURRENCY such queries at once, so the rest of the pool stays free for catch-ups.
 * Queued sockets wait; none is refused. A lone handshake is answered at once, by a batch of one.
 */
const HANDSHAKE_CONCURRENCY = 2;
const HANDSHAKE_BATCH = 200;

type TPendingHandshake = { userId: string; stale: boolean; onClose: () => void };

/**
 * Keeps a socket's rooms true to the database at the moment it joins them. A handshake reads the
 * user's memberships, then joins those rooms; a membership change that commits after the read but
 * whose event is routed before the socket is connected (and so found by `socketsLeave`/`socketsJoin`)
 * would otherwise leave it in a room it may no longer read. Every domain event that changes someone's
 * memberships marks their handshakes in flight stale: a stale read is repeated, and a socket that
 * went stale after joining is moved by a fresh read once it is connected.
 */
class HandshakeGate {
  private readonly pending = new Map<string, Set<TPendingHandshake>>();
  private readonly bySocket = new WeakMap<TSocket, TPendingHandshake>();
  readonly lookup = createBatcher(getSocketSessions, { maxBatch: HANDSHAKE_BATCH, concurrency: HANDSHAKE_CONCURRENCY });

  /** Registers a handshake for `userId` until its socket is connected or its connection closes. */
  open(socket: TSocket, userId: string): TPendingHandshake {
    const entry: TPendingHandshake = { userId, stale: false, onClose: () => this.close(socket) };
    let set = this.pending.get(userId);
    if (!set) this.pending.set(userId, (set = new Set()));
    set.add(entry);
    this.bySocket.set(socket, entry);
    // A client that leaves mid-handshake never reaches "connection".
    socket.conn.once("close", entry.onClose);
    return entry;
  }

  /** Stops watching the socket's handshake; returns it if it was still watched. */
  close(socket: TSocket): TPendingHandshake | undefined {
    const entry = this.bySocket.get(socket);
    if (!entry) return undefined;
    this.bySocket.delete(socket);
    socket.conn.off("close", entry.onClose);
    const set = this.pending.get(entry.userId);
    set?.delete(entry);
    if (set?.size === 0) this.pending.delete(entry.userId);
    return entry;
  }

  /** A domain event (local or from another node): marks the handshakes of the users it moves. */
  note(e: TDomainEvent): void {
    if (this.pending.size === 0) return;
    switch (e.kind) {
      case "channel.memberAdded":
      case "channel.memberRemoved":
        for (const userId of e.userIds) this.markStale(userId);
        return;
      case "workspace.memberAdded":
      case "user.sessionsEnded":
        this.markStale(e.userId);
        return;
    }
  }

  private markStale(userId: string): void {
    for (const entry of this.pending.get(userId) ?? []) entry.stale = true;
  }

  /** The socket is connected (it is now found by room operations): settle its handshake. */
  connected(socket: TSocket): void {
    const entry = this.close(socket);
    if (!entry?.stale) return;
    // Changed between its read and now: keep only its user room until the database says again,
    // then tell the client to catch up (it may have missed events of rooms it was moved into).
    for (const room of socket.rooms) if (room !== socket.id && room !== rooms.user(entry.userId)) socket.leave(room);
    this.reread(socket, entry.userId).then(
      (ok) => {
        if (!socket.connected) return;
        if (!ok) return void socket.disconnect(true); // The session ended meanwhile.
        socket.emit("channels.resync", {});
      },
      () => socket.disconnect(true), // Cannot tell what it may read: let it reconnect and try again.
    );
  }

  /**
   * Reads a connected socket's session again until no membership change of its user overlaps the
   * read, and sets its rooms in the same step (no event can slip between). False: the session ended.
   */
  private async reread(socket: TSocket, userId: string): Promise<boolean> {
    for (;;) {
      const entry = this.open(socket, userId);
      try {
        const session = await this.lookup({ userId, sessionVersion: socket.data.sessionVersion });
        if (entry.stale) continue;
        if (session && socket.connected) setRooms(socket, session);
        return !!session;
      } finally {
        this.close(socket);
      }
    }
  }
}

/** Puts the socket in exactly these rooms (and its own and its user's). */
function setRooms(socket: TSocket, { workspaceIds, channelIds }: { workspaceIds: string[]; channelIds: string[] }): void {
  const userId = socket.data.userId;
  const wanted = new Set([rooms.user(userId), ...workspaceIds.map(rooms.workspace), ...channelIds.map(rooms.channel)]);
  for (const room of socket.rooms) if (room !== socket.id && !wanted.has(room)) socket.leave(room);
  socket.join([...wanted]);
}

/**
 * The handshake: the session cookie's user, checked and with every room it belongs to in one query
 * (batched with the other handshakes waiting: HandshakeGate.lookup), then joined before the connection is confirmed, so no event
 * published after the client's catch-up can slip past it.
 */
async function admitSocket(socket: TSocket, gate: HandshakeGate): Promise<void> {
  const claimed = await decodeSessionCookie(socket.request.headers.cookie, socket.request.headers as Record<string, string>).catch(() => null);
  if (!claimed) throw new Error("unauthorized");
  const entry = gate.open(socket, claimed.userId);
  try {
    let session: Awaited<ReturnType<HandshakeGate["lookup"]>>;
    do {
      entry.stale = false;
      session = await gate.lookup(claimed);
      if (!session) throw new Error("unauthorized");
    } while (entry.stale);
    socket.data.userId = claimed.userId;
    socket.data.sessionVersion = claimed.sessionVersion;
    socket.join([rooms.user(claimed.userId), ...session.workspaceIds.map(rooms.workspace), ...session.channelIds.map(rooms.channel)]);
    // Still watched until connected: HandshakeGate.connected.
  } catch (err) {
    gate.close(socket);
    if ((err as Error).message === "unauthorized") throw err;
    console.error("[parley] socket handshake failed:", err);
    throw new Error("unavailable");
  }
}

type TSharedHandler = (this: TSocket, input: unknown, ack: TAck<unknown>) => Promise<void>;

/**
 * The client event handlers, created once per server and shared by every socket (the socket is
 * `this`, as EventEmitter calls listeners): closures made per connection cost ~2–3 KB of heap per
 * idle socket (docs/performance.md). Each always answers through the ack with
 * `{ ok, data } | { ok: false, error }`.
 */
function createSharedHandlers(delivery: LocalDelivery, bus: TClusterBus | undefined): [string, TSharedHandler][] {
  const presence = () => getPresenceStore();
  const on =
    (fn: (actor: { userId: string }, input: unknown, socket: TSocket) => Promise<unknown>): TSharedHandler =>
    async function (this: TSocket, input, ack) {
      if (typeof ack !== "function") return; // Every client event expects an acknowledgement.
      try {
        ack({ ok: true, data: await fn({ userId: this.data.userId }, input, this) });
      } catch (err) {
        ack({ ok: false, ...toErrorResponse(err).body });
      }
    };
  return [
    ["messages.create", on((actor, input) => sendMessage({ actor, input }))],
    ["messages.update", on((actor, input) => editMessage({ actor, input }))],
    ["messages.delete", on((actor, input) => deleteMessage({ actor, input }))],
    // Catch-ups: two queries for any number of conversations (lib/messages/sync.ts).
    ["channels.sync", on((actor, input) => syncChannel({ actor, input }))],
    ["channels.syncMany", on((actor, input) => syncManyChannels({ actor, input }))],
    ["channels.read", on((actor, input) => markRead({ actor, input }))],
    ["channels.heads", on((actor, input) => listSidebarHeads({ actor, input }))],
    ["reactions.add", on((actor, input) => addReaction({ actor, input }))],
    ["reactions.remove", on((actor, input) => removeReaction({ actor, input }))],
    ["pins.add", on((actor, input) => pinMessage({ actor, input }))],
    ["pins.remove", on((actor, input) => unpinMessage({ actor, input }))],
    ["presence.query", on(async (_actor, input) => ({ online: await presence().listOnline(ZPresenceQuery.parse(input).userIds) }))],
    [
      "typing.start",
      on(async (actor, input, socket) => {
        const { channelId } = ZTypingStart.parse(input);
        const access = await getChannelAccess(actor, channelId);
        if (!access.membership) throw notFound("Channel not found");
        await presence().setTyping(channelId, actor.userId);
        const userIds = await presence().listTyping(channelId);
        delivery.toChannel(channelId, (room) => socket.nsp.local.to(room).emit("typing.updated", { channelId, userIds }));
        bus?.publish({ t: "typing", channelId, userIds });
        return { channelId };
      }),
    ],
  ];
}

function onDisconnect(this: TSocket): void {
  void getPresenceStore().setOffline(this.data.userId, this.id).catch(() => undefined);
}

/**
 * One catch-all listener per socket, shared by all sockets, that looks the event up in a table: a
 * listener per event name costs every socket an events object with a dozen entries (heap snapshot,
 * docs/performance.md). Socket.IO calls it with the socket as `this` and the ack last.
 */
function createDispatcher(handlers: [string, TSharedHandler][]): (this: TSocket, event: string, input: unknown, ack: TAck<unknown>) => void {
  const table = new Map(handlers);
  return function (this: TSocket, event, input, ack) {
    void table.get(event)?.call(this, input, ack);
  };
}

/** What an idle socket no longer needs once connected: the upgrade request and the session cookie. */
function dropHandshakeLeftovers(socket: TSocket): void {
  const conn = socket.conn as unknown as { request: { rawHeaders?: string[] } | null };
  // Engine.IO keeps the upgrade request reachable for the connection's life anyway (a close listener
  // on the TCP socket holds its WebSocketResponse, which holds the request: heap snapshot,
  // docs/performance.md). Its raw header list repeats every header string, the session cookie
  // included (~1 KB a socket); `headers` was built from it during the handshake and stays.
  if (conn.request?.rawHeaders) conn.request.rawHeaders.length = 0;
  // Socket.IO's own advice for memory: the HTTP request is only read during the handshake.
  conn.request = null;
  // The session token stays nowhere in memory longer than the handshake needs it.
  delete socket.handshake.headers.cookie;
}

function registerHandlers(socket: TSocket, dispatch: ReturnType<typeof createDispatcher>): void {
  socket.onAny(dispatch as never);
  dropHandshakeLeftovers(socket);
  // Presence is best effort: a Redis outage must not refuse or drop a connection.
  void getPresenceStore().heartbeat(socket.data.userId, socket.id).catch(() => undefined);
  socket.on("disconnect", onDisconnect);
}

/**
 * Engine.IO buffers without limit for a client that stops reading. Cut such a socket off instead: it
 * reconnects when it reads again and catches up from its last seq, so nothing is lost.
 */
function dropSlowConsumers(io: TIo): void {
  for (const socket of io.of("/").sockets.values()) {
    // Engine.IO internals: its write buffer and the websocket under the transport.
    const conn = socket.conn as unknown as { writeBuffer?: unknown[]; close(discard?: boolean): void; transport?: { socket?: { terminate?: () => void } } };
    if ((conn.writeBuffer?.length ?? 0) > MAX_BUFFERED_PACKETS) {
      console.warn(`[parley] dropping a socket that stopped reading (${conn.writeBuffer!.length} packets waiting)`);
      // A polite close would wait for the buffer to drain, which never happens: drop it now.
      conn.transport?.socket?.terminate?.();
      conn.close(true);
    }
  }
}

/** Attaches Socket.IO to the HTTP server and wires it to the domain event bus (and, in a cluster, to Redis). */
export async function attachRealtime(httpServer: HttpServer): Promise<{ io: TIo; close: () => Promise<void> }> {
  const cluster = isRedisConfigured();
  // The streams adapter makes io-level operations (fetchSockets, serverSideEmit, any io.to() emit)
  // span the cluster and survives Redis disconnects. Domain events do not go through it: see the
  // module comment and docs/scaling.md.
  const adapterClient = cluster ? createRedisClient("socket.io-adapter", { enableOfflineQueue: true, commandTimeout: undefined, maxRetriesPerRequest: null }) : undefined;
  const io: TIo = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Leave other upgrade requests (Next's dev HMR) alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 1e6,
    allowRequest: (req, callback) => callback(null, isOriginAllowed(req.headers.origin, req.headers.host)),
    ...(adapterClient ? { adapter: createAdapter(adapterClient, { streamName: "parley:socket.io" }) } : {}),
  });

  const delivery = new LocalDelivery(io, cluster);
  const gate = new HandshakeGate();
  const onRemote = (m: TClusterMessage) => {
    // The gate hears other nodes' membership changes too, before they are routed.
    if (m.t === "event") gate.note(m.e);
    delivery.routeRemote(m);
  };
  const bus = cluster ? await startClusterBus({ onMessage: onRemote, onReaderRecovered: () => void delivery.resyncAll() }, { announce: true }) : undefined;

  const unwatch = subscribe((e) => gate.note(e));
  io.use((socket, next) => void admitSocket(socket, gate).then(() => next(), (err: Error) => next(err)));
  const dispatch = createDispatcher(createSharedHandlers(delivery, bus));
  io.on("connection", (socket) => {
    registerHandlers(socket, dispatch);
    gate.connected(socket);
  });

  const unsubscribe = subscribe((e) => {
    try {
      delivery.route(e);
    } catch (err) {
      console.error("[parley] realtime fan-out failed:", err);
    }
    // After local delivery, never before: other nodes must not hold up our own clients.
    bus?.publish({ t: "event", e });
  });

  const slowConsumerTimer = setInterval(() => dropSlowConsumers(io), SLOW_CONSUMER_CHECK_MS);
  slowConsumerTimer.unref();
  const presenceTimer = setInterval(() => {
    const presence = getPresenceStore();
    for (const socket of io.of("/").sockets.values()) void presence.heartbeat(socket.data.userId, socket.id).catch(() => undefined);
  }, PRESENCE_REFRESH_MS);
  presenceTimer.unref();

  return {
    io,
    close: async () => {
      unsubscribe();
      unwatch();
      clearInterval(slowConsumerTimer);
      clearInterval(presenceTimer);
      delivery.close();
      // Closing the transports (not disconnectSockets) lets clients see a dropped connection and
      // reconnect to whichever node comes up, as they would after a crash.
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await bus?.close();
      adapterClient?.disconnect();
    },
  };
}
