import Sqlite from 'better-sqlite3';
import { AppError, type ErrorCode } from '../errors.ts';

const byResultCode: Record<string, ErrorCode> = {
  SQLITE_CONSTRAINT_CHECK: 'CHECK_VIOLATION',
  SQLITE_CONSTRAINT_NOTNULL: 'NOT_NULL_VIOLATION',
  SQLITE_CONSTRAINT_UNIQUE: 'UNIQUE_VIOLATION',
  SQLITE_CONSTRAINT_PRIMARYKEY: 'UNIQUE_VIOLATION',
  SQLITE_CONSTRAINT_FOREIGNKEY: 'FOREIGN_KEY_VIOLATION',
};

/**
 * Turns a better-sqlite3 error into the system's error shape. The replica names its CHECKs
 * `<table>_<column>_check` (schema.ts), so SQLite's own message already names the column.
 */
export function fromSqliteError(error: unknown, context: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Sqlite.SqliteError) {
    return new AppError(
      byResultCode[error.code] ?? 'DATABASE_ERROR',
      `${context}: ${error.message}`,
      {
        cause: error,
        details: { sqliteCode: error.code },
      },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new AppError('DATABASE_ERROR', `${context}: ${reason}`, { cause: error });
}
