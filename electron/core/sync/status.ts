import type { SyncedTable } from '../../../db/enums.ts';
import type { SyncState, SyncStatus } from '../../../db/wire/sync.ts';

const earliest = (a: string, b: string): string => (a < b ? a : b);
const latest = (a: string, b: string): string => (a > b ? a : b);

/**
 * One state for the whole replica, the one that matters most to the person looking at it: an error
 * (something to act on) over offline over connecting over syncing; up to date only when every table
 * is, since the latest of them caught up; offline since the first table lost the server.
 */
export function overallState(states: readonly SyncState[]): SyncState {
  const error = states.find((state) => state.state === 'error');
  if (error) return error;
  const offline = states.filter((state) => state.state === 'offline');
  if (offline.length > 0) {
    return { state: 'offline', since: offline.map((s) => s.since).reduce(earliest) };
  }
  if (states.length === 0 || states.some((state) => state.state === 'stopped')) {
    return { state: 'stopped' };
  }
  if (states.some((state) => state.state === 'connecting')) return { state: 'connecting' };
  const syncing = states.filter((state) => state.state === 'syncing');
  if (syncing.length > 0) {
    const known = syncing.every((state) => state.snapshotRows !== null);
    return {
      state: 'syncing',
      rowsSynced: syncing.reduce((sum, state) => sum + state.rowsSynced, 0),
      snapshotRows: known
        ? syncing.reduce((sum, state) => sum + (state.snapshotRows ?? 0), 0)
        : null,
    };
  }
  const upToDate = states.filter((state) => state.state === 'up-to-date');
  return { state: 'up-to-date', since: upToDate.map((s) => s.since).reduce(latest) };
}

export function syncStatus(tables: ReadonlyMap<SyncedTable, SyncState>): SyncStatus {
  return { overall: overallState([...tables.values()]), tables: Object.fromEntries(tables) };
}
