/** Helpers the Web API methods share: finding the conversation an argument names, and message content. */
import { getChannelAccess, type TChannelAccess } from "@/lib/channels/access";
import { openDm } from "@/lib/channels/service";
import { MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import type { TMarkup } from "@/lib/messages/schema";
import type { TMessageExtras } from "@/lib/messages/repository";
import { ZAttachments, ZBlocks } from "@/lib/slack/blocks";
import * as slackRepo from "@/lib/slack/repository";
import { SlackError, bool, str, toSlackError, type TArgs, type TMethodCtx } from "@/lib/slack/api/core";
import { countChars } from "@/lib/text";
import { textProblem } from "@/lib/validation";
import { getWorkspaceAccess } from "@/lib/workspaces/service";

const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;

/** The workspace the token belongs to. */
export async function tokenWorkspace(ctx: TMethodCtx) {
  return (await getWorkspaceAccess({ actor: ctx.actor, workspaceId: ctx.actor.workspaceId })).workspace;
}

/**
 * The conversation a `channel` argument names: an id, a #name, or a user id (meaning the DM with
 * that person, as Slack allows for chat.postMessage).
 */
export async function resolveChannelId(ctx: TMethodCtx, raw: string, opts: { allowUser?: boolean } = {}): Promise<string> {
  const name = raw.replace(/^#/, "");
  if (raw.startsWith("#") || !ID_RE.test(raw)) {
    const found = await slackRepo.findChannelByName(ctx.actor.workspaceId, name.toLowerCase());
    if (!found) throw new SlackError("channel_not_found", `No conversation named #${name}`);
    return found.id;
  }
  if (opts.allowUser) {
    const user = await slackRepo.findWorkspaceUser(ctx.actor.workspaceId, raw);
    if (user) {
      const ws = await tokenWorkspace(ctx);
      const dm = await openDm({ actor: ctx.actor, slug: ws.slug, input: { userIds: [raw] } }).catch((err: unknown) => {
        throw toSlackError(err, "user_not_found");
      });
      return dm.id;
    }
  }
  const byName = await slackRepo.findChannelByName(ctx.actor.workspaceId, name.toLowerCase());
  if (byName) return byName.id;
  return raw;
}

/**
 * Access to a conversation, with Slack's refusals: channel_not_found when it cannot be seen, and
 * not_in_channel when `member` is asked for (bots act only where they are members; people read any
 * public channel, as their user token allows).
 */
export async function channelAccess(ctx: TMethodCtx, channelId: string, opts: { member?: boolean } = {}): Promise<TChannelAccess> {
  const access = await getChannelAccess(ctx.actor, channelId).catch((err: unknown) => {
    throw toSlackError(err, "channel_not_found");
  });
  const mustBeMember = opts.member ?? ctx.auth.kind === "BOT";
  if (mustBeMember && !access.membership) throw new SlackError("not_in_channel", "The caller is not a member of this conversation");
  return access;
}

/** Refusals for writing in a conversation, before the service is asked. */
export function assertCanPostHere(access: TChannelAccess): void {
  if (!access.membership) throw new SlackError("not_in_channel", "The caller is not a member of this conversation");
  if (access.channel.archivedAt) throw new SlackError("is_archived", "The conversation is archived");
  if (!access.canPost) throw new SlackError("restricted_action", "Only admins and named posters can post in this announcement channel");
}

export function channelArg(args: TArgs, name = "channel"): string {
  return str(args, name, { required: true, error: "channel_not_found" });
}

/**
 * text / blocks / attachments / mrkdwn as Slack takes them. Blocks and attachments are validated;
 * some content is required (no_text) and text is capped (msg_too_long).
 */
export function parseContent(args: TArgs, opts: { requireContent?: boolean } = {}): { body: string; extras: TMessageExtras } {
  const text = typeof args.text === "string" ? args.text : typeof args.text === "number" ? String(args.text) : "";
  if (args.text !== undefined && args.text !== null && typeof args.text !== "string" && typeof args.text !== "number") throw new SlackError("invalid_arguments", "text must be a string");
  if (countChars(text) > MAX_MESSAGE_CHARS) throw new SlackError("msg_too_long", `text is over ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} characters`);
  const problem = textProblem(text);
  if (problem) throw new SlackError("invalid_arguments", `text ${problem}`);
  let blocks: unknown[] | null = null;
  let attachments: unknown[] | null = null;
  if (args.blocks !== undefined && args.blocks !== null) {
    const parsed = ZBlocks.safeParse(args.blocks);
    if (!parsed.success) throw new SlackError("invalid_blocks", "blocks are not valid Block Kit", { response_metadata: { messages: parsed.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:/blocks/${i.path.join("/")}]`) } });
    blocks = (parsed.data as unknown[]).length ? (parsed.data as unknown[]) : null;
  }
  if (args.attachments !== undefined && args.attachments !== null) {
    const parsed = ZAttachments.safeParse(args.attachments);
    if (!parsed.success) throw new SlackError("invalid_attachments", "attachments are not valid", { response_metadata: { messages: parsed.error.issues.map((i) => `[ERROR] ${i.message} [json-pointer:/attachments/${i.path.join("/")}]`) } });
    attachments = (parsed.data as unknown[]).length ? (parsed.data as unknown[]) : null;
  }
  if (opts.requireContent !== false && !text.trim() && !blocks && !attachments) throw new SlackError("no_text", "Give text, blocks or attachments");
  const markup: TMarkup = bool(args, "mrkdwn", true) ? "mrkdwn" : "plain";
  return { body: text, extras: { markup, blocks, attachments } };
}
