/**
 * The migrated database, read back from information_schema and pg_catalog, against the seed's
 * design with our deliberate deviations and the tables beyond the seed (seed-spec.ts). One
 * expectation per table, column, index, trigger, view, policy and grant, each labelled, so a
 * failure names what differs.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import { useFreshDatabase } from './fixtures.ts';
import { expectedSchema, type SpecColumn, type SpecIndex } from './seed-spec.ts';

/** The migration runner's bookkeeping table: not part of the data model. */
const RUNNER_TABLES = ['schema_migrations'];

interface CatalogColumn extends Record<string, unknown> {
  column_name: string;
  data_type: string;
  udt_name: string;
  character_maximum_length: number | null;
  numeric_precision: number | null;
  numeric_scale: number | null;
  is_nullable: 'YES' | 'NO';
  column_default: string | null;
  is_generated: 'ALWAYS' | 'NEVER';
  generation_expression: string | null;
}

interface CatalogConstraint extends Record<string, unknown> {
  constraint_name: string;
  constraint_type: 'PRIMARY KEY' | 'UNIQUE' | 'FOREIGN KEY';
  columns: string;
  delete_rule: string | null;
  ref_table: string | null;
  ref_column: string | null;
}

/** A column as the comparison sees it; built the same way from the spec and from the catalog. */
interface ColumnShape {
  type: string;
  notNull: boolean;
  default: string | null;
  generated: string | null;
  primaryKey: boolean;
  unique: boolean;
  references: string | null;
}

/** The catalog's type, spelled the way the seed writes types. */
function seedSpelling(c: CatalogColumn): string {
  switch (c.data_type) {
    case 'uuid':
    case 'text':
    case 'integer':
    case 'bigint':
    case 'boolean':
    case 'date':
    case 'jsonb':
      return c.data_type.toUpperCase();
    case 'character varying':
      return `VARCHAR(${c.character_maximum_length})`;
    case 'character':
      return `CHAR(${c.character_maximum_length})`;
    case 'numeric':
      return `DECIMAL(${c.numeric_precision},${c.numeric_scale})`;
    case 'timestamp without time zone':
      return 'TIMESTAMP';
    case 'timestamp with time zone':
      return 'TIMESTAMPTZ';
    case 'ARRAY':
      return c.udt_name === '_text' ? 'TEXT[]' : `ARRAY OF ${c.udt_name}`;
    default:
      return `unexpected type ${c.data_type}`;
  }
}

/**
 * `'US'::character varying` and `'US'`, `'0'::numeric` and `0`, `FALSE` and `false`, `NOW()` and
 * `now()` are the same default: drop the catalog's trailing cast, unquote numbers, lower keywords.
 */
function normalizeDefault(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const uncast = text.trim().replace(/::[a-z][a-z ]*$/i, '');
  const unquoted = uncast.replace(/^'(-?\d+(?:\.\d+)?)'$/, '$1');
  return /^(true|false|now\(\))$/i.test(unquoted) ? unquoted.toLowerCase() : unquoted;
}

/**
 * PostgreSQL prints a generation expression fully parenthesised and cast
 * (`(ad_spend / (leads_generated)::numeric)`); compare it without parentheses, casts to numeric
 * and blanks. The arithmetic itself is pinned by generated-columns.test.ts.
 */
const normalizeExpression = (text: string | null | undefined): string | null =>
  text === null || text === undefined
    ? null
    : text
        .toLowerCase()
        .replace(/::(numeric|decimal)/g, '')
        .replace(/[()\s]/g, '');

const describeReference = (table: string, column: string, onDelete: string) =>
  `${table}(${column}) ON DELETE ${onDelete}`;

function expectedShape(c: SpecColumn): ColumnShape {
  return {
    type: c.type,
    notNull: Boolean(c.notNull || c.primaryKey),
    default: normalizeDefault(c.default),
    generated: normalizeExpression(c.generated),
    primaryKey: Boolean(c.primaryKey),
    unique: Boolean(c.unique),
    references: c.references
      ? describeReference(
          c.references.table,
          c.references.column,
          c.references.onDelete ?? 'NO ACTION',
        )
      : null,
  };
}

/**
 * An index definition as pg_indexes.indexdef prints it. PostgreSQL omits a key's default null
 * ordering (NULLS LAST for ASC, NULLS FIRST for DESC), so `x DESC NULLS FIRST` prints as `x DESC`
 * while `x DESC NULLS LAST` would print in full and fail the comparison. A unique index (one that
 * backs no constraint) prints as `CREATE UNIQUE INDEX`, a partial one ends in `WHERE (…)`.
 */
function expectedIndexdef(i: SpecIndex): string {
  const keys = i.columns.map((key) =>
    key
      .replace(/ DESC NULLS FIRST$/, ' DESC')
      .replace(/ ASC NULLS LAST$/, '')
      .replace(/ ASC$/, ''),
  );
  const method = (i.using ?? 'btree').toLowerCase();
  const kind = i.unique ? 'UNIQUE INDEX' : 'INDEX';
  const where = i.where === undefined ? '' : ` WHERE ${i.where}`;
  return `CREATE ${kind} ${i.name} ON public.${i.table} USING ${method} (${keys.join(', ')})${where}`;
}

const catalogColumns = (db: AppDatabase, table: string) =>
  queryRows<CatalogColumn>(
    db,
    sql`SELECT column_name::text, data_type::text, udt_name::text,
               character_maximum_length::int, numeric_precision::int, numeric_scale::int,
               is_nullable::text, column_default::text, is_generated::text,
               generation_expression::text
        FROM information_schema.columns
        WHERE table_schema = 'public' AND table_name = ${table}
        ORDER BY ordinal_position`,
  );

const catalogConstraints = (db: AppDatabase, table: string) =>
  queryRows<CatalogConstraint>(
    db,
    sql`SELECT tc.constraint_name::text, tc.constraint_type::text,
               string_agg(kcu.column_name::text, ',' ORDER BY kcu.ordinal_position) AS columns,
               rc.delete_rule::text,
               min(ccu.table_name::text) AS ref_table,
               min(ccu.column_name::text) AS ref_column
        FROM information_schema.table_constraints tc
        JOIN information_schema.key_column_usage kcu
          ON kcu.constraint_schema = tc.constraint_schema
         AND kcu.constraint_name = tc.constraint_name
         AND kcu.table_name = tc.table_name
        LEFT JOIN information_schema.referential_constraints rc
          ON rc.constraint_schema = tc.constraint_schema
         AND rc.constraint_name = tc.constraint_name
        LEFT JOIN information_schema.constraint_column_usage ccu
          ON tc.constraint_type = 'FOREIGN KEY'
         AND ccu.constraint_schema = tc.constraint_schema
         AND ccu.constraint_name = tc.constraint_name
        WHERE tc.table_schema = 'public' AND tc.table_name = ${table}
          AND tc.constraint_type IN ('PRIMARY KEY', 'UNIQUE', 'FOREIGN KEY')
        GROUP BY tc.constraint_name, tc.constraint_type, rc.delete_rule
        ORDER BY tc.constraint_name`,
  );

function actualShape(c: CatalogColumn, constraints: CatalogConstraint[]): ColumnShape {
  const on = (type: CatalogConstraint['constraint_type']) =>
    constraints.filter((k) => k.constraint_type === type && k.columns === c.column_name);
  const fks = on('FOREIGN KEY').map((k) =>
    describeReference(k.ref_table ?? '?', k.ref_column ?? '?', k.delete_rule ?? '?'),
  );
  return {
    type: seedSpelling(c),
    notNull: c.is_nullable === 'NO',
    default: normalizeDefault(c.column_default),
    generated: c.is_generated === 'ALWAYS' ? normalizeExpression(c.generation_expression) : null,
    primaryKey: on('PRIMARY KEY').length > 0,
    unique: on('UNIQUE').length > 0,
    references: fks.length === 0 ? null : fks.join(' AND '),
  };
}

const catalogIndexes = (db: AppDatabase, table: string) =>
  // Indexes backing a constraint (primary key, UNIQUE) are compared as constraints instead; a
  // unique index that backs none (tracking_numbers_phone_number_key, …) is compared here.
  queryRows<{ indexname: string; indexdef: string }>(
    db,
    sql`SELECT indexname::text, indexdef::text FROM pg_indexes
        WHERE schemaname = 'public' AND tablename = ${table}
          AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = ${table}::regclass)
        ORDER BY indexname`,
  );

const catalogChecks = (db: AppDatabase, table: string) =>
  queryRows<{ name: string }>(
    db,
    sql`SELECT conname::text AS name FROM pg_constraint
        WHERE contype = 'c' AND conrelid = ${table}::regclass ORDER BY 1`,
  );

const tableCases = expectedSchema.tables.map((t) => [t.name, t] as const);

/*
 * A fresh database costs a second or two on PGlite, so each test compares a whole table (or all
 * triggers, all views) with soft expectations, each labelled with what it compares: every
 * difference is reported, and each names its table, column, index, trigger or view.
 */
describe.each(backends)(
  'the migrated schema conforms to the seed (with deviations) on %s',
  (backend) => {
    const db = useFreshDatabase(backend);

    it('has exactly the seed’s tables, those beyond it (plus the runner’s own) and the extensions', async () => {
      const tables = await queryRows<{ name: string }>(
        db(),
        sql`SELECT table_name::text AS name FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`,
      );
      expect
        .soft(
          tables.map((r) => r.name),
          'tables',
        )
        .toEqual([...expectedSchema.tables.map((t) => t.name), ...RUNNER_TABLES].sort());
      const extensions = await queryRows<{ name: string }>(
        db(),
        sql`SELECT extname::text AS name FROM pg_extension`,
      );
      expect
        .soft(
          extensions.map((r) => r.name),
          'extensions',
        )
        .toEqual(expect.arrayContaining(expectedSchema.extensions));
    });

    it.each(tableCases)(
      'table %s: columns (type, default, NOT NULL, generated), keys, references, indexes, CHECKs',
      async (_, t) => {
        const columns = await catalogColumns(db(), t.name);
        const constraints = await catalogConstraints(db(), t.name);
        expect
          .soft(
            columns.map((c) => c.column_name),
            `${t.name}: columns in order`,
          )
          .toEqual(t.columns.map((c) => c.name));
        for (const expected of t.columns) {
          const actual = columns.find((c) => c.column_name === expected.name);
          expect
            .soft(actual && actualShape(actual, constraints), `${t.name}.${expected.name}`)
            .toEqual(expectedShape(expected));
        }
        const byColumns = (a: string[], b: string[]) => (a.join(',') < b.join(',') ? -1 : 1);
        expect
          .soft(
            constraints
              .filter((k) => k.constraint_type === 'UNIQUE' && k.columns.includes(','))
              .map((k) => k.columns.split(','))
              .sort(byColumns),
            `${t.name}: UNIQUE(…) over several columns`,
          )
          .toEqual([...(t.unique ?? [])].sort(byColumns));
        expect
          .soft(
            constraints.filter((k) => k.constraint_type === 'PRIMARY KEY').map((k) => k.columns),
            `${t.name}: primary key`,
          )
          .toEqual(
            t.primaryKey
              ? [t.primaryKey.join(',')]
              : t.columns.filter((c) => c.primaryKey).map((c) => c.name),
          );
        // Named as PostgreSQL names an inline UNIQUE, `<table>_<columns>_key` (db/README.md,
        // item 14): code that recognises a duplicate by its constraint can rely on the name.
        expect
          .soft(
            constraints
              .filter((k) => k.constraint_type === 'UNIQUE')
              .map((k) => k.constraint_name)
              .sort(),
            `${t.name}: UNIQUE constraint names`,
          )
          .toEqual(
            [
              ...t.columns.filter((c) => c.unique).map((c) => `${t.name}_${c.name}_key`),
              ...(t.unique ?? []).map((columns) => `${t.name}_${columns.join('_')}_key`),
            ].sort(),
          );

        const indexes = await catalogIndexes(db(), t.name);
        const expectedIndexes = expectedSchema.indexes.filter((i) => i.table === t.name);
        expect
          .soft(
            indexes.map((r) => r.indexname),
            `${t.name}: index names`,
          )
          .toEqual(expectedIndexes.map((i) => i.name).sort());
        for (const i of expectedIndexes) {
          expect
            .soft(indexes.find((r) => r.indexname === i.name)?.indexdef, i.name)
            .toBe(expectedIndexdef(i));
        }

        const checks = await catalogChecks(db(), t.name);
        expect
          .soft(
            checks.map((r) => r.name),
            `${t.name}: CHECK constraints`,
          )
          .toEqual(
            expectedSchema.checks
              .filter((c) => c.table === t.name)
              .map((c) => `${c.table}_${c.column}_check`)
              .sort(),
          );
      },
    );

    it('has the seed’s updated_at triggers and the declared tenant, key and capture triggers, and no others', async () => {
      /*
       * From pg_trigger, not information_schema.triggers: the standard view has one row per
       * INSERT, UPDATE or DELETE event and none for TRUNCATE, so the <table>_capture_truncate
       * triggers would not be seen at all. tgtype's bits are pg_trigger.h's TRIGGER_TYPE_*. The
       * statement is pg_get_triggerdef's `EXECUTE FUNCTION …` tail, and the WHEN condition is cut
       * from it with information_schema's own expression, so both read as that view prints them.
       */
      const rows = await queryRows<{
        name: string;
        table: string;
        timing: string;
        orientation: string;
        statement: string;
        condition: string | null;
        new_table: string | null;
        old_table: string | null;
        events: string;
        update_of: string[] | null;
      }>(
        db(),
        sql`SELECT t.tgname::text AS name, c.relname::text AS table,
                 CASE WHEN t.tgtype & 2 <> 0 THEN 'BEFORE'
                      WHEN t.tgtype & 64 <> 0 THEN 'INSTEAD OF'
                      ELSE 'AFTER' END AS timing,
                 CASE WHEN t.tgtype & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END AS orientation,
                 substring(pg_get_triggerdef(t.oid) FROM 'EXECUTE FUNCTION .*$') AS statement,
                 (regexp_match(pg_get_triggerdef(t.oid),
                               '.{35,} WHEN \\((.+)\\) EXECUTE FUNCTION'))[1] AS condition,
                 t.tgnewtable::text AS new_table, t.tgoldtable::text AS old_table,
                 concat_ws(',', CASE WHEN t.tgtype & 8 <> 0 THEN 'DELETE' END,
                                CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' END,
                                CASE WHEN t.tgtype & 32 <> 0 THEN 'TRUNCATE' END,
                                CASE WHEN t.tgtype & 16 <> 0 THEN 'UPDATE' END) AS events,
                 (SELECT array_agg(a.attname::text) FROM pg_attribute a
                   WHERE a.attrelid = t.tgrelid AND a.attnum = ANY (t.tgattr::int2[])) AS update_of
          FROM pg_trigger t
          JOIN pg_class c ON c.oid = t.tgrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND NOT t.tgisinternal`,
      );
      // Sorted here, not by ORDER BY: the database's collation may order `_` differently.
      expect
        .soft(rows.map((r) => r.name).sort(), 'trigger names')
        .toEqual(expectedSchema.triggers.map((t) => t.name).sort());
      for (const trigger of expectedSchema.triggers) {
        const row = rows.find((r) => r.name === trigger.name);
        expect
          .soft(
            row && {
              name: row.name,
              table: row.table,
              timing: row.timing,
              orientation: row.orientation,
              statement: row.statement,
              condition: row.condition,
              new_table: row.new_table,
              old_table: row.old_table,
              events: row.events,
              updateOf: row.update_of ? [...row.update_of].sort().join(',') : null,
            },
            trigger.name,
          )
          .toEqual({
            name: trigger.name,
            table: trigger.table,
            timing: trigger.timing,
            orientation: trigger.orientation ?? 'ROW',
            statement: trigger.statement,
            condition: trigger.condition ?? null,
            new_table: trigger.newTable ?? null,
            old_table: trigger.oldTable ?? null,
            events: [...trigger.events].sort().join(','),
            updateOf: trigger.updateOf ? [...trigger.updateOf].sort().join(',') : null,
          });
      }
    });

    it('has the declared roles, row-level security, policies and grants, and no others', async () => {
      for (const role of expectedSchema.roles) {
        // `assumable`: the migrating role (the server's) may SET ROLE to it, as withTenant does;
        // migration 0004 makes it a member unless it already is one (a superuser always is).
        const found = await queryRows<{ login: boolean; assumable: boolean }>(
          db(),
          sql`SELECT rolcanlogin AS login, pg_has_role(current_user, oid, 'MEMBER') AS assumable
            FROM pg_roles WHERE rolname = ${role.name}`,
        );
        expect.soft(found, `role ${role.name}`).toEqual([{ login: role.login, assumable: true }]);
      }

      const secured = await queryRows<{ name: string; forced: boolean }>(
        db(),
        sql`SELECT c.relname::text AS name, c.relforcerowsecurity AS forced
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relrowsecurity ORDER BY 1`,
      );
      expect
        .soft(secured.map((r) => r.name).sort(), 'tables with row-level security')
        .toEqual([...expectedSchema.rowSecurity].sort());
      // Not forced: the owner bypasses the policies (login, webhooks, the capture triggers).
      expect
        .soft(
          secured.filter((r) => r.forced).map((r) => r.name),
          'tables forcing row-level security on their owner',
        )
        .toEqual([]);

      const policies = await queryRows<{
        table: string;
        name: string;
        roles: string;
        command: string;
        permissive: string;
        using: string | null;
        with_check: string | null;
      }>(
        db(),
        sql`SELECT tablename::text AS table, policyname::text AS name,
                 array_to_string(roles, ',') AS roles, cmd::text AS command,
                 permissive::text AS permissive, qual::text AS using, with_check::text
          FROM pg_policies WHERE schemaname = 'public' ORDER BY 1, 2`,
      );
      const policyKey = (p: { table: string; name: string }) => `${p.table}.${p.name}`;
      expect
        .soft(policies.map(policyKey).sort(), 'policies')
        .toEqual(expectedSchema.policies.map(policyKey).sort());
      for (const policy of expectedSchema.policies) {
        expect
          .soft(
            policies.find((p) => policyKey(p) === policyKey(policy)),
            `policy ${policyKey(policy)}`,
          )
          .toEqual({
            table: policy.table,
            name: policy.name,
            roles: policy.roles.join(','),
            command: policy.command,
            permissive: 'PERMISSIVE',
            using: policy.using,
            with_check: policy.withCheck,
          });
      }

      // Privileges on the tables and views of public held by any role but their owner: on the
      // whole table (pg_class.relacl) ...
      const grants = await queryRows<{ role: string; table: string; privileges: string }>(
        db(),
        sql`SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END
                   AS role,
                 c.relname::text AS table,
                 string_agg(a.privilege_type, ',' ORDER BY a.privilege_type) AS privileges
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          CROSS JOIN LATERAL aclexplode(c.relacl) a
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')
            AND a.grantee <> c.relowner
          GROUP BY 1, 2 ORDER BY 1, 2`,
      );
      // Sorted here, not by ORDER BY: the database's collation may order `_` differently.
      const byKey = <T extends { role: string; table: string; privilege?: string }>(a: T, b: T) =>
        `${a.role}.${a.table}.${a.privilege ?? ''}` < `${b.role}.${b.table}.${b.privilege ?? ''}`
          ? -1
          : 1;
      expect.soft([...grants].sort(byKey), 'table-level grants').toEqual(
        expectedSchema.grants
          .filter((g) => g.columns === undefined)
          .map((g) => ({
            role: g.role,
            table: g.table,
            privileges: [...g.privileges].sort().join(','),
          }))
          .sort(byKey),
      );

      // ... and on single columns (pg_attribute.attacl, which holds only what was granted column
      // by column; information_schema.column_privileges would mix in the table-level grants).
      const columnGrants = await queryRows<{
        role: string;
        table: string;
        privilege: string;
        columns: string[];
      }>(
        db(),
        sql`SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee)::text END
                   AS role,
                 c.relname::text AS table, a.privilege_type::text AS privilege,
                 array_agg(att.attname::text) AS columns
          FROM pg_class c
          JOIN pg_namespace n ON n.oid = c.relnamespace
          JOIN pg_attribute att ON att.attrelid = c.oid AND att.attnum > 0 AND NOT att.attisdropped
          CROSS JOIN LATERAL aclexplode(att.attacl) a
          WHERE n.nspname = 'public' AND c.relkind IN ('r', 'v', 'm', 'p')
            AND a.grantee <> c.relowner
          GROUP BY 1, 2, 3`,
      );
      expect
        .soft(
          columnGrants.map((g) => ({ ...g, columns: [...g.columns].sort() })).sort(byKey),
          'column-level grants',
        )
        .toEqual(
          expectedSchema.grants
            .flatMap(({ role, table, privileges, columns }) =>
              columns === undefined
                ? []
                : privileges.map((privilege) => ({
                    role,
                    table,
                    privilege,
                    columns: [...columns].sort(),
                  })),
            )
            .sort(byKey),
        );
    });

    it('has exactly the seed’s three views, each with its columns in order', async () => {
      const views = await queryRows<{ name: string }>(
        db(),
        sql`SELECT table_name::text AS name FROM information_schema.views
          WHERE table_schema = 'public' ORDER BY 1`,
      );
      expect
        .soft(
          views.map((r) => r.name),
          'views',
        )
        .toEqual(expectedSchema.views.map((v) => v.name).sort());
      for (const view of expectedSchema.views) {
        const columns = await queryRows<{ name: string }>(
          db(),
          sql`SELECT column_name::text AS name FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = ${view.name} ORDER BY ordinal_position`,
        );
        expect
          .soft(
            columns.map((r) => r.name),
            `${view.name} columns`,
          )
          .toEqual(view.columns);
      }
    });
  },
);
