/**
 * Reads of the change log under way, by shape definition and log position, shared by every
 * request that needs the same one. When a commit wakes every desktop of a business at once, they
 * all wait at the same position of the same shape: one read answers them all, instead of one
 * transaction per desktop queueing for the pool.
 *
 * Ordering, on the change hub's count of notifications (`clock`): a request may only join a read
 * that began at or after the moment it subscribed or was last woken (its `since`). A read that
 * began earlier may predate the commit that woke it, and reusing it would leave that commit unseen
 * until the next one. A commit that a joined read misses is notified later, and that notification
 * wakes the request again: it subscribed before it read.
 */
export class SharedReads<T> {
  readonly #inflight = new Map<string, { startedAt: number; result: Promise<T> }>();
  #started = 0;
  #joined = 0;

  constructor(private readonly clock: () => number) {}

  /** Reads actually run, and requests answered by another request's read. */
  get counts(): { started: number; joined: number } {
    return { started: this.#started, joined: this.#joined };
  }

  /** The moment to pass as `since`: take it on subscribing and on every wake-up. */
  mark(): number {
    return this.clock();
  }

  /** The read for `key`: one under way that began at or after `since`, or a new one. */
  read(key: string, since: number, run: () => Promise<T>): Promise<T> {
    const joinable = this.#inflight.get(key);
    if (joinable && joinable.startedAt >= since) {
      this.#joined += 1;
      return joinable.result;
    }
    const entry = { startedAt: this.clock(), result: run() };
    this.#started += 1;
    this.#inflight.set(key, entry);
    const forget = () => {
      if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
    };
    entry.result.then(forget, forget);
    return entry.result;
  }
}
