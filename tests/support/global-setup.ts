import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { openDatabase } from '../../db/postgres/client.ts';
import { migratePostgres } from '../../db/postgres/migrate.ts';
import { adminDatabaseUrl, databaseUrlFor } from './env.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    runId: string;
    pgTemplate: string;
    pgliteDump: string;
  }
}

/**
 * Migrates once per run — a PostgreSQL template database and a PGlite data-dir dump — so each test
 * can get its own fresh, migrated database cheaply. Every database this run made is dropped after.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}_${randomBytes(3).toString('hex')}`;
  const template = `fl_tpl_${runId}`;
  const admin = new pg.Client({ connectionString: adminDatabaseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const pgHandle = await openDatabase({ kind: 'postgres', url: databaseUrlFor(template) });
  await migratePostgres(pgHandle.db);
  await pgHandle.close();

  const folder = await mkdtemp(join(tmpdir(), 'fl-pglite-'));
  const pgliteDump = join(folder, 'migrated.tar');
  const lite = await openDatabase({ kind: 'pglite' });
  await migratePostgres(lite.db);
  const client = (lite.db as unknown as { $client: { dumpDataDir(c: 'none'): Promise<Blob> } })
    .$client;
  await writeFile(pgliteDump, Buffer.from(await (await client.dumpDataDir('none')).arrayBuffer()));
  await lite.close();

  project.provide('runId', runId);
  project.provide('pgTemplate', template);
  project.provide('pgliteDump', pgliteDump);

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE $1`,
      [`fl\\_%${runId}%`],
    );
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    }
    await admin.end();
    await rm(folder, { recursive: true, force: true });
  };
}
