import { describe, expect, it } from "vitest";
import { createBatcher, createLimiter } from "@/lib/concurrency";

const tick = () => new Promise((r) => setImmediate(r));

describe("createLimiter", () => {
  it("runs every task, never more than the limit at once, in arrival order", async () => {
    const limiter = createLimiter(3);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 2000 }, (_, i) =>
        limiter.run(async () => {
          started.push(i);
          most = Math.max(most, ++running);
          await tick();
          running--;
          if (i % 97 === 0) throw new Error(`task ${i}`);
          return i;
        }).catch((err: Error) => err.message),
      ),
    );
    expect(most).toBe(3);
    expect(started).toEqual(Array.from({ length: 2000 }, (_, i) => i));
    expect(results[5]).toBe(5);
    expect(results[97]).toBe("task 97");
    expect(limiter.active + limiter.waiting).toBe(0);
  });
});

describe("createBatcher", () => {
  it("answers a burst in few calls of at most maxBatch keys, each caller its own value", async () => {
    const calls: number[][] = [];
    let inFlight = 0;
    let most = 0;
    const lookup = createBatcher(
      async (keys: number[]) => {
        calls.push(keys);
        most = Math.max(most, ++inFlight);
        await tick();
        inFlight--;
        return keys.map((k) => k * 2);
      },
      { maxBatch: 100, concurrency: 2 },
    );
    const out = await Promise.all(Array.from({ length: 1000 }, (_, i) => lookup(i)));
    expect(out).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
    expect(most).toBeLessThanOrEqual(2);
    expect(Math.max(...calls.map((c) => c.length))).toBeLessThanOrEqual(100);
    expect(calls.length).toBeLessThan(1000 / 50);
    // Alone, a lookup does not wait for company.
    expect(await lookup(21)).toBe(42);
  });

  it("rejects every caller of a failed batch, and later batches still run", async () => {
    let fail = true;
    const lookup = createBatcher(async (keys: string[]) => {
      if (fail) throw new Error("database down");
      return keys;
    }, { maxBatch: 10, concurrency: 1 });
    const failed = await Promise.allSettled([lookup("a"), lookup("b")]);
    expect(failed.every((r) => r.status === "rejected")).toBe(true);
    fail = false;
    expect(await lookup("c")).toBe("c");
  });
});
