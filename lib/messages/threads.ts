/**
 * Threads: reading one. Replies are sent with sendMessage (input.threadRootId, and `broadcast` to
 * also show the reply in the channel); they take the channel's seq like any message.
 */
import { getChannelAccess } from "@/lib/channels/access";
import { AppError } from "@/lib/errors";
import { refuse } from "@/lib/messages/refusals";
import * as repo from "@/lib/messages/repository";
import { ZRepliesQuery, type TThreadPage } from "@/lib/messages/schema";
import type { TActor } from "@/lib/users/service";

/**
 * A thread's root and a page of its replies in order (seq cursor `after`, no OFFSET). A reply's id
 * finds its thread. A deleted root still shows (empty) while it has replies. Refusal: thread_not_found.
 */
export async function listReplies({ actor, input }: { actor: TActor; input: unknown }): Promise<TThreadPage> {
  const q = ZRepliesQuery.parse(input);
  const notFound = () => refuse("not_found", "thread_not_found", "Thread not found");
  let root = await repo.findMessageById(q.messageId);
  if (root?.threadRootId) root = await repo.findMessageById(root.threadRootId);
  if (!root) throw notFound();
  const access = await getChannelAccess(actor, root.channelId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === "not_found" ? notFound() : err;
  });
  if (root.deletedAt && root.replyCount === 0) throw notFound();
  // `head` was read (with access) before the replies, so changes after it are never missed.
  const rows = await repo.listReplies(root.id, q.after ?? 0, q.limit + 1);
  return { root: repo.toMessage(root), replies: rows.slice(0, q.limit).map(repo.toMessage), head: access.channel.lastSeq, hasMore: rows.length > q.limit };
}
