import type { DesktopArgs, DesktopChannel, DesktopResult } from '../../db/wire/desktop-api.ts';
import type { SyncClient } from './sync/sync-client.ts';

/** One handler per channel of the desktop API (db/wire/desktop-api.ts), typed by its schemas. */
export type DesktopHandlers = {
  [C in DesktopChannel]: (...args: DesktopArgs<C>) => Promise<DesktopResult<C>>;
};

/** What the handlers work with: the parts of the local core the API exposes. */
export interface LocalCore {
  sync: Pick<SyncClient, 'status'>;
}

/**
 * The desktop API's handler map: the one place every renderer call lands, whether it came over
 * Electron IPC or the browser shell's loopback bridge (both validate with the same schemas).
 */
export function createDesktopHandlers(core: LocalCore): DesktopHandlers {
  return {
    'sync:status': () => Promise.resolve(core.sync.status()),
  };
}
