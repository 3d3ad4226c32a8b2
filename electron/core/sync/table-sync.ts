import type { SyncedTable } from '../../../db/enums.ts';
import type { AppError } from '../../../db/errors.ts';
import type { SyncState } from '../../../db/wire/sync.ts';
import {
  type AppliedBatchEvent,
  TableRun,
  type TableRunHost,
  type TableRunOptions,
} from './table-run.ts';

export type { AppliedBatchEvent } from './table-run.ts';

export interface TableSyncEvents {
  state(table: SyncedTable, state: SyncState): void;
  applied(event: AppliedBatchEvent): void;
  /** The session or business cannot sync (401/403 that a new token does not cure). */
  signedOut(error: AppError): void;
}

/**
 * One synced table: its sync state, and the run of its stream when it has one. Started again after
 * an error, it resumes from the position saved with the rows.
 */
export class TableSync {
  readonly table: SyncedTable;
  #state: SyncState = { state: 'stopped' };
  #run: TableRun | undefined;

  constructor(
    private readonly options: TableRunOptions,
    private readonly events: TableSyncEvents,
  ) {
    this.table = options.table;
  }

  get state(): SyncState {
    return this.#state;
  }

  /** Starts the stream from the saved position (a snapshot when there is none). Idempotent. */
  start(): void {
    if (this.#run?.active) return;
    this.#setState({ state: 'connecting' });
    const host: TableRunHost = {
      state: () => this.#state,
      setState: (state) => this.#setState(state),
      applied: (event) => this.events.applied(event),
      signedOut: (error) => this.events.signedOut(error),
      failed: (error) => this.#showError(error),
    };
    this.#run = new TableRun(this.options, host);
  }

  /** Aborts the stream; resolves once its requests have ended. */
  async stop(): Promise<void> {
    const run = this.#run;
    this.#run = undefined;
    await run?.stop();
    this.#setState({ state: 'stopped' });
  }

  /** Catches up from the saved position now (TableRun.refresh). */
  refresh(): void {
    this.#run?.refresh();
  }

  /** Stops with the error shown (the whole client was signed out). */
  failWith(error: AppError): void {
    const run = this.#run;
    this.#run = undefined;
    void run?.stop();
    this.#showError(error);
  }

  #showError(error: AppError): void {
    this.#setState({ state: 'error', code: error.code, message: error.message });
  }

  #setState(state: SyncState): void {
    this.#state = state;
    this.events.state(this.table, state);
  }
}
