import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import type { Log } from './log.ts';
import { coreToMainSchema, toWireError, type CoreStart, type MainToCore } from './process-wire.ts';
import type { SessionStore } from './session-store.ts';

/**
 * Main's side of the local core's utility process: starts it, answers its vault requests (only
 * main has safeStorage), hands each renderer a MessageChannel to it, passes its alerts and badge
 * on, starts it again if it dies, and stops it cleanly on quit.
 */

/** The parts of Electron's UtilityProcess used (a fake in tests). */
export interface CoreChild<Port> {
  postMessage(message: MainToCore, transfer?: Port[]): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export type CoreState = 'starting' | 'running' | 'restarting' | 'failed' | 'stopped';

export interface CoreProcessOptions<Port> {
  fork: () => CoreChild<Port>;
  createChannel: () => { port1: Port; port2: Port };
  start: CoreStart;
  vault: SessionStore;
  onEvent: (event: DesktopEvent) => void;
  /** The core is (again) able to take renderers: connect every open window. */
  onAvailable: () => void;
  /** The core is gone: tell the renderers (`restarting`, or `failed` with a message). */
  onUnavailable: (state: 'restarting' | 'failed', message: string) => void;
  log: Log;
  /** Delays before each restart; past the last, the core is given up as failed. */
  restartDelaysMs?: readonly number[];
  /** A run this long resets the restart count (a crash a day is not a crash loop). */
  healthyAfterMs?: number;
  now?: () => number;
  setTimeout?: (run: () => void, ms: number) => unknown;
}

export function createCoreProcess<Port>(options: CoreProcessOptions<Port>) {
  const { log } = options;
  const delays = options.restartDelaysMs ?? [500, 2_000, 5_000, 15_000, 30_000];
  const healthyAfter = options.healthyAfterMs ?? 60_000;
  const now = options.now ?? Date.now;
  const later = options.setTimeout ?? ((run: () => void, ms: number) => setTimeout(run, ms));
  let child: CoreChild<Port> | null = null;
  let state: CoreState = 'starting';
  let restarts = 0;
  let startedAt = 0;
  let stopping: { resolve: () => void } | null = null;

  // No explicit `undefined` transfer list: Electron's native postMessage rejects one.
  const post = (message: MainToCore) => child?.postMessage(message);

  function onMessage(raw: unknown) {
    const parsed = coreToMainSchema.safeParse(raw);
    if (!parsed.success) {
      log.warn('dropped a malformed message from the local core');
      return;
    }
    const message = parsed.data;
    switch (message.kind) {
      case 'ready':
        state = 'running';
        return;
      case 'failed':
        // A start failure (data folder in use, migration refused) does not heal by restarting.
        state = 'failed';
        log.error(`the local core could not start: ${message.error.code} ${message.error.message}`);
        options.onUnavailable('failed', message.error.message);
        child?.kill();
        return;
      case 'closed':
        stopping?.resolve();
        return;
      case 'event':
        options.onEvent(message.event);
        return;
      case 'vault:load':
        options.vault.load().then(
          (session) => post({ kind: 'vault:loaded', id: message.id, session }),
          (error: unknown) =>
            post({ kind: 'vault:failed', id: message.id, error: toWireError(error) }),
        );
        return;
      case 'vault:save':
        options.vault.save(message.session).then(
          () => post({ kind: 'vault:done', id: message.id }),
          (error: unknown) =>
            post({ kind: 'vault:failed', id: message.id, error: toWireError(error) }),
        );
        return;
      case 'vault:clear':
        options.vault.clear().then(
          () => post({ kind: 'vault:done', id: message.id }),
          (error: unknown) =>
            post({ kind: 'vault:failed', id: message.id, error: toWireError(error) }),
        );
        return;
    }
  }

  function onExit(code: number) {
    child = null;
    if (stopping) {
      state = 'stopped';
      stopping.resolve();
      return;
    }
    if (state === 'failed') return;
    if (now() - startedAt >= healthyAfter) restarts = 0;
    const delay = delays[restarts];
    if (delay === undefined) {
      state = 'failed';
      const message = 'The local core keeps stopping; restart Fieldline.';
      log.error(`the local core exited (code ${code}) ${restarts} times in a row; giving up`);
      options.onUnavailable('failed', message);
      return;
    }
    restarts += 1;
    state = 'restarting';
    log.warn(`the local core exited (code ${code}); starting it again in ${delay} ms`);
    options.onUnavailable('restarting', 'The local core stopped; it is starting again.');
    later(() => {
      if (!stopping) spawn();
    }, delay);
  }

  function spawn() {
    startedAt = now();
    state = 'starting';
    const next = options.fork();
    child = next;
    next.on('message', onMessage);
    next.on('exit', onExit);
    next.postMessage({ kind: 'start', options: options.start });
    options.onAvailable();
  }

  return {
    start: spawn,
    get state() {
      return state;
    },
    /**
     * Gives one renderer its own channel to the core: `port1` to the core, `port2` to `deliver`
     * (webContents.postMessage). Returns false when there is no core to connect to.
     */
    connect(deliver: (port: Port) => void): boolean {
      if (!child || state === 'failed' || state === 'stopped') return false;
      const { port1, port2 } = options.createChannel();
      child.postMessage({ kind: 'connect' }, [port1]);
      deliver(port2);
      return true;
    },
    /** Asks the core to close its replica, waits for it (at most `timeoutMs`), then kills it. */
    stop(timeoutMs = 5_000): Promise<void> {
      const running = child;
      if (!running) {
        state = 'stopped';
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        let done = false;
        const finish = () => {
          if (done) return;
          done = true;
          state = 'stopped';
          running.kill();
          resolve();
        };
        stopping = { resolve: finish };
        running.postMessage({ kind: 'shutdown' });
        later(finish, timeoutMs);
      });
    },
  };
}
export type CoreProcess<Port> = ReturnType<typeof createCoreProcess<Port>>;
