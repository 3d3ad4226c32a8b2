import { sql } from 'drizzle-orm';
import {
  check,
  foreignKey,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
} from 'drizzle-orm/sqlite-core';
import { syncedTables } from '../enums.ts';
import { checkName, oneOf } from '../sql-checks.ts';

/** The stored timestamp form of the replica (codec.ts): UTC, six fractional digits. */
const utcNow = sql`(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')`;

/** What the server answered for a mutation; `pending` until it has. */
export const outboxStatuses = ['pending', 'applied', 'rejected', 'duplicate'] as const;
export type OutboxStatus = (typeof outboxStatuses)[number];

/**
 * This replica's identity on the write path: the client id its mutations carry, the last number
 * and the last hybrid logical clock it gave out (neither runs back across restarts). One row.
 *
 * Local bookkeeping, like `sync_shapes`: never pushed, never part of a shape.
 */
export const outboxClient = sqliteTable(
  'outbox_client',
  {
    id: integer('id').primaryKey(),
    clientId: text('client_id').notNull(),
    /** The number of the last mutation recorded: the outbox empties, the numbering goes on. */
    lastMutationId: integer('last_mutation_id').notNull().default(0),
    lastHlc: text('last_hlc'),
  },
  () => [check(checkName('outbox_client', 'id'), sql`"id" = 1`)],
);

/**
 * The outbox: every action taken on this desktop, numbered 1, 2, 3… without gaps, written in the
 * same transaction as its optimistic change. A row stays after the server acknowledged it until
 * the mutation's effect has arrived through the shape of `wait_table` (its saved offset reached
 * `visible_seq`): only then is the optimistic overlay dropped, so the row never flickers back.
 */
export const outboxMutations = sqliteTable(
  'outbox_mutations',
  {
    mutationId: integer('mutation_id').primaryKey(),
    name: text('name').notNull(),
    /** The catalogue's arguments (db/mutations/catalogue.ts), JSON. */
    args: text('args').notNull(),
    hlc: text('hlc').notNull(),
    status: text('status', { enum: outboxStatuses }).notNull().default('pending'),
    /** The table whose shape brings the outcome: the one written, or mutation_rejections. */
    waitTable: text('wait_table'),
    /** The change-log position at or below which the server committed the outcome. */
    visibleSeq: integer('visible_seq'),
    createdAt: text('created_at').notNull().default(utcNow),
    acknowledgedAt: text('acknowledged_at'),
  },
  (t) => [
    index('idx_outbox_mutations_wait').on(t.waitTable, t.visibleSeq),
    check(checkName('outbox_mutations', 'mutation_id'), sql`"mutation_id" >= 1`),
    check(checkName('outbox_mutations', 'args'), sql`json_valid("args")`),
    check(checkName('outbox_mutations', 'status'), oneOf('status', outboxStatuses)),
    check(
      checkName('outbox_mutations', 'wait_table'),
      sql`"wait_table" IS NULL OR ${oneOf('wait_table', syncedTables)}`,
    ),
  ],
);

/** The replica rows each mutation of the outbox changes (to rebase them when server rows arrive). */
export const outboxRows = sqliteTable(
  'outbox_rows',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    mutationId: integer('mutation_id').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId, t.mutationId] }),
    index('idx_outbox_rows_mutation').on(t.mutationId),
    foreignKey({ columns: [t.mutationId], foreignColumns: [outboxMutations.mutationId] })
      .onUpdate('cascade')
      .onDelete('cascade'),
    check(checkName('outbox_rows', 'table_name'), oneOf('table_name', syncedTables)),
  ],
);

/**
 * The server's version of every row that pending mutations change: the row as the shape last
 * delivered it (JSON of its replica values), or NULL when the server has no such row yet. What the
 * replica table shows is this base with the pending mutations applied on top, in order.
 */
export const outboxBaseRows = sqliteTable(
  'outbox_base_rows',
  {
    tableName: text('table_name').notNull(),
    rowId: text('row_id').notNull(),
    row: text('row'),
  },
  (t) => [
    primaryKey({ columns: [t.tableName, t.rowId] }),
    check(checkName('outbox_base_rows', 'table_name'), oneOf('table_name', syncedTables)),
    check(checkName('outbox_base_rows', 'row'), sql`"row" IS NULL OR json_valid("row")`),
  ],
);
