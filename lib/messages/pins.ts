/**
 * Pins. Members of a channel may pin and unpin its messages (not in archived channels); a pin is a
 * "message.updated" change like any other (seq, ChannelEvent, publish after commit via changeMessage),
 * and changes the channel's pin count (TChannelView.pinCount), so the channel is announced as updated too.
 */
import { getChannelAccess, type TChannelAccess } from "@/lib/channels/access";
import { refuse } from "@/lib/messages/refusals";
import { getVisibleMessage } from "@/lib/messages/reactions";
import * as repo from "@/lib/messages/repository";
import { MAX_PINS_PER_CHANNEL, ZListPins, ZPinInput, type TMessage } from "@/lib/messages/schema";
import { changeMessage } from "@/lib/messages/service";
import { consume } from "@/lib/rate-limit";
import { publish } from "@/lib/realtime/bus";
import type { TActor } from "@/lib/users/service";

function assertCanPin(access: TChannelAccess): void {
  if (access.channel.archivedAt) throw refuse("forbidden", "is_archived", "This channel is archived; it is read-only");
  if (!access.membership) throw refuse("forbidden", "not_in_channel", "Join the channel to pin messages in it");
}

/**
 * Pins a message. Refusals (details.reason): already_pinned, too_many_pins (100 per channel),
 * not_in_channel, is_archived, message_not_found.
 */
export async function pinMessage({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const { messageId } = ZPinInput.parse(input);
  const { row, access } = await getVisibleMessage(actor, messageId);
  assertCanPin(access);
  await consume("write", actor.userId);
  const pinned = await changeMessage(row, access.channel.workspaceId, "message.updated", { updatedAt: new Date() }, async (tx) => {
    if ((await repo.findPinInTx(tx, messageId)).pinnedAt) throw refuse("conflict", "already_pinned", "This message is already pinned");
    const pinCount = await repo.countPins(row.channelId, tx);
    if (pinCount >= MAX_PINS_PER_CHANNEL) throw refuse("conflict", "too_many_pins", `A channel can have at most ${MAX_PINS_PER_CHANNEL} pinned messages`);
    const pinnedAt = new Date();
    await repo.setPin(tx, messageId, { pinnedAt, pinnedById: actor.userId });
    return { pin: { userId: actor.userId, added: true, pinCount: pinCount + 1, pinnedById: actor.userId, pinnedAt: pinnedAt.toISOString() } };
  });
  publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId: row.channelId });
  return pinned;
}

/** Unpins a message. Refusals (details.reason): no_pin, not_in_channel, is_archived, message_not_found. */
export async function unpinMessage({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage> {
  const { messageId } = ZPinInput.parse(input);
  const { row, access } = await getVisibleMessage(actor, messageId);
  assertCanPin(access);
  await consume("write", actor.userId);
  const unpinned = await changeMessage(row, access.channel.workspaceId, "message.updated", { updatedAt: new Date() }, async (tx) => {
    const pin = await repo.findPinInTx(tx, messageId);
    if (!pin.pinnedAt) throw refuse("conflict", "no_pin", "This message is not pinned");
    await repo.setPin(tx, messageId, null);
    const pinCount = await repo.countPins(row.channelId, tx);
    return { pin: { userId: actor.userId, added: false, pinCount, pinnedById: pin.pinnedById ?? actor.userId, pinnedAt: pin.pinnedAt.toISOString() } };
  });
  publish({ kind: "channel.updated", workspaceId: access.channel.workspaceId, channelId: row.channelId });
  return unpinned;
}

/** The channel's pinned messages, most recently pinned first (anyone who can read the channel). */
export async function listPins({ actor, input }: { actor: TActor; input: unknown }): Promise<TMessage[]> {
  const { channelId } = ZListPins.parse(input);
  await getChannelAccess(actor, channelId);
  return (await repo.listPinned(channelId, MAX_PINS_PER_CHANNEL)).map(repo.toMessage);
}
