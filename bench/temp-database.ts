import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openDatabase } from '../db/postgres/client.ts';
import { migratePostgres } from '../db/postgres/migrate.ts';
import type { BenchContext } from './harness.ts';

export const adminUrl =
  process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface TemporaryDatabase {
  name: string;
  url: string;
  handle: DatabaseHandle;
  /** Closes the handle and drops the database (also done on Ctrl-C). */
  drop(): Promise<void>;
}

/**
 * A migrated database `fl_bench_<pid>_<hex>` on BENCH_DATABASE_URL's server (default: the local
 * one, trust auth), dropped by `drop()` — or on SIGINT/SIGTERM, so an interrupted run leaves none.
 */
export async function createTemporaryDatabase(
  context: BenchContext,
  maxConnections = 2,
): Promise<TemporaryDatabase> {
  const name = `fl_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await admin(`CREATE DATABASE "${name}"`);
  const dropDatabase = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  const onSignal = (signal: NodeJS.Signals) => {
    context.log(`${signal}: dropping ${name}`);
    void dropDatabase().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const handle = await openDatabase({ kind: 'postgres', url: url.toString(), maxConnections });
  const drop = async () => {
    try {
      await handle.close();
    } finally {
      await dropDatabase();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  };
  try {
    await migratePostgres(handle.db);
  } catch (error) {
    await drop();
    throw error;
  }
  return { name, url: url.toString(), handle, drop };
}
