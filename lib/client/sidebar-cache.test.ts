import { describe, expect, it } from "vitest";
import type { TChannelView } from "@/lib/channels/schema";
import { isSidebarBehind } from "@/lib/client/sidebar-cache";

function listed(id: string, lastSeq: number, lastReadSeq: number): TChannelView {
  return {
    id,
    workspaceId: "w1",
    kind: "PUBLIC",
    name: id,
    topic: "",
    description: "",
    isGeneral: false,
    archivedAt: null,
    createdById: null,
    createdAt: "2026-11-27T00:00:00.000Z",
    lastSeq,
    lastMessageAt: null,
    isMember: true,
    lastReadSeq,
    unreadCount: lastSeq - lastReadSeq,
    memberCount: 2,
    pinCount: 0,
    canPost: true,
    canManage: false,
    canEditTopic: true,
  };
}

describe("isSidebarBehind", () => {
  const cached = [listed("general", 10, 10), listed("发布", 4, 2)];

  it("is not behind when every head is where the copy says (or the copy is further, from live events)", () => {
    expect(isSidebarBehind(cached, [{ id: "发布", lastSeq: 4, lastReadSeq: 2 }, { id: "general", lastSeq: 10, lastReadSeq: 10 }])).toBe(false);
    // A live message already counted, or my own read recorded before the server had it.
    expect(isSidebarBehind([listed("general", 11, 11), listed("发布", 4, 2)], [{ id: "general", lastSeq: 10, lastReadSeq: 10 }, { id: "发布", lastSeq: 4, lastReadSeq: 2 }])).toBe(false);
  });

  it("is behind when a conversation went further, was read further elsewhere, or was added or left", () => {
    expect(isSidebarBehind(cached, [{ id: "general", lastSeq: 11, lastReadSeq: 10 }, { id: "发布", lastSeq: 4, lastReadSeq: 2 }])).toBe(true);
    expect(isSidebarBehind(cached, [{ id: "general", lastSeq: 10, lastReadSeq: 10 }, { id: "发布", lastSeq: 4, lastReadSeq: 4 }])).toBe(true);
    expect(isSidebarBehind(cached, [{ id: "general", lastSeq: 10, lastReadSeq: 10 }, { id: "发布", lastSeq: 4, lastReadSeq: 2 }, { id: "new", lastSeq: 1, lastReadSeq: 0 }])).toBe(true);
    expect(isSidebarBehind(cached, [{ id: "general", lastSeq: 10, lastReadSeq: 10 }])).toBe(true);
    expect(isSidebarBehind(cached, [{ id: "general", lastSeq: 10, lastReadSeq: 10 }, { id: "other", lastSeq: 4, lastReadSeq: 2 }])).toBe(true);
  });
});
