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

  describe('the full-text index of leads', () => {
    const triggersOf = (sqlite: Database) =>
      sqlite
        .prepare(
          `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'leads' ORDER BY name`,
        )
        .all();
    const insertLead = (sqlite: Database, n: number, name: string) =>
      sqlite
        .prepare(
          `INSERT INTO leads (id, user_id, customer_phone, customer_name, source)
           VALUES (?, '0b7f3f7e-1a2b-4c3d-8e9f-001122334455', ?, ?, 'website')`,
        )
        .run(`00000000-0000-4000-8000-${String(n).padStart(12, '0')}`, `+1512555${1000 + n}`, name);
    const found = (sqlite: Database, match: string) =>
      (
        sqlite
          .prepare('SELECT count(*) AS n FROM leads_search WHERE leads_search MATCH ?')
          .get(match) as { n: number }
      ).n;
    /** FTS5's own check that the index agrees with the leads (throws SQLITE_CORRUPT_VTAB if not). */
    const integrityCheck = (sqlite: Database) =>
      sqlite.exec(`INSERT INTO leads_search (leads_search, rank) VALUES ('integrity-check', 1)`);

    it('sets its triggers aside with the indexes and rebuilds it once when put back', () => {
      const sqlite = openFile();
      migrateReplica(sqlite);
      insertLead(sqlite, 1, 'Dana Ortiz');
      const triggers = triggersOf(sqlite);
      expect(triggers).toHaveLength(3);
      const deferred = sqlite.transaction(() => deferIndexes(sqlite, 'leads'))();
      expect(deferred).toEqual(
        expect.arrayContaining([
          'leads_search_insert',
          'leads_search_delete',
          'leads_search_update',
          'leads_search',
        ]),
      );
      expect(triggersOf(sqlite)).toEqual([]);
      for (let n = 2; n <= 50; n++) insertLead(sqlite, n, `Omar ${n}`);
      sqlite.prepare(`DELETE FROM leads WHERE customer_name = 'Dana Ortiz'`).run();
      expect(found(sqlite, '"omar"*')).toBe(0); // not indexed while set aside

      expect(restoreIndexes(sqlite, 'leads')).toContain('leads_search');
      expect(triggersOf(sqlite)).toEqual(triggers);
      expect(found(sqlite, '"omar"*')).toBe(49);
      expect(found(sqlite, '"dana"*')).toBe(0);
      expect(found(sqlite, '"5125551025"*')).toBe(1);
      integrityCheck(sqlite);
      expect(recorded(sqlite)).toEqual([]);
      // Kept up to date row by row again.
      insertLead(sqlite, 99, 'Zoë Adams');
      expect(found(sqlite, '"zoe"*')).toBe(1);
    });

    it('after a crash mid-snapshot, the next migration puts the triggers back and rebuilds it', () => {
      let sqlite = openFile();
      migrateReplica(sqlite);
      sqlite.transaction(() => deferIndexes(sqlite, 'leads'))();
      insertLead(sqlite, 1, 'Dana Ortiz');
      sqlite.close();

      sqlite = openFile();
      migrateReplica(sqlite);
      expect(triggersOf(sqlite)).toHaveLength(3);
      expect(found(sqlite, '"dana"*')).toBe(1);
      integrityCheck(sqlite);
      expect(recorded(sqlite)).toEqual([]);
    });
  });
});
