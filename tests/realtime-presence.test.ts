/**
 * Presence and typing over real sockets (single node, in-memory store; the Redis store is covered
 * in presence.test.ts and the cluster by tests/reliability).
 */
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createChannel } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import { signUp } from "@/lib/users/service";
import { addMemberDirect, createWorkspace } from "@/lib/workspaces/service";
import type { TParleyNode } from "@/server/app";
import { eventually, sessionCookie, startNode, TestClient } from "@/tests/realtime-client";

const rid = () => randomBytes(6).toString("hex");
let node: TParleyNode;
let secret: string;
const users: Record<"alice" | "bob" | "carol", { id: string }> = {} as never;
const clients: TestClient[] = [];

async function client(who: keyof typeof users): Promise<TestClient> {
  const c = new TestClient(node.port, await sessionCookie(users[who].id), []);
  clients.push(c);
  await c.connect();
  return c;
}

beforeAll(async () => {
  await ensureDbReady();
  for (const who of ["alice", "bob", "carol"] as const) users[who] = await signUp({ name: who, email: `${who}-${rid()}@example.test`, password: "correct horse battery" });
  const slug = `pr-${rid()}`;
  await createWorkspace({ actor: { userId: users.alice.id }, input: { name: "Presence", slug } });
  await addMemberDirect({ workspaceSlug: slug, userId: users.bob.id, role: "MEMBER" });
  await addMemberDirect({ workspaceSlug: slug, userId: users.carol.id, role: "MEMBER" });
  secret = (await createChannel({ actor: { userId: users.alice.id }, slug, input: { name: `secret-${rid()}`, kind: "PRIVATE", memberIds: [users.bob.id] } })).id;
  node = await startNode();
});

afterAll(async () => {
  for (const c of clients) c.close();
  await node?.close();
});

describe("presence and typing", () => {
  it("shows who is connected, and not after they leave", async () => {
    const a = await client("alice");
    const b = await client("bob");
    const res = await a.request<{ online: string[] }>("presence.query", { userIds: [users.bob.id, users.carol.id] });
    expect(res.ok && res.data.online).toEqual([users.bob.id]);
    b.close();
    await eventually(async () => {
      const again = await a.request<{ online: string[] }>("presence.query", { userIds: [users.bob.id] });
      expect(again.ok && again.data.online).toEqual([]);
    });
  });

  it("members see who is typing; others neither see it nor may type there", async () => {
    const a = await client("alice");
    const b = await client("bob");
    const c = await client("carol");
    const seenByCarol: unknown[] = [];
    c.socket.on("typing.updated", (e) => seenByCarol.push(e));
    const seenByBob = new Promise<{ channelId: string; userIds: string[] }>((resolve) => b.socket.once("typing.updated", resolve));
    const res = await a.request("typing.start", { channelId: secret });
    expect(res.ok).toBe(true);
    expect(await seenByBob).toEqual({ channelId: secret, userIds: [users.alice.id] });
    const refused = await c.request("typing.start", { channelId: secret });
    expect(!refused.ok && refused.error.code).toBe("not_found");
    expect(seenByCarol).toEqual([]);
  });
});
