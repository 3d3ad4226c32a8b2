import type { Log } from './log.ts';

/** The parts of electron-updater's autoUpdater used. */
export interface UpdaterLike {
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdatesAndNotify(): Promise<unknown>;
}

const EVERY_SIX_HOURS = 6 * 60 * 60 * 1000;

/**
 * Checks for updates at start and every six hours, in a packaged app only (an unpackaged one has
 * no update feed). Where updates come from is electron-builder's `publish` configuration, which
 * electron-updater reads from app-update.yml; without one the check fails, and every failure is
 * logged and otherwise ignored — an update never stops the app from working.
 */
export function startAutoUpdates(options: {
  isPackaged: boolean;
  load: () => Promise<UpdaterLike>;
  log: Log;
  intervalMs?: number;
  setInterval?: (run: () => void, ms: number) => { unref?: () => unknown };
}): { started: boolean } {
  if (!options.isPackaged) return { started: false };
  const { log } = options;
  const check = (updater: UpdaterLike) => {
    updater.checkForUpdatesAndNotify().catch((error: unknown) => {
      log.warn(`update check failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };
  options
    .load()
    .then((updater) => {
      updater.on('error', (error) => log.warn(`updater: ${error.message}`));
      check(updater);
      const every = options.setInterval ?? setInterval;
      every(() => check(updater), options.intervalMs ?? EVERY_SIX_HOURS).unref?.();
    })
    .catch((error: unknown) => {
      log.warn(`updater unavailable: ${error instanceof Error ? error.message : String(error)}`);
    });
  return { started: true };
}
