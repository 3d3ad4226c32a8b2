/**
 * One Fieldline per OS user: the replica and its outbox belong to one process. A second launch
 * hands over to the first (which comes forward) and quits.
 */
export interface SingleInstanceApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  on(event: 'second-instance', listener: () => void): unknown;
}

/** Returns whether this process is the one that runs; if not, it is already quitting. */
export function claimSingleInstance(app: SingleInstanceApp, focusExisting: () => void): boolean {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return false;
  }
  app.on('second-instance', () => focusExisting());
  return true;
}
