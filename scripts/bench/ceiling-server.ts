/**
 * The ceiling for the fan-out benchmark: a bare Socket.IO server with the same options as Parley's,
 * no database and no authentication. A client names its rooms in the handshake (`auth.rooms`);
 * `messages.create` { channelId, body, clientMsgId } builds a change event of the same shape and size
 * as Parley's, emits it to the room and acknowledges — what Parley does minus storing and checking.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { Server } from "socket.io";

const httpServer = createServer((req, res) => {
  if (!req.url?.startsWith("/socket.io/")) res.writeHead(404).end();
});
const io = new Server(httpServer, { path: "/socket.io", serveClient: false, maxHttpBufferSize: 1e6, perMessageDeflate: false });
const seqs = new Map<string, number>();
let n = 0;

io.on("connection", (socket) => {
  const rooms = (socket.handshake.auth?.rooms as string[] | undefined) ?? [];
  socket.join(rooms.map((r) => `channel:${r}`));
  socket.on("messages.create", (input: { channelId: string; body: string; clientMsgId: string }, ack: (r: unknown) => void) => {
    const seq = (seqs.get(input.channelId) ?? 0) + 1;
    seqs.set(input.channelId, seq);
    const now = new Date().toISOString();
    const message = {
      id: `cm${++n}xxxxxxxxxxxxxxxxx`,
      channelId: input.channelId,
      seq,
      ts: `${Date.now()}.000000`,
      sender: { id: "bu0", name: "User 0 用户", avatarUrl: null, isBot: false, botId: null },
      clientMsgId: input.clientMsgId,
      body: input.body,
      markup: "md",
      subtype: null,
      threadRootId: null,
      threadTs: null,
      replyCount: 0,
      broadcast: false,
      reactions: [],
      blocks: null,
      attachments: null,
      overrideName: null,
      overrideIcon: null,
      pinnedAt: null,
      pinnedById: null,
      editedAt: null,
      deletedAt: null,
      createdAt: now,
    };
    io.to(`channel:${input.channelId}`).emit("messages.created", { channelId: input.channelId, workspaceId: "bw1", seq, type: "message.created", message });
    ack({ ok: true, data: message });
  });
});

httpServer.listen({ port: Number(process.argv[2] ?? 0), host: "127.0.0.1", backlog: 4096 }, () => {
  console.log(`listening ${(httpServer.address() as AddressInfo).port}`);
});
createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() === "gc") {
    (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    console.log(`stats ${m.rss} ${m.heapUsed} ${m.external}`);
  }
});
process.on("SIGTERM", () => process.exit(0));
