import type { DesktopArgs, DesktopChannel, DesktopResult } from '../../db/wire/desktop-api.ts';
import type { DesktopCore } from './desktop-core.ts';
import { applyAgainAction } from './outbox/apply-again.ts';
import { refusedEdits, supersededEdits } from './queries/edits.ts';

/**
 * A synchronous piece of the core (better-sqlite3 is synchronous) as a handler's promise: what it
 * throws becomes the rejection, which dispatch.ts turns into the error answer.
 */
export function run<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

/** One handler per channel of the desktop API (db/wire/desktop-api.ts), typed by its schemas. */
export type DesktopHandlers = {
  [C in DesktopChannel]: (...args: DesktopArgs<C>) => Promise<DesktopResult<C>>;
};

/** What the handlers work with: the parts of the local core the API exposes. */
export type LocalCore = Pick<DesktopCore, 'sync' | 'outbox' | 'act' | 'writeStatus'>;

export type SyncAndWriteChannel =
  | 'sync:status'
  | 'writes:status'
  | 'writes:record'
  | 'writes:refused'
  | 'writes:superseded'
  | 'writes:applyAgain';

/**
 * The handlers of the signed-in core's sync and write channels. The host (host.ts) adds the
 * session's and the screens' (queries/read-handlers.ts) to make the whole DesktopHandlers map.
 */
export function createDesktopHandlers(core: LocalCore): Pick<DesktopHandlers, SyncAndWriteChannel> {
  return {
    'sync:status': () => run(() => core.sync.status()),
    'writes:status': () => run(() => core.writeStatus()),
    'writes:record': (action) => run(() => core.act(action.name, action.args)),
    'writes:refused': ({ limit }) =>
      run(() => refusedEdits(core.outbox.replica, core.outbox.clientId, limit)),
    'writes:superseded': ({ limit }) =>
      run(() => supersededEdits(core.outbox.replica, core.outbox.clientId, limit)),
    'writes:applyAgain': ({ conflictId }) =>
      run(() => {
        const again = applyAgainAction(core.outbox.replica, core.outbox.clientId, conflictId);
        return core.act(again.action.name, again.action.args, { after: again.after });
      }),
  };
}
