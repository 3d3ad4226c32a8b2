import { AppError, type ErrorCode } from '../errors.ts';

interface PgErrorFields {
  code?: string;
  message?: string;
  table?: string;
  column?: string;
  constraint?: string;
  detail?: string;
}

/** drizzle wraps driver errors; the Postgres fields (SQLSTATE, table, constraint) are on the cause. */
function findPgError(error: unknown): PgErrorFields | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (typeof current === 'object' && 'code' in current && typeof current.code === 'string') {
      if (/^[0-9A-Z]{5}$/.test(current.code)) return current as PgErrorFields;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

const bySqlState: Record<string, ErrorCode> = {
  '23514': 'CHECK_VIOLATION',
  '23502': 'NOT_NULL_VIOLATION',
  '23505': 'UNIQUE_VIOLATION',
  '23503': 'FOREIGN_KEY_VIOLATION',
};

/**
 * Turns a Postgres error into the system's error shape, naming the table and column it is about.
 * Constraints are named `<table>_<column>_check`, so a CHECK violation names its column too.
 */
export function fromDatabaseError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const pgError = findPgError(error);
  if (!pgError?.code) {
    return new AppError('DATABASE_ERROR', error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
  const code = bySqlState[pgError.code] ?? 'DATABASE_ERROR';
  const table = pgError.table;
  const column =
    pgError.column ??
    (table && pgError.constraint?.startsWith(`${table}_`) && pgError.constraint.endsWith('_check')
      ? pgError.constraint.slice(table.length + 1, -'_check'.length)
      : undefined);
  const where = table ? (column ? `${table}.${column}` : table) : undefined;
  const message = where ? `${where}: ${pgError.message ?? 'refused'}` : (pgError.message ?? code);
  return new AppError(code, message, {
    cause: error,
    details: { sqlState: pgError.code, table, column, constraint: pgError.constraint },
  });
}
