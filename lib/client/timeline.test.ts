import { describe, expect, it } from "vitest";
import { appendNewerPage, applyCatchUp, applyChange, createTimeline, getReadPosition, prependOlderPage, upsertMessage } from "@/lib/client/timeline";
import type { TMessage } from "@/lib/messages/schema";
import { buildMessage } from "@/tests/message-fixture";
import type { TChannelEvent } from "@/lib/realtime/contract";

function makeMessage(seq: number, patch: Partial<TMessage> = {}): TMessage {
  return buildMessage({ id: `m${seq}`, seq, ts: `1700000000.${String(seq).padStart(6, "0")}`, body: `message ${seq}`, createdAt: new Date(2024, 0, 1, 12, seq).toISOString(), ...patch });
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

describe("a window opened around an earlier message", () => {
  // Messages 10–12 around 11; the conversation's newest is past them (head 20).
  const around = createTimeline({ messages: [makeMessage(10), makeMessage(11), makeMessage(12)], head: 20, hasMore: true, hasNewer: true, focusId: "m11" }, "1700000000.000011");

  it("knows what it opened at and marks nothing read: the newest messages are not seen", () => {
    expect(around.focus).toEqual({ ts: "1700000000.000011", id: "m11" });
    expect(getReadPosition(around)).toBe(0);
    const newest = createTimeline({ messages: [makeMessage(19), makeMessage(20)], head: 20, hasMore: true });
    expect([newest.hasNewer, newest.focus, getReadPosition(newest)]).toEqual([false, null, 20]);
  });

  it("applies changes inside the window and leaves new messages past it to the newer pages", () => {
    const edited = applyChange(around, makeEvent(21, makeMessage(11, { body: "edited", editedAt: "2024-01-02T00:00:00.000Z" }), "message.updated"));
    expect([edited.outcome, edited.timeline.messages.map((m) => m.body), edited.timeline.last]).toEqual(["applied", ["message 10", "edited", "message 12"], 21]);
    const created = applyChange(edited.timeline, makeEvent(22, makeMessage(22)));
    expect([created.outcome, created.timeline.messages.map((m) => m.seq), created.timeline.last]).toEqual(["applied", [10, 11, 12], 22]);
  });

  it("appends newer pages, and on reaching the newest goes back to the page's head so catch-up replays what it passed over", () => {
    // Live changes moved `last` to 22 while 21 and 22 (new messages past the window) were passed over.
    const passedOver = { ...around, last: 22 };
    const middle = appendNewerPage(passedOver, { messages: [makeMessage(12), makeMessage(13), makeMessage(14)], head: 21, hasMore: true, hasNewer: true });
    expect([middle.reachedNewest, middle.timeline.messages.map((m) => m.seq), middle.timeline.hasNewer, middle.timeline.last]).toEqual([false, [10, 11, 12, 13, 14], true, 22]);
    const end = appendNewerPage(middle.timeline, { messages: [makeMessage(15), makeMessage(20)], head: 20, hasMore: true, hasNewer: false });
    expect([end.reachedNewest, end.timeline.messages.map((m) => m.seq), end.timeline.hasNewer, end.timeline.last]).toEqual([true, [10, 11, 12, 13, 14, 15, 20], false, 20]);
    // The catch-up from 20 now brings 21 and 22 in, which the window had passed over.
    const caughtUp = applyCatchUp(end.timeline, [makeEvent(21, makeMessage(21)), makeEvent(22, makeMessage(22))], 22);
    expect(caughtUp.messages.map((m) => m.seq)).toEqual([10, 11, 12, 13, 14, 15, 20, 21, 22]);
    expect(getReadPosition(caughtUp)).toBe(22);
  });

  it("does not let a newer page bring back a message deleted meanwhile, nor append to a window that reached the newest", () => {
    const deleted = applyChange(around, makeEvent(21, makeMessage(12, { deletedAt: "2024-01-02T00:00:00.000Z", body: "" }), "message.deleted")).timeline;
    const next = appendNewerPage(deleted, { messages: [makeMessage(12), makeMessage(13)], head: 21, hasMore: true, hasNewer: true });
    expect(next.timeline.messages.map((m) => m.seq)).toEqual([10, 11, 13]);
    const newest = createTimeline({ messages: [makeMessage(1)], head: 1, hasMore: false });
    expect(appendNewerPage(newest, { messages: [makeMessage(2)], head: 2, hasMore: true, hasNewer: false })).toEqual({ timeline: newest, reachedNewest: false });
  });
});
