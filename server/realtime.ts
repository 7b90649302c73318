/**
 * Socket.IO: authenticates the handshake with the next-auth session cookie, puts each socket in the
 * rooms the database says it belongs to (user, workspaces, channels), answers the client events in
 * lib/realtime/contract.ts through the services, and turns committed domain events into emits.
 * The only place that emits socket events.
 */
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import { getActorFromCookie } from "@/lib/auth/session";
import { listChannelIdsForUser, markRead } from "@/lib/channels/service";
import { env } from "@/lib/env";
import { toErrorResponse } from "@/lib/errors";
import { deleteMessage, editMessage, getChangesSince, sendMessage } from "@/lib/messages/service";
import { subscribe, type TDomainEvent } from "@/lib/realtime/bus";
import { rooms, SOCKET_PATH, type ClientToServerEvents, type ServerToClientEvents, type SocketData, type TAck } from "@/lib/realtime/contract";

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

/** Wraps a handler so it always answers through the ack with `{ ok, data } | { ok: false, error }`. */
function answer<T>(socket: TSocket, fn: (input: unknown) => Promise<T>) {
  return async (input: unknown, ack: TAck<T>) => {
    if (typeof ack !== "function") return; // Every client event expects an acknowledgement.
    try {
      ack({ ok: true, data: await fn(input) });
    } catch (err) {
      ack({ ok: false, ...toErrorResponse(err).body });
    }
  };
}

function registerHandlers(socket: TSocket): void {
  const actor = { userId: socket.data.userId };
  socket.on("messages.create", answer(socket, (input) => sendMessage({ actor, input })));
  socket.on("messages.update", answer(socket, (input) => editMessage({ actor, input })));
  socket.on("messages.delete", answer(socket, (input) => deleteMessage({ actor, input })));
  socket.on("channels.sync", answer(socket, (input) => getChangesSince({ actor, input })));
  socket.on("channels.read", answer(socket, (input) => markRead({ actor, input })));
}

function route(io: TIo, e: TDomainEvent): void {
  switch (e.kind) {
    case "channel.event": {
      const name = e.event.type === "message.created" ? "messages.created" : e.event.type === "message.updated" ? "messages.updated" : "messages.deleted";
      io.to(rooms.channel(e.event.channelId)).emit(name, e.event);
      return;
    }
    case "channel.updated":
      io.to(rooms.channel(e.channelId)).emit("channels.updated", { workspaceId: e.workspaceId, channelId: e.channelId });
      return;
    case "channel.memberAdded": {
      const userRooms = e.userIds.map(rooms.user);
      io.in(userRooms).socketsJoin(rooms.channel(e.channelId));
      io.to(userRooms).emit("channels.joined", { workspaceId: e.workspaceId, channelId: e.channelId });
      return;
    }
    case "channel.memberRemoved": {
      const userRooms = e.userIds.map(rooms.user);
      io.in(userRooms).socketsLeave(rooms.channel(e.channelId));
      io.to(userRooms).emit("channels.removed", { workspaceId: e.workspaceId, channelId: e.channelId });
      return;
    }
    case "channel.read":
      io.to(rooms.user(e.userId)).emit("channels.read", { workspaceId: e.workspaceId, channelId: e.channelId, lastReadSeq: e.lastReadSeq });
      return;
    case "workspace.memberAdded":
      io.in(rooms.user(e.userId)).socketsJoin(rooms.workspace(e.workspaceId));
      io.to(rooms.user(e.userId)).emit("workspaces.updated", { workspaceId: e.workspaceId });
      return;
    case "workspace.updated":
      io.to(rooms.workspace(e.workspaceId)).emit("workspaces.updated", { workspaceId: e.workspaceId });
      return;
    case "user.sessionsEnded":
      io.to(rooms.user(e.userId)).emit("session.ended", { reason: e.reason });
      io.in(rooms.user(e.userId)).disconnectSockets(true);
      return;
  }
}

/** Attaches Socket.IO to the HTTP server and wires it to the domain event bus. */
export function attachRealtime(httpServer: HttpServer): { io: TIo; close: () => Promise<void> } {
  const io: TIo = new Server(httpServer, {
    path: SOCKET_PATH,
    serveClient: false,
    // Leave other upgrade requests (Next's dev HMR) alone.
    destroyUpgrade: false,
    maxHttpBufferSize: 1e6,
    allowRequest: (req, callback) => callback(null, isOriginAllowed(req.headers.origin, req.headers.host)),
  });

  io.use(async (socket, next) => {
    try {
      const actor = await getActorFromCookie(socket.request.headers.cookie, socket.request.headers as Record<string, string>);
      if (!actor) return next(new Error("unauthorized"));
      socket.data.userId = actor.userId;
      socket.data.sessionVersion = actor.sessionVersion;
      // Join rooms before the connection is confirmed, so no event published after the client's
      // catch-up can slip past it.
      const { workspaceIds, channelIds } = await listChannelIdsForUser(actor.userId);
      socket.join([rooms.user(actor.userId), ...workspaceIds.map(rooms.workspace), ...channelIds.map(rooms.channel)]);
      next();
    } catch (err) {
      console.error("[parley] socket handshake failed:", err);
      next(new Error("unavailable"));
    }
  });

  io.on("connection", (socket) => registerHandlers(socket));

  const unsubscribe = subscribe((e) => {
    try {
      route(io, e);
    } catch (err) {
      console.error("[parley] realtime fan-out failed:", err);
    }
  });

  return {
    io,
    close: async () => {
      unsubscribe();
      // Closing the transports (not disconnectSockets) lets clients see a dropped connection and
      // reconnect to whichever node comes up, as they would after a crash.
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}
