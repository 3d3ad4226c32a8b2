import { describe, expect, it } from 'vitest';
import { replicaFiles } from '../../tests/support/replica-files.ts';
import { migrateReplica } from './migrate.ts';
import { BUSY_TIMEOUT_MS } from './open.ts';

const openFile = replicaFiles('replica-open');

describe('openReplica', () => {
  it('sets the durability pragmas it promises', () => {
    const sqlite = openFile();
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(sqlite.pragma('busy_timeout', { simple: true })).toBe(BUSY_TIMEOUT_MS);
  });

  it('sets them on every connection, and the file stays in WAL mode', () => {
    const first = openFile();
    migrateReplica(first);
    const second = openFile();
    expect(second.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(second.pragma('synchronous', { simple: true })).toBe(2);
    expect(second.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('keeps a committed write across close and reopen, and readers do not block the writer', () => {
    const writer = openFile();
    migrateReplica(writer);
    const reader = openFile();
    const insert = writer.prepare(
      `INSERT INTO workflows (id, user_id, workflow_name, workflow_type, config)
       VALUES (?, '0b7f3f7e-1a2b-4c3d-8e9f-001122334455', 'Text back', 'missed_call', '{}')`,
    );
    insert.run('11111111-1111-4111-8111-111111111111');
    // A read transaction open on another connection does not stop the next write (WAL).
    reader.exec('BEGIN');
    expect(reader.prepare('SELECT count(*) AS n FROM workflows').get()).toEqual({ n: 1 });
    insert.run('22222222-2222-4222-8222-222222222222');
    expect(reader.prepare('SELECT count(*) AS n FROM workflows').get()).toEqual({ n: 1 });
    reader.exec('COMMIT');
    writer.close();
    reader.close();
    expect(openFile().prepare('SELECT count(*) AS n FROM workflows').get()).toEqual({ n: 2 });
  });
});
