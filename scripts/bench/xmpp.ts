/**
 * A peer: the fan-out workload of scripts/bench/fanout.ts against a real XMPP server — Prosody from
 * Debian's packages, multi-user chat with its archive (XEP-0313, mod_muc_mam) on for every room —
 * and against Parley in the same run, side by side.
 *
 * This script starts its own Prosody (never the system service): a generated config in a temp
 * directory (own data dir, pid file, log, admin socket), c2s on a free loopback port without TLS,
 * s2s off, `Component "conference.localhost" "muc"` with mod_muc_mam archiving every room, and
 * storage on PostgreSQL through mod_storage_sql (lua-dbi-postgresql) in a throwaway database on the
 * same server Parley uses — each archived message is then one committed transaction before the room
 * broadcasts it, like Parley's durable send. `BENCH_XMPP_STORAGE=internal` uses Prosody's file store
 * instead. Users are created inside Prosody by one admin-shell call to its user manager (SCRAM
 * hashed, as `prosodyctl register` would; one process instead of one per user).
 *
 * ejabberd (Debian's 23.01, `apt-get install -y ejabberd erlang-p1-pgsql`) runs as a second peer
 * when installed (BENCH_XMPP_SERVERS=prosody,ejabberd): its own config, spool, logs and Erlang node
 * name in a temp dir, SQL storage on PostgreSQL (its pg.sql schema), mod_mam on for every room.
 *
 * Per configuration (S clients, rooms of M): every client (`@xmpp/client`, SASL PLAIN over loopback TCP)
 * joins its room (presence with the MUC <x/>, history maxstanzas=0), then the same two phases as
 * fanout.ts: R groupchat messages/s for T s, then W in flight for S s (in flight = sent and not yet
 * reflected back to its sender; the room reflects only after archiving, so the reflection is the
 * ack). The send time (generator's clock) travels in the body; latency is per delivery, from the
 * moment the send was scheduled. Server CPU and RSS from /proc/<pid> of the server process (Prosody's
 * Lua, ejabberd's beam.smp), pinned to core 0 like Parley; this generator on core 1. At the end of each configuration the
 * archive is checked: a MAM query to one room must count every message sent to it, and (with SQL)
 * the archive table must hold every message sent.
 *
 *   npm run bench -- xmpp       (BENCH_FANOUT=200x10,200x100,1000x10 by default)
 *
 * Needs `apt-get install -y prosody lua-dbi-postgresql` and PostgreSQL (BENCH_DATABASE_URL). Not
 * part of CI. BENCH_XMPP_STORAGE=internal: Prosody on its file store instead of PostgreSQL.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { client as xmppClient, xml, type Element, type XmppClient } from "@xmpp/client";
import { line, openFanoutDb, runTarget, usPerDelivery, type TFanoutConfig, type TPhase } from "./fanout";
import { adminUrl, f1, f2, measured, offerSends, pin, pinSelf, sleep, summary, tempDir, type TSendMode } from "./lib";

const DOMAIN = "localhost";
const MUC_DOMAIN = `conference.${DOMAIN}`;
const PASSWORD = "bench-password"; // ASCII: @xmpp/sasl-plain base64-encodes with btoa, which rejects other characters
const NS_MUC = "http://jabber.org/protocol/muc";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";
const NS_MAM = "urn:xmpp:mam:2";
const NS_RSM = "http://jabber.org/protocol/rsm";
const INSTALL = "apt-get install -y prosody lua-dbi-postgresql";

type TStorage = "sql" | "internal";
type TSqlParams = { database: string; host: string; port: number; username: string; password?: string };
type TRoom = { jid: string; members: number[] };

/** "Prosody 0.12.3", or undefined when Prosody is not installed. */
function prosodyVersion(): string | undefined {
  const r = spawnSync("prosodyctl", ["about"], { encoding: "utf8" });
  if (r.error || r.status !== 0) return undefined;
  return /^Prosody .*/m.exec(r.stdout)?.[0].trim();
}

function luaVersion(): string {
  const r = spawnSync("prosodyctl", ["about"], { encoding: "utf8" });
  return /Lua version:\s*(.*)/.exec(r.stdout ?? "")?.[1]?.trim() ?? "?";
}

/** Whether LuaDBI's PostgreSQL driver (Debian's lua-dbi-postgresql) can be loaded by the Lua Prosody runs on. */
function hasPostgresDriver(): boolean {
  const lua = readFileSync("/usr/bin/prosody", "utf8").match(/^#!.*\b(lua[\d.]*)/)?.[1] ?? "lua";
  const r = spawnSync(lua, ["-e", 'local DBI = require "DBI"; assert(table.concat(DBI.Drivers(), ","):find("PostgreSQL"))']);
  return r.status === 0;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

const lua = (s: string) => JSON.stringify(s); // a JSON string without control characters is a valid Lua string

/** The generated prosody.cfg.lua: loopback only, no TLS, no s2s, MUC with every room archived. */
function prosodyConfig(dir: string, port: number, storage: TStorage, sql?: TSqlParams): string {
  const sqlLines = sql
    ? `sql = { driver = "PostgreSQL", database = ${lua(sql.database)}, host = ${lua(sql.host)}, port = ${sql.port}, username = ${lua(sql.username)}${sql.password ? `, password = ${lua(sql.password)}` : ""} }`
    : "";
  return `-- Generated by scripts/bench/xmpp.ts for one benchmark run; deleted afterwards.
${process.getuid?.() === 0 ? "run_as_root = true -- the benchmark runs as root in containers; Prosody refuses root otherwise\n" : ""}daemonize = false
pidfile = ${lua(path.join(dir, "prosody.pid"))}
data_path = ${lua(path.join(dir, "data"))}
admin_socket = ${lua(path.join(dir, "data", "prosody.sock"))}
log = { warn = ${lua(path.join(dir, "prosody.log"))} }
certificates = ${lua(path.join(dir, "certs"))} -- empty: no TLS
network_backend = "epoll"
interfaces = { "127.0.0.1" }
local_interfaces = { "127.0.0.1" }
c2s_ports = { ${port} }
c2s_direct_tls_ports = { }
s2s_ports = { }
component_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster", "saslauth", "disco", "ping", "admin_shell" }
modules_disabled = { "s2s", "s2s_auth_certs" }
-- Loopback only: no certificate, so no STARTTLS; PLAIN allowed without TLS (the generator uses it).
c2s_require_encryption = false
allow_unencrypted_plain_auth = true
authentication = "internal_hashed"
storage = ${lua(storage)}
${sqlLines}

VirtualHost ${lua(DOMAIN)}

Component ${lua(MUC_DOMAIN)} "muc"
  modules_enabled = { "muc_mam" }
  muc_log_by_default = true
  muc_log_all_rooms = true -- archive every room, whatever its configuration
  muc_log_expires_after = "never"
  muc_room_locking = false -- a new room is usable at once (no owner configuration round trip)
  muc_room_default_persistent = true -- rooms (and their archive) outlive their last occupant
  restrict_room_creation = false
`;
}

function readLog(logPath: string): string {
  try {
    return readFileSync(logPath, "utf8");
  } catch {
    return ""; // nothing logged at warn or above yet
  }
}

/** A running XMPP server under test: the pid whose /proc counters are read, its log, and how to stop it. */
type TServer = { pid: number; log: () => string; stop: () => Promise<void> };

async function isListening(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const s = net.connect(port, "127.0.0.1");
    s.once("connect", () => {
      s.destroy();
      resolve(true);
    });
    s.once("error", () => resolve(false));
  });
}

/**
 * Runs `args` (already prefixed with taskset) and resolves once `port` accepts connections and
 * `serverPid()` names the server process (the child itself, or a pid file when a wrapper forks).
 */
async function startServer(
  name: string,
  args: string[],
  opts: { port: number; logPath: string; cwd?: string; env?: NodeJS.ProcessEnv; serverPid?: () => number | undefined },
): Promise<TServer> {
  const child: ChildProcess = spawn(args[0]!, args.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout!.on("data", (d) => (out = (out + d).slice(-20_000)));
  child.stderr!.on("data", (d) => (out = (out + d).slice(-20_000)));
  const log = () => `${out}${readLog(opts.logPath)}`.slice(-4000);
  const deadline = performance.now() + 60_000;
  let pid: number | undefined;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${log()}`);
    pid = opts.serverPid ? opts.serverPid() : child.pid;
    if (pid && (await isListening(opts.port))) break;
    if (performance.now() > deadline) throw new Error(`${name} did not listen on ${opts.port} within 60 s:\n${log()}`);
    await sleep(100);
  }
  const serverPid = pid;
  return {
    pid: serverPid,
    log,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(serverPid, "SIGTERM");
      const t = setTimeout(() => {
        try {
          process.kill(serverPid, "SIGKILL");
        } catch {
          /* already gone */
        }
        child.kill("SIGKILL");
      }, 15_000);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Creates users u0..u<n-1> inside the running Prosody through its admin shell (one call, the server's user manager). */
function createUsers(cfgPath: string, n: number): void {
  const code = `>local um = require "core.usermanager"; for i = 0, ${n - 1} do local ok, err = um.create_user("u" .. i, ${lua(PASSWORD)}, ${lua(DOMAIN)}); if not ok then error("u" .. i .. ": " .. tostring(err)) end end; return "created ${n}"`;
  const r = spawnSync("prosodyctl", ["--config", cfgPath, "shell", code], { encoding: "utf8", timeout: 600_000 });
  if (r.status !== 0 || !r.stdout.includes(`created ${n}`)) throw new Error(`creating users failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

/** What the stanza handlers of every client report into while a phase runs. */
type TLive = {
  run: string;
  latencies: number[];
  deliveries: number;
  deliveriesInWindow: number;
  windowOpen: boolean;
  /** message id → resolve with an error condition (or null) when the sender sees its reflection or an error */
  pending: Map<string, (error: string | null) => void>;
};

let live: TLive | undefined;
const BODY = /^fan-out (\S+)-(\d+) (\d+(?:\.\d+)?) /;

function onStanza(index: number, el: Element): void {
  if (!el.is("message") || !live) return;
  if (el.attrs.type === "error") {
    const id = el.attrs.id;
    const cond = el.getChild("error")?.getChildren("*")[0]?.name ?? el.getChild("error")?.toString() ?? "error";
    if (id) live.pending.get(id)?.(cond);
    return;
  }
  if (el.attrs.type !== "groupchat") return;
  const m = BODY.exec(el.getChildText("body") ?? "");
  if (!m || m[1] !== live.run) return;
  live.latencies.push(performance.now() - Number(m[3]));
  live.deliveries++;
  if (live.windowOpen) live.deliveriesInWindow++;
  if (el.attrs.from?.endsWith(`/u${index}`)) live.pending.get(`${m[1]}-${m[2]}`)?.(null);
}

/** Connects client `i` (user u<i>) and joins it to `room` with nick u<i>, no history. */
async function connectAndJoin(port: number, i: number, room: string): Promise<XmppClient> {
  // SASL PLAIN on loopback (the config allows it without TLS): @xmpp/client's SCRAM-SHA-1 runs its
  // 4,096 PBKDF2 rounds in JavaScript, ~0.6 s of the generator's core per login. Prosody still checks
  // the password against its SCRAM-hashed store. Logins are not part of the measurement either way.
  const c = xmppClient({
    service: `xmpp://127.0.0.1:${port}`,
    domain: DOMAIN,
    resource: "bench",
    timeout: 30_000, // the 2 s default is too short for handshakes on a busy shared machine
    credentials: (authenticate) => authenticate({ username: `u${i}`, password: PASSWORD }, "PLAIN"),
  });
  c.reconnect.stop();
  let joined: ((err?: Error) => void) | undefined;
  c.on("error", (err) => joined?.(err));
  c.on("stanza", (el) => {
    if (joined && el.is("presence") && el.attrs.from === `${room}/u${i}`) {
      if (el.attrs.type === "error") joined(new Error(`join ${room}: ${el.getChild("error")?.toString()}`));
      else if (el.getChild("x", NS_MUC_USER)?.getChildren("status").some((s) => s.attrs.code === "110")) joined();
      return;
    }
    onStanza(i, el);
  });
  try {
    await c.start();
  } catch (err) {
    await c.stop().catch(() => undefined);
    throw err;
  }
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`u${i}: no self-presence from ${room} in 60 s`)), 60_000);
    joined = (err) => {
      clearTimeout(t);
      joined = undefined;
      if (err) reject(err);
      else resolve();
    };
    void c.send(xml("presence", { to: `${room}/u${i}` }, xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" })))).catch(reject);
  });
  return c;
}

let runCounter = 0;

/** One phase against joined clients: the same schedule and bookkeeping as fanout.ts's drive(). */
async function drive(
  pid: number,
  clients: XmppClient[],
  rooms: TRoom[],
  sentPerRoom: Map<string, number>,
  mode: TSendMode,
): Promise<TPhase> {
  const run = `x${++runCounter}${Date.now().toString(36)}`; // no "-": the body is "fan-out <run>-<k> <t> …"
  const state: TLive = { run, latencies: [], deliveries: 0, deliveriesInWindow: 0, windowOpen: true, pending: new Map() };
  live = state;
  const acks: number[] = [];
  const errors: Record<string, number> = {};
  let expected = 0;
  let sent = 0;
  let acked = 0;
  let k = 0;

  const sendOne = async (t: number) => {
    const room = rooms[k % rooms.length]!;
    const sender = room.members[Math.floor(k / rooms.length) % room.members.length]!;
    const id = `${run}-${k++}`;
    sent++;
    sentPerRoom.set(room.jid, (sentPerRoom.get(room.jid) ?? 0) + 1);
    const reflected = new Promise<string | null>((resolve) => {
      const timer = setTimeout(() => resolve("timeout"), 10_000);
      state.pending.set(id, (e) => {
        clearTimeout(timer);
        state.pending.delete(id);
        resolve(e);
      });
    });
    const body = `fan-out ${id} ${t.toFixed(3)} 你好，世界`;
    const error = await clients[sender]!.send(xml("message", { to: room.jid, type: "groupchat", id }, xml("body", {}, body))).then(
      () => reflected,
      (err: Error) => `send: ${err.message}`,
    );
    acks.push(performance.now() - t);
    if (error === null) {
      acked++;
      expected += room.members.length;
    } else {
      errors[error] = (errors[error] ?? 0) + 1;
      sentPerRoom.set(room.jid, sentPerRoom.get(room.jid)! - 1);
    }
  };

  const m = await measured(pid, async () => {
    const seconds = await offerSends(mode, sendOne);
    state.windowOpen = false;
    return seconds;
  });
  // Stragglers: wait until every reflected (so archived) message reached every member (or 10 s).
  const until = performance.now() + 10_000;
  while (state.deliveries < expected && performance.now() < until) await sleep(50);
  live = undefined;
  const seconds = m.result;
  return {
    sent,
    acked,
    errors,
    deliveries: state.deliveries,
    expected,
    latency: summary(state.latencies),
    ack: summary(acks),
    deliveriesPerSecond: state.deliveriesInWindow / seconds,
    messagesPerSecond: acked / seconds,
    cpuPercent: m.cpuPercent,
    rssPeak: m.rssPeak,
    pgCpuPercent: m.pgCpuPercent,
    generatorCpuPercent: m.generatorCpuPercent,
    machineCpuPercent: m.machineCpuPercent,
  };
}

/** Connects `count` clients, `concurrency` at a time, each joined to its room. */
async function connectAll(port: number, count: number, roomOf: (i: number) => string, concurrency = 20): Promise<XmppClient[]> {
  const clients: XmppClient[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      for (let attempt = 1; ; attempt++) {
        try {
          clients[i] = await connectAndJoin(port, i, roomOf(i));
          break;
        } catch (err) {
          if (attempt === 3) throw err;
          console.log(`  u${i}: ${(err as Error).message || (err as Error).name}; retrying`);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return clients;
}

/** MAM (XEP-0313) through the room: the number of archived messages it reports for `room`. */
async function archivedCount(c: XmppClient, room: string): Promise<number> {
  const res = await c.iqCaller.request(
    xml("iq", { type: "set", to: room }, xml("query", { xmlns: NS_MAM, queryid: "count" }, xml("set", { xmlns: NS_RSM }, xml("max", {}, "0")))),
    30_000,
  );
  const count = res.getChild("fin", NS_MAM)?.getChild("set", NS_RSM)?.getChildText("count");
  if (count == null) throw new Error(`MAM query to ${room}: no count in ${res.toString()}`);
  return Number(count);
}

type TPeerResult = { fixed: TPhase; saturated: TPhase; archive: string };

/** One XMPP server set up for the run: users created, database (if any) ready; `start` gives a fresh process. */
type TPeer = {
  name: "prosody" | "ejabberd";
  /** "Prosody 0.12.3, PostgreSQL" — for the table */
  label: string;
  port: number;
  start: () => Promise<TServer>;
  /** Rows in the server's SQL archive for rooms whose name starts with `prefix` (undefined: not SQL). */
  archiveRows?: (prefix: string) => Promise<number>;
  /** Error lines in its log so far. */
  logErrors: () => string[];
  cleanup: () => Promise<void>;
};

async function runPeer(peer: TPeer, cfg: TFanoutConfig): Promise<TPeerResult> {
  const server = await peer.start();
  const clients: XmppClient[] = [];
  try {
    const rooms: TRoom[] = [];
    for (let r = 0; r * cfg.members < cfg.sockets; r++) {
      const members = Array.from({ length: Math.min(cfg.members, cfg.sockets - r * cfg.members) }, (_, j) => r * cfg.members + j);
      // Named per configuration: rooms are persistent, and 1,000 × 10 must not reuse 200 × 10's archive.
      rooms.push({ jid: `s${cfg.sockets}-g${cfg.members}-${r}@${MUC_DOMAIN}`, members });
    }
    const t0 = performance.now();
    clients.push(...(await connectAll(peer.port, cfg.sockets, (i) => rooms[Math.floor(i / cfg.members)]!.jid)));
    console.log(`  ${peer.name}: ${cfg.sockets} clients connected and joined ${rooms.length} rooms in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    await sleep(500);
    const sentPerRoom = new Map<string, number>();
    await drive(server.pid, clients, rooms, sentPerRoom, { kind: "rate", rate: cfg.rate, seconds: 1 });
    const fixed = await drive(server.pid, clients, rooms, sentPerRoom, { kind: "rate", rate: cfg.rate, seconds: cfg.seconds });
    const saturated = await drive(server.pid, clients, rooms, sentPerRoom, { kind: "window", window: cfg.window, seconds: cfg.saturateSeconds });
    // The archive really holds what was sent: ask one room over MAM, and (SQL) count the table.
    const room = rooms[0]!;
    const viaMam = await archivedCount(clients[room.members[0]!]!, room.jid);
    const want = sentPerRoom.get(room.jid) ?? 0;
    let archive = `MAM count for ${room.jid.split("@")[0]}: ${viaMam} archived / ${want} sent`;
    if (viaMam !== want) archive += " — MAM MISMATCH";
    if (peer.archiveRows) {
      const total = [...sentPerRoom.values()].reduce((a, b) => a + b, 0);
      const n = await peer.archiveRows(`s${cfg.sockets}-g${cfg.members}-`);
      archive += `; archive table, all ${rooms.length} rooms: ${n} rows / ${total} sent`;
      if (n !== total) archive += " — MISMATCH";
    }
    return { fixed, saturated, archive };
  } catch (err) {
    console.error(server.log());
    throw err;
  } finally {
    await Promise.all(clients.filter(Boolean).map((c) => c.stop().catch(() => undefined)));
    await server.stop();
  }
}

/** A throwaway PostgreSQL database next to Parley's, for a peer's SQL storage. */
async function createPeerDb(prefix: string): Promise<{ sql: TSqlParams; pool: pg.Pool; version: string; drop: () => Promise<void> }> {
  const admin = adminUrl();
  const name = `${prefix}_${randomBytes(4).toString("hex")}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`CREATE DATABASE ${name}`);
  const version = (await c.query<{ server_version: string }>("SHOW server_version")).rows[0]!.server_version;
  await c.end();
  const u = new URL(admin);
  const sql = { database: name, host: u.hostname, port: Number(u.port || 5432), username: decodeURIComponent(u.username || "postgres"), password: u.password ? decodeURIComponent(u.password) : undefined };
  u.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: u.toString(), max: 2 });
  return {
    sql,
    pool,
    version,
    drop: async () => {
      await pool.end();
      const d = new pg.Client({ connectionString: admin });
      await d.connect();
      await d.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await d.end();
    },
  };
}

/** Prosody with a generated config in its own temp dir; users created through its admin shell. */
async function setupProsody(storage: TStorage, users: number): Promise<TPeer> {
  const tmp = tempDir();
  const db = storage === "sql" ? await createPeerDb("parley_bench_prosody") : undefined;
  try {
    mkdirSync(path.join(tmp.dir, "data"), { recursive: true });
    mkdirSync(path.join(tmp.dir, "certs"), { recursive: true });
    const port = await freePort();
    const cfgPath = path.join(tmp.dir, "prosody.cfg.lua");
    const logPath = path.join(tmp.dir, "prosody.log");
    writeFileSync(cfgPath, prosodyConfig(tmp.dir, port, storage, db?.sql));
    const start = () => startServer("prosody", [...pin(0), "prosody", "--config", cfgPath, "-F"], { port, logPath });
    const version = prosodyVersion()!;
    console.log(
      `\nPeer: ${version} (Debian package ${debVersion("prosody")}, ${luaVersion()}), storage ${db ? `mod_storage_sql on PostgreSQL ${db.version} (lua-dbi-postgresql ${debVersion("lua-dbi-postgresql")})` : "internal (files)"}, MUC archive (mod_muc_mam) on for every room`,
    );
    const server = await start();
    try {
      const t0 = performance.now();
      createUsers(cfgPath, users);
      console.log(`  ${users} users created in ${((performance.now() - t0) / 1000).toFixed(1)} s (admin shell, usermanager.create_user)`);
    } finally {
      await server.stop();
    }
    return {
      name: "prosody",
      label: `${version}, ${db ? "PostgreSQL" : "file store"}`,
      port,
      start,
      archiveRows: db
        ? async (prefix) => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM prosodyarchive WHERE store = 'muc_log' AND "user" LIKE $1`, [`${prefix}%`])).rows[0]!.n)
        : undefined,
      logErrors: () => readLog(logPath).split("\n").filter((l) => /\terror\t/.test(l) && !l.includes("certificate")),
      cleanup: async () => {
        await db?.drop();
        tmp.remove();
      },
    };
  } catch (err) {
    await db?.drop();
    tmp.remove();
    throw err;
  }
}

/** "23.01-1" — the installed Debian package's version, or undefined. */
function debVersion(pkg: string): string | undefined {
  const r = spawnSync("dpkg-query", ["-W", "-f=${Version}", pkg], { encoding: "utf8" });
  return r.status === 0 && r.stdout.trim() ? r.stdout.trim() : undefined;
}

/** Whether Debian's ejabberd and its PostgreSQL driver (erlang-p1-pgsql) are installed. */
function ejabberdReady(): string | undefined {
  if (!debVersion("ejabberd")) return "ejabberd is not installed (apt-get install -y ejabberd erlang-p1-pgsql)";
  if (!debVersion("erlang-p1-pgsql")) return "ejabberd's PostgreSQL driver is not installed (apt-get install -y erlang-p1-pgsql)";
  if (process.getuid?.() !== 0) return "Debian's ejabberdctl runs only as root or the ejabberd user";
  return undefined;
}

/** ejabberd.yml: loopback c2s without TLS, SQL auth and storage on PostgreSQL, MUC rooms archived (mod_mam) and persistent. */
function ejabberdConfig(port: number, sql: TSqlParams): string {
  const y = (v: string) => JSON.stringify(v); // a JSON string is a YAML string
  return `# Generated by scripts/bench/xmpp.ts for one benchmark run; deleted afterwards.
hosts: [${y(DOMAIN)}]
loglevel: warning
certfiles: []
sql_type: pgsql
sql_server: ${y(sql.host)}
sql_port: ${sql.port}
sql_database: ${y(sql.database)}
sql_username: ${y(sql.username)}
sql_password: ${y(sql.password ?? "")}
sql_pool_size: 10
default_db: sql
auth_method: sql
auth_password_format: plain
listen:
  -
    port: ${port}
    ip: "127.0.0.1"
    module: ejabberd_c2s
    backlog: 1024
    starttls_required: false
    max_stanza_size: 262144
acl: {}
access_rules:
  local:
    allow: all
modules:
  mod_disco: {}
  mod_ping: {}
  mod_roster: {}
  mod_mam:
    db_type: sql
    default: always
  mod_muc:
    host: ${y(MUC_DOMAIN)}
    access: all
    access_create: all
    access_persistent: all
    db_type: sql
    max_users: 1000
    default_room_options:
      mam: true
      persistent: true
`;
}

/**
 * ejabberd from Debian's package, started by ejabberdctl as the ejabberd user (setpriv) with a
 * generated config, spool and logs in its own temp dir and an Erlang node name of its own. Storage
 * on PostgreSQL with ejabberd's own schema (/usr/share/ejabberd/sql/pg.sql); users inserted into its
 * `users` table in one statement (auth_password_format: plain — ejabberdctl register is one Erlang
 * VM per user).
 */
async function setupEjabberd(users: number): Promise<TPeer> {
  const tmp = tempDir();
  const db = await createPeerDb("parley_bench_ejabberd");
  try {
    const port = await freePort();
    const dir = tmp.dir;
    const cfgPath = path.join(dir, "ejabberd.yml");
    const logPath = path.join(dir, "logs", "error.log");
    const pidPath = path.join(dir, "ejabberd.pid");
    mkdirSync(path.join(dir, "logs"));
    mkdirSync(path.join(dir, "spool"));
    writeFileSync(cfgPath, ejabberdConfig(port, db.sql));
    writeFileSync(path.join(dir, "inetrc"), ""); // ejabberdctl points ERL_INETRC here
    spawnSync("chown", ["-R", "ejabberd:ejabberd", dir]);
    await db.pool.query(readFileSync("/usr/share/ejabberd/sql/pg.sql", "utf8"));
    await db.pool.query(`INSERT INTO users (username, password) SELECT 'u' || g, $2 FROM generate_series(0, $1::int - 1) g`, [users, PASSWORD]);
    const node = `parleybench${randomBytes(3).toString("hex")}@localhost`;
    const version = debVersion("ejabberd")!;
    console.log(`\nPeer: ejabberd ${version} (Debian package, Erlang/OTP ${spawnSync("erl", ["-noshell", "-eval", "io:format(\"~s\", [erlang:system_info(otp_release)]), halt()."], { encoding: "utf8" }).stdout.trim()}), SQL storage on PostgreSQL ${db.version} (erlang-p1-pgsql ${debVersion("erlang-p1-pgsql")}), mod_mam on for every room; ${users} users inserted`);
    const start = () => {
      rmSync(pidPath, { force: true });
      // setpriv instead of ejabberdctl's own `su ejabberd`: su's PAM session lowers the open-files
      // limit to 1,024, and ejabberd then refuses the 1,000-client configuration.
      const args = [...pin(0), "setpriv", "--reuid=ejabberd", "--regid=ejabberd", "--init-groups", "ejabberdctl", "--config-dir", dir, "--config", cfgPath, "--logs", path.join(dir, "logs"), "--spool", path.join(dir, "spool"), "--node", node, "foreground"];
      return startServer("ejabberd", args, {
        port,
        logPath,
        cwd: dir,
        env: { ...process.env, EJABBERD_PID_PATH: pidPath, HOME: "/var/lib/ejabberd" }, // the ejabberd user's Erlang cookie
        serverPid: () => {
          try {
            return Number(readFileSync(pidPath, "utf8").trim()) || undefined;
          } catch {
            return undefined;
          }
        },
      });
    };
    return {
      name: "ejabberd",
      label: `ejabberd ${version.replace(/-.*/, "")}, PostgreSQL`,
      port,
      start,
      archiveRows: async (prefix) => Number((await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM archive WHERE kind = 'groupchat' AND username LIKE $1`, [`${prefix}%`])).rows[0]!.n),
      logErrors: () => readLog(logPath).split("\n").filter((l) => /\[error\]|\[critical\]/.test(l)),
      cleanup: async () => {
        await db.drop();
        tmp.remove();
      },
    };
  } catch (err) {
    await db.drop();
    tmp.remove();
    throw err;
  }
}

/** The side-by-side table (markdown) for docs/performance.md. */
function table(rows: { cfg: TFanoutConfig; parley: { fixed: TPhase; saturated: TPhase }; peers: { peer: TPeer; result: TPeerResult }[] }[]): string {
  const lat = (p: TPhase) => `${f1(p.latency.p50)} / ${f1(p.latency.p99)} / ${f1(p.latency.p999)} ms`;
  const res = (p: TPhase) => `${p.cpuPercent.toFixed(0)} %, ${(p.rssPeak / 2 ** 20).toFixed(0)} MiB`;
  const sat = (p: TPhase) => `${p.deliveriesPerSecond.toFixed(0)} (${p.messagesPerSecond.toFixed(0)})`;
  const out = [
    "| sockets × members | | send→deliver p50 / p99 / p99.9 (fixed rate) | server CPU, RSS (fixed rate) | saturated deliveries/s (msg/s) | server CPU per delivery (saturated) |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const { cfg, parley, peers } of rows) {
    out.push(`| ${cfg.sockets} × ${cfg.members} | Parley | ${lat(parley.fixed)} | ${res(parley.fixed)} | ${sat(parley.saturated)} | ${f1(usPerDelivery(parley.saturated))} µs |`);
    for (const { peer, result } of peers) {
      out.push(`| | ${peer.label} | ${lat(result.fixed)} | ${res(result.fixed)} | ${sat(result.saturated)} | ${f1(usPerDelivery(result.saturated))} µs |`);
      out.push(
        `| | Parley ÷ ${peer.name} | p50 ${f2(parley.fixed.latency.p50 / result.fixed.latency.p50)}×, p99 ${f2(parley.fixed.latency.p99 / result.fixed.latency.p99)}× | | ${f2(parley.saturated.deliveriesPerSecond / result.saturated.deliveriesPerSecond)}× | ${f2(usPerDelivery(parley.saturated) / usPerDelivery(result.saturated))}× |`,
      );
    }
  }
  return out.join("\n");
}

/**
 * `npm run bench -- xmpp`: Prosody (and ejabberd when installed; BENCH_XMPP_SERVERS=prosody,ejabberd)
 * and Parley under the same fan-out load, one server at a time, side by side.
 */
export async function runXmpp(configs: TFanoutConfig[]): Promise<void> {
  if (!prosodyVersion()) {
    console.error(`Prosody is not installed. Install it from Debian's packages first:\n  ${INSTALL}`);
    process.exit(2);
  }
  const storage: TStorage = process.env.BENCH_XMPP_STORAGE === "internal" ? "internal" : "sql";
  if (storage === "sql" && !hasPostgresDriver()) {
    console.error(`Prosody's PostgreSQL storage needs LuaDBI's driver:\n  ${INSTALL}\n(or BENCH_XMPP_STORAGE=internal for Prosody's file store)`);
    process.exit(2);
  }
  const wanted = (process.env.BENCH_XMPP_SERVERS ?? "prosody,ejabberd").split(",");
  const ejabberdProblem = wanted.includes("ejabberd") ? ejabberdReady() : "not asked for";
  if (wanted.includes("ejabberd") && ejabberdProblem) console.log(`Skipping ejabberd: ${ejabberdProblem}`);
  pinSelf(1);
  // A client socket reset by a server (seen once while 1,000 clients closed) surfaces as a rejection
  // inside @xmpp/client with no caller left to catch it: count and report it instead of dying; a lost
  // delivery still shows as delivered < expected.
  let resets = 0;
  const onRejection = (err: unknown) => {
    const code = (err as NodeJS.ErrnoException)?.code;
    if (code !== "ECONNRESET" && code !== "EPIPE") throw err;
    if (resets++ === 0) console.log(`  (a client connection was reset: ${(err as Error).stack?.split("\n").slice(0, 3).join(" | ")})`);
  };
  process.on("unhandledRejection", onRejection);
  const maxSockets = Math.max(...configs.map((c) => c.sockets));
  const peers: TPeer[] = [];
  const parleyDb = await openFanoutDb(configs);
  try {
    if (wanted.includes("prosody")) peers.push(await setupProsody(storage, maxSockets));
    if (!ejabberdProblem) peers.push(await setupEjabberd(maxSockets));
    console.log(`\nEach server on core 0 (taskset), one at a time; generator on core 1; PostgreSQL unpinned. Load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}`);
    const rows: { cfg: TFanoutConfig; parley: { fixed: TPhase; saturated: TPhase }; peers: { peer: TPeer; result: TPeerResult }[] }[] = [];
    for (const cfg of configs) {
      console.log(`\n${cfg.sockets} clients, rooms of ${cfg.members}, ${cfg.rate} msg/s for ${cfg.seconds} s; saturation: ${cfg.window} in flight for ${cfg.saturateSeconds} s`);
      const results: { peer: TPeer; result: TPeerResult }[] = [];
      for (const peer of peers) results.push({ peer, result: await runPeer(peer, cfg) });
      const parley = await runTarget("parley", cfg, parleyDb.seed, parleyDb.url);
      console.log(line("parley   fixed rate", parley.fixed));
      for (const { peer, result } of results) console.log(line(`${peer.name.padEnd(8)} fixed rate`, result.fixed));
      console.log(line("parley   saturated", parley.saturated));
      for (const { peer, result } of results) console.log(line(`${peer.name.padEnd(8)} saturated`, result.saturated));
      for (const { peer, result } of results) {
        console.log(`  ${peer.name}: generator CPU ${result.fixed.generatorCpuPercent.toFixed(0)} % (fixed rate), ${result.saturated.generatorCpuPercent.toFixed(0)} % (saturated) of its core; archive check: ${result.archive}`);
        const problems = peer.logErrors();
        if (problems.length) console.log(`  ${peer.name} log errors (${problems.length}):\n${problems.slice(-5).join("\n")}`);
      }
      console.log(`  load average ${os.loadavg().map((n) => n.toFixed(1)).join(" ")}`);
      rows.push({ cfg, parley, peers: results });
    }
    console.log(`\nSide by side (deliveries/s and CPU per delivery saturated; latency at the fixed rate):\n\n${table(rows)}\n`);
  } finally {
    process.off("unhandledRejection", onRejection);
    if (resets) console.log(`${resets} client connection(s) were reset by a server during the run`);
    for (const peer of peers) await peer.cleanup();
    await parleyDb.close();
  }
}
