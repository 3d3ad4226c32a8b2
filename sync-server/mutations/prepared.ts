import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { AppDatabase } from '../../db/postgres/client.ts';

const dialect = new PgDialect();

/**
 * Runs one of the write path's statements as a named prepared statement and returns its rows.
 * drizzle's `execute` sends SQL unnamed, and PostgreSQL plans an unnamed statement on every call,
 * which cost more than running these did; a named one is parsed once per connection and its plan
 * kept (node-postgres prepares it on first use on each pooled connection).
 *
 * A name stands for one SQL text: node-postgres refuses the same name with other text on a
 * connection, so only statements whose text never varies are named (their values are parameters).
 * PGlite has no named statements; there the name is ignored.
 */
export async function queryNamed<T extends Record<string, unknown>>(
  tx: AppDatabase,
  name: string,
  query: SQL,
): Promise<T[]> {
  const statement = tx._.session.prepareQuery(dialect.sqlToQuery(query), undefined, name, false);
  const result: unknown = await statement.execute();
  return (result as { rows: T[] }).rows;
}
