import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { inject } from 'vitest';
import { type AppDatabase, type DatabaseHandle, openDatabase } from '../../db/postgres/client.ts';
import { adminDatabaseUrl, databaseUrlFor } from './env.ts';

/** Every database-facing test runs against both: real PostgreSQL and embedded PGlite. */
export const backends = ['postgres', 'pglite'] as const;
export type Backend = (typeof backends)[number];

export interface TestDatabase {
  db: AppDatabase;
  kind: Backend;
  /** Connection string of the PostgreSQL database (undefined for PGlite). */
  url: string | undefined;
  /** The open handle, for code that takes one (the server's app); closing it is `close`'s job. */
  handle: DatabaseHandle;
  close(): Promise<void>;
}

async function adminQuery(text: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  try {
    await admin.query(text);
  } finally {
    await admin.end();
  }
}

/**
 * A database of the test's own: a copy of the run's migrated template (or an empty one with
 * `{ migrated: false }`), dropped on close.
 */
export async function createTestDatabase(
  kind: Backend,
  options: { migrated?: boolean } = {},
): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  if (kind === 'pglite') {
    const dump = migrated ? new Blob([await readFile(inject('pgliteDump'))]) : undefined;
    const handle = await openDatabase({
      kind: 'pglite',
      ...(dump === undefined ? {} : { loadDataDir: dump }),
    });
    return { db: handle.db, kind, url: undefined, handle, close: () => handle.close() };
  }
  const name = `fl_t_${inject('runId')}_${randomBytes(4).toString('hex')}`;
  await adminQuery(
    migrated
      ? `CREATE DATABASE "${name}" TEMPLATE "${inject('pgTemplate')}"`
      : `CREATE DATABASE "${name}"`,
  );
  const url = databaseUrlFor(name);
  const handle = await openDatabase({ kind: 'postgres', url, maxConnections: 4 });
  return {
    db: handle.db,
    kind,
    url,
    handle,
    close: async () => {
      await handle.close();
      await adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    },
  };
}
