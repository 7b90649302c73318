/**
 * Ephemeral messages (Slack's "Only visible to you"): shown to one person in one conversation, never
 * stored, gone after a reload. Slash command replies and chat.postEphemeral use this. The message
 * travels on the bus to server/realtime, which emits `messages.ephemeral` to that user's room only.
 */
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { getChannelAccess } from "@/lib/channels/access";
import type { TMarkup, TMessage } from "@/lib/messages/schema";
import { formatTs } from "@/lib/messages/ts";
import { publish } from "@/lib/realtime/bus";
import { ZId } from "@/lib/validation";

/** The sender shown on replies from Parley itself (built-in commands, usage hints, errors). */
export const PARLEY_SENDER: TMessage["sender"] = { id: "USLACKBOT", name: "Parley", avatarUrl: null, isBot: true, botId: null };

/** What the browser receives: a message's display fields, marked `ephemeral: true`. */
export type TEphemeralMessage = Pick<TMessage, "channelId" | "ts" | "sender" | "body" | "markup" | "blocks" | "attachments" | "overrideName" | "overrideIcon" | "threadRootId" | "createdAt"> & {
  /** Random id, for list keys and the dismiss button. */
  id: string;
  ephemeral: true;
  /**
   * Replies that belong together (one slash command's response_url). With `replace` set, the browser
   * drops the earlier ones of the group before showing this one; with `deleted`, it only drops them.
   */
  groupId: string | null;
  replace: boolean;
  deleted: boolean;
};

/** The content a caller supplies; everything but `body` has a default. */
export type TEphemeralInput = {
  body: string;
  markup?: TMarkup;
  blocks?: unknown[] | null;
  attachments?: unknown[] | null;
  /** Defaults to Parley itself. */
  sender?: TMessage["sender"];
  overrideName?: string | null;
  overrideIcon?: string | null;
  threadRootId?: string | null;
  groupId?: string | null;
  replace?: boolean;
  deleted?: boolean;
};

const ZTarget = z.object({ channelId: ZId, userId: ZId });

/**
 * Shows `message` to `userId` in `channelId`, and to nobody else. The user must be able to read the
 * conversation (404 otherwise). Returns what was sent. Never stored: the bus event is all there is.
 */
export async function sendEphemeral({ channelId, userId, message }: { channelId: string; userId: string; message: TEphemeralInput }): Promise<TEphemeralMessage> {
  ZTarget.parse({ channelId, userId });
  await getChannelAccess({ userId }, channelId);
  const now = Date.now();
  const out: TEphemeralMessage = {
    id: `eph_${randomBytes(9).toString("base64url")}`,
    channelId,
    ts: formatTs(BigInt(now) * 1000n + BigInt(randomBytes(2).readUInt16BE() % 1000)),
    sender: message.sender ?? PARLEY_SENDER,
    body: message.body,
    markup: message.markup ?? "mrkdwn",
    blocks: message.blocks ?? null,
    attachments: message.attachments ?? null,
    overrideName: message.overrideName ?? null,
    overrideIcon: message.overrideIcon ?? null,
    threadRootId: message.threadRootId ?? null,
    createdAt: new Date(now).toISOString(),
    ephemeral: true,
    groupId: message.groupId ?? null,
    replace: !!message.replace,
    deleted: !!message.deleted,
  };
  publish({ kind: "message.ephemeral", userId, message: out });
  return out;
}
