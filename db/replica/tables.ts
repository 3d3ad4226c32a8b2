import { getTableColumns } from 'drizzle-orm';
import type { PgColumn } from 'drizzle-orm/pg-core';
import {
  aiAgentLogs,
  callLogs,
  campaigns,
  fieldConflicts,
  financials,
  keywords,
  leadNotes,
  leads,
  mutationRejections,
  smsLogs,
  workflows,
} from '../postgres/schema/index.ts';
import type { PgType } from './codec.ts';

/**
 * The tables one business's desktop keeps, by their Postgres name. `users` and `subscriptions` are
 * deliberately absent: they hold password hashes, OAuth tokens and Stripe ids, which never leave the
 * server.
 */
export const postgresTables = {
  leads,
  call_logs: callLogs,
  sms_logs: smsLogs,
  financials,
  campaigns,
  keywords,
  workflows,
  ai_agent_logs: aiAgentLogs,
  lead_notes: leadNotes,
  mutation_rejections: mutationRejections,
  field_conflicts: fieldConflicts,
} as const;

export type ReplicaTableName = keyof typeof postgresTables;
export const replicaTableNames = Object.keys(postgresTables) as ReplicaTableName[];

/** A Postgres column as the replica sees it: the codec type plus what its CHECK needs. */
export interface PostgresColumn {
  name: string;
  type: PgType;
  notNull: boolean;
  /** varchar(n) */
  maxLength?: number;
  /** numeric(precision, 2) */
  precision?: number;
}

/** Maps drizzle's SQL type of a Postgres column to the codec type; anything unmapped is refused. */
function describe(table: string, column: PgColumn): PostgresColumn {
  const sqlType = column.getSQLType();
  const base = { name: column.name, notNull: column.notNull };
  const varchar = /^varchar\((\d+)\)$/.exec(sqlType);
  if (varchar) return { ...base, type: 'text', maxLength: Number(varchar[1]) };
  const numeric = /^numeric\((\d+), (\d+)\)$/.exec(sqlType);
  if (numeric) {
    if (numeric[2] !== '2') {
      throw new Error(`${table}.${column.name} is ${sqlType}; the replica stores scale 2 only`);
    }
    return { ...base, type: 'numeric', precision: Number(numeric[1]) };
  }
  const simple: Record<string, PgType> = {
    uuid: 'uuid',
    text: 'text',
    integer: 'int4',
    'timestamp with time zone': 'timestamptz',
    date: 'date',
    jsonb: 'jsonb',
    'text[]': 'text[]',
    boolean: 'bool',
  };
  const type = simple[sqlType];
  if (type === undefined) {
    throw new Error(`${table}.${column.name} is ${sqlType}, which the replica has no form for`);
  }
  return { ...base, type };
}

const described = new Map<ReplicaTableName, readonly PostgresColumn[]>();

/** The Postgres columns of a replica table, in the Postgres schema's order (worked out once). */
export function postgresColumns(table: ReplicaTableName): readonly PostgresColumn[] {
  let columns = described.get(table);
  if (!columns) {
    columns = Object.freeze(
      Object.values(getTableColumns(postgresTables[table])).map((column) =>
        describe(table, column as PgColumn),
      ),
    );
    described.set(table, columns);
  }
  return columns;
}

/**
 * Per table, column name → codec type: what the sync client needs to decode a row. Derived from the
 * Postgres schema, so a column added there is known here without a second edit.
 */
export const replicaColumnTypes: Readonly<
  Record<ReplicaTableName, Readonly<Record<string, PgType>>>
> = Object.fromEntries(
  replicaTableNames.map((table) => [
    table,
    Object.fromEntries(postgresColumns(table).map((column) => [column.name, column.type])),
  ]),
) as Record<ReplicaTableName, Record<string, PgType>>;
