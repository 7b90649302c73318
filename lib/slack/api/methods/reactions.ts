/** reactions.* and pins.add/remove — by channel + timestamp, as Slack addresses messages. */
import { pinMessage, unpinMessage } from "@/lib/messages/pins";
import { addReaction, removeReaction } from "@/lib/messages/reactions";
import { toMessage } from "@/lib/messages/repository";
import { toSlackMessage } from "@/lib/slack/format";
import { SlackError, bool, requireScope, str, toSlackError, type TMethodCtx } from "@/lib/slack/api/core";
import { channelAccess, channelArg, resolveChannelId } from "@/lib/slack/api/shared";
import { messageByTs } from "@/lib/slack/api/methods/chat";

async function target(ctx: TMethodCtx, tsName: "timestamp") {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  await channelAccess(ctx, channelId);
  const row = await messageByTs(channelId, ctx.args[tsName], tsName);
  return { channelId, row };
}

function emojiName(ctx: TMethodCtx): string {
  const name = str(ctx.args, "name", { required: true, error: "invalid_name" })!;
  return name.replace(/^:|:$/g, "");
}

export async function add(ctx: TMethodCtx) {
  requireScope(ctx, "reactions:write");
  const { row } = await target(ctx, "timestamp");
  await addReaction({ actor: ctx.actor, input: { messageId: row.id, emoji: emojiName(ctx) } }).catch((err: unknown) => { throw toSlackError(err, "message_not_found"); });
  return {};
}

export async function remove(ctx: TMethodCtx) {
  requireScope(ctx, "reactions:write");
  const { row } = await target(ctx, "timestamp");
  await removeReaction({ actor: ctx.actor, input: { messageId: row.id, emoji: emojiName(ctx) } }).catch((err: unknown) => { throw toSlackError(err, "message_not_found"); });
  return {};
}

export async function get(ctx: TMethodCtx) {
  requireScope(ctx, "reactions:read");
  const { channelId, row } = await target(ctx, "timestamp");
  const message = toSlackMessage(toMessage(row), { teamId: ctx.actor.workspaceId });
  if (!bool(ctx.args, "full", true)) delete message.attachments;
  return { type: "message", channel: channelId, message };
}

export async function pinsAdd(ctx: TMethodCtx) {
  requireScope(ctx, "pins:write");
  const { row } = await target(ctx, "timestamp");
  await pinMessage({ actor: ctx.actor, input: { messageId: row.id } }).catch((err: unknown) => { throw toSlackError(err, "message_not_found"); });
  return {};
}

export async function pinsRemove(ctx: TMethodCtx) {
  requireScope(ctx, "pins:write");
  const { row } = await target(ctx, "timestamp");
  await unpinMessage({ actor: ctx.actor, input: { messageId: row.id } }).catch((err: unknown) => {
    const e = toSlackError(err, "message_not_found");
    throw e.error === "no_pin" ? new SlackError("no_pin", e.message) : e;
  });
  return {};
}
