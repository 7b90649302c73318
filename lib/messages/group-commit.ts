/**
 * Group commit for new messages. Sends that arrive while a batch is being written wait for the next
 * batch, which is ONE statement (lib/messages/repository.ts writeMessageBatch): it checks every
 * sender's right to post and finds retries, takes each channel's next seqs (rows locked in id order,
 * only while it runs), inserts the messages, moves read positions and returns what
 * the acknowledgements need — one round trip per batch, whatever its size. An idle server writes a
 * batch of one at once, so nothing waits on a timer; under load the batches grow and the database
 * does a fraction of the work per message.
 *
 * The promise is unchanged: a send resolves only after its batch commits. Anything the fast checks do
 * not clearly allow (not a member, archived, announcement rules, a clientMsgId race) and any batch that
 * fails is retried one by one through the ordinary path, which gives the precise answer or error.
 */
import { randomBytes } from "node:crypto";
import { AppError } from "@/lib/errors";
import type { TMessageExtras } from "@/lib/messages/repository";
import * as repo from "@/lib/messages/repository";
import type { TMarkup, TMessage } from "@/lib/messages/schema";
import { formatTs } from "@/lib/messages/ts";
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
 * idle during each batch's round trips and commit; more than two split the same sends into smaller
 * batches, and a batch's fixed cost (~0.5 ms of PostgreSQL CPU) is paid more often: at 64 sends in
 * flight, four gave batches of 10 and 8,000–10,000 sends/s, two give batches of 18 and 9,800–11,500/s
 * (docs/performance.md, Persistence).
 */
const MAX_PARALLEL = 2;
/** Fewest waiting sends worth a batch of their own while another batch is in flight. */
const MIN_EXTRA_BATCH = 8;

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
 * With a batch already in flight, another starts only for at least MIN_EXTRA_BATCH waiting sends:
 * every batch pays a round trip, a plan execution and a commit, so a trickle is cheaper in one batch
 * than spread thin over several.
 */
function pump(): void {
  const s = state();
  while (s.queue.length && s.inFlight < MAX_PARALLEL) {
    const waitingPer = new Map<string, number>();
    for (const j of s.queue) if (!s.busy.has(j.channelId)) waitingPer.set(j.channelId, (waitingPer.get(j.channelId) ?? 0) + 1);
    const waiting = [...waitingPer.values()].reduce((a, b) => a + b, 0);
    if (!waiting || (s.inFlight > 0 && waiting < MIN_EXTRA_BATCH)) return;
    // Share the waiting sends among the batches worth starting, whole channels each, in arrival order.
    const batches = Math.max(1, Math.min(MAX_PARALLEL - s.inFlight, Math.floor(waiting / MIN_EXTRA_BATCH)));
    const target = Math.min(MAX_BATCH, Math.ceil(waiting / batches));
    const mine = new Set<string>();
    let size = 0;
    for (const [channelId, n] of waitingPer) {
      if (size >= target) break;
      mine.add(channelId);
      size += n;
    }
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

  const ids = newMessageIds(jobs.length);
  const rows = jobs.map((j, i) => toRow(j, ids[i]!));
  let outcomes: repo.TBatchOutcome[];
  try {
    outcomes = await repo.writeMessageBatch(rows);
  } catch {
    // A clientMsgId race with another node, a lost connection…: the ordinary path sorts each one out.
    await oneByOne(jobs);
    return;
  }
  const committed: { job: TQueued; c: TCommitted }[] = [];
  const retries: { job: TQueued; existingId: string }[] = [];
  const elsewhere: TQueued[] = [];
  jobs.forEach((job, i) => {
    const o = outcomes[i]!;
    if (o.written) committed.push({ job, c: { message: committedMessage(rows[i]!, o), workspaceId: o.workspaceId } });
    else if (o.existingId) retries.push({ job, existingId: o.existingId });
    else elsewhere.push(job);
  });
  if (committed.length) {
    state().batches++;
    state().batched += committed.length;
    for (const { c } of committed) hooks.published(c);
    for (const { job, c } of committed) job.resolve(c.message);
  }
  // Retries of stored messages are rare: only they cost another read.
  if (retries.length) {
    const stored = new Map((await repo.findMessagesByIds(retries.map((r) => r.existingId))).map((m) => [m.id, m]));
    for (const { job, existingId } of retries) {
      const prior = stored.get(existingId);
      if (!prior) {
        elsewhere.push(job);
        continue;
      }
      try {
        job.resolve(hooks.replay(prior, job.channelId));
      } catch (err) {
        job.reject(err);
      }
    }
  }
  await oneByOne(elsewhere);
}

/**
 * New message ids, time-prefixed with 72 random bits each (the one-by-one path lets Prisma make a cuid;
 * any id of [A-Za-z0-9_-] is valid). One call for the whole batch: the random source costs per call.
 */
function newMessageIds(n: number): string[] {
  const prefix = `m${Date.now().toString(36)}`;
  const random = randomBytes(9 * n).toString("base64url");
  return Array.from({ length: n }, (_, i) => prefix + random.slice(i * 12, i * 12 + 12));
}

function toRow(j: TQueued, id: string): repo.TBatchRow {
  return {
    id,
    channelId: j.channelId,
    senderId: j.actor.userId,
    workspaceScope: j.actor.workspaceId ?? null,
    clientMsgId: j.clientMsgId,
    body: j.body,
    markup: j.extras.markup ?? "md",
    blocks: j.extras.blocks?.length ? j.extras.blocks : null,
    attachments: j.extras.attachments?.length ? j.extras.attachments : null,
    overrideName: j.extras.overrideName ?? null,
    overrideIcon: j.extras.overrideIcon ?? null,
    subtype: j.extras.subtype ?? null,
  };
}

/**
 * The acknowledged message: what was written, plus what the database chose (seq, ts, time) — no
 * read-back. Built directly rather than through repo.toMessage (a row-shaped copy first cost ~10% of
 * the send path's CPU); tests/group-commit.test.ts checks it equals what history serves.
 */
function committedMessage(r: repo.TBatchRow, o: Extract<repo.TBatchOutcome, { written: true }>): TMessage {
  return {
    id: r.id,
    channelId: r.channelId,
    seq: o.seq,
    ts: formatTs(o.ts),
    sender: { id: r.senderId, name: o.sender.name, avatarUrl: o.sender.avatarUrl, isBot: o.sender.isBot, botId: o.sender.bot?.id ?? null },
    clientMsgId: r.clientMsgId,
    body: r.body,
    markup: r.markup as TMarkup,
    blocks: r.blocks,
    attachments: r.attachments,
    overrideName: r.overrideName,
    overrideIcon: r.overrideIcon,
    subtype: r.subtype,
    threadRootId: null,
    threadTs: null,
    replyCount: 0,
    broadcast: false,
    pinnedAt: null,
    pinnedById: null,
    reactions: [],
    editedAt: null,
    deletedAt: null,
    createdAt: o.createdAt.toISOString(),
  };
}

/** Batches written and messages in them since start (tests and benchmarks read it). */
export function groupCommitStats(): { batches: number; messages: number } {
  return { batches: state().batches, messages: state().batched };
}
