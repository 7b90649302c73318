/** chat.* — posting, editing, deleting, ephemeral messages and permalinks. */
import { sendEphemeral } from "@/lib/messages/ephemeral";
import { deleteMessage, editMessage, sendMessage } from "@/lib/messages/service";
import { formatTs } from "@/lib/messages/ts";
import { messagePermalink, toSlackMessage, tsArg } from "@/lib/slack/format";
import * as slackRepo from "@/lib/slack/repository";
import { SlackError, bool, requireScope, str, toSlackError, type TMethodCtx } from "@/lib/slack/api/core";
import { assertCanPostHere, channelAccess, channelArg, parseContent, resolveChannelId } from "@/lib/slack/api/shared";
import { findMessageByTs, type TMessageExtras } from "@/lib/messages/repository";

/** A message in a channel by its ts, or message_not_found. */
export async function messageByTs(channelId: string, rawTs: unknown, name = "ts") {
  const ts = tsArg(rawTs);
  if (ts === null) throw new SlackError(rawTs === undefined || rawTs === "" ? "invalid_arguments" : "message_not_found", rawTs === undefined || rawTs === "" ? `missing required field: ${name}` : `${name} is not a message timestamp`);
  const row = await findMessageByTs(channelId, ts);
  if (!row || row.deletedAt) throw new SlackError("message_not_found", "No message with that ts in this conversation");
  return row;
}

/** username / icon_url / icon_emoji: bots with chat:write.customize only, as in Slack. */
function customization(ctx: TMethodCtx): Pick<TMessageExtras, "overrideName" | "overrideIcon"> {
  if (ctx.auth.kind !== "BOT" || !ctx.auth.scopes.includes("chat:write.customize")) return {};
  const username = str(ctx.args, "username")?.trim().slice(0, 80) || null;
  const iconUrl = str(ctx.args, "icon_url");
  const iconEmoji = str(ctx.args, "icon_emoji");
  let icon: string | null = null;
  if (iconUrl) {
    if (!/^https?:\/\/\S+$/i.test(iconUrl) || iconUrl.length > 2000) throw new SlackError("invalid_arguments", "icon_url must be an http(s) URL");
    icon = iconUrl;
  } else if (iconEmoji) {
    if (!/^:[a-z0-9_+'-]{1,100}:$/.test(iconEmoji)) throw new SlackError("invalid_arguments", "icon_emoji must look like :smile:");
    icon = iconEmoji;
  }
  return { overrideName: username, overrideIcon: icon };
}

export async function postMessage(ctx: TMethodCtx) {
  requireScope(ctx, "chat:write");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args), { allowUser: true });
  const access = await channelAccess(ctx, channelId, { member: true });
  assertCanPostHere(access);
  const { body, extras } = parseContent(ctx.args);
  let threadRootId: string | undefined;
  const threadTs = str(ctx.args, "thread_ts");
  if (threadTs) {
    const root = await messageByTs(channelId, threadTs, "thread_ts").catch(() => {
      throw new SlackError("thread_not_found", "No message with that thread_ts in this conversation");
    });
    threadRootId = root.threadRootId ?? root.id;
  }
  const custom = customization(ctx);
  const message = await sendMessage({
    actor: ctx.actor,
    input: { channelId, body, threadRootId },
    extras: { ...extras, ...custom, subtype: custom.overrideName ? "bot_message" : null, broadcast: !!threadRootId && bool(ctx.args, "reply_broadcast") },
  }).catch((err: unknown) => {
    throw toSlackError(err, "channel_not_found");
  });
  return { channel: channelId, ts: message.ts, message: toSlackMessage(message, { teamId: ctx.actor.workspaceId }) };
}

export async function update(ctx: TMethodCtx) {
  requireScope(ctx, "chat:write");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  await channelAccess(ctx, channelId, { member: false });
  const row = await messageByTs(channelId, ctx.args.ts);
  if (row.senderId !== ctx.actor.userId) throw new SlackError("cant_update_message", "Only the author can edit a message");
  const hasText = ctx.args.text !== undefined;
  const content = parseContent({ ...ctx.args, text: hasText ? ctx.args.text : row.body, blocks: ctx.args.blocks, attachments: ctx.args.attachments }, { requireContent: true });
  const keepRich = ctx.args.blocks === undefined && ctx.args.attachments === undefined;
  const message = await editMessage({
    actor: ctx.actor,
    input: { messageId: row.id, body: content.body },
    extras: keepRich
      ? { markup: content.extras.markup, blocks: row.blocks as unknown[] | null, attachments: row.attachments as unknown[] | null }
      : { markup: content.extras.markup, blocks: ctx.args.blocks === undefined ? (row.blocks as unknown[] | null) : content.extras.blocks, attachments: ctx.args.attachments === undefined ? (row.attachments as unknown[] | null) : content.extras.attachments },
  }).catch((err: unknown) => {
    const e = toSlackError(err, "message_not_found");
    throw e.error === "restricted_action" ? new SlackError("cant_update_message", e.message) : e;
  });
  return { channel: channelId, ts: message.ts, text: content.body, message: toSlackMessage(message, { teamId: ctx.actor.workspaceId }) };
}

export async function remove(ctx: TMethodCtx) {
  requireScope(ctx, "chat:write");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  await channelAccess(ctx, channelId, { member: false });
  const row = await messageByTs(channelId, ctx.args.ts);
  await deleteMessage({ actor: ctx.actor, input: { messageId: row.id } }).catch((err: unknown) => {
    const e = toSlackError(err, "message_not_found");
    throw e.error === "restricted_action" ? new SlackError("cant_delete_message", e.message) : e;
  });
  return { channel: channelId, ts: formatTs(row.ts) };
}

export async function postEphemeral(ctx: TMethodCtx) {
  requireScope(ctx, "chat:write");
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  const access = await channelAccess(ctx, channelId, { member: true });
  assertCanPostHere(access);
  const userId = str(ctx.args, "user", { required: true, error: "user_not_found" });
  const { body, extras } = parseContent(ctx.args);
  let threadRootId: string | null = null;
  const threadTs = str(ctx.args, "thread_ts");
  if (threadTs) {
    const root = await messageByTs(channelId, threadTs, "thread_ts");
    threadRootId = root.threadRootId ?? root.id;
  }
  const isMember = (await slackRepo.memberChannelIds(userId, [channelId])).has(channelId);
  if (!isMember) {
    const user = await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, userId);
    throw new SlackError(user ? "user_not_in_channel" : "user_not_found", user ? "That person is not in this conversation" : "No such user in this workspace");
  }
  const sender = await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, ctx.actor.userId);
  const custom = customization(ctx);
  const sent = await sendEphemeral({
    channelId,
    userId,
    message: {
      body,
      markup: extras.markup,
      blocks: extras.blocks,
      attachments: extras.attachments,
      sender: { id: ctx.actor.userId, name: sender?.user.name ?? "app", avatarUrl: sender?.user.avatarUrl ?? null, isBot: !!sender?.user.isBot, botId: ctx.auth.botId },
      overrideName: custom.overrideName ?? null,
      overrideIcon: custom.overrideIcon ?? null,
      threadRootId,
    },
  });
  return { message_ts: sent.ts };
}

export async function getPermalink(ctx: TMethodCtx) {
  const channelId = await resolveChannelId(ctx, channelArg(ctx.args));
  await channelAccess(ctx, channelId, { member: false });
  const row = await messageByTs(channelId, ctx.args.message_ts, "message_ts");
  const threadTs = row.threadRootId && row.threadRoot ? formatTs(row.threadRoot.ts) : null;
  return { channel: channelId, permalink: messagePermalink(channelId, formatTs(row.ts), threadTs) };
}
