/**
 * Admission control: at most `limit` tasks of one kind run at once; the rest wait in arrival order.
 * Nothing is ever refused — a burst (a reconnect storm's handshakes, a sign-in storm's argon2
 * checks) is spread out so that other work sharing the same resource (database connections, libuv
 * threads) keeps moving. docs/performance.md has the figures that motivated each limit.
 */
export type TLimiter = {
  /** Runs `task` once a slot is free; resolves or rejects with its result. */
  run<T>(task: () => Promise<T>): Promise<T>;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
};

/** A limiter allowing `limit` (≥ 1) concurrent tasks. */
export function createLimiter(limit: number): TLimiter {
  const max = Math.max(1, Math.floor(limit));
  let active = 0;
  // A FIFO with a moving head: shift() on a long array is O(n) per call during a 10,000-socket storm.
  let queue: (() => void)[] = [];
  let head = 0;
  const release = () => {
    active--;
    if (head < queue.length) {
      const next = queue[head]!;
      queue[head++] = undefined as never;
      if (head > 1024 && head * 2 > queue.length) {
        queue = queue.slice(head);
        head = 0;
      }
      active++;
      next();
    }
  };
  return {
    async run<T>(task: () => Promise<T>): Promise<T> {
      if (active < max) active++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length - head;
    },
  };
}

/**
 * Coalesces lookups: callers ask for one key each; waiting keys are answered together by one call of
 * `load` (up to `maxBatch` keys), with at most `concurrency` calls in flight. Under a burst (a
 * reconnect storm's handshakes) thousands of lookups become tens of queries; alone, a lookup is
 * answered at once. `load` answers every key it was given (undefined for "none").
 */
export function createBatcher<K, V>(load: (keys: K[]) => Promise<V[]>, opts: { maxBatch: number; concurrency: number }): (key: K) => Promise<V> {
  type TWaiter = { key: K; resolve: (v: V) => void; reject: (err: unknown) => void };
  let waiting: TWaiter[] = [];
  let inFlight = 0;
  const pump = () => {
    while (inFlight < opts.concurrency && waiting.length > 0) {
      const batch = waiting.slice(0, opts.maxBatch);
      waiting = waiting.slice(batch.length);
      inFlight++;
      load(batch.map((w) => w.key))
        .then(
          (values) => batch.forEach((w, i) => w.resolve(values[i]!)),
          (err) => batch.forEach((w) => w.reject(err)),
        )
        .finally(() => {
          inFlight--;
          pump();
        });
    }
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      waiting.push({ key, resolve, reject });
      pump();
    });
}
