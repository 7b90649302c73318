/**
 * `npm run cluster`: two Parley nodes on one machine, against PostgreSQL and Redis, to try the
 * cluster mode (docs/scaling.md). Open both ports in a browser (or put a load balancer in front):
 * a message sent on one appears live on the other.
 *
 *   npm run cluster                      nodes on 3001 and 3002
 *   npm run cluster -- --ports 4001,4002
 *
 * DATABASE_URL defaults to postgresql://postgres@127.0.0.1:5432/parley_cluster (created if missing),
 * REDIS_URL to redis://127.0.0.1:6379. The nodes share one session secret (NEXTAUTH_SECRET, or one
 * generated into ./data/cluster/secret), so a session made on one node is valid on the other.
 * Builds the app first when there is no production build. Ctrl-C stops both nodes gracefully.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";

// A developer tool, like the harness: it configures the nodes' environment, so it reads process.env.
const args = process.argv.slice(2);
const ports = (args.includes("--ports") ? args[args.indexOf("--ports") + 1]! : "3001,3002").split(",").map(Number);
const databaseUrl = process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/parley_cluster";
const redisUrl = process.env.REDIS_URL || "redis://127.0.0.1:6379";
const dataRoot = path.resolve(process.env.PARLEY_DATA_DIR || "./data", "cluster");

function fail(message: string): never {
  console.error(`cluster: ${message}`);
  process.exit(1);
}

/** Creates the database named in DATABASE_URL when it does not exist yet. */
async function ensureDatabase(): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  if (!/^[A-Za-z0-9_]+$/.test(name)) fail(`unexpected database name "${name}"`);
  const admin = new URL(databaseUrl);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect().catch((err: Error) => fail(`PostgreSQL does not answer at ${url.host}: ${err.message}`));
  const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!rowCount) {
    await client.query(`CREATE DATABASE "${name}"`);
    console.log(`cluster: created database ${name}`);
  }
  await client.end();
}

/** Resolves when Redis accepts a connection (PING over RESP). */
async function checkRedis(): Promise<void> {
  const url = new URL(redisUrl);
  const ok = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    socket.setTimeout(2000, () => (socket.destroy(), resolve(false)));
    socket.once("error", () => resolve(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", () => (socket.destroy(), resolve(true)));
  });
  if (!ok) fail(`Redis does not answer at ${url.host} (start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379)`);
}

/** The shared session secret: NEXTAUTH_SECRET, or one generated once and kept under data/cluster. */
function sessionSecret(): string {
  if (process.env.NEXTAUTH_SECRET) return process.env.NEXTAUTH_SECRET;
  const file = path.join(dataRoot, "secret");
  if (!existsSync(file)) {
    mkdirSync(dataRoot, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** Starts one node and resolves once it listens. */
function startNode(index: number, port: number, secret: string): Promise<ChildProcess> {
  const env = {
    ...process.env,
    NODE_ENV: "production",
    NEXT_TELEMETRY_DISABLED: "1",
    PORT: String(port),
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    NEXTAUTH_SECRET: secret,
    NEXTAUTH_URL: `http://localhost:${port}`,
    PARLEY_DATA_DIR: path.join(dataRoot, `node-${index}`),
  };
  const child = spawn(process.execPath, ["--import", "tsx", "server/index.ts"], { env: env as NodeJS.ProcessEnv, stdio: ["ignore", "pipe", "pipe"] });
  const prefix = `[node ${index} :${port}] `;
  const relay = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    let buffered = "";
    stream.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) out.write(prefix + line + "\n");
    });
  };
  relay(child.stdout!, process.stdout);
  relay(child.stderr!, process.stderr);
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (chunk.toString().includes("listening on")) {
        child.stdout!.off("data", onData);
        resolve(child);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`node ${index} exited with ${code}`)));
  });
}

async function main(): Promise<void> {
  if (ports.length < 1 || ports.some((p) => !Number.isInteger(p) || p <= 0)) fail("--ports wants a comma-separated list such as 3001,3002");
  await ensureDatabase();
  await checkRedis();
  if (!existsSync(".next/BUILD_ID")) {
    console.log("cluster: no production build yet; running npm run build");
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
    if (build.status !== 0) fail("the build failed");
  }
  const secret = sessionSecret();
  const children: ChildProcess[] = [];
  // One after the other: the first applies pending migrations.
  for (const [i, port] of ports.entries()) children.push(await startNode(i + 1, port, secret));
  console.log(`\ncluster: ${children.length} nodes up — ${ports.map((p) => `http://localhost:${p}`).join("  ")}  (PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}, Redis ${new URL(redisUrl).host}); Ctrl-C stops them`);
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const child of children) child.kill("SIGTERM");
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once("exit", resolve)))));
  if (!stopping) fail("a node stopped");
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
