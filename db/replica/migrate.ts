import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import {
  type MigrationFile,
  type MigrationReport,
  migrationFailed,
  pendingMigrations,
  readMigrationFiles,
} from '../migration-files.ts';
import { restoreIndexes } from './deferred-indexes.ts';
import type { Database } from './open.ts';

export const replicaMigrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/**
 * Applies every pending migration in ONE transaction: either all of them land or the file is left
 * exactly as it was, and the error names the migration and statement that failed. Safe to run again
 * (applied migrations are recorded by tag and hash and skipped) and from two processes at once
 * (BEGIN IMMEDIATE takes the write lock first; the other waits for it, then finds nothing to do).
 */
export function migrateReplica(
  sqlite: Database,
  migrations: MigrationFile[] = readMigrationFiles(replicaMigrationsFolder),
): MigrationReport {
  const run = sqlite.transaction((): MigrationReport => {
    // A later migration that rebuilds a table (drizzle-kit's copy-and-rename) cannot turn foreign
    // keys off inside a transaction; deferring their checks to COMMIT makes the rebuild safe.
    sqlite.pragma('defer_foreign_keys = ON');
    sqlite.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        tag TEXT PRIMARY KEY NOT NULL,
        hash TEXT NOT NULL,
        applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')
      )`);
    const done = new Map(
      sqlite
        .prepare<[], { tag: string; hash: string }>('SELECT tag, hash FROM schema_migrations')
        .all()
        .map((row) => [row.tag, row.hash]),
    );
    // Indexes a cut-short snapshot set aside go back first: migrations see the whole schema.
    const hasDeferred = sqlite
      .prepare(
        `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sync_deferred_indexes'`,
      )
      .get();
    if (hasDeferred !== undefined) restoreIndexes(sqlite);
    const record = sqlite.prepare<[string, string]>(
      'INSERT INTO schema_migrations (tag, hash) VALUES (?, ?)',
    );
    const applied: string[] = [];
    for (const migration of pendingMigrations(migrations, done, 'this replica')) {
      for (const [index, statement] of migration.statements.entries()) {
        try {
          sqlite.exec(statement);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          throw migrationFailed(migration, index, reason, 'the replica', error);
        }
      }
      record.run(migration.tag, migration.hash);
      applied.push(migration.tag);
    }
    return { applied, alreadyApplied: done.size };
  });
  try {
    return run.immediate();
  } catch (error) {
    if (error instanceof AppError) throw error;
    // COMMIT itself can fail (a deferred foreign key, a full disk): still nothing was applied.
    const reason = error instanceof Error ? error.message : String(error);
    throw new AppError(
      'MIGRATION_FAILED',
      `Migrating the replica failed: ${reason}. Nothing was applied; the replica is as it was.`,
      { cause: error },
    );
  }
}
