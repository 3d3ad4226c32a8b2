import { sql, type SQL } from 'drizzle-orm';
import { e164Pattern } from './enums.ts';
import { quoteLiteral } from './sql-quote.ts';

/**
 * CHECK expressions shared by the Postgres schema and the SQLite replica. Constraint names are
 * `<table>_<column>_check` so that the database's own error message names the column.
 */
export const checkName = (table: string, column: string): string => `${table}_${column}_check`;

export const oneOf = (column: string, values: readonly string[]): SQL =>
  sql.raw(`"${column}" IN (${values.map(quoteLiteral).join(', ')})`);

export const nonNegative = (column: string): SQL => sql.raw(`"${column}" >= 0`);

export const between = (column: string, low: number, high: number): SQL =>
  sql.raw(`"${column}" BETWEEN ${low} AND ${high}`);

/** Postgres spells regular-expression match `~`; SQLite has no regex, so the replica uses GLOB. */
export const pgE164 = (column: string): SQL => sql.raw(`"${column}" ~ '${e164Pattern}'`);
