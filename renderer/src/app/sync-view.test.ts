import { describe, expect, it } from 'vitest';
import { describeSync, describeTableSync } from './sync-view.ts';

const since = '2026-11-28T09:05:00.000Z';

describe('sync indicator wording', () => {
  it('maps each state to a face', () => {
    expect(describeSync({ state: 'up-to-date', since }, since, 'UTC')).toMatchObject({
      face: 'online',
      label: 'Online',
    });
    expect(describeSync({ state: 'offline', since }, since, 'UTC').face).toBe('offline');
    expect(describeSync({ state: 'connecting' }, undefined).face).toBe('syncing');
    expect(describeSync(undefined, undefined).face).toBe('syncing');
    expect(
      describeSync({ state: 'error', code: 'SESSION_REVOKED', message: 'Sign in again.' }, since)
        .face,
    ).toBe('error');
  });

  it('shows snapshot progress when its size is known', () => {
    const view = describeSync({ state: 'syncing', rowsSynced: 250, snapshotRows: 1000 }, since);
    expect(view.label).toBe('Syncing 25%');
    expect(view.progress).toBe(0.25);
    expect(
      describeSync({ state: 'syncing', rowsSynced: 5, snapshotRows: null }, since).progress,
    ).toBe(undefined);
  });

  it('says when it last synced while offline', () => {
    expect(describeSync({ state: 'offline', since }, since, 'UTC').detail).toContain(
      'Last synced 9:05',
    );
  });

  it('describes a table of the first sync', () => {
    expect(describeTableSync({ state: 'syncing', rowsSynced: 1200, snapshotRows: 100000 })).toEqual(
      { text: '1,200 of 100,000 rows', value: 1200, max: 100000, done: false },
    );
    expect(describeTableSync({ state: 'up-to-date', since }).done).toBe(true);
    expect(describeTableSync(undefined).text).toBe('Waiting…');
  });
});
