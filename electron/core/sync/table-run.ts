import { randomUUID } from 'node:crypto';
import {
  type ControlMessage,
  isChangeMessage,
  isControlMessage,
  type Message,
  type Offset,
  type Row,
  ShapeStream,
} from '@electric-sql/client';
import type { SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import type { Database } from '../../../db/replica/open.ts';
import { postgresColumns } from '../../../db/replica/tables.ts';
import { SNAPSHOT_ROWS_HEADER } from '../../../db/wire/shape.ts';
import type { SyncState } from '../../../db/wire/sync.ts';
import { type AccessTokens, bearerOf } from './access-tokens.ts';
import { applyShapeBatch, type ShapeBatchOverlay } from './apply.ts';
import { rawTextParser, withValuesAsText } from './raw-values.ts';
import { readShapeState, type ShapeState } from './shape-state.ts';
import { classifyStreamError } from './stream-errors.ts';

/** What one applied batch did to one table (an event for the app and for tests). */
export interface AppliedBatchEvent {
  table: SyncedTable;
  upserted: number;
  deleted: number;
  /** The table was emptied first (a new snapshot replaced it). */
  reset: boolean;
  upToDate: boolean;
  state: ShapeState;
}

export interface TableRunOptions {
  table: SyncedTable;
  replica: Database;
  shapeUrl: string;
  tokens: AccessTokens;
  fetch: typeof fetch;
  liveSse: boolean;
  backoff: { initialDelayMs: number; maxDelayMs: number };
  /** Apply what has accumulated once this many messages wait, even before up-to-date. */
  flushEvery: number;
  /** A snapshot announced at this many rows or more is bulk loaded (apply.ts). */
  bulkLoadFromRows: number;
  overlay: ShapeBatchOverlay | undefined;
}

/** Where a run reports to (its TableSync). Nothing is reported once the run is stopped. */
export interface TableRunHost {
  state(): SyncState;
  setState(state: SyncState): void;
  applied(event: AppliedBatchEvent): void;
  /** The session or business cannot sync (a 401/403 that a new token does not cure). */
  signedOut(error: AppError): void;
  /** This run stopped itself: the stream gave up, or the replica refused a batch. */
  failed(error: AppError): void;
}

const unavailableStatuses = new Set([502, 503, 504]);
const now = (): string => new Date().toISOString();

function snapshotRowsOf(response: Response): number | null {
  const header = response.headers.get(SNAPSHOT_ROWS_HEADER);
  return header !== null && /^\d{1,15}$/.test(header) ? Number(header) : null;
}

const isUpToDate = (message: Message<Row> | undefined): message is ControlMessage =>
  message !== undefined && isControlMessage(message) && message.headers.control === 'up-to-date';

/**
 * One start of a table's read path: an Electric `ShapeStream` from the saved position (a snapshot
 * when there is none), its messages applied to the replica in batches.
 *
 * Batching: messages accumulate until an up-to-date, then go in with the position in one
 * transaction; a long snapshot or catch-up is applied every `flushEvery` messages with the offset of
 * the answer just received (memory stays bounded, and a restart resumes mid-snapshot).
 */
export class TableRun {
  readonly #abort = new AbortController();
  readonly #stream: ShapeStream;
  readonly #unsubscribe: () => void;
  /** Requests under way, so that stop() can wait for them to end. */
  readonly #inflight = new Set<Promise<Response>>();
  #saved: ShapeState | undefined;
  #pending: Message<Row>[] = [];
  /** Empty the table before the next apply: a new snapshot replaces what the replica has. */
  #resetPending = false;
  /** Set by the fetch wrapper when a snapshot's first answer arrives; read by the next batch. */
  #snapshotStarted: { rows: number | null } | undefined;
  /** The snapshot's row count to save with the next apply (undefined: keep the saved one). */
  #snapshotRows: number | null | undefined;
  /** The token the last request carried, to tell the token source which one expired. */
  #lastToken: string | undefined;
  /** The last request was a live one (it waits for a change); a catch-up answers at once. */
  #waitingLive = false;

  constructor(
    private readonly options: TableRunOptions,
    private readonly host: TableRunHost,
  ) {
    const { table, backoff } = options;
    this.#saved = readShapeState(options.replica, table);
    this.#stream = new ShapeStream({
      url: options.shapeUrl,
      params: {
        table,
        // The replica's own columns, named: a column the server gains later is then not sent to
        // a desktop that has no place for it, and this desktop's shape definition stays the same.
        columns: postgresColumns(table).map((column) => column.name),
        // `stream_id` (ignored by the server) makes each run's URL its own: the client remembers
        // up-to-date cursors per URL for a minute and, finding one, withholds the next up-to-date
        // of a stream restarted in the same process (its replay guard for browser caches).
        stream_id: randomUUID(),
      },
      ...(this.#saved ? { offset: this.#saved.offset as Offset, handle: this.#saved.handle } : {}),
      headers: { Authorization: async () => `Bearer ${await options.tokens.current()}` },
      parser: rawTextParser,
      fetchClient: (input, init) => this.#fetch(input, init),
      signal: this.#abort.signal,
      backoffOptions: {
        initialDelay: backoff.initialDelayMs,
        maxDelay: backoff.maxDelayMs,
        multiplier: 2,
      },
      liveSse: options.liveSse,
      onError: (error) => this.#onStreamError(error),
    });
    this.#unsubscribe = this.#stream.subscribe(
      (messages) => this.#onMessages(messages),
      (error) => this.#fail(error),
    );
  }

  get active(): boolean {
    return !this.#abort.signal.aborted;
  }

  /** Aborts the stream; resolves once its requests have ended. Nothing is applied after. */
  stop(): Promise<unknown> {
    this.#abort.abort();
    this.#unsubscribe();
    this.#stream.unsubscribeAll();
    return Promise.allSettled([...this.#inflight]);
  }

  /**
   * Asks the server again from the saved position at once, instead of waiting on the live stream:
   * its answer carries the current log position even when this table has no change.
   */
  refresh(): void {
    // A catch-up under way brings the current position by itself: cutting it off and asking
    // again would only start over (and, asked often enough on a slow server, never finish).
    if (!this.active || !this.#stream.isUpToDate || !this.#waitingLive) return;
    this.#stream.forceDisconnectAndRefresh().catch(() => undefined);
  }

  #fail(error: unknown): void {
    if (!this.active) return;
    void this.stop();
    this.host.failed(classifyStreamError(error).error);
  }

  /**
   * Every request of the stream (and of its prefetching) goes through here: to stop with the
   * client, to note the token sent, to see the server come and go, and to catch a snapshot's first
   * answer (its row count, and that the table must be replaced).
   */
  async #fetch(input: string | URL | Request, init: RequestInit | undefined): Promise<Response> {
    const stopped = this.#abort.signal;
    stopped.throwIfAborted();
    const signal = init?.signal ? AbortSignal.any([init.signal, stopped]) : stopped;
    this.#lastToken = bearerOf(init);
    const url = new URL(input instanceof Request ? input.url : input.toString());
    this.#waitingLive = url.searchParams.get('live') === 'true';
    const attempt = this.options.fetch(input, { ...init, signal });
    this.#inflight.add(attempt);
    const settled = () => this.#inflight.delete(attempt);
    attempt.then(settled, settled);
    let response: Response;
    try {
      response = await attempt;
    } catch (error) {
      if (!signal.aborted) this.#lostServer();
      throw error;
    }
    if (unavailableStatuses.has(response.status)) this.#lostServer();
    else if (response.ok) this.#reachedServer();
    if (response.ok && url.searchParams.get('offset') === '-1' && this.active) {
      this.#snapshotStarted = { rows: snapshotRowsOf(response) };
    }
    return response.ok ? withValuesAsText(response) : response;
  }

  #lostServer(): void {
    if (!this.active || this.host.state().state === 'offline') return;
    this.host.setState({ state: 'offline', since: now() });
    // A live stream would retry with live=true, and once the server is back that long-poll
    // answers only when something changes. Refreshing makes the retries plain catch-up requests,
    // so the first one that gets through says at once that the table is up to date.
    if (this.#stream.isUpToDate) this.#stream.forceDisconnectAndRefresh().catch(() => undefined);
  }

  #reachedServer(): void {
    if (!this.active) return;
    const { state } = this.host.state();
    if (state === 'offline' || state === 'connecting') this.host.setState(this.#progress());
  }

  #progress(): SyncState {
    const base = this.#resetPending ? 0 : (this.#saved?.rowsSynced ?? 0);
    const snapshotRows =
      this.#snapshotRows !== undefined
        ? this.#snapshotRows
        : this.#saved?.upToDateAt === null
          ? this.#saved.snapshotRows
          : null;
    return { state: 'syncing', rowsSynced: base + this.#pending.length, snapshotRows };
  }

  #onStreamError(error: Error): Record<string, never> | undefined {
    if (!this.active) return undefined;
    const failure = classifyStreamError(error);
    switch (failure.kind) {
      case 'token-expired':
        this.options.tokens.expired(this.#lastToken);
        return {}; // retry: the Authorization header is resolved again, with the new token
      case 'unavailable':
        this.#lostServer();
        return {};
      case 'signed-out':
        this.host.signedOut(failure.error);
        return undefined;
      case 'failed':
        this.#fail(failure.error);
        return undefined;
    }
  }

  #onMessages(messages: Message<Row>[]): void {
    if (!this.active) return;
    try {
      if (this.#snapshotStarted) {
        // A snapshot from -1 replaces the table, whatever sent the stream back there (a 409, or
        // the client's own loop or cache guards, which reset it without a must-refetch).
        this.#snapshotRows = this.#snapshotStarted.rows;
        this.#snapshotStarted = undefined;
        this.#pending = [];
        this.#resetPending = true;
      }
      for (const message of messages) {
        if (isChangeMessage(message)) this.#pending.push(message);
        else if (isControlMessage(message) && message.headers.control === 'must-refetch') {
          // What accumulated belongs to the old shape. The table is replaced when the new
          // snapshot's first batch is applied, in the same transaction: until then the replica
          // keeps showing (and, offline, keeps serving) what it had.
          this.#pending = [];
          this.#resetPending = true;
          this.#snapshotRows = null;
        }
      }
      const last = messages.at(-1);
      if (isUpToDate(last)) this.#flush(this.#upToDateOffset(last), true);
      else if (this.#pending.length >= this.options.flushEvery) {
        this.#flush(this.#stream.lastOffset, false);
      } else if (this.host.state().state !== 'up-to-date' || this.#resetPending) {
        this.host.setState(this.#progress());
      }
    } catch (error) {
      this.#fail(error);
    }
  }

  /**
   * The offset that goes with a batch ending in up-to-date. Long-polling, it is the offset of the
   * answer that carried the batch (the client does not ask for the next one before we return).
   * Over SSE, batches are handed over without waiting, so `lastOffset` may already be a later
   * batch's: the up-to-date message's own position is the one that matches, as the client uses it.
   */
  #upToDateOffset(message: ControlMessage): string {
    const lsn = (message.headers as { global_last_seen_lsn?: unknown }).global_last_seen_lsn;
    if (this.options.liveSse && typeof lsn === 'string' && /^\d+$/.test(lsn)) return `${lsn}_0`;
    return this.#stream.lastOffset;
  }

  #flush(offset: string, upToDate: boolean): void {
    const { replica, table } = this.options;
    const handle = this.#stream.shapeHandle;
    if (handle === undefined) {
      throw new AppError('INTERNAL', `${table}: the server sent messages without a shape handle.`);
    }
    const saved = this.#saved;
    const pending = this.#pending;
    const reset = this.#resetPending;
    const moved = saved === undefined || saved.handle !== handle || saved.offset !== offset;
    if (pending.length > 0 || reset || moved) {
      const applied = applyShapeBatch(
        replica,
        table,
        pending,
        { handle, offset, snapshotRows: this.#snapshotRows, upToDate },
        {
          replaces: reset,
          bulkLoadFromRows: this.options.bulkLoadFromRows,
          ...(this.options.overlay ? { overlay: this.options.overlay } : {}),
        },
      );
      this.#pending = [];
      this.#resetPending = false;
      this.#snapshotRows = undefined;
      this.#saved = applied.state;
      this.host.applied({ table, ...applied, reset, upToDate });
    }
    if (upToDate) {
      if (this.host.state().state !== 'up-to-date') {
        this.host.setState({ state: 'up-to-date', since: now() });
      }
    } else {
      this.host.setState(this.#progress());
    }
  }
}
