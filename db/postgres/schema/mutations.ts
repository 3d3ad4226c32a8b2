import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  unique,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { conflictOutcomes } from '../../enums.ts';
import { checkName, oneOf } from '../../sql-checks.ts';
import { members } from './accounts.ts';
import { createdAt, id, updatedAt } from './columns.ts';
import { leads } from './leads.ts';
import { users } from './users.ts';

/*
 * Beyond the seed: the write path (db/README.md). Desktops push numbered mutations; each is applied
 * in one transaction with its client's last applied number, so none is applied twice. Field edits
 * are ordered by hybrid logical clock (db/hlc.ts); an edit that loses is kept as a conflict.
 */

/** A note on a lead, written by a member (synced). */
export const leadNotes = pgTable(
  'lead_notes',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id')
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_lead_notes_sync_key').on(t.userId, t.id),
    index('idx_lead_notes_lead_id').on(t.leadId, t.createdAt),
    check(checkName('lead_notes', 'body'), sql`length(btrim("body")) > 0`),
  ],
);

/**
 * One row per desktop outbox: the last mutation number applied. The mutation and this number move
 * in one transaction, which is what makes a retried push a no-op.
 */
export const mutationClients = pgTable(
  'mutation_clients',
  {
    clientId: varchar('client_id', { length: 64 }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    lastMutationId: integer('last_mutation_id').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_mutation_clients_user_id').on(t.userId),
    check(checkName('mutation_clients', 'last_mutation_id'), sql`"last_mutation_id" >= 0`),
  ],
);

/** A mutation the server refused, and why (synced: the desktop shows it and drops its edit). */
export const mutationRejections = pgTable(
  'mutation_rejections',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    clientId: varchar('client_id', { length: 64 }).notNull(),
    mutationId: integer('mutation_id').notNull(),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    name: varchar('name', { length: 64 }).notNull(),
    args: jsonb('args').notNull(),
    code: varchar('code', { length: 64 }).notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_mutation_rejections_sync_key').on(t.userId, t.id),
    unique('mutation_rejections_client_id_mutation_id_key').on(t.clientId, t.mutationId),
  ],
);

/**
 * A field edit that lost to a later one by clock: field, both values, who made each and when
 * (synced, so the desktop can say "your change to urgency was overtaken by Dana's at 10:42").
 */
export const fieldConflicts = pgTable(
  'field_conflicts',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tableName: varchar('table_name', { length: 63 }).notNull(),
    rowId: uuid('row_id').notNull(),
    field: varchar('field', { length: 63 }).notNull(),
    /** Both values as Postgres text (NULL is NULL). */
    keptValue: text('kept_value'),
    supersededValue: text('superseded_value'),
    keptHlc: varchar('kept_hlc', { length: 100 }).notNull(),
    supersededHlc: varchar('superseded_hlc', { length: 100 }).notNull(),
    keptBy: varchar('kept_by', { length: 300 }),
    supersededBy: varchar('superseded_by', { length: 300 }),
    supersededClientId: varchar('superseded_client_id', { length: 64 }),
    supersededMutationId: integer('superseded_mutation_id'),
    /** db/enums.ts conflictOutcomes. */
    outcome: varchar('outcome', { length: 20 }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_field_conflicts_sync_key').on(t.userId, t.id),
    index('idx_field_conflicts_row').on(t.tableName, t.rowId),
    check(checkName('field_conflicts', 'outcome'), oneOf('outcome', conflictOutcomes)),
  ],
);

/**
 * The clock of the last edit of each field of a row, and who made it (not synced). Stamped by a
 * trigger on every update, so a webhook's or an agent's write orders against desktop edits too.
 */
export const fieldClocks = pgTable(
  'field_clocks',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tableName: varchar('table_name', { length: 63 }).notNull(),
    rowId: uuid('row_id').notNull(),
    field: varchar('field', { length: 63 }).notNull(),
    hlc: varchar('hlc', { length: 100 }).notNull(),
    /** Who: a member's name and role, or the server path that wrote it. */
    editedBy: varchar('edited_by', { length: 300 }),
    clientId: varchar('client_id', { length: 64 }),
    mutationId: integer('mutation_id'),
  },
  (t) => [
    primaryKey({ name: 'field_clocks_pkey', columns: [t.tableName, t.rowId, t.field] }),
    index('idx_field_clocks_user_id').on(t.userId),
  ],
);
