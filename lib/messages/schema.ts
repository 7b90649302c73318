import { z } from "zod";
import { parseTs } from "@/lib/messages/ts";
import { HISTORY_PAGE_SIZE, MAX_MESSAGE_CHARS } from "@/lib/messages/limits";
import { countChars } from "@/lib/text";
import { ZId, zText } from "@/lib/validation";

export const ZMessageBody = zText()
  .refine((s) => s.trim().length > 0, "Message is empty")
  .refine((s) => countChars(s) <= MAX_MESSAGE_CHARS, `Message is too long (the limit is ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} characters)`);

export const ZClientMsgId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, "must be 8–64 letters, digits, - or _");

export const ZSendMessage = z.object({
  channelId: ZId,
  body: ZMessageBody,
  clientMsgId: ZClientMsgId.optional(),
  threadRootId: ZId.optional(),
  /** A thread reply also shown in the channel (Slack's reply_broadcast); ignored without threadRootId. */
  broadcast: z.boolean().optional(),
});
export type TSendMessage = z.infer<typeof ZSendMessage>;

export const ZEditMessage = z.object({ messageId: ZId, body: ZMessageBody });

/** With blocks or attachments the text may be empty (Slack uses it only as the notification fallback). */
const ZOptionalBody = zText().refine((s) => countChars(s) <= MAX_MESSAGE_CHARS, `Message is too long (the limit is ${MAX_MESSAGE_CHARS.toLocaleString("en-US")} characters)`);
export const ZSendRichMessage = ZSendMessage.extend({ body: ZOptionalBody });
export const ZEditRichMessage = ZEditMessage.extend({ body: ZOptionalBody });
export const ZDeleteMessage = z.object({ messageId: ZId });

export const ZHistoryQuery = z
  .object({
    channelId: ZId,
    /** Messages with seq below this, newest first; none of before/after/aroundTs → the newest page. */
    before: z.coerce.number().int().min(1).optional(),
    /** Messages with seq above this, oldest first (scrolling down from an earlier window). */
    after: z.coerce.number().int().min(0).optional(),
    /** The page around one message, by its ts (a search result or a permalink): about half before, half after. */
    aroundTs: z
      .string()
      .refine((v) => parseTs(v) !== null, "must be a message ts such as 1764100000.000123")
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(HISTORY_PAGE_SIZE),
  })
  .refine((q) => [q.before, q.after, q.aroundTs].filter((v) => v !== undefined).length <= 1, "Give at most one of before, after and around_ts");

export const ZSyncQuery = z.object({
  channelId: ZId,
  after: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

/** Most conversations one `channels.syncMany` may ask for (a sidebar's worth; more → several requests). */
export const SYNC_MANY_MAX = 100;

/** `channels.syncMany`: catch up many conversations in one request (`limit` changes each). */
export const ZSyncManyQuery = z.object({
  channels: z.array(z.object({ channelId: ZId, after: z.coerce.number().int().min(0) })).min(1).max(SYNC_MANY_MAX),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export type TReactionSummary = { emoji: string; count: number; userIds: string[] };

/** How `body` is written: Parley's Markdown, Slack's mrkdwn (Web API, webhooks), or plain text. */
export type TMarkup = "md" | "mrkdwn" | "plain";

export type TMessage = {
  id: string;
  channelId: string;
  seq: number;
  /** Slack-style id of the message within its channel ("1764100000.000123"); increasing. */
  ts: string;
  /** `botId` is set when the sender is an app's bot user. */
  sender: { id: string; name: string; avatarUrl: string | null; isBot: boolean; botId: string | null };
  clientMsgId: string | null;
  /** Empty once deleted. Mentions use Slack's tokens: <@userId>, <#channelId>, <!here>, <url|label>. */
  body: string;
  markup: TMarkup;
  /** Slack Block Kit blocks and legacy attachments (bots and webhooks); null when none. */
  blocks: unknown[] | null;
  attachments: unknown[] | null;
  /** Per-message name and icon (an https URL or an :emoji: name) chosen by a bot or webhook. */
  overrideName: string | null;
  overrideIcon: string | null;
  subtype: string | null;
  threadRootId: string | null;
  /** The thread root's ts, for replies (Slack's thread_ts). */
  threadTs: string | null;
  replyCount: number;
  /** A thread reply also shown in the channel. */
  broadcast: boolean;
  pinnedAt: string | null;
  pinnedById: string | null;
  reactions: TReactionSummary[];
  editedAt: string | null;
  deletedAt: string | null;
  createdAt: string;
};

/**
 * A page of a conversation's top-level messages, oldest first. `head`: the conversation's last change
 * seq, read before the page (catch-up starts there). `hasMore`: older messages exist before the first;
 * `hasNewer`: newer ones after the last (only pages read after or around a message can have them);
 * `focusId`: the message an around page is centred on (a thread reply's root, for a reply).
 */
export type THistoryPage = { messages: TMessage[]; head: number; hasMore: boolean; hasNewer?: boolean; focusId?: string };

/** Slack's limits: distinct emoji on one message, reactions by one person on one message, pins in a channel. */
export const MAX_EMOJI_PER_MESSAGE = 50;
export const MAX_REACTIONS_PER_USER = 23;
export const MAX_PINS_PER_CHANNEL = 100;
export const REPLIES_PAGE_SIZE = 50;

/** `emoji`: a short name ("thumbsup", ":+1:", "smile::skin-tone-2") or the emoji itself ("👍"). */
export const ZReactionInput = z.object({ messageId: ZId, emoji: z.string().trim().min(1, "emoji is required").max(200) });
export const ZPinInput = z.object({ messageId: ZId });
export const ZListPins = z.object({ channelId: ZId });
export const ZRepliesQuery = z.object({
  /** The thread's root (a reply's id also finds its thread). */
  messageId: ZId,
  /** Replies with seq above this (the last one you have); omitted → from the first reply. */
  after: z.coerce.number().int().min(0).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(REPLIES_PAGE_SIZE),
});

/**
 * A thread: its root and one page of replies (oldest first). `head` is the channel's change seq read
 * before the page, so a client that then applies live changes after `head` misses none.
 */
export type TThreadPage = { root: TMessage; replies: TMessage[]; head: number; hasMore: boolean };
