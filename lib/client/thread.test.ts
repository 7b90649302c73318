import { describe, expect, it } from "vitest";
import { appendRepliesPage, applyThreadChange, createThread, isReplyBeyondLoaded } from "@/lib/client/thread";
import type { TMessage } from "@/lib/messages/schema";
import { buildMessage } from "@/tests/message-fixture";

function msg(id: string, seq: number, patch: Partial<TMessage> = {}): TMessage {
  return buildMessage({ id, seq, body: `body ${id}`, threadRootId: id === "root" ? null : "root", createdAt: new Date(0).toISOString(), ...patch });
}

const page = { root: msg("root", 1, { replyCount: 2 }), replies: [msg("r1", 3), msg("r2", 5)], head: 6, hasMore: false };

describe("thread cache", () => {
  it("applies new replies, edits, reactions and deletes once, in seq order whatever the arrival order", () => {
    let t = createThread(page);
    t = applyThreadChange(t, msg("r3", 8), 8);
    t = applyThreadChange(t, msg("r1", 3, { reactions: [{ emoji: "+1", count: 1, userIds: ["u2"] }] }), 10);
    // An older change arriving late (a repeat, or catch-up after live) is ignored.
    t = applyThreadChange(t, msg("r1", 3), 9);
    t = applyThreadChange(t, msg("r3", 8), 8);
    t = applyThreadChange(t, msg("r2", 5, { deletedAt: new Date().toISOString(), body: "" }), 11);
    t = applyThreadChange(t, msg("root", 1, { replyCount: 3 }), 9);
    expect(t.replies.map((r) => r.id)).toEqual(["r1", "r3"]);
    expect(t.replies[0]!.reactions).toHaveLength(1);
    expect(t.root.replyCount).toBe(3);
    // Changes at or before the page's head are already in it.
    expect(applyThreadChange(t, msg("r4", 4), 4)).toBe(t);
  });

  it("ignores other threads and the channel's own messages", () => {
    const t = createThread(page);
    expect(applyThreadChange(t, msg("x", 9, { threadRootId: "other" }), 9)).toBe(t);
    expect(applyThreadChange(t, msg("y", 9, { threadRootId: null }), 9)).toBe(t);
  });

  it("leaves replies beyond a partly loaded thread to the next page", () => {
    let t = createThread({ ...page, hasMore: true });
    t = applyThreadChange(t, msg("r9", 9), 9);
    expect(t.replies.map((r) => r.id)).toEqual(["r1", "r2"]);
    t = appendRepliesPage(t, { root: page.root, replies: [msg("r2", 5), msg("r9", 9)], head: 9, hasMore: false });
    expect(t.replies.map((r) => r.id)).toEqual(["r1", "r2", "r9"]);
    expect(t.hasMore).toBe(false);
    // A change the page already reflects, arriving late, is ignored; a newer one applies.
    t = applyThreadChange(t, msg("r9", 9, { body: "stale" }), 9);
    expect(t.replies[2]!.body).toBe("body r9");
    t = applyThreadChange(t, msg("r9", 9, { body: "edited" }), 12);
    expect(t.replies[2]!.body).toBe("edited");
  });

  it("tells when a reply to mark may lie beyond the loaded replies", () => {
    const loaded = createThread({ ...page, replies: [msg("r1", 3, { ts: "1700000000.000100" }), msg("r2", 5, { ts: "1700000009.000200" })], hasMore: true });
    // Later than the last loaded reply (also across the seconds' digits): load on.
    expect(isReplyBeyondLoaded(loaded, "1700000009.000201")).toBe(true);
    expect(isReplyBeyondLoaded(loaded, "1700000010.000000")).toBe(true);
    // Loaded already, or older (a deleted reply): nothing more to load for it.
    expect(isReplyBeyondLoaded(loaded, "1700000009.000200")).toBe(false);
    expect(isReplyBeyondLoaded(loaded, "1700000000.000050")).toBe(false);
    // The whole thread is loaded, or the ts is not one.
    expect(isReplyBeyondLoaded({ ...loaded, hasMore: false }, "1700000010.000000")).toBe(false);
    expect(isReplyBeyondLoaded(loaded, "not-a-ts")).toBe(false);
  });
});
