/**
 * Reactions. Each add or remove is a change everyone watching the channel must see: it takes the
 * channel's next seq, records a "message.updated" ChannelEvent and is published after commit, all
 * through changeMessage — the message carries its reaction summary. The channel row lock taken for
 * the seq also serialises the limit checks, so concurrent reactions cannot overshoot them.
 * Emoji are stored as Slack short names ("thumbsup", "+1", "white_check_mark"); unicode input is
 * converted to its name.
 */
import { getChannelAccess, type TChannelAccess } from "@/lib/channels/access";
import { AppError } from "@/lib/errors";
import { refuse } from "@/lib/messages/refusals";
import * as repo from "@/lib/messages/repository";
import { MAX_EMOJI_PER_MESSAGE, MAX_REACTIONS_PER_USER, ZReactionInput, type TMessage } from "@/lib/messages/schema";
import { changeMessage } from "@/lib/messages/service";
import { consume } from "@/lib/rate-limit";
import type { TActor } from "@/lib/users/service";
import { toEmojiName } from "@/lib/messages/emoji-name";

/**
 * A message the actor may see, with their access to its channel. A message in a channel they cannot
 * read does not exist for them; neither does a deleted one.
 */
export async function getVisibleMessage(actor: TActor, messageId: string): Promise<{ row: repo.TMessageRow; access: TChannelAccess }> {
  const row = await repo.findMessageById(messageId);
  if (!row) throw refuse("not_found", "message_not_found", "Message not found");
  const access = await getChannelAccess(actor, row.channelId).catch((err: unknown) => {
    throw err instanceof AppError && err.code === "not_found" ? refuse("not_found", "message_not_found", "Message not found") : err;
  });
  if (row.deletedAt) throw refuse("not_found", "message_not_found", "Message not found");
  return { row, access };
}

function assertNotArchived(access: TChannelAccess): void {
  if (access.channel.archivedAt) throw refuse("forbidden", "is_archived", "This channel is archived; it is read-only");
}

function parseReaction(input: unknown): { messageId: string; emoji: string } {
  const data = ZReactionInput.parse(input);
  const emoji = toEmojiName(data.emoji);
  if (!emoji) throw refuse("validation_failed", "invalid_name", "emoji: not an emoji or emoji name");
  return { messageId: data.messageId, emoji };
}

/**
 * Adds my reaction. Anyone who can read the channel may react (guests only where they are members);
 * not in archived channels. Refusals (details.reason): already_reacted, too_many_emoji (50 distinct
 * on a message), too_many_reactions (23 of mine on a message), invalid_name, message_not_found, is_archived.
 */
export async function addReaction({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const { messageId, emoji } = parseReaction(input);
  const { row, access } = await getVisibleMessage(actor, messageId);
  assertNotArchived(access);
  await consume("write", actor.userId, "You are reacting too fast; slow down");
  try {
    return await changeMessage(row, access.channel.workspaceId, "message.updated", { updatedAt: new Date() }, async (tx) => {
      if (await repo.hasReaction(tx, messageId, actor.userId, emoji)) throw refuse("conflict", "already_reacted", "You already reacted with that emoji");
      const counts = await repo.countReactions(tx, messageId, actor.userId);
      if (!counts.emoji.includes(emoji) && counts.emoji.length >= MAX_EMOJI_PER_MESSAGE) {
        throw refuse("conflict", "too_many_emoji", `A message can have at most ${MAX_EMOJI_PER_MESSAGE} different emoji`);
      }
      if (counts.mine >= MAX_REACTIONS_PER_USER) throw refuse("conflict", "too_many_reactions", `You can add at most ${MAX_REACTIONS_PER_USER} reactions to one message`);
      await repo.insertReaction(tx, { messageId, userId: actor.userId, emoji });
      return { reaction: { userId: actor.userId, emoji, added: true } };
    });
  } catch (err) {
    // The channel lock makes this unreachable in practice; the unique index is the last word.
    if ((err as { code?: string }).code === "P2002") throw refuse("conflict", "already_reacted", "You already reacted with that emoji");
    throw err;
  }
}

/** Removes my reaction. Refusals (details.reason): no_reaction, invalid_name, message_not_found, is_archived. */
export async function removeReaction({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const { messageId, emoji } = parseReaction(input);
  const { row, access } = await getVisibleMessage(actor, messageId);
  assertNotArchived(access);
  await consume("write", actor.userId, "You are reacting too fast; slow down");
  return changeMessage(row, access.channel.workspaceId, "message.updated", { updatedAt: new Date() }, async (tx) => {
    if (!(await repo.deleteReaction(tx, { messageId, userId: actor.userId, emoji }))) throw refuse("conflict", "no_reaction", "You have not reacted with that emoji");
    return { reaction: { userId: actor.userId, emoji, added: false } };
  });
}

/** One message as the actor may see it, with its reactions (Slack's reactions.get). */
export async function getMessage({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const { messageId } = ZReactionInput.pick({ messageId: true }).parse(input);
  const { row } = await getVisibleMessage(actor, messageId);
  return repo.toMessage(row);
}
