import { sql } from 'drizzle-orm';
import { numeric, timestamp, uuid } from 'drizzle-orm/pg-core';

/** `id UUID PRIMARY KEY DEFAULT uuid_generate_v4()`, as the seed writes every key. */
export const id = () =>
  uuid('id')
    .primaryKey()
    .default(sql`uuid_generate_v4()`);

/** Timestamps are timestamptz (the seed's TIMESTAMP loses the zone); read as Postgres text. */
export const timestamptz = (name: string) =>
  timestamp(name, { withTimezone: true, mode: 'string' });

export const createdAt = () => timestamptz('created_at').notNull().defaultNow();
export const updatedAt = () => timestamptz('updated_at').notNull().defaultNow();

/** DECIMAL(10,2): money, read as an exact decimal string, never a binary float. */
export const money = (name: string) => numeric(name, { precision: 10, scale: 2 });
