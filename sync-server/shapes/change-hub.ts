import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseHandle } from '../../db/postgres/client.ts';

/** The channel the capture triggers (migration 0004) notify on: payload `<business id>:<table>`. */
export const CHANGES_CHANNEL = 'fieldline_changes';

export type WakeReason = 'changed' | 'timeout' | 'closing';

/** One live request's interest in one business's table. */
export interface ChangeSubscription {
  /**
   * Resolves when a change to the table commits after the subscription began (or since the last
   * call), at the deadline, or when the server shuts down — whichever comes first.
   */
  next(deadline: number, signal?: AbortSignal): Promise<WakeReason>;
  dispose(): void;
}

interface Waiter {
  pending: boolean;
  wake: ((reason: WakeReason) => void) | undefined;
}

/**
 * Wakes waiting live shape requests when a change commits, on whichever server instance made it:
 * every instance LISTENs to the same Postgres channel. Subscribe BEFORE reading the log, so a commit
 * that lands between the read and the wait is not missed.
 */
export class ChangeHub {
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #blockedWatchers = new Set<() => void>();
  #blocked = 0;
  #notifications = 0;
  #closing = false;
  #retryTimer: NodeJS.Timeout | undefined;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: FastifyBaseLogger,
  ) {}

  get closing(): boolean {
    return this.#closing;
  }

  /** Live requests subscribed (reading or waiting). */
  get subscribed(): number {
    let count = 0;
    for (const set of this.#waiters.values()) count += set.size;
    return count;
  }

  /**
   * Notifications received so far. A read of the log that began at this count or later sees every
   * commit notified up to it: what lets woken requests share one read (shared-reads.ts).
   */
  get notifications(): number {
    return this.#notifications;
  }

  /** Live requests blocked waiting for a change right now. */
  get blocked(): number {
    return this.#blocked;
  }

  /** Resolves once at least `count` live requests are blocked waiting (tests, benchmarks). */
  whenBlocked(count: number): Promise<void> {
    if (this.#blocked >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const check = () => {
        if (this.#blocked < count) return;
        this.#blockedWatchers.delete(check);
        resolve();
      };
      this.#blockedWatchers.add(check);
    });
  }

  /**
   * Starts listening. If the database cannot be reached yet, the server still starts (health and
   * readiness say so) and the hub keeps trying; until then live requests end at their timeout.
   */
  async start(): Promise<void> {
    try {
      await this.#listen();
    } catch (error) {
      this.logger.error({ err: error }, 'cannot listen for changes yet; retrying');
      this.#retry(500);
    }
  }

  async #listen(): Promise<void> {
    const unlisten = await this.database.listen(CHANGES_CHANNEL, {
      onNotify: (payload) => this.#notify(payload),
      onGap: () => {
        this.logger.warn('change notifications were interrupted; waking every live request');
        this.#wakeAll('changed');
      },
    });
    if (this.#closing) {
      await unlisten();
      return;
    }
    this.#unlisten = unlisten;
  }

  #retry(delayMs: number): void {
    this.#retryTimer = setTimeout(() => {
      if (this.#closing) return;
      this.#listen().then(
        () => this.#wakeAll('changed'),
        () => this.#retry(Math.min(delayMs * 2, 10_000)),
      );
    }, delayMs);
    this.#retryTimer.unref();
  }

  subscribe(tenantId: string, table: string): ChangeSubscription {
    const key = `${tenantId}:${table}`;
    const waiter: Waiter = { pending: false, wake: undefined };
    let set = this.#waiters.get(key);
    if (!set) {
      set = new Set();
      this.#waiters.set(key, set);
    }
    set.add(waiter);
    const dispose = () => {
      const current = this.#waiters.get(key);
      current?.delete(waiter);
      if (current?.size === 0) this.#waiters.delete(key);
    };
    const next = (deadline: number, signal?: AbortSignal): Promise<WakeReason> => {
      if (this.#closing) return Promise.resolve('closing');
      if (signal?.aborted) return Promise.resolve('timeout');
      if (waiter.pending) {
        waiter.pending = false;
        return Promise.resolve('changed');
      }
      return new Promise<WakeReason>((resolve) => {
        const timer = setTimeout(() => finish('timeout'), Math.max(0, deadline - Date.now()));
        const onAbort = () => finish('timeout');
        signal?.addEventListener('abort', onAbort, { once: true });
        const finish = (reason: WakeReason) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', onAbort);
          waiter.wake = undefined;
          waiter.pending = false;
          this.#blocked -= 1;
          resolve(reason);
        };
        waiter.wake = finish;
        this.#blocked += 1;
        for (const watcher of [...this.#blockedWatchers]) watcher();
      });
    };
    return { next, dispose };
  }

  /** Answers every waiting request (they reply up-to-date) and stops listening. */
  async close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#retryTimer);
    this.#wakeAll('closing');
    await this.#unlisten?.();
    this.#unlisten = undefined;
  }

  #notify(payload: string): void {
    this.#notifications += 1;
    const set = this.#waiters.get(payload);
    if (!set) return;
    for (const waiter of set) {
      if (waiter.wake) waiter.wake('changed');
      else waiter.pending = true;
    }
  }

  #wakeAll(reason: WakeReason): void {
    this.#notifications += 1;
    for (const set of this.#waiters.values()) {
      for (const waiter of set) {
        if (waiter.wake) waiter.wake(reason);
        else waiter.pending = true;
      }
    }
  }
}
