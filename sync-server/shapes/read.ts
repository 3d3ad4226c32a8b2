import { type SQL, sql } from 'drizzle-orm';
import type { SyncedTable } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { quoteIdent } from '../../db/sql-quote.ts';
import { deleteMessageSql, messageSql, type ShapeColumn } from './catalog.ts';

/** What one shape reads: a business's table, the columns sent, and the client's narrowing. */
export interface ShapeScope {
  tenantId: string;
  table: SyncedTable;
  columns: readonly ShapeColumn[];
  /** The client's `where`, compiled against alias `t`; the tenant filter is added here, always. */
  where: SQL | undefined;
}

/** A business's change log: its last number, how far it was pruned, and its sync epoch. */
export interface LogHead {
  seq: number;
  prunedThrough: number;
  epoch: number;
}

/**
 * Between two messages of a body: a comma and a newline. Valid between JSON array elements, and
 * never inside a message (JSON escapes newlines in strings), so a body also splits into messages.
 */
export const MESSAGE_SEPARATOR = ',\n';

export interface Batch {
  /**
   * The change messages as JSON text joined by MESSAGE_SEPARATOR: Postgres joins them (string_agg),
   * so a chunk reaches Node as one string, not thousands of row objects. Empty when there are none.
   */
  body: string;
  count: number;
  /** True when the batch stopped at the limit and more follows. */
  full: boolean;
}

export async function readLogHead(tx: AppDatabase, tenantId: string): Promise<LogHead> {
  const [row] = await queryRows<{ seq: string | number; pruned: string | number; epoch: number }>(
    tx,
    sql`SELECT coalesce(max(seq), 0) AS seq, coalesce(max(pruned_through), 0) AS pruned,
               coalesce(max(epoch), 1) AS epoch
          FROM sync_heads WHERE user_id = ${tenantId}`,
  );
  return {
    seq: Number(row?.seq ?? 0),
    prunedThrough: Number(row?.pruned ?? 0),
    epoch: row?.epoch ?? 1,
  };
}

const scopeFilter = (scope: ShapeScope): SQL =>
  scope.where
    ? sql`t.user_id = ${scope.tenantId} AND (${scope.where})`
    : sql`t.user_id = ${scope.tenantId}`;

/** The shape's rows after `afterId` in key order, as insert messages: one chunk of a snapshot. */
export async function readSnapshotChunk(
  tx: AppDatabase,
  scope: ShapeScope,
  afterId: string | undefined,
  limit: number,
): Promise<Batch & { lastId: string | undefined }> {
  const [row] = await queryRows<{
    body: string | null;
    n: string | number;
    last_id: string | null;
  }>(
    tx,
    sql`SELECT string_agg(c.message, E',\n' ORDER BY c.id) AS body, count(*) AS n,
               (array_agg(c.id ORDER BY c.id DESC))[1]::text AS last_id
          FROM (SELECT t.id, ${sql.raw(messageSql(scope.table, scope.columns, `'insert'`))} AS message
                  FROM ${sql.raw(quoteIdent(scope.table))} t
                 WHERE ${scopeFilter(scope)} ${afterId === undefined ? sql`` : sql`AND t.id > ${afterId}`}
                 ORDER BY t.id
                 LIMIT ${limit}) c`,
  );
  const count = Number(row?.n ?? 0);
  return {
    body: row?.body ?? '',
    count,
    full: count === limit,
    lastId: row?.last_id ?? undefined,
  };
}

/** How many rows the shape has now (a progress figure for a first snapshot, not a promise). */
export async function countShapeRows(tx: AppDatabase, scope: ShapeScope): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    tx,
    sql`SELECT count(*) AS n FROM ${sql.raw(quoteIdent(scope.table))} t WHERE ${scopeFilter(scope)}`,
  );
  return Number(row?.n ?? 0);
}

/**
 * The rows of the shape that changed after log position `afterSeq` up to `throughSeq`, each once,
 * as it is now: an upsert if it exists and matches the shape, else a delete (a row that left the
 * shape is deleted on the client; one it never had is a harmless no-op). In order of each row's
 * latest change, so a batch cut at `limit` resumes at its last number without losing anything.
 */
export async function readChanges(
  tx: AppDatabase,
  scope: ShapeScope,
  afterSeq: number,
  throughSeq: number,
  limit: number,
): Promise<Batch & { lastSeq: number | undefined }> {
  if (throughSeq <= afterSeq) return { body: '', count: 0, full: false, lastSeq: undefined };
  const operation = `CASE WHEN c.inserted THEN 'insert' ELSE 'update' END`;
  const [row] = await queryRows<{
    body: string | null;
    n: string | number;
    last_seq: string | number | null;
  }>(
    tx,
    sql`WITH changed AS (
          SELECT row_id, max(seq) AS seq, bool_or(op = 'I') AS inserted
            FROM change_log
           WHERE user_id = ${scope.tenantId} AND table_name = ${scope.table}
             AND seq > ${afterSeq} AND seq <= ${throughSeq}
           GROUP BY row_id
           ORDER BY 2
           LIMIT ${limit}
        )
        SELECT string_agg(
                 CASE WHEN t.id IS NULL THEN ${sql.raw(deleteMessageSql(scope.table, 'c.row_id'))}
                      ELSE ${sql.raw(messageSql(scope.table, scope.columns, operation))} END,
                 E',\n' ORDER BY c.seq) AS body,
               count(*) AS n, max(c.seq) AS last_seq
          FROM changed c
          LEFT JOIN ${sql.raw(quoteIdent(scope.table))} t ON t.id = c.row_id AND ${scopeFilter(scope)}`,
  );
  const count = Number(row?.n ?? 0);
  return {
    body: row?.body ?? '',
    count,
    full: count === limit,
    lastSeq:
      row?.last_seq === null || row?.last_seq === undefined ? undefined : Number(row.last_seq),
  };
}
