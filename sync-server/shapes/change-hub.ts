import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type DatabaseHandle, queryRows } from '../../db/postgres/client.ts';

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

export interface ChangeHubOptions {
  /** How often the heads of the businesses with live requests are read while nothing changes. */
  pollMs?: number;
  /** How often while changes are coming in (one was seen in the last `ACTIVE_MS`). */
  activePollMs?: number;
}

/**
 * Tens of milliseconds from commit to wake-up (ARCHITECTURE.md, freshness): a read every 25 ms
 * when all is quiet, every 5 ms while changes come in (measured with 50 desktops: a 20 ms period
 * added 13 ms to the median delivery). A read is one index lookup per business.
 */
const DEFAULT_POLL_MS = 25;
const DEFAULT_ACTIVE_POLL_MS = 5;
const ACTIVE_MS = 2_000;
/** A business's head is kept this long after its last live request, so the next one is exact. */
const KEEP_HEAD_MS = 60_000;

interface Waiter {
  pending: boolean;
  wake: ((reason: WakeReason) => void) | undefined;
}

interface HeadRow {
  seq: string;
  epoch: number;
}

/** A business that has written nothing yet has no head row. */
const UNSEEN: HeadRow = { seq: '0', epoch: 0 };

/** Where a business's change log stood at the last read: what the next read is compared with. */
interface Head extends HeadRow {
  lastWatched: number;
}

/**
 * Wakes waiting live shape requests when a change commits, on whichever server instance or path
 * made it. Writers number their changes per business in `sync_heads` (migration 0004) and tell no
 * one: a NOTIFY would serialise every commit in the database (migration 0011). Instead, while
 * requests wait, the hub reads the heads of their businesses every few milliseconds; a head that moved
 * wakes the requests for the tables the change log names between the two positions. Subscribe
 * BEFORE reading the log: `subscribe` resolves once the hub holds a head of the business read no
 * later than that, so a commit that lands between the request's read and its wait has a higher
 * number and is never missed.
 */
export class ChangeHub {
  /** tenant → table → waiters */
  readonly #waiters = new Map<string, Map<string, Set<Waiter>>>();
  readonly #heads = new Map<string, Head>();
  /** First reads of a business's head under way, shared by the requests that wait on them. */
  readonly #firstReads = new Map<string, Promise<void>>();
  readonly #blockedWatchers = new Set<() => void>();
  readonly #pollMs: number;
  readonly #activePollMs: number;
  #lastChangeAt = 0;
  #blocked = 0;
  #wakeUps = 0;
  #closing = false;
  #started = false;
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #failing = false;

  constructor(
    private readonly database: DatabaseHandle,
    private readonly logger: FastifyBaseLogger,
    options: ChangeHubOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
    this.#activePollMs = Math.min(options.activePollMs ?? DEFAULT_ACTIVE_POLL_MS, this.#pollMs);
  }

  get closing(): boolean {
    return this.#closing;
  }

  /** Live requests subscribed (reading or waiting). */
  get subscribed(): number {
    let count = 0;
    for (const tables of this.#waiters.values()) {
      for (const set of tables.values()) count += set.size;
    }
    return count;
  }

  /**
   * Wake-ups so far. A read of the log that began at this count or later sees every commit that
   * woke anyone up to it: what lets woken requests share one read (shared-reads.ts).
   */
  get notifications(): number {
    return this.#wakeUps;
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

  /** Starts watching (reads happen only while live requests are subscribed). */
  start(): Promise<void> {
    this.#started = true;
    this.#schedule();
    return Promise.resolve();
  }

  /** Resolves when the hub holds the business's head (at once, unless it is new to the hub). */
  async subscribe(tenantId: string, table: string): Promise<ChangeSubscription> {
    const subscription = this.#register(tenantId, table);
    if (!this.#heads.has(tenantId)) {
      try {
        await this.#firstRead(tenantId);
      } catch (error) {
        subscription.dispose();
        throw error;
      }
    }
    return subscription;
  }

  #firstRead(tenantId: string): Promise<void> {
    let reading = this.#firstReads.get(tenantId);
    if (!reading) {
      reading = this.#readHeads([tenantId])
        .then((rows) => {
          // A poll that ran meanwhile holds a head at least as new, and woke whoever it concerned.
          if (this.#heads.has(tenantId)) return;
          const row = rows.get(tenantId) ?? UNSEEN;
          this.#heads.set(tenantId, { seq: row.seq, epoch: row.epoch, lastWatched: Date.now() });
        })
        .finally(() => this.#firstReads.delete(tenantId));
      this.#firstReads.set(tenantId, reading);
    }
    return reading;
  }

  #register(tenantId: string, table: string): ChangeSubscription {
    const waiter: Waiter = { pending: false, wake: undefined };
    let tables = this.#waiters.get(tenantId);
    if (!tables) {
      tables = new Map();
      this.#waiters.set(tenantId, tables);
    }
    let set = tables.get(table);
    if (!set) {
      set = new Set();
      tables.set(table, set);
    }
    set.add(waiter);
    this.#schedule();
    const dispose = () => {
      const current = this.#waiters.get(tenantId);
      const waiters = current?.get(table);
      waiters?.delete(waiter);
      if (waiters?.size === 0) current?.delete(table);
      if (current?.size === 0) this.#waiters.delete(tenantId);
      const head = this.#heads.get(tenantId);
      if (head) head.lastWatched = Date.now();
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

  /** Answers every waiting request (they reply up-to-date) and stops watching. */
  close(): Promise<void> {
    this.#closing = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#wakeUps += 1;
    for (const tables of this.#waiters.values()) {
      for (const set of tables.values()) this.#wake(set, 'closing');
    }
    return Promise.resolve();
  }

  /** The next read, if anyone is waiting and none is already due or under way. */
  #schedule(): void {
    if (!this.#started || this.#closing || this.#timer || this.#polling) return;
    if (this.#waiters.size === 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#polling = true;
      this.#poll()
        .catch((error: unknown) => {
          // The heads held stay as they were: the first read that succeeds compares with them and
          // wakes whatever changed meanwhile, so an outage delays wake-ups but loses none.
          if (!this.#failing) this.logger.error({ err: error }, 'cannot read the change heads');
          this.#failing = true;
        })
        .finally(() => {
          this.#polling = false;
          this.#schedule();
        });
    }, this.#period());
    this.#timer.unref();
  }

  #period(): number {
    return Date.now() - this.#lastChangeAt < ACTIVE_MS ? this.#activePollMs : this.#pollMs;
  }

  async #poll(): Promise<void> {
    const now = Date.now();
    for (const [tenant, head] of this.#heads) {
      if (!this.#waiters.has(tenant) && now - head.lastWatched > KEEP_HEAD_MS) {
        this.#heads.delete(tenant);
      }
    }
    const tenants = [...this.#waiters.keys()];
    if (tenants.length === 0) return;
    const read = await this.#readHeads(tenants);
    if (this.#failing) {
      this.logger.info('reading the change heads again');
      this.#failing = false;
    }
    const everything: string[] = [];
    const moved: { tenant: string; from: string; to: string }[] = [];
    for (const tenant of tenants) {
      const row = read.get(tenant) ?? UNSEEN;
      const held = this.#heads.get(tenant);
      if (!held || held.epoch !== row.epoch) everything.push(tenant);
      else if (BigInt(row.seq) > BigInt(held.seq)) {
        moved.push({ tenant, from: held.seq, to: row.seq });
      }
    }
    const changedTables = moved.length === 0 ? [] : await this.#tablesChanged(moved);
    // Held only now: had the change log's read failed, the next poll would compare with the old
    // heads again and lose nothing.
    for (const tenant of tenants) {
      const row = read.get(tenant) ?? UNSEEN;
      this.#heads.set(tenant, { seq: row.seq, epoch: row.epoch, lastWatched: now });
    }
    if (moved.length > 0) this.#lastChangeAt = now;
    if (everything.length === 0 && changedTables.length === 0) return;

    // Counted before waking: a read that starts after this sees every commit up to the heads read.
    this.#wakeUps += 1;
    for (const tenant of everything) {
      for (const set of this.#waiters.get(tenant)?.values() ?? []) this.#wake(set, 'changed');
    }
    for (const { user_id: tenant, table_name: table } of changedTables) {
      const set = this.#waiters.get(tenant)?.get(table);
      if (set) this.#wake(set, 'changed');
    }
  }

  async #readHeads(tenants: readonly string[]): Promise<Map<string, HeadRow>> {
    const rows = await queryRows<{ user_id: string; seq: string; epoch: number }>(
      this.database.db,
      sql`SELECT user_id::text, seq::text, epoch FROM sync_heads
           WHERE user_id = ANY(${`{${tenants.join(',')}}`}::uuid[])`,
    );
    return new Map(rows.map((row) => [row.user_id, { seq: row.seq, epoch: row.epoch }]));
  }

  /** The tables each business changed between two of its heads, from the change log. */
  #tablesChanged(
    moved: readonly { tenant: string; from: string; to: string }[],
  ): Promise<{ user_id: string; table_name: string }[]> {
    const list = (values: readonly string[]) => `{${values.join(',')}}`;
    return queryRows<{ user_id: string; table_name: string }>(
      this.database.db,
      sql`SELECT DISTINCT c.user_id::text, c.table_name
            FROM unnest(${list(moved.map((m) => m.tenant))}::uuid[],
                        ${list(moved.map((m) => m.from))}::bigint[],
                        ${list(moved.map((m) => m.to))}::bigint[]) AS w(user_id, from_seq, to_seq)
            JOIN change_log c
              ON c.user_id = w.user_id AND c.seq > w.from_seq AND c.seq <= w.to_seq`,
    );
  }

  #wake(set: ReadonlySet<Waiter>, reason: WakeReason): void {
    for (const waiter of set) {
      if (waiter.wake) waiter.wake(reason);
      else waiter.pending = true;
    }
  }
}
