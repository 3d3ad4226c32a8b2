import { sql } from 'drizzle-orm';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors.ts';
import { firstLine, readMigrationFiles, type MigrationFile } from '../migration-files.ts';
import { type AppDatabase, queryRows } from './client.ts';

export const postgresMigrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Any constant: all instances of the server agree on it, so only one migrates at a time. */
const MIGRATION_LOCK = 727_001;

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

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
    for (const migration of migrations) {
      const recordedHash = done.get(migration.tag);
      if (recordedHash !== undefined) {
        if (recordedHash !== migration.hash) {
          throw new AppError(
            'MIGRATION_CHANGED',
            `Migration ${migration.tag} was edited after it was applied to this database; ` +
              'write a new migration instead of changing an applied one.',
          );
        }
        continue;
      }
      for (const [index, statement] of migration.statements.entries()) {
        try {
          await tx.execute(sql.raw(statement));
        } catch (error) {
          const cause = (error as { cause?: { message?: string } }).cause;
          const reason = cause?.message ?? (error instanceof Error ? error.message : String(error));
          throw new AppError(
            'MIGRATION_FAILED',
            `Migration ${migration.tag} failed at statement ${index + 1} (${firstLine(statement)}): ` +
              `${reason}. Nothing was applied; the database is as it was.`,
            { cause: error },
          );
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
