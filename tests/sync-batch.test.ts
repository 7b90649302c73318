/**
 * Socket catch-ups answered together (lib/messages/sync.ts): many people's `channels.sync` at once
 * become a few queries, and each person still gets exactly their own answer — the read rule applied
 * per person inside a batch (member, guest, outsider, deactivated member; public, private and
 * announcement conversations), their own `after` and `limit`.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { updateChannel } from "@/lib/channels/service";
import { ensureDbReady } from "@/lib/db";
import { editMessage, deleteMessage } from "@/lib/messages/service";
import { syncChannel } from "@/lib/messages/sync";
import { updateMember } from "@/lib/workspaces/service";
import { createChannel, createMember, createUser, createWorkspace, seedMessages, type TTestUser } from "./factories";

/** How many people each catch-up query answered. */
const batches = vi.hoisted(() => ({ sizes: [] as number[] }));
vi.mock("@/lib/messages/sync-repository", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/lib/messages/sync-repository")>();
  return {
    ...real,
    listReadableChangesAfter: (requests: Parameters<typeof real.listReadableChangesAfter>[0]) => {
      batches.sizes.push(requests.length);
      return real.listReadableChangesAfter(requests);
    },
  };
});

type TAsk = { who: string; actor: TTestUser["actor"]; channelId: string; after: number; limit: number };

/** The answer to one catch-up as the API would give it: the result, or the error's code. */
async function answer(ask: TAsk): Promise<unknown> {
  try {
    return await syncChannel({ actor: ask.actor, input: { channelId: ask.channelId, after: ask.after, limit: ask.limit } });
  } catch (err) {
    return { refused: (err as { code?: string }).code ?? String(err) };
  }
}

let asks: TAsk[] = [];

beforeAll(async () => {
  await ensureDbReady();
  const ws = await createWorkspace();
  const owner = ws.owner;
  const [alice, guest, leaver] = await Promise.all([createMember(ws), createMember(ws, "GUEST"), createMember(ws)]);
  const outsider = await createUser({ name: "局外人" });
  const pub = await createChannel(ws, owner, { name: "公开-pub", memberIds: [alice.id, leaver.id] });
  const priv = await createChannel(ws, owner, { kind: "PRIVATE", memberIds: [alice.id, guest.id, leaver.id] });
  const news = await createChannel(ws, owner, { kind: "ANNOUNCEMENT" });
  const archived = await createChannel(ws, owner, { memberIds: [alice.id] });
  for (const c of [pub, priv, news, archived]) await seedMessages(owner, c.id, 7, `${c.name} 消息`);
  const [first] = await seedMessages(owner, pub.id, 1, "edited later");
  await editMessage({ actor: owner.actor, input: { messageId: first!.id, body: "edited 已编辑" } });
  const [gone] = await seedMessages(owner, priv.id, 1, "deleted later");
  await deleteMessage({ actor: owner.actor, input: { messageId: gone!.id } });
  await updateChannel({ actor: owner.actor, channelId: archived.id, input: { archived: true } });
  await updateMember({ actor: owner.actor, slug: ws.slug, userId: leaver.id, input: { status: "DEACTIVATED" } });

  const people = { owner, alice, guest, leaver, outsider };
  const conversations = [pub.id, priv.id, news.id, archived.id, "no-such-channel"];
  for (const [who, person] of Object.entries(people)) {
    for (const channelId of conversations) {
      for (const [after, limit] of [[0, 500], [3, 2], [8, 1000]] as const) asks.push({ who, actor: person.actor, channelId, after, limit });
    }
  }
});

describe("catch-ups answered together", () => {
  it("give each person the answer they get alone, in batches", async () => {
    const alone: unknown[] = [];
    for (const ask of asks) alone.push(await answer(ask));
    // Every kind of answer is in the mix: changes, nothing new, cut short by the limit, refused.
    expect(alone.some((a) => (a as { events?: unknown[] }).events?.length)).toBe(true);
    expect(alone.some((a) => (a as { hasMore?: boolean }).hasMore)).toBe(true);
    expect(alone.filter((a) => (a as { refused?: string }).refused === "not_found").length).toBeGreaterThan(10);

    batches.sizes.length = 0;
    // Shuffled, so neighbours in a batch are different people asking about different conversations.
    const order = asks.map((_, i) => i).sort((a, b) => ((a * 7919) % 101) - ((b * 7919) % 101));
    const together = await Promise.all(order.map((i) => answer(asks[i]!)));
    order.forEach((askIndex, k) => expect({ ask: `${asks[askIndex]!.who} ${asks[askIndex]!.channelId} after ${asks[askIndex]!.after}`, answer: together[k] }).toEqual({ ask: `${asks[askIndex]!.who} ${asks[askIndex]!.channelId} after ${asks[askIndex]!.after}`, answer: alone[askIndex] }));
    expect(Math.max(...batches.sizes)).toBeGreaterThan(1);
    expect(batches.sizes.length).toBeLessThan(asks.length / 4);
  });
});
