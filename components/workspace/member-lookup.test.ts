import { afterEach, describe, expect, it, vi } from "vitest";
import { lookUpMember } from "@/components/workspace/queries";
import type { TMember } from "@/lib/workspaces/schema";

const member = (userId: string): TMember => ({ userId, name: `Name of ${userId}`, email: `${userId}@example.test`, avatarUrl: null, isBot: false, role: "MEMBER", status: "ACTIVE", joinedAt: "2026-01-01T00:00:00.000Z" });

/** A stand-in for the members endpoint: answers the ids it knows, and records each address asked for. */
function serveMembers(known: readonly string[], status = 200) {
  const urls: string[] = [];
  vi.stubGlobal("fetch", async (url: string) => {
    urls.push(url);
    const ids = new URL(url, "http://parley.test").searchParams.get("ids")!.split(",");
    const body = status === 200 ? { members: ids.filter((id) => known.includes(id)).map(member) } : { error: { code: "unavailable", message: "try later" } };
    return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
  });
  return urls;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("lookUpMember", () => {
  it("asks for every member looked up in the same task in one request, each id once", async () => {
    const urls = serveMembers(["u1", "u2"]);
    const [a, b, again, nobody] = await Promise.all([lookUpMember("acme", "u1"), lookUpMember("acme", "u2"), lookUpMember("acme", "u1"), lookUpMember("acme", "gone")]);
    expect([a?.name, b?.name, again?.name, nobody]).toEqual(["Name of u1", "Name of u2", "Name of u1", null]);
    expect(urls).toEqual(["/api/workspaces/acme/members?ids=u1,u2,gone"]);
  });

  it("keeps workspaces apart, splits more than 100 ids, and starts a new batch in a later task", async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `m${i}`);
    const urls = serveMembers(ids);
    const found = await Promise.all([...ids.map((id) => lookUpMember("big", id)), lookUpMember("other", "m1")]);
    expect(found.every((m) => m !== null)).toBe(true);
    expect(urls.map((u) => [u.split("?")[0], new URL(u, "http://x").searchParams.get("ids")!.split(",").length])).toEqual([
      ["/api/workspaces/big/members", 100],
      ["/api/workspaces/big/members", 50],
      ["/api/workspaces/other/members", 1],
    ]);
    await lookUpMember("big", "m3");
    expect(urls).toHaveLength(4);
  });

  it("fails every lookup of a batch the server refuses, so each query can retry", async () => {
    serveMembers([], 503);
    const results = await Promise.allSettled([lookUpMember("acme", "u1"), lookUpMember("acme", "u2")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({ status: 503, message: "try later" });
  });
});
