import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { AppError } from './errors.ts';

/** One migration as drizzle-kit wrote it: its tag, its statements, and a hash to detect edits. */
export interface MigrationFile {
  tag: string;
  statements: string[];
  hash: string;
}

const journalSchema = z.object({
  entries: z.array(z.object({ idx: z.number().int(), tag: z.string().min(1) })),
});

/** Reads drizzle-kit's journal and files, in journal order. Both the Postgres and SQLite runners use it. */
export function readMigrationFiles(folder: string): MigrationFile[] {
  const journal = journalSchema.parse(
    JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')),
  );
  return [...journal.entries]
    .sort((a, b) => a.idx - b.idx)
    .map(({ tag }) => {
      const text = readFileSync(join(folder, `${tag}.sql`), 'utf8');
      const statements = text
        .split('--> statement-breakpoint')
        .map((statement) => statement.trim())
        .filter((statement) => statement.replace(/--[^\n]*/g, '').trim().length > 0);
      return { tag, statements, hash: createHash('sha256').update(text).digest('hex') };
    });
}

/** The first line of a statement, to name it in an error without dumping the whole of it. */
export const firstLine = (statement: string): string =>
  (statement.split('\n').find((line) => line.trim() && !line.trim().startsWith('--')) ?? '')
    .trim()
    .slice(0, 120);

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * The migrations still to apply, given what the database recorded (tag → hash). An applied
 * migration whose file has since changed is refused: the database would silently differ from the
 * schema the code believes in. `where` names the database in messages ("this database", "this replica").
 */
export function pendingMigrations(
  migrations: MigrationFile[],
  applied: ReadonlyMap<string, string>,
  where: string,
): MigrationFile[] {
  return migrations.filter((migration) => {
    const recordedHash = applied.get(migration.tag);
    if (recordedHash === undefined) return true;
    if (recordedHash !== migration.hash) {
      throw new AppError(
        'MIGRATION_CHANGED',
        `Migration ${migration.tag} was edited after it was applied to ${where}; ` +
          'write a new migration instead of changing an applied one.',
      );
    }
    return false;
  });
}

/** The error for a statement that failed: names migration, statement and cause. */
export function migrationFailed(
  migration: MigrationFile,
  index: number,
  reason: string,
  where: string,
  cause: unknown,
): AppError {
  const statement = migration.statements[index] ?? '';
  return new AppError(
    'MIGRATION_FAILED',
    `Migration ${migration.tag} failed at statement ${index + 1} (${firstLine(statement)}): ` +
      `${reason}. Nothing was applied; ${where} is as it was.`,
    { cause },
  );
}
