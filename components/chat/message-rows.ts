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
function isDifferentDay(a: string, b: string): boolean {
  return new Date(a).toDateString() !== new Date(b).toDateString();
}

/** Whether a day divider goes above `row`: the first row, or the day changed since `previous`. */
export function showsDayDivider(previous: TMessageRow | undefined, row: TMessageRow, me: { id: string; name: string }): boolean {
  return !previous || isDifferentDay(getRowAuthor(previous, me).createdAt, getRowAuthor(row, me).createdAt);
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

/**
 * Pixel heights of a row's parts as drawn at desktop width (measured in Chromium: a one-line message
 * is 28 px, 60 with its sender's name; each further line 24; a one-line code block 66).
 */
const ROW_PADDING_PX = 4;
const HEADER_PX = 32;
const TEXT_LINE_PX = 24;
const CODE_BLOCK_PX = 46;
const CODE_LINE_PX = 20;
const DAY_DIVIDER_PX = 38;
const FOOTER_PX = 30; // reactions or the thread link
const PINNED_LABEL_PX = 20;
const EXTRA_PX = 60; // a Block Kit block or an attachment
/** Half-width characters on one line of the message column at desktop width; CJK ones count twice. */
const LINE_UNITS = 120;
const WIDE_CHAR = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/g;

function wrappedLines(line: string): number {
  const units = line.length + (line.match(WIDE_CHAR)?.length ?? 0);
  return Math.max(1, Math.ceil(units / LINE_UNITS));
}

/** Lines of text and of code a body draws (a rough count: Markdown's blank lines and lists are lines). */
function countBodyLines(body: string): { text: number; code: number; codeBlocks: number } {
  let text = 0;
  let code = 0;
  let codeBlocks = 0;
  let isInCode = false;
  for (const line of body.trim().split("\n")) {
    if (/^\s*(```|~~~)/.test(line)) {
      if (!isInCode) codeBlocks++;
      isInCode = !isInCode;
    } else if (isInCode) code++;
    else if (line.trim()) text += wrappedLines(line);
  }
  return { text, code, codeBlocks };
}

/**
 * A row's height before it is drawn, close enough that the message list opens at the bottom in one
 * pass: react-virtuoso otherwise draws one row to measure, then the screen, then corrects.
 */
export function estimateRowHeight(row: TMessageRow, isContinuation: boolean, showDayDivider: boolean): number {
  const message = row.kind === "stored" ? row.message : null;
  const body = message ? (message.deletedAt ? "" : message.body) : row.kind === "pending" ? row.entry.body : "";
  const lines = countBodyLines(body);
  let height = ROW_PADDING_PX + (isContinuation ? 0 : HEADER_PX) + (showDayDivider ? DAY_DIVIDER_PX : 0);
  height += Math.max(lines.text, lines.codeBlocks ? 0 : 1) * TEXT_LINE_PX;
  height += lines.codeBlocks * CODE_BLOCK_PX + lines.code * CODE_LINE_PX;
  if (message) {
    if (message.pinnedAt) height += PINNED_LABEL_PX;
    if (message.reactions.length) height += FOOTER_PX;
    if (message.replyCount > 0 && !message.threadRootId) height += FOOTER_PX;
    height += ((message.blocks?.length ?? 0) + (message.attachments?.length ?? 0)) * EXTRA_PX;
  }
  return height;
}
