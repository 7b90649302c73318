import { describe, expect, it } from "vitest";
import { getConversationHref, getConversationIdFromPath } from "@/components/chat/conversation-location";

describe("getConversationIdFromPath", () => {
  it("reads the conversation of /w/:slug/c/:channelId", () => {
    expect(getConversationIdFromPath("/w/acme/c/ch_123")).toBe("ch_123");
    expect(getConversationIdFromPath("/w/acme/c/ch_123/")).toBe("ch_123");
  });

  it("decodes what the URL encodes, and round-trips getConversationHref", () => {
    const href = getConversationHref("团队 a", "id with space", "?thread=r1");
    expect(href).toBe("/w/%E5%9B%A2%E9%98%9F%20a/c/id%20with%20space?thread=r1");
    expect(getConversationIdFromPath(new URL(href, "http://x").pathname)).toBe("id with space");
  });

  it("is null on other screens and on malformed paths", () => {
    for (const path of ["/w/acme", "/w/acme/settings", "/w/acme/c", "/w/acme/c/a/b", "/workspaces", "/w/acme/c/%E0%A4%A", null, undefined, ""]) {
      expect(getConversationIdFromPath(path)).toBeNull();
    }
  });
});
