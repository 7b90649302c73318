/**
 * Group commit for new messages. Sends that arrive while a batch is being written wait for the next
 * batch: one round of reads checks every sender's right to post, then ONE statement takes each
 * channel's next seqs (rows locked in id order, only while it runs), inserts the messages and their
 * events and moves read positions. An idle server writes a batch of one at once, so nothing waits on a timer;
 * under load the batches grow and the database does a fraction of the work per message.
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

type TState = { queue: TQueued[]; inFlight: number; batches: number; batched: number };

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
  holder.__parleyGroupCommit ??= { queue: [], inFlight: 0, batches: 0, batched: 0 };
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

/** Starts batches while there is work and a free slot; each finished batch calls it again. */
function pump(): void {
  const s = state();
  while (s.queue.length && s.inFlight < MAX_PARALLEL) {
    // Share the waiting sends among the free slots, so batches run side by side rather than one big one.
    const batch = s.queue.splice(0, Math.min(MAX_BATCH, Math.ceil(s.queue.length / (MAX_PARALLEL - s.inFlight))));
    s.inFlight++;
    void flush(batch)
      .catch((err: unknown) => {
        for (const j of batch) j.reject(err);
      })
      .finally(() => {
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

  const keyed = jobs.filter((j) => j.clientMsgId);
  const pairs = [...new Map(jobs.map((j) => [`${j.channelId}|${j.actor.userId}`, { channelId: j.channelId, userId: j.actor.userId }])).values()];
  const [existing, rights] = await Promise.all([
    keyed.length ? repo.findMessagesByClientIds(keyed.map((j) => ({ senderId: j.actor.userId, clientMsgId: j.clientMsgId! }))) : [],
    repo.findPostingRights(pairs),
  ]);
  const stored = new Map(existing.map((m) => [`${m.senderId}|${m.clientMsgId}`, m]));
  const rightByPair = new Map(rights.map((r) => [`${r.channelId}|${r.userId}`, r]));

  const ready: (TQueued & { workspaceId: string })[] = [];
  const elsewhere: TQueued[] = [];
  for (const j of jobs) {
    const prior = j.clientMsgId ? stored.get(`${j.actor.userId}|${j.clientMsgId}`) : undefined;
    if (prior) {
      try {
        j.resolve(hooks.replay(prior, j.channelId));
      } catch (err) {
        j.reject(err);
      }
      continue;
    }
    const right = rightByPair.get(`${j.channelId}|${j.actor.userId}`);
    const allowed = right && canPost(right) && (!j.actor.workspaceId || j.actor.workspaceId === right.workspaceId);
    if (allowed) ready.push({ ...j, workspaceId: right.workspaceId });
    else elsewhere.push(j);
  }

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

async function writeBatch(ready: (TQueued & { workspaceId: string })[]): Promise<TCommitted[]> {
  const rows: repo.TBatchRow[] = ready.map((j) => ({
    id: newMessageId(),
    channelId: j.channelId,
    senderId: j.actor.userId,
    clientMsgId: j.clientMsgId,
    body: j.body,
    markup: j.extras.markup ?? "md",
    blocks: j.extras.blocks ?? null,
    attachments: j.extras.attachments ?? null,
    overrideName: j.extras.overrideName ?? null,
    overrideIcon: j.extras.overrideIcon ?? null,
    subtype: j.extras.subtype ?? null,
  }));
  await repo.writeMessageBatch(rows);
  // Committed: read the messages back in their wire shape (outside any lock).
  const byId = new Map((await repo.findMessagesByIds(rows.map((r) => r.id))).map((m) => [m.id, m]));
  return rows.map((r, i) => ({ message: repo.toMessage(byId.get(r.id)!), workspaceId: ready[i]!.workspaceId }));
}

/** Batches written and messages in them since start (tests and benchmarks read it). */
export function groupCommitStats(): { batches: number; messages: number } {
  return { batches: state().batches, messages: state().batched };
}
