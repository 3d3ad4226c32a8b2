import { sql } from 'drizzle-orm';
import { check, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { checkName } from '../sql-checks.ts';

/*
 * What one desktop remembers about what its person has seen: never pushed, never part of a shape,
 * so two desktops of a business each keep their own (a text read at the office is still unread on
 * the field laptop). Created by migration 0005 beside the full-text index of leads.
 */

/** The stored timestamp form (codec.ts): a mark compares with `created_at` as text. */
const instantForm = (column: string) =>
  sql.raw(`"${column}" GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T*Z'`);

/** When this desktop last opened a lead's text thread: inbound texts after it are unread. */
export const inboxReads = sqliteTable(
  'inbox_reads',
  {
    leadId: text('lead_id').primaryKey(),
    readAt: text('read_at').notNull(),
  },
  () => [check(checkName('inbox_reads', 'read_at'), instantForm('read_at'))],
);

/** Small named marks of this desktop (e.g. missed calls seen up to a time). */
export const desktopMarks = sqliteTable('desktop_marks', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
