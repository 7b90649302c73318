import { describe, expect, it } from "vitest";
import { applyCatchUp, applyChange, createTimeline, prependOlderPage, upsertMessage } from "@/lib/client/timeline";
import type { TMessage } from "@/lib/messages/schema";
import type { TChannelEvent } from "@/lib/realtime/contract";

function makeMessage(seq: number, patch: Partial<TMessage> = {}): TMessage {
  return {
    id: `m${seq}`,
    channelId: "c1",
    seq,
    ts: `1700000000.${String(seq).padStart(6, "0")}`,
    sender: { id: "u1", name: "Ada", avatarUrl: null, isBot: false, botId: null },
    clientMsgId: null,
    markup: "md",
    blocks: null,
    attachments: null,
    overrideName: null,
    overrideIcon: null,
    broadcast: false,
    pinnedAt: null,
    pinnedById: null,
    body: `message ${seq}`,
    subtype: null,
    threadRootId: null, threadTs: null,
    replyCount: 0,
    reactions: [],
    editedAt: null,
    deletedAt: null,
    createdAt: new Date(2024, 0, 1, 12, seq).toISOString(),
    ...patch,
  };
}

function makeEvent(seq: number, message: TMessage, type: TChannelEvent["type"] = "message.created"): TChannelEvent {
  return { channelId: "c1", workspaceId: "w1", seq, type, message };
}

describe("timeline", () => {
  const initial = createTimeline({ messages: [makeMessage(1), makeMessage(2)], head: 2, hasMore: true });

  it("applies the next change and ignores what it already has", () => {
    const { timeline, outcome } = applyChange(initial, makeEvent(3, makeMessage(3)));
    expect(outcome).toBe("applied");
    expect(timeline.messages.map((m) => m.seq)).toEqual([1, 2, 3]);
    expect(timeline.last).toBe(3);
    expect(applyChange(timeline, makeEvent(3, makeMessage(3))).outcome).toBe("stale");
  });

  it("reports a gap instead of applying out of order", () => {
    const { timeline, outcome } = applyChange(initial, makeEvent(5, makeMessage(5)));
    expect(outcome).toBe("gap");
    expect(timeline).toBe(initial);
  });

  it("catch-up applies edits and deletes in order and moves last to what the server covered", () => {
    const edited = makeMessage(1, { body: "edited", editedAt: new Date(2024, 0, 2).toISOString() });
    const deleted = makeMessage(2, { body: "", deletedAt: new Date(2024, 0, 2).toISOString() });
    const next = applyCatchUp(initial, [makeEvent(3, edited, "message.updated"), makeEvent(5, deleted, "message.deleted")], 7);
    expect(next.messages.map((m) => m.body)).toEqual(["edited"]);
    expect(next.last).toBe(7);
  });

  it("does not let an older page bring back a message deleted meanwhile", () => {
    const deleted = applyChange(initial, makeEvent(3, makeMessage(1, { deletedAt: "2024-01-02T00:00:00.000Z", body: "" }), "message.deleted")).timeline;
    const older = prependOlderPage(deleted, { messages: [makeMessage(0.5), makeMessage(1)], head: 3, hasMore: false });
    expect(older.messages.map((m) => m.seq)).toEqual([0.5, 2]);
    expect(older.prependedCount).toBe(1);
    expect(older.hasOlder).toBe(false);
  });

  it("leaves changes to messages before the loaded window to the older page", () => {
    expect(upsertMessage(initial, makeMessage(0, { editedAt: "2024-01-02T00:00:00.000Z" }))).toBe(initial);
  });

  it("drops thread replies from the main list and keeps a stale ack from undoing an edit", () => {
    const reply = makeMessage(3, { threadRootId: "m1" });
    expect(applyChange(initial, makeEvent(3, reply)).timeline.messages).toHaveLength(2);
    const edited = upsertMessage(initial, makeMessage(2, { body: "new", editedAt: "2024-01-02T00:00:00.000Z" }));
    expect(upsertMessage(edited, makeMessage(2)).messages[1]!.body).toBe("new");
  });
});
