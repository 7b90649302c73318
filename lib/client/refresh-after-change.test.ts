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
  for (let i = 0; i < 50 && observer!.getCurrentResult().fetchStatus !== "idle"; i++) await new Promise((r) => setTimeout(r, 10));
  return observer!.getCurrentResult().data;
}

/** A query client and one observed list query per key, all reading `server`. */
function watch(server: ReturnType<typeof slowList>, keys: string[]) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  const observers = keys.map((key) => new QueryObserver(queryClient, { queryKey: ["things", key], queryFn: server.read }));
  const stops = observers.map((o) => o.subscribe(() => undefined));
  return { queryClient, observers, stop: () => stops.forEach((stop) => stop()) };
}

describe("refreshAfterChange", () => {
  it("shows a change committed while the list's first read was still on its way", async () => {
    const server = slowList();
    const { queryClient, observers: [observer], stop } = watch(server, ["list"]);
    expect(observer!.getCurrentResult().fetchStatus).toBe("fetching"); // the first read has begun
    server.add("created");
    await refreshAfterChange(queryClient, ["things"]);
    expect(await settle(observer!)).toEqual(["created"]);
    expect(server.reads()).toBe(2);
    stop();
  });

  it("refetches a list that has data, once", async () => {
    const server = slowList();
    const { queryClient, observers: [observer], stop } = watch(server, ["list"]);
    expect(await settle(observer!)).toEqual([]);
    server.add("created");
    await refreshAfterChange(queryClient, ["things"]);
    expect(await settle(observer!)).toEqual(["created"]);
    expect(server.reads()).toBe(2);
    stop();
  });

  it("leaves alone the queries a predicate excludes, even on their first read", async () => {
    const server = slowList();
    const { queryClient, observers: [mine, theirs], stop } = watch(server, ["mine", "theirs"]);
    server.add("created");
    await refreshAfterChange(queryClient, ["things"], (query) => query.queryKey[1] === "mine");
    expect(await settle(mine!)).toEqual(["created"]);
    expect(await settle(theirs!)).toEqual([]); // its first read went on, began before the change
    expect(server.reads()).toBe(3);
    stop();
  });
});
