/**
 * A small TCP proxy for the reliability harness. In front of Redis it cuts one node off
 * (`pause`: connections stay open but nothing flows, like a partition; `cut`: connections are
 * dropped and refused) and `heal`s. In front of the nodes it is the load balancer: each new
 * connection goes to the next target that accepts it.
 */
import net from "node:net";

type TPair = { client: net.Socket; upstream: net.Socket; held: { toUpstream: Buffer[]; toClient: Buffer[] } };

export class TcpProxy {
  private server = net.createServer((client) => this.onConnection(client));
  private pairs = new Set<TPair>();
  private mode: "open" | "paused" | "cut" = "open";
  private next = 0;
  port = 0;

  constructor(private readonly targets: () => number[]) {}

  /** Listens on 127.0.0.1 (`port` 0 = any free port). */
  async listen(port = 0): Promise<number> {
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as net.AddressInfo).port;
    return this.port;
  }

  get connectionCount(): number {
    return this.pairs.size;
  }

  private onConnection(client: net.Socket): void {
    client.setNoDelay(true);
    client.on("error", () => undefined);
    if (this.mode === "cut") {
      client.destroy();
      return;
    }
    const targets = this.targets();
    if (targets.length === 0) {
      client.destroy();
      return;
    }
    const held = { toUpstream: [] as Buffer[], toClient: [] as Buffer[] };
    const early: Buffer[] = [];
    const onEarly = (d: Buffer) => early.push(d);
    client.on("data", onEarly);
    const tryTarget = (attempt: number) => {
      if (attempt >= targets.length || client.destroyed) {
        client.destroy();
        return;
      }
      const port = targets[(this.next++ + attempt) % targets.length]!;
      const upstream = net.connect({ host: "127.0.0.1", port });
      upstream.setNoDelay(true);
      upstream.once("error", () => {
        if (!pair.connected) tryTarget(attempt + 1);
      });
      const pair: TPair & { connected?: boolean } = { client, upstream, held };
      upstream.once("connect", () => {
        pair.connected = true;
        this.pairs.add(pair);
        client.off("data", onEarly);
        for (const d of early) this.forward(pair, "up", d);
        client.on("data", (d: Buffer) => this.forward(pair, "up", d));
        upstream.on("data", (d: Buffer) => this.forward(pair, "down", d));
        const close = () => {
          this.pairs.delete(pair);
          client.destroy();
          upstream.destroy();
        };
        client.on("close", close);
        upstream.on("close", close);
        upstream.on("error", close);
      });
    };
    tryTarget(0);
  }

  private forward(pair: TPair, dir: "up" | "down", data: Buffer): void {
    if (this.mode === "paused") {
      (dir === "up" ? pair.held.toUpstream : pair.held.toClient).push(data);
      return;
    }
    (dir === "up" ? pair.upstream : pair.client).write(data);
  }

  /** Partition: connections stay open, nothing gets through (held until `heal`). */
  pause(): void {
    this.mode = "paused";
  }

  /** Drops every connection and refuses new ones until `heal`. */
  cut(): void {
    this.mode = "cut";
    this.dropAll();
  }

  /** Lets traffic through again (what was held during a pause is delivered). */
  heal(): void {
    this.mode = "open";
    for (const pair of this.pairs) {
      for (const d of pair.held.toUpstream.splice(0)) pair.upstream.write(d);
      for (const d of pair.held.toClient.splice(0)) pair.client.write(d);
    }
  }

  /** Drops every current connection (clients see a network failure and reconnect). */
  dropAll(): void {
    for (const pair of [...this.pairs]) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
