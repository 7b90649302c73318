/**
 * Shared pieces of the reliability scenarios: seeded people, recording clients behind the load
 * balancer, steady traffic, convergence, and the checks every scenario ends with:
 *   1. each client's applied sequence, for every conversation it may read, equals the database's
 *      (no gap, no duplicate, strictly increasing);
 *   2. every acknowledged clientMsgId is stored exactly once (an ack is never false);
 *   3. zero frames for conversations a client may not read (after a removal: none past it).
 */
import { randomBytes } from "node:crypto";
import pg from "pg";
import { mintCookie, RecordingClient } from "@/tests/reliability/client";
import { HARNESS_APP_NAME, type Cluster } from "@/tests/reliability/cluster";

type TServices = {
  signUp: typeof import("@/lib/users/service").signUp;
  findUserById: typeof import("@/lib/users/repository").findUserById;
  createWorkspace: typeof import("@/lib/workspaces/service").createWorkspace;
  addMemberDirect: typeof import("@/lib/workspaces/service").addMemberDirect;
  createChannel: typeof import("@/lib/channels/service").createChannel;
  addChannelMembers: typeof import("@/lib/channels/service").addChannelMembers;
  removeChannelMember: typeof import("@/lib/channels/service").removeChannelMember;
  editMessage: typeof import("@/lib/messages/service").editMessage;
  deleteMessage: typeof import("@/lib/messages/service").deleteMessage;
  addReaction: typeof import("@/lib/messages/reactions").addReaction;
};

export type TUser = { id: string; cookie: string };

export const rid = () => randomBytes(5).toString("hex");
export const msgId = () => `r${randomBytes(10).toString("hex")}`;
export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Harness {
  users: TUser[] = [];
  owner!: TUser;
  slug = `rel-${rid()}`;
  clients: RecordingClient[] = [];
  /** clientMsgId → stored message id, for every acknowledged send. */
  acked = new Map<string, string>();
  db!: pg.Pool;
  /** Per removed (user, channel): the channel head right after the removal committed. */
  removals: { userId: string; channelId: string; headAtRemoval: number }[] = [];

  constructor(
    readonly cluster: Cluster,
    readonly svc: TServices,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.cluster.lb.port}`;
  }

  /** Creates the owner and `count` people in one workspace. */
  async seed(count: number): Promise<void> {
    this.db = new pg.Pool({ connectionString: this.cluster.dbUrl, application_name: HARNESS_APP_NAME, max: 4 });
    this.db.on("error", (err) => console.error("[reliability] harness database connection:", err.message));
    const make = async (i: number): Promise<TUser> => {
      const u = await this.svc.signUp({ name: `rel ${i}`, email: `rel-${i}-${rid()}@example.test`, password: "correct horse battery" });
      const row = (await this.svc.findUserById(u.id))!;
      return { id: u.id, cookie: await mintCookie({ id: row.id, sessionVersion: row.sessionVersion, name: row.name, email: row.email }, this.cluster.secret) };
    };
    this.owner = await make(0);
    await this.svc.createWorkspace({ actor: { userId: this.owner.id }, input: { name: "Reliability", slug: this.slug } });
    for (let i = 1; i <= count; i += 20) {
      const batch = await Promise.all(Array.from({ length: Math.min(20, count - i + 1) }, (_, k) => make(i + k)));
      for (const u of batch) await this.svc.addMemberDirect({ workspaceSlug: this.slug, userId: u.id, role: "MEMBER" });
      this.users.push(...batch);
    }
  }

  /** A new private conversation with these people (and the owner). */
  async channel(members: TUser[]): Promise<string> {
    const ch = await this.svc.createChannel({ actor: { userId: this.owner.id }, slug: this.slug, input: { name: `rel-${rid()}`, kind: "PRIVATE", memberIds: members.map((m) => m.id) } });
    return ch.id;
  }

  /** A connected recording client for `user`, watching `watched`. */
  async client(user: TUser, watched: string[]): Promise<RecordingClient> {
    const c = new RecordingClient(this.url, user.cookie, user.id, watched);
    this.clients.push(c);
    for (let attempt = 0; ; attempt++) {
      try {
        await c.connect();
        return c;
      } catch (err) {
        if (attempt > 50) throw err;
        await sleep(100);
      }
    }
  }

  /**
   * Each producer sends `perProducer` messages to its channel, one every `intervalMs` (within the
   * per-person rate limit), retrying like the browser outbox. Resolves when all are acknowledged.
   */
  async traffic(producers: { client: RecordingClient; channelId: string }[], perProducer: number, intervalMs: number, label = "m"): Promise<void> {
    await Promise.all(
      producers.map(async ({ client, channelId }, p) => {
        for (let i = 0; i < perProducer; i++) {
          const started = Date.now();
          const id = msgId();
          const m = await client.sendReliably(channelId, `${label} ${p}.${i} 你好`, id);
          this.acked.set(id, m.id);
          const wait = intervalMs - (Date.now() - started);
          if (wait > 0) await sleep(wait);
        }
      }),
    );
  }

  async dbSeqs(channelId: string): Promise<number[]> {
    const res = await this.db.query<{ seq: number }>(`SELECT seq FROM "ChannelChange" WHERE "channelId" = $1 ORDER BY seq`, [channelId]);
    return res.rows.map((r) => Number(r.seq));
  }

  async head(channelId: string): Promise<number> {
    const res = await this.db.query<{ lastSeq: number }>(`SELECT "lastSeq" FROM "Channel" WHERE id = $1`, [channelId]);
    return Number(res.rows[0]?.lastSeq ?? 0);
  }

  private async readableBy(userId: string): Promise<Set<string>> {
    const res = await this.db.query<{ channelId: string }>(`SELECT "channelId" FROM "ChannelMember" WHERE "userId" = $1`, [userId]);
    return new Set(res.rows.map((r) => r.channelId));
  }

  /** Waits until every client has applied every change of every conversation it watches and may read. */
  async converge(clients: RecordingClient[], timeoutMs: number): Promise<number> {
    const started = Date.now();
    for (;;) {
      let behind = 0;
      // Why, if it comes to failing: how far behind, connected or not, and what their requests met.
      const gaps = new Map<string, number>();
      for (const c of clients) {
        const readable = await this.readableBy(c.userId);
        for (const ch of c.watched) {
          const [last, head] = [c.last.get(ch) ?? 0, await this.head(ch)];
          if (!readable.has(ch) || last >= head) continue;
          behind++;
          const key = `${head - last} behind, ${c.socket.connected ? "connected" : "disconnected"}, errors {${[...c.errorCodes].map(([k, v]) => `${k}: ${v}`).join(", ")}}`;
          gaps.set(key, (gaps.get(key) ?? 0) + 1);
        }
      }
      if (behind === 0) return Date.now() - started;
      if (Date.now() - started > timeoutMs) {
        const why = [...gaps].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, n]) => `${n} × ${k}`).join("; ");
        throw new Error(`${behind} client-conversations did not converge within ${timeoutMs} ms (${why})`);
      }
      await sleep(200);
    }
  }

  /** The three checks; returns the failures (empty = pass). */
  async verify(clients: RecordingClient[]): Promise<string[]> {
    const failures: string[] = [];
    const seqCache = new Map<string, number[]>();
    const seqs = async (ch: string) => {
      if (!seqCache.has(ch)) seqCache.set(ch, await this.dbSeqs(ch));
      return seqCache.get(ch)!;
    };
    for (const c of clients) {
      failures.push(...c.anomalies.map((a) => `client ${c.userId}: ${a}`));
      const readable = await this.readableBy(c.userId);
      for (const ch of c.watched) {
        const applied = c.applied.get(ch) ?? [];
        const removal = this.removals.find((r) => r.userId === c.userId && r.channelId === ch);
        if (readable.has(ch)) {
          const db = await seqs(ch);
          if (db.some((s, i) => s !== i + 1)) failures.push(`database sequence of ${ch} has a gap`);
          if (applied.join(",") !== db.join(",")) failures.push(`client ${c.userId} on ${ch}: applied ${summarize(applied)} but the database has ${summarize(db)}`);
        } else if (removal) {
          if (applied.some((s, i) => s !== i + 1)) failures.push(`removed client ${c.userId} on ${ch}: applied ${summarize(applied)} is not a gap-free prefix`);
          const late = c.frames.filter((f) => f.channelId === ch && f.seq > removal.headAtRemoval);
          if (late.length > 0) failures.push(`removed client ${c.userId} got ${late.length} frame(s) of ${ch} after the removal (seq ${late[0]!.seq} > ${removal.headAtRemoval})`);
        }
      }
      const foreign = c.frames.filter((f) => !readable.has(f.channelId) && !this.removals.some((r) => r.userId === c.userId && r.channelId === f.channelId));
      if (foreign.length > 0) failures.push(`client ${c.userId} got ${foreign.length} frame(s) of conversations it may not read`);
    }
    const ids = [...this.acked.keys()];
    if (ids.length > 0) {
      const res = await this.db.query<{ clientMsgId: string; id: string }>(`SELECT "clientMsgId", id FROM "Message" WHERE "clientMsgId" = ANY($1)`, [ids]);
      const stored = new Map<string, string[]>();
      for (const r of res.rows) stored.set(r.clientMsgId, [...(stored.get(r.clientMsgId) ?? []), r.id]);
      for (const [id, messageId] of this.acked) {
        const rows = stored.get(id) ?? [];
        if (rows.length !== 1 || rows[0] !== messageId) failures.push(`acknowledged ${id} stored ${rows.length} time(s)`);
      }
    }
    return failures;
  }

  /** Closes this scenario's clients. */
  closeClients(): void {
    for (const c of this.clients) c.close();
    this.clients = [];
    this.acked.clear();
    this.removals = [];
  }
}

function summarize(seqs: number[]): string {
  if (seqs.length === 0) return "[]";
  const dups = seqs.length - new Set(seqs).size;
  const gaps = seqs.filter((s, i) => i > 0 && s !== seqs[i - 1]! + 1).length;
  return `[${seqs[0]}..${seqs.at(-1)}] (${seqs.length} items, ${dups} duplicates, ${gaps} breaks)`;
}
