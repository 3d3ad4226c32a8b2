import { sql } from 'drizzle-orm';
import {
  bigint,
  char,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { changeLoggedTables, changeOps } from '../../enums.ts';
import { checkName, oneOf } from '../../sql-checks.ts';
import { timestamptz } from './columns.ts';

/**
 * Every change to a synced table, numbered per business in commit order by the capture triggers
 * (migration 0004), and to the business's own row and subscriptions (migration 0017), which only
 * the server's analytics cache reads. It holds keys, not values: a reader joins the table for the row as it is now.
 * No foreign key: deleting a business cascades into its tables, whose triggers still log here.
 */
export const changeLog = pgTable(
  'change_log',
  {
    userId: uuid('user_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    tableName: varchar('table_name', { length: 63 }).notNull(),
    op: char('op', { length: 1 }).notNull(),
    rowId: uuid('row_id').notNull(),
    /** When the writing transaction began (now()): what retention measures age by. */
    loggedAt: timestamptz('logged_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'change_log_pkey', columns: [t.userId, t.seq] }),
    index('idx_change_log_table_seq').on(t.userId, t.tableName, t.seq),
    index('idx_change_log_logged_at').on(t.loggedAt),
    check(checkName('change_log', 'table_name'), oneOf('table_name', changeLoggedTables)),
    check(checkName('change_log', 'op'), oneOf('op', changeOps)),
  ],
);

/**
 * Per business: the last change number handed out (its row lock serialises writers of one business,
 * so numbers are in commit order), the number up to which the log was pruned, and an epoch that,
 * when bumped, sends every desktop of the business back to a fresh snapshot.
 */
export const syncHeads = pgTable(
  'sync_heads',
  {
    userId: uuid('user_id').primaryKey(),
    seq: bigint('seq', { mode: 'number' }).notNull().default(0),
    prunedThrough: bigint('pruned_through', { mode: 'number' }).notNull().default(0),
    epoch: integer('epoch').notNull().default(1),
  },
  () => [check(checkName('sync_heads', 'pruned_through'), sql`"pruned_through" <= "seq"`)],
);
