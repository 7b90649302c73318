/**
 * The harness's cluster on one machine: a throwaway PostgreSQL database, its own redis-server (so
 * restarting it disturbs nobody else), one TCP proxy per node in front of Redis (to cut that node
 * off), two nodes as child processes on fixed ports, and a TCP load balancer in front of them.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { TcpProxy } from "@/tests/reliability/tcp-proxy";

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: "127.0.0.1", port });
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The harness's own database connections are spared when the nodes' connections are terminated. */
export const HARNESS_APP_NAME = "parley-harness";

type TNode = { index: number; port: number; child?: ChildProcess; redisProxy: TcpProxy; isStopping?: boolean };

export class Cluster {
  readonly dir = mkdtempSync(path.join(os.tmpdir(), "parley-reliability-"));
  readonly dbName = `parley_rel_${Date.now()}_${Math.random().toString(16).slice(2, 8)}`;
  readonly secret = `reliability-${Math.random().toString(36).slice(2)}-${Date.now()}`;
  dbUrl = "";
  redisPort = 0;
  private redis?: ChildProcess;
  readonly nodes: TNode[] = [];
  readonly lb = new TcpProxy(() => this.nodes.filter((n) => n.child && n.child.exitCode === null).map((n) => n.port));
  /** Node exits the harness did not cause (a crash under test is a failure). */
  readonly unexpectedExits: string[] = [];
  /** Node start-up times (ms), for the report. */
  readonly startTimes: number[] = [];

  constructor(private readonly adminUrl: string) {
    // Never leave a redis-server or a node behind, even if the harness itself crashes.
    process.once("exit", () => {
      this.redis?.kill("SIGKILL");
      for (const node of this.nodes) node.child?.kill("SIGKILL");
    });
  }

  /** Environment for the harness process itself (it seeds data and relays its events). */
  harnessEnv(): Record<string, string> {
    const dbUrl = new URL(this.dbUrl);
    dbUrl.searchParams.set("application_name", HARNESS_APP_NAME);
    return { DATABASE_URL: dbUrl.toString(), REDIS_URL: `redis://127.0.0.1:${this.redisPort}`, NEXTAUTH_SECRET: this.secret, PARLEY_DATA_DIR: path.join(this.dir, "harness") };
  }

  async start(nodeCount = 2): Promise<void> {
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${this.dbName}"`);
    await admin.end();
    const url = new URL(this.adminUrl);
    url.pathname = `/${this.dbName}`;
    this.dbUrl = url.toString();
    this.redisPort = await freePort();
    await this.startRedis();
    for (let i = 0; i < nodeCount; i++) {
      const redisProxy = new TcpProxy(() => [this.redisPort]);
      await redisProxy.listen();
      this.nodes.push({ index: i, port: await freePort(), redisProxy });
    }
    // One at a time: the first applies the migrations.
    for (const node of this.nodes) await this.startNode(node.index);
    await this.lb.listen();
  }

  async startRedis(): Promise<void> {
    this.redis = spawn("redis-server", ["--port", String(this.redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
    await waitForPort(this.redisPort, 10_000);
  }

  /** Stops Redis (all its data is lost) and starts it again after `downMs`. */
  async restartRedis(downMs: number): Promise<void> {
    const r = this.redis!;
    const exited = new Promise((resolve) => r.once("exit", resolve));
    r.kill("SIGKILL");
    await exited;
    await new Promise((resolve) => setTimeout(resolve, downMs));
    await this.startRedis();
  }

  async startNode(index: number): Promise<void> {
    const node = this.nodes[index]!;
    const started = Date.now();
    const log = createWriteStream(path.join(this.dir, `node-${index}.log`), { flags: "a" });
    const env = {
      ...process.env,
      PORT: String(node.port),
      HOST: "127.0.0.1",
      DATABASE_URL: this.dbUrl,
      REDIS_URL: `redis://127.0.0.1:${node.redisProxy.port}`,
      NEXTAUTH_SECRET: this.secret,
      NEXTAUTH_URL: `http://127.0.0.1:${this.lb.port || node.port}`,
      PARLEY_DATA_DIR: path.join(this.dir, `node-${index}`),
      PARLEY_LOG_LEVEL: "warn",
      NODE_ENV: "production",
    };
    // `--import tsx` (not the tsx CLI): the pid is the server itself, so SIGKILL is a real crash.
    const child = spawn(process.execPath, ["--import", "tsx", "tests/reliability/node.ts"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
    node.child = child;
    node.isStopping = false;
    child.once("exit", (code, signal) => {
      if (!node.isStopping) this.unexpectedExits.push(`node ${index} exited by itself (${signal ?? code}); see ${path.join(this.dir, `node-${index}.log`)}`);
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    await new Promise<void>((resolve, reject) => {
      let out = "";
      const timer = setTimeout(() => reject(new Error(`node ${index} did not start:\n${out}`)), 60_000);
      child.stdout!.on("data", (d) => {
        out += d;
        if (out.includes("node listening")) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.stderr!.on("data", (d) => (out += d));
      child.once("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`node ${index} exited with ${code}:\n${out}`));
      });
    });
    this.startTimes.push(Date.now() - started);
  }

  /** SIGKILL (crash) or SIGTERM (graceful); resolves once the process is gone. */
  async stopNode(index: number, signal: "SIGKILL" | "SIGTERM"): Promise<void> {
    const child = this.nodes[index]!.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    this.nodes[index]!.isStopping = true;
    child.kill(signal);
    await exited;
  }

  /** Resident memory of a node in MB (Linux). */
  rssMb(index: number): number {
    const pid = this.nodes[index]!.child?.pid;
    if (!pid) return 0;
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
      return m ? Math.round(Number(m[1]) / 1024) : 0;
    } catch {
      return 0;
    }
  }

  /** Terminates every server connection to the database, repeatedly, for `durationMs`. */
  async terminateDbConnections(durationMs: number): Promise<number> {
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    let killed = 0;
    const until = Date.now() + durationMs;
    while (Date.now() < until) {
      const res = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND application_name <> $2", [this.dbName, HARNESS_APP_NAME]);
      killed += res.rowCount ?? 0;
      await new Promise((r) => setTimeout(r, 100));
    }
    await admin.end();
    return killed;
  }

  async stop(keepDir = false): Promise<void> {
    for (const node of this.nodes) {
      await this.stopNode(node.index, "SIGKILL");
      await node.redisProxy.close().catch(() => undefined);
    }
    await this.lb.close().catch(() => undefined);
    this.redis?.kill("SIGKILL");
    const admin = new pg.Client({ connectionString: this.adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${this.dbName}" WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    if (!keepDir) rmSync(this.dir, { recursive: true, force: true });
  }
}
