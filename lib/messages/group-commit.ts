/**
 * Group commit for new messages. Sends that arrive while a batch is being written wait for the next
 * batch: ONE query checks every sender's right to post (and finds retries), then ONE statement takes
 * each channel's next seqs (rows locked in id order, only while it runs), inserts the messages and
 * their events, moves read positions and returns what the acknowledgements need — two round trips
 * per batch, whatever its size. An idle server writes a batch of one at once, so nothing waits on a
 * timer; under load the batches grow and the database does a fraction of the work per message.
 *
 * The promise is unchanged: a send resolves only after its batch commits. Anything the fast checks do
 * not clearly allow (not a member, archived, announcement rules, a clientMsgId race) and any batch that
 * fails is retried one by one through the ordinary path, which gives the precise answer or error.
 */
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { TMessageExtras } from "@/lib/messages/repository";
import * as repo from "@/lib/messages/repository";
import type { TMessage } from "@/lib/messages/schema";
import { can, type TRole } from "@/lib/permissions";
import type { TActor } from "@/lib/users/service";

export type TBatchJob = {
  actor: TActor;
  channelId: string;
  body: string;
  clientMsgId: string | null;
  extras: TMessageExtras;
};

type TQueued = TBatchJob & { resolve: (m: TMessage) => void; reject: (err: unknown) => void };

/** What a committed message needs after the batch: its wire form and where to announce it. */
export type TCommitted = { message: TMessage; workspaceId: string };

/** `busy`: channels that a batch in flight is writing. */
type TState = { queue: TQueued[]; busy: Set<string>; inFlight: number; batches: number; batched: number };

/** Batches bigger than this wait for the next round (keeps one transaction's locks short). */
const MAX_BATCH = 256;
/**
 * Batches written at the same time, on separate connections. One at a time would leave the database
 * idle during each batch's round trips; batches touching the same channel still queue on its row lock
 * (taken in id order, so they cannot deadlock).
 */
const MAX_PARALLEL = 4;

const holder = globalThis as unknown as { __parleyGroupCommit?: TState };
function state(): TState {
  holder.__parleyGroupCommit ??= { queue: [], busy: new Set(), inFlight: 0, batches: 0, batched: 0 };
  return holder.__parleyGroupCommit;
}

type THooks = {
  /** The one-by-one path, for anything the batch does not handle. */
  sendOne: (job: TBatchJob) => Promise<TMessage>;
  /** Called once per committed message, in seq order per channel. */
  published: (c: TCommitted) => void;
  /** A stored message answering a retry of the same clientMsgId. */
  replay: (row: repo.TMessageRow, channelId: string) => TMessage;
};

let hooks: THooks | undefined;

/** Wires the batcher to the messages service (done once by lib/messages/service.ts). */
export function configureGroupCommit(h: THooks): void {
  hooks = h;
}

/** Queues a new top-level message; resolves once it is committed. */
export function postBatched(job: TBatchJob): Promise<TMessage> {
  return new Promise((resolve, reject) => {
    const s = state();
    s.queue.push({ ...job, resolve, reject });
    // A microtask lets sends that arrive in the same tick share a batch.
    if (s.queue.length === 1) queueMicrotask(pump);
  });
}

/**
 * Starts batches while there is work and a free slot. Batches in flight never share a channel: each
 * locks its channels for its one statement, so two overlapping batches would only queue on those
 * locks. A channel held by a running batch keeps its queued sends (in arrival order) for the next one.
 */
function pump(): void {
  const s = state();
  while (s.queue.length && s.inFlight < MAX_PARALLEL) {
    const free: string[] = [];
    for (const j of s.queue) if (!s.busy.has(j.channelId) && !free.includes(j.channelId)) free.push(j.channelId);
    if (!free.length) return;
    // Share the free channels among the free slots, so batches run side by side rather than one big one.
    const mine = new Set(free.slice(0, Math.ceil(free.length / (MAX_PARALLEL - s.inFlight))));
    const batch: TQueued[] = [];
    s.queue = s.queue.filter((j) => {
      if (!mine.has(j.channelId) || batch.length >= MAX_BATCH) return true;
      batch.push(j);
      return false;
    });
    for (const c of mine) s.busy.add(c);
    s.inFlight++;
    void flush(batch)
      .catch((err: unknown) => {
        for (const j of batch) j.reject(err);
      })
      .finally(() => {
        for (const c of mine) s.busy.delete(c);
        s.inFlight--;
        pump();
      });
  }
}

function canPost(r: { kind: string; archivedAt: Date | null; role: string; isPoster: boolean }): boolean {
  if (r.archivedAt) return false;
  if (r.kind === "ANNOUNCEMENT") return can(r.role as TRole, "messages.post_announcement") || r.isPoster;
  return true;
}

async function oneByOne(jobs: TQueued[]): Promise<void> {
  for (const j of jobs) {
    try {
      j.resolve(await hooks!.sendOne(j));
    } catch (err) {
      j.reject(err);
    }
  }
}

async function flush(batch: TQueued[]): Promise<void> {
  if (!hooks) throw new Error("group commit is not configured");
  // The same (sender, clientMsgId) twice in one batch is one message: later copies share the first's answer.
  const firstByKey = new Map<string, TQueued>();
  const jobs: TQueued[] = [];
  for (const j of batch) {
    if (!j.clientMsgId) {
      jobs.push(j);
      continue;
    }
    const key = `${j.actor.userId}|${j.clientMsgId}`;
    const first = firstByKey.get(key);
    if (!first) {
      firstByKey.set(key, j);
      jobs.push(j);
      continue;
    }
    const { resolve: r1, reject: e1 } = first;
    first.resolve = (m) => {
      r1(m);
      if (m.channelId === j.channelId) j.resolve(m);
      else j.reject(new AppError("conflict", "This clientMsgId was already used for another conversation"));
    };
    first.reject = (err) => {
      e1(err);
      j.reject(err);
    };
  }

  const facts = await repo.findBatchFacts(jobs.map((j) => ({ channelId: j.channelId, userId: j.actor.userId, clientMsgId: j.clientMsgId })));
  // Retries of stored messages are rare: only they cost a second read.
  const existingIds = facts.flatMap((f) => (f.existingId ? [f.existingId] : []));
  const stored = new Map(existingIds.length ? (await repo.findMessagesByIds(existingIds)).map((m) => [m.id, m]) : []);

  const ready: TReady[] = [];
  const elsewhere: TQueued[] = [];
  jobs.forEach((j, i) => {
    const { right, sender, existingId } = facts[i]!;
    const prior = existingId ? stored.get(existingId) : undefined;
    if (prior) {
      try {
        j.resolve(hooks!.replay(prior, j.channelId));
      } catch (err) {
        j.reject(err);
      }
      return;
    }
    const allowed = right && sender && !existingId && canPost(right) && (!j.actor.workspaceId || j.actor.workspaceId === right.workspaceId);
    if (allowed) ready.push({ ...j, workspaceId: right.workspaceId, sender });
    else elsewhere.push(j);
  });

  if (ready.length) {
    let committed: TCommitted[] | undefined;
    try {
      committed = await writeBatch(ready);
    } catch {
      // A clientMsgId race with another node, a lost connection…: the ordinary path sorts each one out.
      await oneByOne(ready);
    }
    if (committed) {
      state().batches++;
      state().batched += committed.length;
      for (const c of committed) hooks.published(c);
      committed.forEach((c, i) => ready[i]!.resolve(c.message));
    }
  }
  await oneByOne(elsewhere);
}

/** A new message id (the one-by-one path lets Prisma make a cuid; any id of [A-Za-z0-9_-] is valid). */
function newMessageId(): string {
  return `m${Date.now().toString(36)}${randomBytes(9).toString("base64url")}`;
}

type TReady = TQueued & { workspaceId: string; sender: NonNullable<repo.TBatchFacts["sender"]> };

async function writeBatch(ready: TReady[]): Promise<TCommitted[]> {
  const rows: repo.TBatchRow[] = ready.map((j) => ({
    id: newMessageId(),
    channelId: j.channelId,
    senderId: j.actor.userId,
    clientMsgId: j.clientMsgId,
    body: j.body,
    markup: j.extras.markup ?? "md",
    blocks: j.extras.blocks?.length ? j.extras.blocks : null,
    attachments: j.extras.attachments?.length ? j.extras.attachments : null,
    overrideName: j.extras.overrideName ?? null,
    overrideIcon: j.extras.overrideIcon ?? null,
    subtype: j.extras.subtype ?? null,
  }));
  const written = new Map((await repo.writeMessageBatch(rows)).map((w) => [w.id, w]));
  // Committed. The statement returned what the database chose (seq, ts, time); the rest is what was written.
  return rows.map((r, i) => {
    const w = written.get(r.id)!;
    const row: repo.TMessageRow = {
      ...r,
      blocks: r.blocks as repo.TMessageRow["blocks"],
      attachments: r.attachments as repo.TMessageRow["attachments"],
      seq: w.seq,
      ts: w.ts,
      createdAt: w.createdAt,
      threadRootId: null,
      replyCount: 0,
      broadcast: false,
      pinnedAt: null,
      pinnedById: null,
      editedAt: null,
      deletedAt: null,
      sender: ready[i]!.sender,
      threadRoot: null,
      reactions: [],
    };
    return { message: repo.toMessage(row), workspaceId: ready[i]!.workspaceId };
  });
}

/** Batches written and messages in them since start (tests and benchmarks read it). */
export function groupCommitStats(): { batches: number; messages: number } {
  return { batches: state().batches, messages: state().batched };
}
