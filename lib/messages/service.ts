/**
 * Messages and the delivery contract (docs/realtime.md): every change takes the channel's next seq
 * in the same transaction that writes it, is recorded in the change log (a new message by its own row,
 * every later change by a ChannelEvent row: the "ChannelChange" view), and is published only after
 * commit. A retry with the same clientMsgId returns the stored message.
 */
import { assertCanPost, getChannelAccess } from "@/lib/channels/access";
import type { Prisma } from "@/lib/db";
import { AppError, forbidden, notFound } from "@/lib/errors";
import * as repo from "@/lib/messages/repository";
import { configureGroupCommit, postBatched } from "@/lib/messages/group-commit";
import { parseTs } from "@/lib/messages/ts";
import { ZDeleteMessage, ZEditMessage, ZEditRichMessage, ZSendRichMessage, ZHistoryQuery, ZSendMessage, ZSyncQuery, type THistoryPage, type TMessage, type TSendMessage } from "@/lib/messages/schema";
import { can } from "@/lib/permissions";
import { consume } from "@/lib/rate-limit";
import { publish, type TPinChange, type TReactionChange } from "@/lib/realtime/bus";
import type { TChangeType, TSyncResult } from "@/lib/realtime/contract";
import type { TActor } from "@/lib/users/service";

/** What a message.updated change was, for the Events API: a reaction (reaction_added/removed) or a pin (pin_added/removed). */
type TChangeKind = { reaction: TReactionChange } | { pin: TPinChange };

/** `seq` is the change's own number; `message.seq` stays the message's creation seq (its place in history). */
function publishChange(workspaceId: string, seq: number, type: TChangeType, message: TMessage, kind?: TChangeKind, edited = false): void {
  publish({ kind: "channel.event", event: { channelId: message.channelId, workspaceId, seq, type, message }, ...kind, ...(edited ? { edited } : {}) });
}

function replayExisting(existing: repo.TMessageRow, channelId: string): TMessage {
  if (existing.channelId !== channelId) throw new AppError("conflict", "This clientMsgId was already used for another conversation");
  return repo.toMessage(existing);
}

function hasRichContent(extras: Pick<repo.TMessageExtras, "blocks" | "attachments">): boolean {
  return !!(extras.blocks?.length || extras.attachments?.length);
}

const SEND_TOO_FAST = "You are sending messages too fast; slow down";

/**
 * Posts a message. Idempotent on (sender, clientMsgId); resolves only once it is committed.
 * New top-level messages go through group commit (lib/messages/group-commit.ts); thread replies, and
 * anything the batch leaves aside, take the one-by-one path below.
 */
export async function sendMessage({ actor, input, extras = {} }: { actor: TActor; input: unknown; extras?: repo.TMessageExtras }): Promise<TMessage> {
  const data = (hasRichContent(extras) ? ZSendRichMessage : ZSendMessage).parse(input);
  if (data.threadRootId) return sendOne(actor, data, extras, false);
  await consume("messageSend", actor.userId, SEND_TOO_FAST);
  return postBatched({ actor, channelId: data.channelId, body: data.body, clientMsgId: data.clientMsgId ?? null, extras });
}

configureGroupCommit({
  sendOne: (job) => sendOne(job.actor, { channelId: job.channelId, body: job.body, clientMsgId: job.clientMsgId ?? undefined }, job.extras, true),
  published: ({ message, workspaceId }) => publishChange(workspaceId, message.seq, "message.created", message),
  replay: replayExisting,
});

/** The one-by-one send: every check, then one transaction. `counted`: the flood limit was already charged. */
async function sendOne(actor: TActor, data: TSendMessage, extras: repo.TMessageExtras, counted: boolean): Promise<TMessage> {
  // A broadcast reply also lands in the channel's history, so it moves the channel's last-message time.
  const broadcast = !!data.threadRootId && !!(extras.broadcast || data.broadcast);
  const inChannel = !data.threadRootId || broadcast;
  // Independent reads, in parallel (PostgreSQL runs them on separate pooled connections).
  const [existing, accessResult, sender] = await Promise.all([
    data.clientMsgId ? repo.findMessageBySenderClientId(actor.userId, data.clientMsgId) : null,
    getChannelAccess(actor, data.channelId).then((a) => ({ ok: true as const, a }), (err: unknown) => ({ ok: false as const, err })),
    repo.findSender(actor.userId),
  ]);
  // A retry of a stored message answers with it, even if posting rights changed since.
  if (existing) return replayExisting(existing, data.channelId);
  if (!accessResult.ok) throw accessResult.err;
  const access = accessResult.a;
  assertCanPost(access);
  if (!sender) throw notFound("User not found");
  if (!counted) await consume("messageSend", actor.userId, SEND_TOO_FAST);
  let threadRoot: { ts: bigint } | null = null;
  if (data.threadRootId) {
    const root = await repo.findMessageById(data.threadRootId);
    if (!root || root.channelId !== data.channelId || root.deletedAt) throw notFound("Thread not found");
    if (root.threadRootId) throw new AppError("validation_failed", "Reply to the thread's first message, not to a reply");
    threadRoot = { ts: root.ts };
  }
  let created: { message: repo.TMessageRow; rootUpdate?: repo.TMessageRow; rootSeq?: number };
  try {
    // Keep the locked section short: the channel row is locked from nextSeq until commit.
    created = await repo.transaction(async (tx) => {
      const { seq, ts } = await repo.nextMessageSeq(tx, data.channelId, inChannel);
      const row = await repo.insertMessage(tx, {
        ...extras,
        broadcast,
        channelId: data.channelId,
        seq,
        ts,
        senderId: actor.userId,
        clientMsgId: data.clientMsgId ?? null,
        body: data.body,
        threadRootId: data.threadRootId ?? null,
      });
      const message = { ...row, sender, threadRoot, reactions: [] };
      // Your own message is read by you.
      await repo.advanceReadPosition(tx, data.channelId, actor.userId, seq);
      if (!data.threadRootId) return { message };
      // The root's reply count is a change everyone watching the channel must see, so it takes a seq too.
      const rootSeq = await repo.nextSeq(tx, data.channelId, false);
      await repo.incrementReplyCount(tx, data.threadRootId);
      await repo.insertEvent(tx, { channelId: data.channelId, seq: rootSeq, type: "message.updated", messageId: data.threadRootId });
      const rootUpdate = await repo.findMessageInTx(tx, data.threadRootId);
      return { message, rootUpdate, rootSeq };
    });
  } catch (err) {
    // A concurrent retry with the same clientMsgId won the race: answer with what it stored.
    if ((err as { code?: string }).code === "P2002" && data.clientMsgId) {
      const existing = await repo.findMessageBySenderClientId(actor.userId, data.clientMsgId);
      if (existing) return replayExisting(existing, data.channelId);
    }
    throw err;
  }
  const message = repo.toMessage(created.message);
  publishChange(access.channel.workspaceId, message.seq, "message.created", message);
  if (created.rootUpdate) publishChange(access.channel.workspaceId, created.rootSeq!, "message.updated", repo.toMessage(created.rootUpdate));
  return message;
}

async function getWritableMessage(actor: TActor, messageId: string) {
  const row = await repo.findMessageById(messageId);
  if (!row) throw notFound("Message not found");
  // Readability decides visibility: a message in a channel you cannot read does not exist for you.
  const access = await getChannelAccess(actor, row.channelId);
  if (row.deletedAt) throw notFound("Message not found");
  return { row, access };
}

/**
 * Records a change to an existing message: takes the channel's next seq (locking the channel row),
 * applies `data` only if the message is still not deleted — so a delete that committed meanwhile
 * wins over an edit, and two deletes cannot both succeed — logs the event and publishes it.
 * Reactions and pins (lib/messages/reactions.ts, pins.ts) are changes of this kind too.
 */
export async function changeMessage(
  row: Pick<repo.TMessageRow, "id" | "channelId">,
  workspaceId: string,
  type: Exclude<TChangeType, "message.created">,
  data: Prisma.MessageUpdateManyMutationInput,
  /**
   * More writes of the same change (a reaction, a pin), run under the channel lock after the guarded
   * update; throw to refuse. What it returns says what the change was, for the Events API.
   */
  within?: (tx: repo.TTx) => Promise<TChangeKind | void>,
): Promise<TMessage> {
  let kind: TChangeKind | undefined;
  const changed = await repo.transaction(async (tx) => {
    const seq = await repo.nextSeq(tx, row.channelId, false);
    if (!(await repo.updateMessageIfNotDeleted(tx, row.id, data))) throw notFound("Message not found");
    if (within) kind = (await within(tx)) ?? undefined;
    if (type === "message.deleted") await repo.deleteReactions(tx, row.id);
    await repo.insertEvent(tx, { channelId: row.channelId, seq, type, messageId: row.id });
    const message = await repo.findMessageInTx(tx, row.id);
    return { message, seq };
  });
  const message = repo.toMessage(changed.message);
  // An edit (new text) rather than a reaction, pin or reply count: the Events API's message_changed.
  publishChange(workspaceId, changed.seq, type, message, kind, type === "message.updated" && !!data.editedAt);
  return message;
}

/**
 * Edits your own message; marked "(edited)". `extras` (Web API chat.update) replaces its blocks and
 * attachments too: given as null they are removed.
 */
export async function editMessage({ actor, input, extras }: { actor: TActor; input: unknown; extras?: Pick<repo.TMessageExtras, "blocks" | "attachments" | "markup"> }): Promise<TMessage> {
  const data = (extras && hasRichContent(extras) ? ZEditRichMessage : ZEditMessage).parse(input);
  const { row, access } = await getWritableMessage(actor, data.messageId);
  if (row.senderId !== actor.userId) throw forbidden("You can only edit your own messages");
  if (access.channel.archivedAt) throw forbidden("This channel is archived; it is read-only");
  if (!extras && row.body === data.body) return repo.toMessage(row);
  const rich = extras
    ? { markup: extras.markup ?? row.markup, blocks: repo.jsonOrNull(extras.blocks), attachments: repo.jsonOrNull(extras.attachments) }
    : {};
  return changeMessage(row, access.channel.workspaceId, "message.updated", { body: data.body, editedAt: new Date(), ...rich });
}

/** Deletes a message (your own; admins any). Its content is erased, not hidden. */
export async function deleteMessage({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const data = ZDeleteMessage.parse(input);
  const { row, access } = await getWritableMessage(actor, data.messageId);
  if (row.senderId !== actor.userId && !can(access.role, "messages.delete_any")) throw forbidden("You can only delete your own messages");
  if (access.channel.archivedAt) throw forbidden("This channel is archived; it is read-only");
  const rootId = row.threadRootId;
  // A deleted reply no longer counts on its root: that is a change of its own (next seq), in the same transaction.
  let rootChange: { seq: number; row: repo.TMessageRow } | undefined;
  const deleted = await changeMessage(row, access.channel.workspaceId, "message.deleted", { body: "", deletedAt: new Date() }, async (tx) => {
    if (!rootId) return;
    const seq = await repo.nextSeq(tx, row.channelId, false);
    await repo.decrementReplyCount(tx, rootId);
    await repo.insertEvent(tx, { channelId: row.channelId, seq, type: "message.updated", messageId: rootId });
    rootChange = { seq, row: await repo.findMessageInTx(tx, rootId) };
  });
  if (rootChange) publishChange(access.channel.workspaceId, rootChange.seq, "message.updated", repo.toMessage(rootChange.row));
  // A deleted pinned message leaves the channel's pin count (it keeps pinnedAt as it was when deleted).
  if (deleted.pinnedAt) publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId: row.channelId });
  return deleted;
}

/**
 * A page of history, newest first by seq cursor. `head` is read before the page so a client that
 * then applies events after `head` cannot miss one.
 */
export async function listMessages({ actor, input }: { actor: TActor; input: unknown }): Promise<THistoryPage> {
  const q = ZHistoryQuery.parse(input);
  // The head is read before the rows: a change committed in between is in the page and replayed by
  // catch-up (harmless); read after, it could be in neither.
  const access = await getChannelAccess(actor, q.channelId);
  const head = access.channel.lastSeq;
  if (q.aroundTs !== undefined) return listAround(q.channelId, parseTs(q.aroundTs)!, q.limit, head);
  if (q.after !== undefined) {
    const rows = await repo.listHistoryAfter(q.channelId, q.after, q.limit + 1);
    const messages = rows.slice(0, q.limit).map(repo.toMessage);
    const hasMore = await repo.hasHistoryBefore(q.channelId, messages[0]?.seq ?? q.after + 1);
    return { messages, head, hasMore, hasNewer: rows.length > q.limit };
  }
  const rows = await repo.listHistory(q.channelId, q.before, q.limit + 1);
  const hasMore = rows.length > q.limit;
  const messages = rows.slice(0, q.limit).reverse().map(repo.toMessage);
  return { messages, head, hasMore };
}

/**
 * The page around one message (a search result, a permalink), centred on it: the message and about
 * half the page before it, the rest after. A thread reply that is not shown in the channel is found
 * through its root. 404 when the message (or that root) is gone.
 */
async function listAround(channelId: string, ts: bigint, limit: number, head: number): Promise<THistoryPage> {
  const found = await repo.findMessageByTs(channelId, ts);
  const centre = found?.threadRootId && !found.broadcast ? await repo.findMessageById(found.threadRootId) : found;
  if (!centre || centre.deletedAt) throw notFound("Message not found");
  const olderCount = Math.ceil(limit / 2); // the centre included
  const newerCount = limit - olderCount;
  const [older, newer] = await Promise.all([repo.listHistory(channelId, centre.seq + 1, olderCount + 1), repo.listHistoryAfter(channelId, centre.seq, newerCount + 1)]);
  const messages = [...older.slice(0, olderCount).reverse(), ...newer.slice(0, newerCount)].map(repo.toMessage);
  return { messages, head, hasMore: older.length > olderCount, hasNewer: newer.length > newerCount, focusId: centre.id };
}

/**
 * Catch-up: the changes after `after`, in seq order, each carrying the message as it is now
 * (so content deleted since is never replayed).
 */
export async function getChangesSince({ actor, input }: { actor: TActor; input: unknown }): Promise<TSyncResult> {
  const q = ZSyncQuery.parse(input);
  const access = await getChannelAccess(actor, q.channelId);
  const events = await repo.listEventsAfter(q.channelId, q.after, q.limit);
  const ids = [...new Set(events.map((e) => e.messageId).filter((id): id is string => !!id))];
  const byId = new Map((await repo.findMessagesByIds(ids)).map((m) => [m.id, repo.toMessage(m)]));
  const out: TSyncResult["events"] = [];
  for (const e of events) {
    const message = e.messageId ? byId.get(e.messageId) : undefined;
    if (!message) continue;
    out.push({ channelId: q.channelId, workspaceId: access.channel.workspaceId, seq: e.seq, type: e.type as TChangeType, message });
  }
  const last = events.at(-1)?.seq ?? q.after;
  return { channelId: q.channelId, events: out, head: Math.max(access.channel.lastSeq, last), through: last, hasMore: events.length === q.limit };
}
