import { sql } from 'drizzle-orm';
import { syncedTables, type SyncedTable } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { quoteIdent, quoteLiteral } from '../../db/sql-quote.ts';

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

/**
 * SQL (built from catalog names only, never from request text) that renders a row of alias `t` as
 * an Electric change message: values in Postgres's text output format, NULL as null. `::text` is
 * the type's output function for every type here except boolean, whose cast says true/false
 * where the output function says t/f.
 *
 * The message's frame is text joined around the row's values, and the values are one
 * `json_object(keys, values)` over two text arrays: every value is text or NULL, which is all that
 * function knows, and it costs Postgres well under half what `json_build_object` with a pair of
 * arguments per column does (bench/README.md). The key needs no escaping beyond its frame: a uuid's
 * text is hex digits and dashes.
 */
export function messageSql(
  table: SyncedTable,
  columns: readonly ShapeColumn[],
  /** A SQL expression giving 'insert' or 'update'. */
  operationSql: string,
): string {
  const names = columns.map((column) => quoteLiteral(column.name)).join(', ');
  const texts = columns
    .map((column) => {
      const ref = `t.${quoteIdent(column.name)}`;
      return column.type === 'bool' && !column.dims
        ? `CASE ${ref} WHEN true THEN 't' WHEN false THEN 'f' END`
        : `${ref}::text`;
    })
    .join(', ');
  const values = `json_object(ARRAY[${names}]::text[], ARRAY[${texts}]::text[])::text`;
  return `${messageHead(table, operationSql, 't.id')} || ${values} || '}'`;
}

/** A delete carries the key and the primary key value only. */
export function deleteMessageSql(table: SyncedTable, idExpression: string): string {
  return `${messageHead(table, `'delete'`, idExpression)} || '{"id":"' || ${idExpression}::text || '"}}'`;
}

/**
 * The JSON text of a message up to its value: headers (operation, relation) and Electric's key,
 * `"public"."<table>"/"<id>"`, as a JSON string.
 */
function messageHead(table: SyncedTable, operationSql: string, idExpression: string): string {
  const key = JSON.stringify(`"public"."${table}"/"`).slice(0, -1); // open: the id follows
  const keyEnd = JSON.stringify('"').slice(1); // the key's closing quote, then the string's
  const relation = JSON.stringify(['public', table]);
  return (
    `${quoteLiteral('{"headers":{"operation":"')} || ${operationSql} || ` +
    `${quoteLiteral(`","relation":${relation}},"key":${key}`)} || ${idExpression}::text || ` +
    quoteLiteral(`${keyEnd},"value":`)
  );
}
