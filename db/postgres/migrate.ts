import { sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import {
  type MigrationFile,
  type MigrationReport,
  migrationFailed,
  pendingMigrations,
  readMigrationFiles,
} from '../migration-files.ts';
import { type AppDatabase, queryRows } from './client.ts';

export const postgresMigrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any constant: all instances of the server agree on it, so only one migrates at a time. */
const MIGRATION_LOCK = 727_001;

/**
 * Applies every pending migration in ONE transaction: either all of them land or the database is
 * left exactly as it was, and the error names the migration and statement that failed. Safe to run
 * again (already-applied migrations are skipped) and from several processes at once (advisory lock).
 */
export async function migratePostgres(
  db: AppDatabase,
  migrations: MigrationFile[] = readMigrationFiles(postgresMigrationsFolder),
): Promise<MigrationReport> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`);
    await tx.execute(sql`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        tag text PRIMARY KEY,
        hash text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const done = new Map(
      (
        await queryRows<{ tag: string; hash: string }>(
          tx,
          sql`SELECT tag, hash FROM schema_migrations`,
        )
      ).map((row) => [row.tag, row.hash]),
    );
    const applied: string[] = [];
    for (const migration of pendingMigrations(migrations, done, 'this database')) {
      for (const [index, statement] of migration.statements.entries()) {
        try {
          await tx.execute(sql.raw(statement));
        } catch (error) {
          const cause = (error as { cause?: { message?: string } }).cause;
          const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
          throw migrationFailed(migration, index, reason, 'the database', error);
        }
      }
      await tx.execute(
        sql`INSERT INTO schema_migrations (tag, hash) VALUES (${migration.tag}, ${migration.hash})`,
      );
      applied.push(migration.tag);
    }
    return { applied, alreadyApplied: done.size };
  });
}
