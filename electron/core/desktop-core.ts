import { z } from 'zod';
import { syncedTables, type SyncedTable } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import type { MutationName } from '../../db/mutations/catalogue.ts';
import type { Database } from '../../db/replica/open.ts';
import type { WriteStatus } from '../../db/wire/desktop-api.ts';
import type { Identity } from './outbox/effects.ts';
import { Outbox, type Recorded } from './outbox/outbox.ts';
import { DEFAULT_PUSH, Pusher, type PusherOptions } from './outbox/pusher.ts';
import { AccessTokens, type GetAccessToken } from './sync/access-tokens.ts';
import { SyncClient, type SyncClientOptions } from './sync/sync-client.ts';

export type { Identity } from './outbox/effects.ts';

export interface DesktopCoreOptions {
  /** The migrated replica (db/replica open.ts + migrate.ts). */
  replica: Database;
  serverUrl: string;
  getAccessToken: GetAccessToken;
  identity: Identity;
  tables?: readonly SyncedTable[];
  liveSse?: boolean;
  fetch?: typeof fetch;
  /** Retry delays of both the shape streams and the pusher. */
  backoff?: { initialDelayMs?: number; maxDelayMs?: number };
  push?: Partial<Pick<PusherOptions, 'batchMutations' | 'batchBytes' | 'timeoutMs' | 'random'>>;
  /**
   * How long an acknowledged mutation's outcome may take to arrive through its table's live shape
   * before that table is asked directly. A live shape moves on when its table changes; a mutation
   * that changed nothing there (an edit that lost every field to a later one, a push answered
   * `duplicate`) is only seen to have arrived when the shape learns the newer log position.
   */
  outcomeGraceMs?: number;
  onAuthFailure?: (error: AppError) => void;
  clock?: () => number;
}

const identitySchema = z.object({
  businessId: z.uuid(),
  memberId: z.uuid(),
  businessPhone: z.string().regex(/^\+[1-9]\d{6,14}$/, 'the business phone is E.164'),
});

/**
 * The desktop's local core: the replica, its read path (SyncClient) and its write path (Outbox and
 * Pusher), wired together. The typed desktop API (api.ts) is built on it; Electron's main process
 * and the browser shell only host it.
 */
export class DesktopCore {
  readonly replica: Database;
  readonly sync: SyncClient;
  readonly outbox: Outbox;
  readonly pusher: Pusher;
  readonly #listeners = new Set<(status: WriteStatus) => void>();
  readonly #graceMs: number;
  #graceTimer: NodeJS.Timeout | undefined;
  #wasOffline = false;
  #publishing = false;
  #stopped = false;

  constructor(options: DesktopCoreOptions) {
    const identity = identitySchema.safeParse(options.identity);
    if (!identity.success) {
      throw new AppError('VALIDATION_FAILED', `DesktopCore: ${z.prettifyError(identity.error)}`);
    }
    this.replica = options.replica;
    this.#graceMs = options.outcomeGraceMs ?? 2_000;
    const tables = [...new Set(options.tables ?? syncedTables)];
    const tokens = new AccessTokens(options.getAccessToken);
    const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
    this.outbox = new Outbox({
      replica: options.replica,
      identity: identity.data,
      syncedTables: tables,
      ...(options.clock ? { now: options.clock } : {}),
    });
    const syncOptions: SyncClientOptions = {
      serverUrl: options.serverUrl,
      replica: options.replica,
      getAccessToken: options.getAccessToken,
      tokens,
      tables,
      fetch: fetcher,
      overlay: this.outbox.overlay,
      ...(options.liveSse === undefined ? {} : { liveSse: options.liveSse }),
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.onAuthFailure ? { onAuthFailure: options.onAuthFailure } : {}),
    };
    this.sync = new SyncClient(syncOptions);
    this.pusher = new Pusher(
      {
        serverUrl: options.serverUrl.replace(/\/+$/, ''),
        tokens,
        fetch: fetcher,
        backoff: {
          initialDelayMs: options.backoff?.initialDelayMs ?? 1_000,
          maxDelayMs: options.backoff?.maxDelayMs ?? 30_000,
        },
        batchMutations: options.push?.batchMutations ?? DEFAULT_PUSH.batchMutations,
        batchBytes: options.push?.batchBytes ?? DEFAULT_PUSH.batchBytes,
        timeoutMs: options.push?.timeoutMs ?? DEFAULT_PUSH.timeoutMs,
        ...(options.push?.random ? { random: options.push.random } : {}),
      },
      this.outbox,
      {
        state: () => this.#publish(),
        acknowledged: (awaited) => {
          this.#awaitOutcomes(awaited);
          this.#publish();
        },
        signedOut: (error) => options.onAuthFailure?.(error),
      },
    );
    this.sync.onApplied(() => this.#publish());
    this.sync.onStatus((status) => {
      // Back online: what waits in the outbox goes now, not when its backoff runs out.
      const offline = status.overall.state === 'offline';
      if (this.#wasOffline && !offline) {
        this.pusher.retryNow();
        this.pusher.kick();
      }
      this.#wasOffline = offline;
    });
  }

  /**
   * Starts syncing and pushing what the outbox holds (from before a restart, too); after an error
   * (signed in again, say), starts both again. Once stopped, a core is done: make a new one.
   */
  start(): void {
    this.#stopped = false;
    this.sync.start();
    this.pusher.resume();
    this.pusher.kick();
    this.#awaitOutcomes(this.outbox.awaitedTables());
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#graceTimer);
    await Promise.all([this.pusher.stop(), this.sync.stop()]);
  }

  /** Records an action (optimistic effect and outbox entry, one transaction) and pushes it. */
  act<N extends MutationName>(name: N, args: unknown, options: { after?: string } = {}): Recorded {
    const recorded = this.outbox.record(name, args, options);
    this.pusher.kick();
    this.#publish();
    return recorded;
  }

  writeStatus(): WriteStatus {
    return { ...this.outbox.counts(), push: this.pusher.state };
  }

  onWriteStatus(listener: (status: WriteStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Resolves once the outbox is empty: every mutation acknowledged and its outcome arrived.
   * Rejects if pushing stops with an error first.
   */
  drained(): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (status: WriteStatus): boolean => {
        if (status.pending === 0 && status.acknowledged === 0) resolve();
        else if (status.push.state === 'error') {
          reject(new AppError(status.push.code, status.push.message));
        } else return false;
        return true;
      };
      if (check(this.writeStatus())) return;
      const unsubscribe = this.onWriteStatus((status) => {
        if (check(status)) unsubscribe();
      });
    });
  }

  #awaitOutcomes(awaited: readonly SyncedTable[]): void {
    if (awaited.length === 0 || this.#stopped || this.#graceTimer) return;
    this.#graceTimer = setTimeout(() => {
      this.#graceTimer = undefined;
      if (this.#stopped) return;
      const still = this.outbox.awaitedTables();
      this.sync.refresh(still);
      this.#awaitOutcomes(still);
    }, this.#graceMs);
    this.#graceTimer.unref();
  }

  /**
   * Tells listeners the write status, once per turn of the event loop however many changes it
   * had: a push's answer and the shape batches that follow it come in bursts, and counting the
   * outbox for each would cost more than the work itself.
   */
  #publish(): void {
    if (this.#listeners.size === 0 || this.#publishing) return;
    this.#publishing = true;
    setImmediate(() => {
      this.#publishing = false;
      this.#publishNow();
    });
  }

  #publishNow(): void {
    if (this.#listeners.size === 0 || this.#stopped || !this.replica.open) return;
    const status = this.writeStatus();
    for (const listener of this.#listeners) {
      try {
        listener(status);
      } catch (error) {
        process.emitWarning(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
