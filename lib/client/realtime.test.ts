import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Server } from "socket.io";
import { io, type Socket } from "socket.io-client";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { handshakeRetryDelayMs, retryAttemptsClosedBeforeHandshake } from "@/lib/client/realtime";

/**
 * A Socket.IO server on loopback whose first `closeFirst` websocket connections are accepted and
 * closed before Engine.IO's handshake, as a balancer or a node shutting down may do.
 */
async function startServerThatClosesFirstConnections(closeFirst: number) {
  const httpServer: HttpServer = createServer();
  const ioServer = new Server(httpServer, { transports: ["websocket"] });
  const socketIoUpgrade = httpServer.listeners("upgrade");
  httpServer.removeAllListeners("upgrade");
  const closer = new WebSocketServer({ noServer: true });
  let closed = 0;
  httpServer.on("upgrade", (req, tcp, head) => {
    if (closed < closeFirst) {
      closed++;
      closer.handleUpgrade(req, tcp, head, (ws) => ws.close());
      return;
    }
    for (const listener of socketIoUpgrade) listener.call(httpServer, req, tcp, head);
  });
  await new Promise<void>((resolve) => httpServer.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`,
    closedCount: () => closed,
    stop: async () => {
      closer.close();
      await ioServer.close();
    },
  };
}

describe("connection attempts closed before the handshake", () => {
  let stop: (() => Promise<void>) | null = null;
  let client: Socket | null = null;
  afterEach(async () => {
    client?.disconnect();
    await stop?.();
  });

  it("are retried with the usual backoff instead of waiting out the manager's timeout", async () => {
    const server = await startServerThatClosesFirstConnections(3);
    stop = server.stop;
    // A timeout far beyond the test's: without the retry, the first attempt would hang until it.
    client = io(server.url, { transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 20, timeout: 600_000, forceNew: true });
    retryAttemptsClosedBeforeHandshake(client.io);
    const errors: string[] = [];
    client.on("connect_error", (error) => errors.push(error.message));
    await new Promise<void>((resolve) => client!.once("connect", () => resolve()));
    expect(server.closedCount()).toBe(3);
    expect(errors).toEqual(Array(3).fill("Connection closed before the handshake (transport close)"));

    // After a drop, reconnections are watched the same way (the server closes none of them now).
    client.io.engine.close();
    await new Promise<void>((resolve) => client!.once("connect", () => resolve()));
    expect(errors).toHaveLength(3);
  });

  it("is installed once per manager", async () => {
    const server = await startServerThatClosesFirstConnections(1);
    stop = server.stop;
    client = io(server.url, { transports: ["websocket"], reconnectionDelay: 20, reconnectionDelayMax: 20, timeout: 600_000, forceNew: true });
    retryAttemptsClosedBeforeHandshake(client.io);
    retryAttemptsClosedBeforeHandshake(client.io);
    const errors: string[] = [];
    client.on("connect_error", (error) => errors.push(error.message));
    await new Promise<void>((resolve) => client!.once("connect", () => resolve()));
    expect(errors).toHaveLength(1);
  });
});

describe("handshakeRetryDelayMs", () => {
  it("doubles from 1 s to 15 s after refusals in a row, spread over ±50 %", () => {
    const middle = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 20].map((attempt) => handshakeRetryDelayMs(attempt, middle))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(handshakeRetryDelayMs(0, () => 0)).toBe(500);
    expect(handshakeRetryDelayMs(4, () => 0.999999)).toBe(22_500);
  });
});
