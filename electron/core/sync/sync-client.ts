import { z } from 'zod';
import { syncedTables, type SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import type { Database } from '../../../db/replica/open.ts';
import type { SyncState, SyncStatus } from '../../../db/wire/sync.ts';
import { AccessTokens, type GetAccessToken } from './access-tokens.ts';
import { BULK_LOAD_FROM_ROWS, type ShapeBatchOverlay } from './apply.ts';
import { syncStatus } from './status.ts';
import { type AppliedBatchEvent, TableSync, type TableSyncEvents } from './table-sync.ts';

export type { AppliedBatchEvent } from './table-sync.ts';
export type { GetAccessToken } from './access-tokens.ts';

/** Apply a snapshot or catch-up at least this often (messages), not only at up-to-date. */
export const FLUSH_EVERY_MESSAGES = 20_000;

export interface SyncClientOptions {
  /** The sync server's base URL; shapes are read from `<serverUrl>/v1/shape`. */
  serverUrl: string;
  /** The migrated replica (db/replica open.ts + migrate.ts). */
  replica: Database;
  /** The current access token; `refresh: true` after the server refused one as expired. */
  getAccessToken: GetAccessToken;
  /** Shares the token source with the outbox's pusher, so only one refresh ever runs. */
  tokens?: AccessTokens;
  /** The session ended or the business cannot sync (the code says which): sign in again. */
  onAuthFailure?: (error: AppError) => void;
  tables?: readonly SyncedTable[];
  /**
   * Live updates over server-sent events (the default): one open response per table carries every
   * change, where a long poll costs a new request per change — with 50 desktops on one thread of
   * the benchmark, half the latency (bench/README.md). The client drops to long polls by itself
   * when streams keep ending at once (a proxy that does not stream). `false`: long polls only.
   */
  liveSse?: boolean;
  fetch?: typeof fetch;
  /** Retry delays while the server cannot be reached (exponential, full jitter). */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  flushEvery?: number;
  /** A snapshot announced at this many rows or more is bulk loaded (apply.ts). */
  bulkLoadFromRows?: number;
  /** The outbox's optimistic overlay over the server's rows (electron/core/outbox). */
  overlay?: ShapeBatchOverlay;
}

const optionsSchema = z.object({
  serverUrl: z.url({ protocol: /^https?$/ }),
  tables: z.array(z.enum(syncedTables)).min(1).optional(),
  backoff: z
    .object({
      initialDelayMs: z.number().int().positive().optional(),
      maxDelayMs: z.number().int().positive().optional(),
    })
    .optional(),
  flushEvery: z.number().int().positive().optional(),
  bulkLoadFromRows: z.number().int().positive().optional(),
});

/**
 * The desktop's read path: one Electric shape stream per synced table, from the server's
 * `GET /v1/shape` into the SQLite replica, each table resuming from the position saved with its
 * rows. Status per table and overall for the renderer; events for whoever waits on data.
 */
export class SyncClient {
  readonly #tables: TableSync[];
  readonly #states = new Map<SyncedTable, SyncState>();
  readonly #statusListeners = new Set<(status: SyncStatus) => void>();
  readonly #appliedListeners = new Set<(event: AppliedBatchEvent) => void>();
  readonly #onAuthFailure: ((error: AppError) => void) | undefined;
  #status: SyncStatus;
  #statusText: string;
  #signedOut = false;
  #starting = false;

  constructor(options: SyncClientOptions) {
    const checked = optionsSchema.safeParse(options);
    if (!checked.success) {
      throw new AppError('VALIDATION_FAILED', `SyncClient: ${z.prettifyError(checked.error)}`);
    }
    const tokens = options.tokens ?? new AccessTokens(options.getAccessToken);
    const tables = [...new Set(options.tables ?? syncedTables)];
    const shapeUrl = `${options.serverUrl.replace(/\/+$/, '')}/v1/shape`;
    this.#onAuthFailure = options.onAuthFailure;
    for (const table of tables) this.#states.set(table, { state: 'stopped' });
    const events: TableSyncEvents = {
      state: (name, state) => this.#tableState(name, state),
      applied: (event) => this.#emit(this.#appliedListeners, event),
      signedOut: (error) => this.#signOut(error),
    };
    this.#tables = tables.map(
      (table) =>
        new TableSync(
          {
            table,
            replica: options.replica,
            shapeUrl,
            tokens,
            fetch: options.fetch ?? ((input, init) => fetch(input, init)),
            liveSse: options.liveSse ?? true,
            backoff: {
              initialDelayMs: options.backoff?.initialDelayMs ?? 1_000,
              maxDelayMs: options.backoff?.maxDelayMs ?? 30_000,
            },
            flushEvery: options.flushEvery ?? FLUSH_EVERY_MESSAGES,
            bulkLoadFromRows: options.bulkLoadFromRows ?? BULK_LOAD_FROM_ROWS,
            overlay: options.overlay,
          },
          events,
        ),
    );
    this.#status = syncStatus(this.#states);
    this.#statusText = JSON.stringify(this.#status);
  }

  /** Starts every table that is not running (after an error, this retries it). */
  start(): void {
    this.#signedOut = false;
    // One status for the whole start, not one per table (which would read "stopped" meanwhile).
    this.#starting = true;
    try {
      for (const table of this.#tables) table.start();
    } finally {
      this.#starting = false;
    }
    this.#publishStatus();
  }

  /** Aborts every stream; resolves when they have stopped. The replica keeps what it has. */
  async stop(): Promise<void> {
    await Promise.all(this.#tables.map((table) => table.stop()));
  }

  /** The tables this client syncs. */
  get tables(): SyncedTable[] {
    return this.#tables.map((table) => table.table);
  }

  /** Catches these tables up from their saved positions now, not when they next change. */
  refresh(tables: readonly SyncedTable[]): void {
    const wanted = new Set(tables);
    for (const table of this.#tables) if (wanted.has(table.table)) table.refresh();
  }

  status(): SyncStatus {
    return this.#status;
  }

  /** Calls `listener` with every new status; returns the unsubscribe function. */
  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  /** Calls `listener` after every batch committed to the replica. */
  onApplied(listener: (event: AppliedBatchEvent) => void): () => void {
    this.#appliedListeners.add(listener);
    return () => this.#appliedListeners.delete(listener);
  }

  /**
   * Resolves when every table is up to date (at once if they are); rejects with the AppError if
   * syncing stops with an error first, or if the client is stopped.
   */
  upToDate(): Promise<void> {
    return new Promise((resolve, reject) => {
      const settled = (status: SyncStatus): boolean => {
        const overall = status.overall;
        if (overall.state === 'up-to-date') resolve();
        else if (overall.state === 'error') reject(new AppError(overall.code, overall.message));
        else if (overall.state === 'stopped') {
          reject(new AppError('SHUTTING_DOWN', 'Sync stopped before it was up to date.'));
        } else return false;
        return true;
      };
      if (settled(this.#status)) return;
      const unsubscribe = this.onStatus((status) => {
        if (settled(status)) unsubscribe();
      });
    });
  }

  #tableState(table: SyncedTable, state: SyncState): void {
    this.#states.set(table, state);
    if (!this.#starting) this.#publishStatus();
  }

  #publishStatus(): void {
    const status = syncStatus(this.#states);
    const text = JSON.stringify(status);
    if (text === this.#statusText) return;
    this.#status = status;
    this.#statusText = text;
    this.#emit(this.#statusListeners, status);
  }

  /** Every table would get the same refusal: stop them all, once, and tell the app. */
  #signOut(error: AppError): void {
    if (this.#signedOut) return;
    this.#signedOut = true;
    for (const table of this.#tables) table.failWith(error);
    this.#onAuthFailure?.(error);
  }

  /** A listener that throws must not break syncing; its error is reported as a process warning. */
  #emit<T>(listeners: ReadonlySet<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
