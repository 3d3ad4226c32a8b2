import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { type Database, openReplica } from '../../db/replica/open.ts';

/**
 * A folder of its own for each test's replica files: `openFile(name)` opens (creating) one there;
 * every connection still open is closed and the folder removed after the test.
 */
export function replicaFiles(prefix: string): (name?: string) => Database {
  let dir = '';
  const open: Database[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), `fl-${prefix}-`));
  });
  afterEach(() => {
    for (const sqlite of open.splice(0)) if (sqlite.open) sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return (name = 'replica.sqlite') => {
    const sqlite = openReplica(join(dir, name));
    open.push(sqlite);
    return sqlite;
  };
}
