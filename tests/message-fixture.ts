/**
 * A message as the browser receives it (TMessage), for client-side tests that need one without a
 * database: a plain top-level Markdown message from a person; `patch` sets what the test is about.
 */
import type { TMessage } from "@/lib/messages/schema";

export function buildMessage(patch: Partial<TMessage> = {}): TMessage {
  return {
    id: "m1",
    channelId: "c1",
    seq: 1,
    ts: "1700000000.000001",
    sender: { id: "u1", name: "Ada", avatarUrl: null, isBot: false, botId: null },
    clientMsgId: null,
    body: "",
    markup: "md",
    blocks: null,
    attachments: null,
    overrideName: null,
    overrideIcon: null,
    subtype: null,
    threadRootId: null,
    threadTs: null,
    replyCount: 0,
    broadcast: false,
    pinnedAt: null,
    pinnedById: null,
    reactions: [],
    editedAt: null,
    deletedAt: null,
    createdAt: "2026-11-27T10:00:00.000Z",
    ...patch,
  };
}
