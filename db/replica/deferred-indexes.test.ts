import { describe, expect, it } from 'vitest';
import { replicaFiles } from '../../tests/support/replica-files.ts';
import { deferIndexes, restoreIndexes } from './deferred-indexes.ts';
import { migrateReplica } from './migrate.ts';
import type { Database } from './open.ts';

const openFile = replicaFiles('deferred-indexes');

/** Every index on `table` with its CREATE statement (null for a key's own index). */
const indexesOf = (sqlite: Database, table: string) =>
  sqlite
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`,
    )
    .all(table);
const recorded = (sqlite: Database) =>
  sqlite.prepare('SELECT index_name, table_name FROM sync_deferred_indexes ORDER BY 1').all();

describe('deferred indexes', () => {
  it('sets aside only plain indexes, and builds exactly the same ones again', () => {
    const sqlite = openFile();
    migrateReplica(sqlite);
    const before = indexesOf(sqlite, 'financials');
    const deferred = sqlite.transaction(() => deferIndexes(sqlite, 'financials'))();
    expect(deferred).toEqual(['idx_financials_date']);
    // The unique (user_id, date) index is a constraint, and stays.
    expect(indexesOf(sqlite, 'financials').map((row) => (row as { name: string }).name)).toEqual([
      'financials_user_id_date_key',
      'sqlite_autoindex_financials_1',
    ]);
    expect(recorded(sqlite)).toEqual([
      { index_name: 'idx_financials_date', table_name: 'financials' },
    ]);
    expect(restoreIndexes(sqlite, 'leads')).toEqual([]);
    expect(restoreIndexes(sqlite, 'financials')).toEqual(['idx_financials_date']);
    expect(indexesOf(sqlite, 'financials')).toEqual(before);
    expect(recorded(sqlite)).toEqual([]);
  });

  it('nothing is set aside when the transaction that set them aside rolls back', () => {
    const sqlite = openFile();
    migrateReplica(sqlite);
    const before = indexesOf(sqlite, 'leads');
    expect(() =>
      sqlite.transaction(() => {
        deferIndexes(sqlite, 'leads');
        throw new Error('the batch failed');
      })(),
    ).toThrow('the batch failed');
    expect(indexesOf(sqlite, 'leads')).toEqual(before);
    expect(recorded(sqlite)).toEqual([]);
  });

  it('after a crash mid-snapshot, the next migration puts every index back', () => {
    let sqlite = openFile();
    migrateReplica(sqlite);
    const leads = indexesOf(sqlite, 'leads');
    const calls = indexesOf(sqlite, 'call_logs');
    sqlite.transaction(() => {
      deferIndexes(sqlite, 'leads');
      deferIndexes(sqlite, 'call_logs');
    })();
    expect(indexesOf(sqlite, 'leads')).toHaveLength(1);
    sqlite.close();

    sqlite = openFile();
    migrateReplica(sqlite);
    expect(indexesOf(sqlite, 'leads')).toEqual(leads);
    expect(indexesOf(sqlite, 'call_logs')).toEqual(calls);
    expect(recorded(sqlite)).toEqual([]);
  });

  it('an index someone built meanwhile is kept, and only the record is forgotten', () => {
    const sqlite = openFile();
    migrateReplica(sqlite);
    const before = indexesOf(sqlite, 'sms_logs');
    sqlite.transaction(() => deferIndexes(sqlite, 'sms_logs'))();
    sqlite.exec('CREATE INDEX idx_sms_logs_direction ON sms_logs (direction)');
    expect(restoreIndexes(sqlite)).toEqual([
      'idx_sms_logs_created_at',
      'idx_sms_logs_direction',
      'idx_sms_logs_lead_id_created_at',
    ]);
    expect(indexesOf(sqlite, 'sms_logs').map((row) => (row as { name: string }).name)).toEqual(
      before.map((row) => (row as { name: string }).name),
    );
    expect(recorded(sqlite)).toEqual([]);
  });
});
