import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { TMessage } from "@/lib/messages/schema";
import { buildMessage } from "@/tests/message-fixture";

// The sender talks to the tab's socket through `request`; here a fake server stands in.
const fakeSocket = { connected: true, on: vi.fn(), off: vi.fn() };
const requestMock = vi.fn();
vi.mock("@/lib/client/realtime", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@/lib/client/realtime")>();
  return { ...actual, getSocket: () => fakeSocket, request: (...args: unknown[]) => requestMock(...args) };
});

const { Outbox, OutboxSender, createClientMsgId } = await import("@/lib/client/outbox");
const { RealtimeError } = await import("@/lib/client/realtime");

/** A minimal localStorage for node. */
function installLocalStorage(): Map<string, string> {
  const store = new Map<string, string>();
  vi.stubGlobal("localStorage", {
    getItem: (k: string) => store.get(k) ?? null,
    setItem: (k: string, v: string) => void store.set(k, v),
    removeItem: (k: string) => void store.delete(k),
  });
  return store;
}

function storedMessage(input: { channelId: string; body: string; clientMsgId: string }, seq: number): TMessage {
  return buildMessage({ id: `m${seq}`, seq, createdAt: new Date().toISOString(), ...input });
}

/** Lets queued promise callbacks run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("outbox", () => {
  let store: Map<string, string>;
  beforeEach(() => {
    store = installLocalStorage();
    requestMock.mockReset();
    fakeSocket.connected = true;
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("makes ids the server accepts", () => {
    expect(createClientMsgId()).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
  });

  it("survives a reload: entries are kept per person in localStorage", () => {
    new Outbox("u1").add("c1", "你好");
    expect([...store.keys()]).toEqual(["parley.outbox.u1"]);
    expect(new Outbox("u1").list().map((e) => e.body)).toEqual(["你好"]);
    expect(new Outbox("u2").list()).toEqual([]);
  });

  it("delivers in the order typed, removes each on its ack and hands over the stored message", async () => {
    const outbox = new Outbox("u1");
    let seq = 0;
    requestMock.mockImplementation(async (_event: string, input: { channelId: string; body: string; clientMsgId: string }) => storedMessage(input, ++seq));
    const delivered: string[] = [];
    outbox.add("c1", "first");
    outbox.add("c1", "second");
    const stop = new OutboxSender(outbox, (m) => delivered.push(m.body)).start();
    await vi.waitFor(() => expect(outbox.list()).toEqual([]));
    expect(delivered).toEqual(["first", "second"]);
    expect(requestMock.mock.calls.map((c) => c[0])).toEqual(["messages.create", "messages.create"]);
    stop();
  });

  it("sends a thread reply with its root and broadcast flag, surviving a reload", async () => {
    new Outbox("u1").add("c1", "回复", { threadRootId: "root1", broadcast: true });
    const outbox = new Outbox("u1");
    expect(outbox.list()[0]).toMatchObject({ body: "回复", threadRootId: "root1", broadcast: true });
    requestMock.mockImplementation(async (_event: string, input: { channelId: string; body: string; clientMsgId: string }) => storedMessage(input, 1));
    const stop = new OutboxSender(outbox, () => undefined).start();
    await vi.waitFor(() => expect(outbox.list()).toEqual([]));
    expect(requestMock.mock.calls[0]![1]).toMatchObject({ channelId: "c1", body: "回复", threadRootId: "root1", broadcast: true });
    stop();
  });

  it("fails a message the server refuses for good, and goes on with the next", async () => {
    const outbox = new Outbox("u1");
    requestMock.mockRejectedValueOnce(new RealtimeError("forbidden", "You cannot post here")).mockImplementation(async (_e: string, input: { channelId: string; body: string; clientMsgId: string }) => storedMessage(input, 9));
    outbox.add("c1", "refused");
    outbox.add("c1", "accepted");
    const stop = new OutboxSender(outbox, () => undefined).start();
    await vi.waitFor(() => expect(outbox.list()).toHaveLength(1));
    expect(outbox.list()[0]).toMatchObject({ body: "refused", status: "failed", error: "You cannot post here" });
    stop();
  });

  it("keeps a message pending through retryable errors and sends it again with the same clientMsgId", async () => {
    vi.useFakeTimers();
    const outbox = new Outbox("u1");
    requestMock.mockRejectedValueOnce(new RealtimeError("timeout", "no answer")).mockImplementation(async (_e: string, input: { channelId: string; body: string; clientMsgId: string }) => storedMessage(input, 1));
    const entry = outbox.add("c1", "retry me");
    const stop = new OutboxSender(outbox, () => undefined).start();
    await vi.advanceTimersByTimeAsync(0);
    expect(outbox.list()).toMatchObject([{ status: "pending" }]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(outbox.list()).toEqual([]);
    expect(requestMock.mock.calls.map((c) => (c[1] as { clientMsgId: string }).clientMsgId)).toEqual([entry.clientMsgId, entry.clientMsgId]);
    stop();
  });

  it("does not send while disconnected", async () => {
    fakeSocket.connected = false;
    const outbox = new Outbox("u1");
    outbox.add("c1", "offline");
    const stop = new OutboxSender(outbox, () => undefined).start();
    await settle();
    expect(requestMock).not.toHaveBeenCalled();
    expect(outbox.list()).toMatchObject([{ status: "pending" }]);
    stop();
  });
});
