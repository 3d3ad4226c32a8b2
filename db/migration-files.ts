import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

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
