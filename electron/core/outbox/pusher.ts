import { z } from 'zod';
import { AppError } from '../../../db/errors.ts';
import type { SyncedTable } from '../../../db/enums.ts';
import type { pushStateSchema } from '../../../db/wire/desktop-api.ts';
import type { PushedMutation } from '../../../db/mutations/catalogue.ts';
import {
  EXPECTED_MUTATION_HEADER,
  type PushResult,
  pushResultSchema,
} from '../../../db/wire/mutations.ts';
import type { AccessTokens } from '../sync/access-tokens.ts';
import { fromErrorAnswer, signedOutCodes } from '../sync/stream-errors.ts';
import type { Outbox } from './outbox.ts';

export interface PusherOptions {
  /** `<serverUrl>/v1/mutations` */
  serverUrl: string;
  tokens: AccessTokens;
  fetch: typeof fetch;
  /** Retry delays while pushes fail: exponential, full jitter. */
  backoff: { initialDelayMs: number; maxDelayMs: number };
  /** Mutations per push (the server takes up to 1,000). */
  batchMutations: number;
  /** About this many bytes per push (the server's body limit is 1 MiB). */
  batchBytes: number;
  /** A push not answered in this long is abandoned and retried (it may have landed: harmless). */
  timeoutMs: number;
  random?: () => number;
}

export const DEFAULT_PUSH = {
  batchMutations: 500,
  batchBytes: 512 * 1024,
  timeoutMs: 30_000,
} as const;

/**
 * idle · pushing · retrying (the last push failed: server unreachable, 5xx, timeout) · error
 * (stopped for a reason a person must act on: signed out, a refused batch) · stopped.
 */
export type PushState = z.infer<typeof pushStateSchema>;

export interface PusherEvents {
  state(state: PushState): void;
  /** A push was answered and taken in; `awaited`: tables whose shapes still owe outcomes. */
  acknowledged(awaited: SyncedTable[]): void;
  /** The session or business cannot push (401/403 that a new token does not cure). */
  signedOut(error: AppError): void;
}

type Sent = { response: Response; token: string } | { error: unknown; token: string | undefined };

type Attempt =
  | { kind: 'answered'; result: PushResult }
  | { kind: 'renumbered' }
  | { kind: 'smaller' }
  | { kind: 'retry'; error: AppError; now?: boolean }
  | { kind: 'fatal'; error: AppError; signedOut: boolean };

/**
 * Sends the outbox to `POST /v1/mutations`, in order, one push in flight at a time: the server
 * applies a client's mutations in number order, so a second push could only race the first.
 * Failures are retried with exponential backoff and full jitter (so a thousand desktops coming
 * back online do not push in lockstep); a retried push that had landed is answered `duplicate`
 * and changes nothing. A MUTATION_GAP renumbers the outbox from the number the server expects.
 */
export class Pusher {
  readonly #abort = new AbortController();
  readonly #random: () => number;
  #running: Promise<void> | undefined;
  #again = false;
  #wake: (() => void) | undefined;
  #state: PushState = { state: 'idle' };
  #batchLimit: number;

  constructor(
    private readonly options: PusherOptions,
    private readonly outbox: Outbox,
    private readonly events: PusherEvents,
  ) {
    this.#random = options.random ?? Math.random;
    this.#batchLimit = options.batchMutations;
  }

  get state(): PushState {
    return this.#state;
  }

  /** Something was recorded (or the app started): push what is pending, if not doing so already. */
  kick(): void {
    if (this.#abort.signal.aborted || this.#state.state === 'error') return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#run()
      .catch((error: unknown) => {
        // The replica refused the bookkeeping (a full disk, say): stop, and say why.
        const reason = error instanceof Error ? error.message : String(error);
        this.#setState({ state: 'error', code: 'INTERNAL', message: `Pushing stopped: ${reason}` });
      })
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#abort.signal.aborted && this.#state.state !== 'error') {
          this.kick();
        }
      });
  }

  /**
   * Pushes again after pushing stopped with an error (a sign-in again, a newer app): the error is
   * cleared and what is pending goes. Not after stop(), which is for good.
   */
  resume(): void {
    if (this.#state.state !== 'error') return;
    this.#setState({ state: 'idle' });
    this.kick();
  }

  /** The server is reachable again: cut a backoff delay short. */
  retryNow(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#abort.abort();
    this.#wake?.();
    await this.#running?.catch(() => undefined);
    this.#setState({ state: 'stopped' });
  }

  async #run(): Promise<void> {
    let failures = 0;
    /** Answered by the server, not yet taken into the outbox. */
    let answered: PushResult | undefined;
    try {
      while (!this.#abort.signal.aborted) {
        this.#again = false;
        const batch = this.outbox.nextBatch(
          this.#batchLimit,
          this.options.batchBytes,
          answered?.lastMutationId ?? 0,
        );
        if (batch.length === 0) {
          if (answered) {
            this.#takeIn(answered);
            answered = undefined;
            continue;
          }
          this.#setState({ state: 'idle' });
          return;
        }
        this.#setState({ state: 'pushing' });
        const sending = this.#send(batch);
        if (answered) {
          // The last answer is taken in while the next push is on its way: the server applies
          // one batch while this desktop records the outcome of the one before.
          await new Promise((resolve) => setImmediate(resolve));
          this.#takeIn(answered);
          answered = undefined;
        }
        const attempt = await this.#judge(await sending, batch);
        if (this.#abort.signal.aborted) return;
        switch (attempt.kind) {
          case 'answered':
            answered = attempt.result;
            failures = 0;
            this.#batchLimit = this.options.batchMutations;
            continue;
          case 'renumbered':
            failures = 0;
            continue;
          case 'smaller':
            continue;
          case 'retry': {
            if (attempt.now) continue;
            failures += 1;
            this.#setState({
              state: 'retrying',
              attempt: failures,
              code: attempt.error.code,
              message: attempt.error.message,
            });
            await this.#delay(failures);
            continue;
          }
          case 'fatal':
            this.#setState({
              state: 'error',
              code: attempt.error.code,
              message: attempt.error.message,
            });
            if (attempt.signedOut) this.events.signedOut(attempt.error);
            return;
        }
      }
    } finally {
      // Stopped with an answer in hand: record it (else the next start pushes it again, which the
      // server answers `duplicate` — harmless, but work).
      if (answered) this.#takeIn(answered);
    }
  }

  #takeIn(result: PushResult): void {
    const awaited = this.outbox.acknowledge(result);
    this.events.acknowledged(awaited);
  }

  /** Sends one push; the answer, or why there is none. */
  async #send(batch: readonly PushedMutation[]): Promise<Sent> {
    let token: string | undefined;
    try {
      token = await this.options.tokens.current();
      const signal = AbortSignal.any([
        this.#abort.signal,
        AbortSignal.timeout(this.options.timeoutMs),
      ]);
      const response = await this.options.fetch(`${this.options.serverUrl}/v1/mutations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ mutations: batch }),
        signal,
      });
      return { response, token };
    } catch (error) {
      return { error, token };
    }
  }

  /** What to do about a push's outcome. */
  async #judge(sent: Sent, batch: readonly PushedMutation[]): Promise<Attempt> {
    if ('error' in sent) {
      const { error } = sent;
      if (error instanceof AppError && signedOutCodes.has(error.code)) {
        return { kind: 'fatal', error, signedOut: true };
      }
      const reason = error instanceof Error ? error.message : String(error);
      return {
        kind: 'retry',
        error: new AppError('INTERNAL', `The push did not reach the server: ${reason}`, {
          cause: error,
        }),
      };
    }
    const { response, token } = sent;
    if (response.ok) return this.#answer(response);
    const error = await errorOf(response);
    if (error.code === 'MUTATION_GAP') {
      const expected = Number(response.headers.get(EXPECTED_MUTATION_HEADER));
      if (!Number.isSafeInteger(expected) || expected < 1) {
        return { kind: 'fatal', error, signedOut: false };
      }
      this.outbox.renumberFrom(expected);
      return { kind: 'renumbered' };
    }
    if (error.code === 'TOKEN_EXPIRED') {
      this.options.tokens.expired(token);
      return { kind: 'retry', error, now: true };
    }
    if (response.status === 401 || response.status === 403 || signedOutCodes.has(error.code)) {
      return { kind: 'fatal', error, signedOut: true };
    }
    if (response.status === 413 && this.#batchLimit > 1) {
      this.#batchLimit = Math.max(1, Math.floor(batch.length / 2));
      return { kind: 'smaller' };
    }
    if (response.status === 429 || response.status >= 500) return { kind: 'retry', error };
    // A 4xx for the batch as a whole: retrying the same bytes cannot help.
    return { kind: 'fatal', error, signedOut: false };
  }

  async #answer(response: Response): Promise<Attempt> {
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { kind: 'retry', error: new AppError('INTERNAL', `The answer was cut: ${reason}`) };
    }
    const result = pushResultSchema.safeParse(body);
    if (!result.success) {
      return {
        kind: 'fatal',
        signedOut: false,
        error: new AppError(
          'VALIDATION_FAILED',
          `The server's answer to a push is not one: ${z.prettifyError(result.error)}`,
        ),
      };
    }
    return { kind: 'answered', result: result.data };
  }

  /** Waits min(max, initial·2^(n-1)) · random (full jitter), or until woken or stopped. */
  #delay(failures: number): Promise<void> {
    const { initialDelayMs, maxDelayMs } = this.options.backoff;
    const ceiling = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(failures - 1, 30));
    const ms = Math.round(ceiling * this.#random());
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }

  #setState(state: PushState): void {
    if (JSON.stringify(state) === JSON.stringify(this.#state)) return;
    this.#state = state;
    this.events.state(state);
  }
}

/** The server's `{ code, message }` of a failed answer, as an AppError. */
async function errorOf(response: Response): Promise<AppError> {
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return fromErrorAnswer(response.status, json);
}
