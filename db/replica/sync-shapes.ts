import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { syncedTables } from '../enums.ts';
import { checkName, nonNegative, oneOf } from '../sql-checks.ts';

/** The stored timestamp form of the replica (codec.ts): UTC, six fractional digits. */
const utcNow = sql`(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')`;

/**
 * Where each table's shape stream stands: the Electric handle and offset to resume from. The sync
 * client writes this row in the same transaction as the rows the position covers, so after a crash
 * data and position always agree (a restart resumes instead of downloading the table again).
 *
 * Local bookkeeping, not a replica of a server table: never pushed, never part of a shape.
 */
export const syncShapes = sqliteTable(
  'sync_shapes',
  {
    tableName: text('table_name').primaryKey(),
    /** `electric-handle`: which shape (definition and server epoch) the offset belongs to. */
    handle: text('handle').notNull(),
    /** `electric-offset`, opaque: the last position whose changes are all in the table. */
    offset: text('offset').notNull(),
    /** Change messages applied since this shape's snapshot began (progress, diagnostics). */
    rowsSynced: integer('rows_synced').notNull().default(0),
    /** The server's row count when the snapshot began (`fieldline-snapshot-rows`), if it said. */
    snapshotRows: integer('snapshot_rows'),
    /** When the shape last caught up with the server (stored timestamp form), if it ever did. */
    upToDateAt: text('up_to_date_at'),
    updatedAt: text('updated_at').notNull().default(utcNow),
  },
  () => [
    check(checkName('sync_shapes', 'table_name'), oneOf('table_name', syncedTables)),
    check(checkName('sync_shapes', 'rows_synced'), nonNegative('rows_synced')),
    check(checkName('sync_shapes', 'snapshot_rows'), nonNegative('snapshot_rows')),
  ],
);

/**
 * Secondary indexes of a replicated table set aside while a large snapshot loads (bulk loading
 * then building each index once is several times faster than keeping it up to date row by row;
 * bench/README.md). Written in the same transaction as the DROP INDEX, so after a crash the
 * replica still knows what to put back: the sync client restores them when the snapshot catches
 * up, and migrations restore any left first, so they always see the whole schema.
 *
 * Local bookkeeping, like `sync_shapes`.
 */
export const syncDeferredIndexes = sqliteTable(
  'sync_deferred_indexes',
  {
    indexName: text('index_name').primaryKey(),
    tableName: text('table_name').notNull(),
    /** The index's CREATE statement, as sqlite_master had it. */
    createSql: text('create_sql').notNull(),
  },
  () => [
    check(checkName('sync_deferred_indexes', 'table_name'), oneOf('table_name', syncedTables)),
  ],
);
