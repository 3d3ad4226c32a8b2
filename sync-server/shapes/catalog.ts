import { sql } from 'drizzle-orm';
import { syncedTables, type SyncedTable } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

/** One column of a synced table as the Electric protocol describes it (`electric-schema`). */
export interface ShapeColumn {
  name: string;
  /** pg_type name; for an array, its element's name with `dims` set. */
  type: string;
  dims?: number;
  notNull: boolean;
  pkIndex?: number;
  maxLength?: number;
  precision?: number;
  scale?: number;
}

export type TableCatalog = ReadonlyMap<SyncedTable, ReadonlyMap<string, ShapeColumn>>;

interface CatalogRow extends Record<string, unknown> {
  table_name: string;
  name: string;
  type: string;
  elem_type: string | null;
  not_null: boolean;
  typmod: number | string;
  pk_index: number | string | null;
}

/** Reads the synced tables' columns from pg_catalog, in column order. */
export async function loadTableCatalog(db: AppDatabase): Promise<TableCatalog> {
  const rows = await queryRows<CatalogRow>(
    db,
    sql`SELECT c.relname AS table_name, a.attname AS name, t.typname AS type,
               e.typname AS elem_type, a.attnotnull AS not_null, a.atttypmod AS typmod,
               (SELECT k.ord - 1 FROM unnest(i.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                 WHERE k.attnum = a.attnum) AS pk_index
          FROM pg_attribute a
          JOIN pg_class c ON c.oid = a.attrelid
          JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
          JOIN pg_type t ON t.oid = a.atttypid
          LEFT JOIN pg_type e ON e.oid = t.typelem AND t.typcategory = 'A'
          LEFT JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary
         WHERE c.relname IN (${sql.join(
           syncedTables.map((table) => sql`${table}`),
           sql`, `,
         )})
           AND a.attnum > 0 AND NOT a.attisdropped
         ORDER BY c.relname, a.attnum`,
  );
  const catalog = new Map<SyncedTable, Map<string, ShapeColumn>>();
  for (const table of syncedTables) catalog.set(table, new Map());
  for (const row of rows) {
    const typmod = Number(row.typmod);
    const column: ShapeColumn = {
      name: row.name,
      type: row.elem_type ?? row.type,
      notNull: row.not_null,
      ...(row.elem_type ? { dims: 1 } : {}),
      ...(row.pk_index === null ? {} : { pkIndex: Number(row.pk_index) }),
      ...(row.type === 'varchar' && typmod > 4 ? { maxLength: typmod - 4 } : {}),
      ...(row.type === 'numeric' && typmod > 4
        ? { precision: ((typmod - 4) >> 16) & 0xffff, scale: (typmod - 4) & 0xffff }
        : {}),
    };
    catalog.get(row.table_name as SyncedTable)?.set(row.name, column);
  }
  return catalog;
}

/** The `electric-schema` header: each column's type, as the official client's parser reads it. */
export function electricSchema(columns: readonly ShapeColumn[]): string {
  const schema: Record<string, Record<string, unknown>> = {};
  for (const column of columns) {
    schema[column.name] = {
      type: column.type,
      ...(column.dims ? { dims: column.dims } : {}),
      ...(column.notNull ? { not_null: true } : {}),
      ...(column.pkIndex === undefined ? {} : { pk_index: column.pkIndex }),
      ...(column.maxLength === undefined ? {} : { max_length: column.maxLength }),
      ...(column.precision === undefined
        ? {}
        : { precision: column.precision, scale: column.scale }),
    };
  }
  return JSON.stringify(schema);
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * SQL (built from catalog names only, never from request text) that renders a row of alias `t` as
 * an Electric change message: values in Postgres's text output format, NULL as null. `::text` is
 * the type's output function for every type here except boolean, whose cast says true/false
 * where the output function says t/f.
 */
export function messageSql(
  table: SyncedTable,
  columns: readonly ShapeColumn[],
  /** A SQL expression giving 'insert' or 'update'. */
  operationSql: string,
): string {
  const values = columns
    .map((column) => {
      const ref = `t.${quoteIdent(column.name)}`;
      const text =
        column.type === 'bool' && !column.dims
          ? `CASE ${ref} WHEN true THEN 't' WHEN false THEN 'f' END`
          : `${ref}::text`;
      return `${quoteLiteral(column.name)}, ${text}`;
    })
    .join(', ');
  if (columns.length > 50) throw new Error(`${table} has more than 50 columns to render`);
  return `json_build_object('headers', json_build_object('operation', ${operationSql}, 'relation', json_build_array('public', ${quoteLiteral(table)})), 'key', ${keySql(table, 't.id')}, 'value', json_build_object(${values}))::text`;
}

/** A delete carries the key and the primary key value only. */
export function deleteMessageSql(table: SyncedTable, idExpression: string): string {
  return `json_build_object('headers', json_build_object('operation', 'delete', 'relation', json_build_array('public', ${quoteLiteral(table)})), 'key', ${keySql(table, idExpression)}, 'value', json_build_object('id', ${idExpression}::text))::text`;
}

/** Electric's message key: `"public"."<table>"/"<id>"`. */
const keySql = (table: SyncedTable, idExpression: string): string =>
  `${quoteLiteral(`"public"."${table}"/"`)} || ${idExpression}::text || '"'`;
