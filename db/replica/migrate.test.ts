import { getTableColumns } from 'drizzle-orm';
import { getTableConfig, type PgColumn } from 'drizzle-orm/pg-core';
import { getTableConfig as getSqliteTableConfig } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { replicaFiles } from '../../tests/support/replica-files.ts';
import { readMigrationFiles } from '../migration-files.ts';
import { fromPgText } from './codec.ts';
import { migrateReplica, replicaMigrationsFolder } from './migrate.ts';
import type { Database } from './open.ts';
import { replicaTables } from './schema.ts';
import {
  postgresColumns,
  postgresTables,
  type ReplicaTableName,
  replicaTableNames,
} from './tables.ts';

const openFile = replicaFiles('replica-migrate');

/**
 * The synced tables whose Postgres definition has no CHECK at all, so there is nothing to mirror
 * (the replica still checks each of their values' form). Every other table must have some: a
 * mirror test that finds none is not testing anything.
 */
const withoutPostgresChecks: readonly ReplicaTableName[] = ['mutation_rejections'];

const schemaObjects = (sqlite: Database) =>
  sqlite
    .prepare(
      `SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name`,
    )
    .all();
const tableNames = (sqlite: Database) =>
  sqlite
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`,
    )
    .all()
    .map((row) => row.name);

const LEAD = {
  id: '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f',
  user_id: '0b7f3f7e-1a2b-4c3d-8e9f-001122334455',
  customer_phone: '+15125551234',
  source: 'missed_call',
};
const insertLead = (sqlite: Database) =>
  sqlite
    .prepare(
      `INSERT INTO leads (id, user_id, customer_phone, source)
       VALUES (@id, @user_id, @customer_phone, @source)`,
    )
    .run(LEAD);

describe('migrateReplica', () => {
  it('applies every migration to an empty file, then nothing on a second run', () => {
    const sqlite = openFile();
    const all = readMigrationFiles(replicaMigrationsFolder).map((m) => m.tag);
    expect(all.length).toBeGreaterThan(0);
    expect(migrateReplica(sqlite)).toEqual({ applied: all, alreadyApplied: 0 });
    const after = schemaObjects(sqlite);
    expect(migrateReplica(sqlite)).toEqual({ applied: [], alreadyApplied: all.length });
    expect(schemaObjects(sqlite)).toEqual(after);

    // And from another connection (another process, as far as SQLite is concerned).
    const other = openFile();
    expect(migrateReplica(other)).toEqual({ applied: [], alreadyApplied: all.length });
  });

  it('leaves an empty file empty when a later migration fails, and names tag and statement', () => {
    const sqlite = openFile();
    const broken = [
      ...readMigrationFiles(replicaMigrationsFolder),
      {
        tag: '9999_broken',
        hash: 'x',
        statements: [
          'CREATE TABLE extra_table (id integer)',
          'ALTER TABLE nowhere ADD COLUMN oops',
        ],
      },
    ];
    let failure: unknown;
    try {
      migrateReplica(sqlite, broken);
    } catch (error) {
      failure = error;
    }
    expect(failure).toMatchObject({ code: 'MIGRATION_FAILED' });
    const message = (failure as Error).message;
    expect(message).toContain('9999_broken');
    expect(message).toContain('statement 2');
    expect(message).toContain('ALTER TABLE nowhere');
    expect(message).toMatch(/no such table: nowhere/);
    // All or nothing: not the real migrations before it, not its first statement, not the log table.
    expect(schemaObjects(sqlite)).toEqual([]);
  });

  it('leaves a migrated replica and its rows exactly as they were when a new migration fails', () => {
    const sqlite = openFile();
    const real = readMigrationFiles(replicaMigrationsFolder);
    migrateReplica(sqlite, real);
    insertLead(sqlite);
    const before = schemaObjects(sqlite);
    const log = sqlite.prepare('SELECT * FROM schema_migrations').all();
    const broken = [
      ...real,
      {
        tag: '0001_broken',
        hash: 'y',
        statements: ['ALTER TABLE leads ADD COLUMN extra text', 'DELETE FROM leads', 'SELEKT 1'],
      },
    ];
    expect(() => migrateReplica(sqlite, broken)).toThrow(
      expect.objectContaining({ code: 'MIGRATION_FAILED' }),
    );
    expect(schemaObjects(sqlite)).toEqual(before);
    expect(sqlite.prepare('SELECT * FROM schema_migrations').all()).toEqual(log);
    expect(sqlite.prepare('SELECT id FROM leads').all()).toEqual([{ id: LEAD.id }]);
    // Still usable, and the same file reopened agrees.
    sqlite.close();
    expect(schemaObjects(openFile())).toEqual(before);
  });

  it('refuses to run when an applied migration was edited afterwards', () => {
    const sqlite = openFile();
    const real = readMigrationFiles(replicaMigrationsFolder);
    migrateReplica(sqlite, real);
    const edited = real.map((m, i) => (i === 0 ? { ...m, hash: 'edited' } : m));
    expect(() => migrateReplica(sqlite, edited)).toThrow(
      expect.objectContaining({ code: 'MIGRATION_CHANGED' }),
    );
  });
});

describe('the replica schema', () => {
  const migrated = (): Database => {
    const sqlite = openFile();
    migrateReplica(sqlite);
    return sqlite;
  };

  it('has exactly the synced tables, the sync bookkeeping, the outbox, the desktop marks, the search index and the migration log', () => {
    expect(tableNames(migrated())).toEqual(
      [
        ...replicaTableNames,
        'sync_shapes',
        'sync_deferred_indexes',
        'outbox_client',
        'outbox_mutations',
        'outbox_rows',
        'outbox_base_rows',
        'inbox_reads',
        'desktop_marks',
        // The FTS5 table over leads and its shadow tables.
        'leads_search',
        'leads_search_config',
        'leads_search_data',
        'leads_search_docsize',
        'leads_search_idx',
        'schema_migrations',
      ].sort((a, b) => a.localeCompare(b)),
    );
  });

  it('has no column that could hold a password, token, secret or Stripe id', () => {
    const sqlite = migrated();
    const columns = tableNames(sqlite).flatMap((table) =>
      sqlite
        .prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .map((row) => `${table}.${row.name}`),
    );
    expect(columns.length).toBeGreaterThan(100);
    expect(columns.filter((column) => /password|token|secret|stripe/i.test(column))).toEqual([]);
  });

  it('has no foreign keys: shapes for different tables arrive independently', () => {
    const sqlite = migrated();
    for (const table of replicaTableNames) {
      expect(sqlite.prepare(`SELECT * FROM pragma_foreign_key_list('${table}')`).all()).toEqual([]);
    }
  });

  it.each(replicaTableNames)(
    '%s has every Postgres column, same names, nullability and defaults',
    (table) => {
      const sqlite = migrated();
      const info = sqlite
        .prepare<[], { name: string; notnull: number; dflt_value: string | null; pk: number }>(
          `SELECT name, "notnull", dflt_value, pk FROM pragma_table_info('${table}')`,
        )
        .all();
      const pg = postgresColumns(table);
      expect(info.map((column) => column.name)).toEqual(pg.map((column) => column.name));
      for (const column of pg) {
        const local = info.find((c) => c.name === column.name);
        expect({ column: column.name, notNull: local?.notnull === 1 || local?.pk === 1 }).toEqual({
          column: column.name,
          notNull: column.notNull,
        });
      }
      // Defaults: the same literal (in stored form) where Postgres has one; ids are made by the
      // client, timestamps default to now in the stored form.
      const pgColumns = Object.values(getTableColumns(postgresTables[table])) as PgColumn[];
      for (const pgColumn of pgColumns) {
        const local = info.find((c) => c.name === pgColumn.name);
        if (pgColumn.name === 'id' || pgColumn.generated) {
          expect(local?.dflt_value ?? null).toBeNull();
        } else if (!pgColumn.hasDefault) {
          expect({ column: pgColumn.name, default: local?.dflt_value ?? null }).toEqual({
            column: pgColumn.name,
            default: null,
          });
        } else if (typeof pgColumn.default !== 'string' && typeof pgColumn.default !== 'number') {
          expect(local?.dflt_value).toContain(`'now'`); // defaultNow(), an SQL expression
        } else {
          const type = postgresColumns(table).find((c) => c.name === pgColumn.name)?.type;
          const expected = fromPgText(type ?? 'text', String(pgColumn.default));
          const literal = typeof expected === 'string' ? `'${expected}'` : String(expected);
          expect({ column: pgColumn.name, default: local?.dflt_value }).toEqual({
            column: pgColumn.name,
            default: literal,
          });
        }
      }
    },
  );

  it.each(replicaTableNames)('%s mirrors every Postgres CHECK, under the same name', (table) => {
    const pgChecks = getTableConfig(postgresTables[table]).checks.map((c) => c.name);
    const localChecks = getSqliteTableConfig(replicaTables[table]).checks.map((c) => c.name);
    expect(pgChecks.length > 0, `${table} has Postgres CHECKs`).toBe(
      !withoutPostgresChecks.includes(table),
    );
    expect(localChecks).toEqual(expect.arrayContaining(pgChecks));
    const ddl = migrated()
      .prepare<[string], { sql: string }>(`SELECT sql FROM sqlite_master WHERE name = ?`)
      .get(table)?.sql;
    for (const name of pgChecks) expect(ddl).toContain(`CONSTRAINT "${name}"`);
  });

  it('has the indexes local queries need', () => {
    const sqlite = migrated();
    const indexColumns = (name: string) =>
      sqlite
        .prepare<[], { name: string | null }>(`SELECT name FROM pragma_index_info('${name}')`)
        .all()
        .map((row) => row.name);
    expect(indexColumns('idx_leads_user_id_status')).toEqual(['user_id', 'status']);
    expect(indexColumns('idx_leads_customer_phone')).toEqual(['customer_phone']);
    expect(indexColumns('idx_call_logs_lead_id_created_at')).toEqual(['lead_id', 'created_at']);
    expect(indexColumns('idx_sms_logs_lead_id_created_at')).toEqual(['lead_id', 'created_at']);
    expect(indexColumns('financials_user_id_date_key')).toEqual(['user_id', 'date']);
    expect(indexColumns('idx_lead_notes_lead_id')).toEqual(['lead_id', 'created_at']);
    expect(indexColumns('idx_field_conflicts_row')).toEqual(['table_name', 'row_id']);
    expect(indexColumns('mutation_rejections_client_id_mutation_id_key')).toEqual([
      'client_id',
      'mutation_id',
    ]);
    const plan = sqlite
      .prepare<[], { detail: string }>(
        `EXPLAIN QUERY PLAN SELECT * FROM call_logs WHERE lead_id = 'x' ORDER BY created_at`,
      )
      .all()
      .map((row) => row.detail)
      .join('\n');
    expect(plan).toContain('idx_call_logs_lead_id_created_at');
    expect(plan).not.toContain('TEMP B-TREE');
  });
});
