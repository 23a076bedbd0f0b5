import "server-only";

/** The most hashes one lookup asks for (an `IN` list of this many stays well inside both databases' limits). */
const MAX_BATCH = 256;

type Waiter<T> = { resolve(value: T | null): void; reject(error: unknown): void };

/**
 * Coalesces key lookups: while one query is under way, the hashes asked for
 * meanwhile wait and go together in the next one. At most one query per
 * instance is in flight, so a flood of made-up keys (each one a cache miss)
 * costs the database one query per round trip, not one per request, and the
 * refusal path stays no more expensive than serving a good key. A hash asked
 * for while its own lookup is in flight waits for the next query, which began
 * after it was asked: a key committed before a request arrived is always found.
 */
export class KeyLoader<T> {
  #queued = new Map<string, Waiter<T>[]>();
  #draining = false;

  constructor(private readonly loadMany: (hashes: string[]) => Promise<Map<string, T>>) {}

  load(hash: string): Promise<T | null> {
    return new Promise<T | null>((resolve, reject) => {
      const waiters = this.#queued.get(hash);
      if (waiters) waiters.push({ resolve, reject });
      else this.#queued.set(hash, [{ resolve, reject }]);
      if (!this.#draining) {
        this.#draining = true;
        // Start on the next turn of the event loop, not now: the requests already read from
        // their sockets reach this point first and share the query. (With SQLite, whose queries
        // complete without yielding to I/O, starting now would mean one query per request.)
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain() {
    try {
      while (this.#queued.size > 0) {
        const batch = new Map<string, Waiter<T>[]>();
        for (const [hash, waiters] of this.#queued) {
          batch.set(hash, waiters);
          this.#queued.delete(hash);
          if (batch.size === MAX_BATCH) break;
        }
        try {
          const found = await this.loadMany([...batch.keys()]);
          for (const [hash, waiters] of batch) for (const w of waiters) w.resolve(found.get(hash) ?? null);
        } catch (error) {
          for (const waiters of batch.values()) for (const w of waiters) w.reject(error);
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}
