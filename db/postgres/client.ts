import { PGlite } from '@electric-sql/pglite';
import { uuid_ossp } from '@electric-sql/pglite/contrib/uuid_ossp';
import { type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { lockDataDir } from './data-dir-lock.ts';
import * as schema from './schema/index.ts';

export type Schema = typeof schema;

/** The one query layer: the same drizzle API over PostgreSQL (`pg`) and embedded PGlite. */
export type AppDatabase = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  readonly db: AppDatabase;
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; maxConnections?: number }
  /** `dataDir` undefined means in memory (tests); `loadDataDir` starts from a dump. */
  | { kind: 'pglite'; dataDir?: string; loadDataDir?: Blob };

export const pgliteExtensions = { uuid_ossp };

export async function openDatabase(target: DatabaseTarget): Promise<DatabaseHandle> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.maxConnections ?? 10 });
    // A broken idle connection must not crash the process; the next query gets a fresh one.
    pool.on('error', () => undefined);
    const db = drizzleNodePg(pool, { schema });
    return { db, kind: 'postgres', close: () => pool.end() };
  }
  const unlock = target.dataDir === undefined ? () => undefined : lockDataDir(target.dataDir);
  try {
    const client = await PGlite.create({
      ...(target.dataDir === undefined ? {} : { dataDir: target.dataDir }),
      ...(target.loadDataDir === undefined ? {} : { loadDataDir: target.loadDataDir }),
      extensions: pgliteExtensions,
    });
    const db = drizzlePglite(client, { schema });
    const close = async () => {
      try {
        await client.close();
      } finally {
        unlock();
      }
    };
    return { db, kind: 'pglite', close };
  } catch (error) {
    unlock();
    throw error;
  }
}

/** Runs raw SQL on either driver and returns its rows (the drivers' result shapes differ). */
export async function queryRows<T extends Record<string, unknown>>(
  db: Pick<AppDatabase, 'execute'>,
  query: SQL,
): Promise<T[]> {
  const result: unknown = await db.execute(query);
  return (result as { rows: T[] }).rows;
}

const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);

/** The environment that says where the data lives; the server and the db CLIs all read it. */
export const databaseEnvSchema = z.object({
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\/[^\s]+$/, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATA_DIR: z.string().min(1).default('./.data'),
});

/**
 * Where the server side keeps its data: PostgreSQL when `DATABASE_URL` is set (Neon in production),
 * else embedded PGlite under `DATA_DIR` — the same migrations and query layer either way.
 */
export function databaseTargetFromEnv(env: {
  DATABASE_URL?: string | undefined;
  DATA_DIR: string;
}): DatabaseTarget {
  return env.DATABASE_URL
    ? { kind: 'postgres', url: env.DATABASE_URL }
    : { kind: 'pglite', dataDir: join(resolve(env.DATA_DIR), 'pglite') };
}
