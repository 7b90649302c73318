/**
 * The rows of a message list: stored messages, then my unsent ones from the outbox. A row's key is
 * its clientMsgId when it has one, so a pending row becomes its stored message without remounting.
 */
import type { TOutboxEntry } from "@/lib/client/outbox";
import type { TMessage } from "@/lib/messages/schema";

export type TMessageRow = { kind: "stored"; key: string; message: TMessage } | { kind: "pending"; key: string; entry: TOutboxEntry };

/** Consecutive messages by one person within this window share a header. */
const GROUP_WINDOW_MS = 5 * 60_000;

export function buildRows(messages: readonly TMessage[], pending: readonly TOutboxEntry[]): TMessageRow[] {
  const rows: TMessageRow[] = messages.map((message) => ({ kind: "stored", key: message.clientMsgId ? `c:${message.clientMsgId}` : `m:${message.id}`, message }));
  // Stored already (the event beat the ack): show it once, as stored.
  const storedClientIds = new Set(messages.map((m) => m.clientMsgId).filter(Boolean));
  for (const entry of pending) {
    if (!storedClientIds.has(entry.clientMsgId)) rows.push({ kind: "pending", key: `c:${entry.clientMsgId}`, entry });
  }
  return rows;
}

/** Who sent a row and when, whichever kind it is. A bot or webhook may name itself per message (overrideName). */
export function getRowAuthor(row: TMessageRow, me: { id: string; name: string }): { senderId: string; senderName: string; isBot: boolean; createdAt: string } {
  if (row.kind === "pending") return { senderId: me.id, senderName: me.name, isBot: false, createdAt: row.entry.createdAt };
  const { message } = row;
  return { senderId: message.sender.id, senderName: message.overrideName?.trim() || message.sender.name, isBot: message.sender.isBot, createdAt: message.createdAt };
}

/** Whether two instants fall on different days where the reader is. */
export function isDifferentDay(a: string, b: string): boolean {
  return new Date(a).toDateString() !== new Date(b).toDateString();
}

/** Whether `row` continues `previous` (same person, same day, within five minutes): no name or avatar again. */
export function isContinuation(previous: TMessageRow | undefined, row: TMessageRow, me: { id: string; name: string }): boolean {
  if (!previous) return false;
  const a = getRowAuthor(previous, me);
  const b = getRowAuthor(row, me);
  // One webhook may post as several names: each name gets its own header, as in Slack.
  if (a.senderId !== b.senderId || a.senderName !== b.senderName || isDifferentDay(a.createdAt, b.createdAt)) return false;
  const gap = new Date(b.createdAt).getTime() - new Date(a.createdAt).getTime();
  return gap >= 0 && gap < GROUP_WINDOW_MS;
}
