import Sqlite from 'better-sqlite3';
import { AppError } from '../errors.ts';

/** A better-sqlite3 connection to a replica file. */
export type Database = Sqlite.Database;

/** How long a writer waits for another connection's lock before SQLITE_BUSY. */
export const BUSY_TIMEOUT_MS = 5_000;

/**
 * Opens (creating if need be) the replica file at `path`, set up for durability:
 * - `journal_mode = WAL`: readers (the UI) never block the writer (sync, outbox) and vice versa.
 * - `synchronous = FULL`: every commit fsyncs the WAL before returning. With NORMAL a commit survives
 *   a crash of the app but not a power cut or OS crash; the desktop acknowledges an edit once its
 *   local transaction commits (architecture guarantee 1: no locally saved edit is lost), so the
 *   commit itself must be durable.
 * - `foreign_keys = ON`: off by default in SQLite; on for any table that declares them (the replica
 *   tables themselves do not, see schema.ts).
 * - `busy_timeout`: a second connection waits for the lock instead of failing at once.
 */
export function openReplica(path: string): Database {
  const sqlite = new Sqlite(path);
  try {
    // First, so that switching to WAL waits for a lock held by another process.
    sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    const mode = sqlite.pragma('journal_mode = WAL', { simple: true });
    if (mode !== 'wal' && !sqlite.memory) {
      throw new AppError(
        'DATABASE_ERROR',
        `The replica at ${path} cannot use write-ahead logging (journal_mode is ${String(mode)}); ` +
          'keep it on a local disk.',
      );
    }
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    return sqlite;
  } catch (error) {
    sqlite.close();
    throw error;
  }
}
