import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { refreshAfterChange } from "@/lib/client/refresh-after-change";

/** A list on a "server": each read takes a moment and answers what was stored when it began. */
function slowList() {
  let stored: string[] = [];
  let reads = 0;
  return {
    add: (item: string) => (stored = [...stored, item]),
    reads: () => reads,
    read: () => {
      reads++;
      const answer = stored;
      return new Promise<string[]>((resolve) => setTimeout(() => resolve(answer), 30));
    },
  };
}

async function settle(observer: { getCurrentResult(): { fetchStatus: string; data?: string[] } }): Promise<string[] | undefined> {
  for (let i = 0; i < 50 && observer.getCurrentResult().fetchStatus !== "idle"; i++) await new Promise((r) => setTimeout(r, 10));
  return observer.getCurrentResult().data;
}

describe("refreshAfterChange", () => {
  it("shows a change committed while the list's first read was still on its way", async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = slowList();
    const observer = new QueryObserver(queryClient, { queryKey: ["things", "list"], queryFn: server.read });
    const stop = observer.subscribe(() => undefined);
    expect(observer.getCurrentResult().fetchStatus).toBe("fetching"); // the first read has begun
    server.add("created");
    await refreshAfterChange(queryClient, ["things"]);
    expect(await settle(observer)).toEqual(["created"]);
    expect(server.reads()).toBe(2);
    stop();
  });

  it("refetches a list that has data, once", async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = slowList();
    const observer = new QueryObserver(queryClient, { queryKey: ["things", "list"], queryFn: server.read });
    const stop = observer.subscribe(() => undefined);
    expect(await settle(observer)).toEqual([]);
    server.add("created");
    await refreshAfterChange(queryClient, ["things"]);
    expect(await settle(observer)).toEqual(["created"]);
    expect(server.reads()).toBe(2);
    stop();
  });

  it("leaves alone the queries a predicate excludes, even on their first read", async () => {
    const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
    const server = slowList();
    const mine = new QueryObserver(queryClient, { queryKey: ["things", "mine"], queryFn: server.read });
    const theirs = new QueryObserver(queryClient, { queryKey: ["things", "theirs"], queryFn: server.read });
    const stops = [mine.subscribe(() => undefined), theirs.subscribe(() => undefined)];
    server.add("created");
    await refreshAfterChange(queryClient, ["things"], (query) => query.queryKey[1] === "mine");
    expect(await settle(mine)).toEqual(["created"]);
    expect(await settle(theirs)).toEqual([]); // its first read went on, began before the change
    expect(server.reads()).toBe(3);
    for (const stop of stops) stop();
  });
});
