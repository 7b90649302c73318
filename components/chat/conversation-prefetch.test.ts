import { describe, expect, it } from "vitest";
import { pickConversationsToPrefetch, PREFETCH_COUNT } from "@/components/chat/conversation-prefetch";
import type { TChannelView } from "@/lib/channels/schema";

function channel(id: string, fields: Partial<TChannelView> = {}): TChannelView {
  return { id, kind: "PUBLIC", name: id, unreadCount: 0, lastMessageAt: "2026-11-01T10:00:00.000Z", ...fields } as TChannelView;
}

describe("pickConversationsToPrefetch", () => {
  it("takes unread ones first, then the most recently active, never the open one", () => {
    const picked = pickConversationsToPrefetch(
      [
        channel("old", { lastMessageAt: "2026-10-01T00:00:00.000Z" }),
        channel("open", { lastMessageAt: "2026-11-20T00:00:00.000Z", unreadCount: 3 }),
        channel("recent", { lastMessageAt: "2026-11-19T00:00:00.000Z" }),
        channel("unread", { lastMessageAt: "2026-10-02T00:00:00.000Z", unreadCount: 1 }),
      ],
      "open",
    );
    expect(picked.map((c) => c.id)).toEqual(["unread", "recent", "old"]);
  });

  it("skips muted and silent conversations and stops at the cap", () => {
    const many = Array.from({ length: 10 }, (_, i) => channel(`c${i}`, { lastMessageAt: `2026-11-${String(10 + i)}T00:00:00.000Z` }));
    const picked = pickConversationsToPrefetch([...many, channel("muted", { muted: true, unreadCount: 5 }), channel("silent", { lastMessageAt: null })], null);
    expect(picked).toHaveLength(PREFETCH_COUNT);
    expect(picked.map((c) => c.id)).toEqual(["c9", "c8", "c7", "c6"].slice(0, PREFETCH_COUNT));
  });
});
