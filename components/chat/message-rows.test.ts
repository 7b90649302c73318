import { describe, expect, it } from "vitest";
import { buildRows, estimateRowHeight, isContinuation, showsDayDivider, type TMessageRow } from "@/components/chat/message-rows";
import type { TOutboxEntry } from "@/lib/client/outbox";
import type { TMessage } from "@/lib/messages/schema";
import { buildMessage } from "@/tests/message-fixture";

const me = { id: "u_me", name: "Me" };

function message(body: string, fields: Partial<TMessage> = {}): TMessage {
  return buildMessage({ id: `m_${Math.random()}`, ts: "1764100000.000001", sender: { id: "u1", name: "Ann", avatarUrl: null, isBot: false, botId: null }, body, ...fields });
}

const row = (m: TMessage): TMessageRow => buildRows([m], [])[0]!;

describe("estimateRowHeight", () => {
  // The heights Chromium drew for these rows at 1280 × 800 (scripts/bench/channel-open.ts's seed).
  it("matches the drawn heights of one-line, multi-line and code rows", () => {
    expect(estimateRowHeight(row(message("thanks!")), true, false)).toBe(28);
    expect(estimateRowHeight(row(message("thanks!")), false, false)).toBe(60);
    expect(estimateRowHeight(row(message("用户说搜索太慢了\n我们下个迭代优化一下")), true, false)).toBe(52);
    expect(estimateRowHeight(row(message("用户说搜索太慢了\n我们下个迭代优化一下")), false, false)).toBe(84);
    expect(estimateRowHeight(row(message("- 修复登录问题\n- 更新依赖\n- write the release notes")), true, false)).toBe(76);
    expect(estimateRowHeight(row(message("```ts\nconst total = 1;\n```")), true, false)).toBe(70);
    expect(estimateRowHeight(row(message("```ts\nconst total = 1;\n```")), false, false)).toBe(102);
  });

  it("counts wrapped lines, a Chinese character as wide as two Latin ones", () => {
    const oneLine = estimateRowHeight(row(message("a".repeat(100))), true, false);
    expect(estimateRowHeight(row(message("a".repeat(300))), true, false)).toBe(oneLine + 2 * 24);
    expect(estimateRowHeight(row(message("中".repeat(100))), true, false)).toBe(oneLine + 24);
  });

  it("adds the day divider, a pin, reactions, the thread link, blocks and attachments", () => {
    const base = estimateRowHeight(row(message("hi")), true, false);
    expect(estimateRowHeight(row(message("hi")), true, true)).toBe(base + 38);
    const rich = message("hi", { pinnedAt: "2026-11-27T10:00:00.000Z", reactions: [{ emoji: "👍", count: 1, userIds: ["u1"] }], replyCount: 2, blocks: [{ type: "section" }], attachments: [{}] });
    expect(estimateRowHeight(row(rich), true, false)).toBe(base + 20 + 30 + 30 + 60 + 60);
    // A reply shown in the channel has no thread link of its own.
    expect(estimateRowHeight(row(message("hi", { threadRootId: "m_root", replyCount: 2 })), true, false)).toBe(base);
  });

  it("draws a deleted message's empty body as one line, and my unsent message by its text", () => {
    expect(estimateRowHeight(row(message("a\nb\nc", { deletedAt: "2026-11-27T10:00:00.000Z", body: "" })), true, false)).toBe(28);
    const entry: TOutboxEntry = { clientMsgId: "c1", channelId: "c1", body: "one\ntwo", createdAt: "2026-11-27T10:00:00.000Z", status: "pending" };
    const [pending] = buildRows([], [entry]);
    expect(estimateRowHeight(pending!, true, false)).toBe(52);
  });
});

describe("showsDayDivider and isContinuation", () => {
  it("puts a divider above the first row and where the day changes; a new day starts a new header", () => {
    const a = row(message("a", { createdAt: "2026-11-26T12:00:00.000Z" }));
    const b = row(message("b", { createdAt: "2026-11-26T12:01:00.000Z" }));
    const c = row(message("c", { createdAt: "2026-11-28T12:00:00.000Z" }));
    expect(showsDayDivider(undefined, a, me)).toBe(true);
    expect(showsDayDivider(a, b, me)).toBe(false);
    expect(isContinuation(a, b, me)).toBe(true);
    expect(showsDayDivider(b, c, me)).toBe(true);
    expect(isContinuation(b, c, me)).toBe(false);
  });
});
