import { describe, expect, it } from 'vitest';
import { type SyncState, syncStatusSchema } from '../../../db/wire/sync.ts';
import { overallState, syncStatus } from './status.ts';

const upToDate = (since: string): SyncState => ({ state: 'up-to-date', since });
const offline = (since: string): SyncState => ({ state: 'offline', since });
const syncing = (rowsSynced: number, snapshotRows: number | null): SyncState => ({
  state: 'syncing',
  rowsSynced,
  snapshotRows,
});
const T1 = '2026-11-27T17:00:00.000Z';
const T2 = '2026-11-27T18:00:00.000Z';

describe('overallState', () => {
  it('is up to date only when every table is, since the last of them caught up', () => {
    expect(overallState([upToDate(T2), upToDate(T1)])).toEqual(upToDate(T2));
    expect(overallState([upToDate(T1), syncing(5, 10)])).toEqual(syncing(5, 10));
  });

  it('adds up the progress of the tables still syncing; unknown if any total is', () => {
    expect(overallState([syncing(5, 10), syncing(1, 3), upToDate(T1)])).toEqual(syncing(6, 13));
    expect(overallState([syncing(5, 10), syncing(1, null)])).toEqual(syncing(6, null));
  });

  it('puts an error first, then offline (since the first), then stopped, then connecting', () => {
    const error: SyncState = { state: 'error', code: 'SESSION_REVOKED', message: 'Sign in' };
    expect(overallState([offline(T1), error, upToDate(T1)])).toEqual(error);
    expect(overallState([offline(T2), { state: 'connecting' }, offline(T1)])).toEqual(offline(T1));
    expect(overallState([{ state: 'stopped' }, { state: 'connecting' }])).toEqual({
      state: 'stopped',
    });
    expect(overallState([{ state: 'connecting' }, syncing(1, 2)])).toEqual({ state: 'connecting' });
    expect(overallState([])).toEqual({ state: 'stopped' });
  });

  it('makes a status the wire schema accepts', () => {
    const status = syncStatus(
      new Map([
        ['leads', upToDate(T1)],
        ['call_logs', syncing(3, null)],
      ]),
    );
    expect(syncStatusSchema.parse(status)).toEqual(status);
    expect(status.overall).toEqual(syncing(3, null));
  });
});
