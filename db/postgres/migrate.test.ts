import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { readMigrationFiles } from '../migration-files.ts';
import { queryRows } from './client.ts';
import { migratePostgres, postgresMigrationsFolder } from './migrate.ts';

const tableNames = async (t: TestDatabase) =>
  (
    await queryRows<{ table_name: string }>(
      t.db,
      sql`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1`,
    )
  ).map((row) => row.table_name);

describe.each(backends)('migratePostgres on %s', (backend) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('applies every migration to an empty database, then nothing on a second run', async () => {
    t = await createTestDatabase(backend, { migrated: false });
    const all = readMigrationFiles(postgresMigrationsFolder).map((m) => m.tag);
    const first = await migratePostgres(t.db);
    expect(first.applied).toEqual(all);
    const tablesAfterFirst = await tableNames(t);
    const second = await migratePostgres(t.db);
    expect(second).toEqual({ applied: [], alreadyApplied: all.length });
    expect(await tableNames(t)).toEqual(tablesAfterFirst);
  });

  it('leaves the database exactly as it was when a later migration fails, and names it', async () => {
    t = await createTestDatabase(backend, { migrated: false });
    const real = readMigrationFiles(postgresMigrationsFolder);
    const broken = [
      ...real,
      {
        tag: '9999_broken',
        hash: 'x',
        statements: [
          'CREATE TABLE extra_table (id int)',
          'ALTER TABLE leads ADD COLUMN oops nonexistent_type',
        ],
      },
    ];
    const failure = await migratePostgres(t.db, broken).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED' });
    expect((failure as Error).message).toContain('9999_broken');
    expect((failure as Error).message).toContain('statement 2');
    expect((failure as Error).message).toMatch(/nonexistent_type/);
    // All or nothing: not even the migrations before the broken one, nor its first statement.
    expect(await tableNames(t)).toEqual([]);
  });

  it('refuses to run when an applied migration was edited afterwards', async () => {
    t = await createTestDatabase(backend, { migrated: false });
    const real = readMigrationFiles(postgresMigrationsFolder);
    await migratePostgres(t.db, real);
    const edited = real.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
    await expect(migratePostgres(t.db, edited)).rejects.toMatchObject({
      code: 'MIGRATION_CHANGED',
    });
  });
});
