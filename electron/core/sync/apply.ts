import type { Statement } from 'better-sqlite3';
import type { SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import {
  fromPgRow,
  fromPgText,
  type PgType,
  type ReplicaValue,
} from '../../../db/replica/codec.ts';
import { deferIndexes, restoreIndexes } from '../../../db/replica/deferred-indexes.ts';
import { fromSqliteError } from '../../../db/replica/errors.ts';
import { quoteIdent } from '../../../db/sql-quote.ts';
import type { Database } from '../../../db/replica/open.ts';
import { postgresColumns } from '../../../db/replica/tables.ts';
import { perConnection, prepared } from '../../../db/replica/statements.ts';
import { logSeqOf } from '../../../db/wire/mutations.ts';
import { type ShapeChangeMessage, shapeChangeMessageSchema } from '../../../db/wire/shape.ts';
import { parseShapeRow, SHAPE_STATE_COLUMNS, type ShapeState } from './shape-state.ts';

/** Where a batch leaves its shape: saved with the rows, in the same transaction. */
export interface ShapePosition {
  handle: string;
  offset: string;
  /** The snapshot's row count, when the server said; undefined keeps the saved one. */
  snapshotRows?: number | null | undefined;
  /** The batch ends with up-to-date: the shape has everything the server had. */
  upToDate?: boolean;
}

export interface BatchOptions {
  /**
   * The batch is the start of a new snapshot (the first request, or one after must-refetch): the
   * table's rows and position are replaced, in the same transaction as the batch.
   */
  replaces?: boolean;
  /** Bulk load a replacing snapshot announced at this many rows or more (default below). */
  bulkLoadFromRows?: number;
  /** The outbox's optimistic overlay, kept on top of the server's rows (outbox/overlay.ts). */
  overlay?: ShapeBatchOverlay;
}

/**
 * Rows under pending local mutations: put back to the server's version before a batch, and the
 * pending mutations applied on top again after it — inside the batch's transaction.
 */
export interface ShapeBatchOverlay {
  beforeBatch(table: SyncedTable, messages: readonly unknown[], replaces: boolean): void;
  /** `seq`: the log position the table's shape is now at (undefined mid-snapshot). */
  afterBatch(table: SyncedTable, seq: number | undefined): void;
}

/**
 * A snapshot announced at this many rows or more is bulk loaded: the table's secondary indexes are
 * set aside while it loads and built once it is up to date (db/replica/deferred-indexes.ts).
 */
export const BULK_LOAD_FROM_ROWS = 10_000;

export interface AppliedBatch {
  upserted: number;
  deleted: number;
  state: ShapeState;
}

const NOW = `(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')`;

function upsertSql(table: SyncedTable, columns: readonly string[]): string {
  const updates = columns.filter((column) => column !== 'id');
  return (
    `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) ` +
    `VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT ("id") DO ` +
    (updates.length === 0
      ? 'NOTHING'
      : `UPDATE SET ${updates.map((c) => `${quoteIdent(c)} = excluded.${quoteIdent(c)}`).join(', ')}`)
  );
}

/** Electric's default replica mode sends an update's changed columns only: update those. */
function partialUpdateSql(table: SyncedTable, columns: readonly string[]): string {
  const updates = columns.filter((column) => column !== 'id');
  return `UPDATE ${quoteIdent(table)} SET ${updates.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE "id" = ?`;
}

const savePositionSql = `
  INSERT INTO sync_shapes (table_name, handle, "offset", rows_synced, snapshot_rows, up_to_date_at)
  VALUES (@table, @handle, @offset, @count, @snapshotRows, CASE WHEN @upToDate THEN ${NOW} END)
  ON CONFLICT (table_name) DO UPDATE SET
    handle = excluded.handle,
    "offset" = excluded."offset",
    rows_synced = sync_shapes.rows_synced + excluded.rows_synced,
    snapshot_rows = CASE WHEN @keepSnapshotRows THEN sync_shapes.snapshot_rows
                         ELSE excluded.snapshot_rows END,
    up_to_date_at = coalesce(excluded.up_to_date_at, sync_shapes.up_to_date_at),
    updated_at = ${NOW}
  RETURNING ${SHAPE_STATE_COLUMNS}`;

const deferredIndexSql = 'SELECT 1 FROM sync_deferred_indexes WHERE table_name = ? LIMIT 1';

function decode(table: SyncedTable, index: number, message: unknown): ShapeChangeMessage {
  const parsed = shapeChangeMessageSchema.safeParse(message);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AppError(
      'VALIDATION_FAILED',
      `${table}: message ${index} is not a change message with text values ` +
        `(${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}).`,
    );
  }
  return parsed.data;
}

/** A table's whole-row upsert, prepared once per replica: the path nearly every message takes. */
interface FullRowPlan {
  columns: readonly string[];
  types: readonly PgType[];
  upsert: Statement;
}

const fullRowPlan = perConnection((replica, table: SyncedTable): FullRowPlan => {
  const described = postgresColumns(table);
  const columns = described.map((column) => column.name);
  return {
    columns,
    types: described.map((column) => column.type),
    upsert: prepared(replica, upsertSql(table, columns)),
  };
});

/**
 * The replica values of an insert or update that carries every column of the table, in the
 * plan's order — or undefined when the message is anything else (a delete, a partial update, or
 * not a well-formed message), which then takes the validating path below. Checks as it goes what
 * the zod schema would: text or null values, a key, a known operation.
 */
function fullRowValues(
  table: SyncedTable,
  plan: FullRowPlan,
  message: unknown,
): ReplicaValue[] | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const { headers, key, value } = message as { headers?: unknown; key?: unknown; value?: unknown };
  const operation = (headers as { operation?: unknown } | null | undefined)?.operation;
  if (operation !== 'insert' && operation !== 'update') return undefined;
  if (typeof key !== 'string' || typeof value !== 'object' || value === null) return undefined;
  const texts = value as Record<string, unknown>;
  const { columns, types } = plan;
  const values: ReplicaValue[] = new Array<ReplicaValue>(columns.length);
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i] as string;
    const text = texts[column];
    if (text === undefined || (text !== null && typeof text !== 'string')) return undefined;
    try {
      values[i] = fromPgText(types[i] as PgType, text);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new AppError('VALIDATION_FAILED', `${table}.${column}: ${reason}`, { cause: error });
    }
  }
  if (Object.keys(texts).length !== columns.length) return undefined;
  return values;
}

/** Runs one change against the replica; returns whether it was an upsert or a delete. */
function applyChange(
  replica: Database,
  table: SyncedTable,
  message: ShapeChangeMessage,
): 'upserted' | 'deleted' {
  const row = fromPgRow(table, message.value);
  if (typeof row.id !== 'string') {
    throw new AppError('VALIDATION_FAILED', `${table}: a ${message.headers.operation} without id.`);
  }
  if (message.headers.operation === 'delete') {
    prepared(replica, `DELETE FROM ${quoteIdent(table)} WHERE "id" = ?`).run(row.id);
    return 'deleted';
  }
  const columns = Object.keys(row);
  const valuesOf = (names: readonly string[]): ReplicaValue[] =>
    names.map((name) => row[name] ?? null);
  if (
    message.headers.operation === 'update' &&
    columns.length < fullRowPlan(replica, table).columns.length
  ) {
    const set = columns.filter((column) => column !== 'id');
    if (set.length > 0) {
      prepared(replica, partialUpdateSql(table, columns)).run(...valuesOf(set), row.id);
    }
    return 'upserted';
  }
  prepared(replica, upsertSql(table, columns)).run(...valuesOf(columns));
  return 'upserted';
}

/**
 * Rows from the server are stored as Postgres committed them. The replica's CHECK constraints guard
 * what this desktop writes itself; a server row was held to the same rules by Postgres when it was
 * committed, and the codec has checked the form of each of its values on the way in. Checking
 * again would halve the rate of an initial sync (bench/README.md), and when a newer server allows a
 * value this version does not know yet, it would stop the table's sync instead of showing the row.
 *
 * The pragma changes code generation, so flipping it makes SQLite re-prepare every statement of
 * the connection when next run (~0.2 ms here, and the cached statements stay safe to share with
 * checked writes). A large batch pays that once for thousands of rows; a live batch of a row or
 * two runs checked, and only if a CHECK refuses it (rare: version skew) again without them.
 */
const UNCHECKED_FROM_MESSAGES = 100;

function asServerRows<T>(replica: Database, messages: number, work: () => T): T {
  if (messages < UNCHECKED_FROM_MESSAGES) {
    try {
      return work();
    } catch (error) {
      if (!(error instanceof AppError && error.code === 'CHECK_VIOLATION')) throw error;
    }
  }
  replica.pragma('ignore_check_constraints = ON');
  try {
    return work();
  } finally {
    replica.pragma('ignore_check_constraints = OFF');
  }
}

/** Deletes the table's rows and forgets its position (inside the caller's transaction). */
function emptyShape(replica: Database, table: SyncedTable): void {
  prepared(replica, `DELETE FROM ${quoteIdent(table)}`).run();
  prepared(replica, 'DELETE FROM sync_shapes WHERE table_name = ?').run(table);
}

/**
 * Applies a batch of shape messages to `table` and saves the shape's position, in ONE transaction:
 * after a crash the replica holds either the batch and its offset, or neither, so a restart resumes
 * exactly where the rows are. Inserts and updates are upserts (a snapshot resumed mid-way, or a
 * change seen twice, lands the same); deletes delete. Values arrive in Postgres text format and are
 * stored in the replica's form (db/replica/codec.ts); a value that does not decode, or that breaks
 * NOT NULL or a unique key, rolls the whole batch back and throws the AppError naming it.
 *
 * A batch that replaces the table with a large snapshot sets its secondary indexes aside; the batch
 * that brings the table up to date builds them again.
 */
export function applyShapeBatch(
  replica: Database,
  table: SyncedTable,
  messages: readonly unknown[],
  position: ShapePosition,
  options: BatchOptions = {},
): AppliedBatch {
  const run = replica.transaction((): AppliedBatch => {
    if (options.replaces) {
      const bulkFrom = options.bulkLoadFromRows ?? BULK_LOAD_FROM_ROWS;
      // Set aside before emptying: deleting the old rows then touches no secondary index and
      // fires no full-text trigger (the index is rebuilt from the table once it is up to date).
      if ((position.snapshotRows ?? 0) >= bulkFrom) deferIndexes(replica, table);
      emptyShape(replica, table);
    }
    options.overlay?.beforeBatch(table, messages, options.replaces ?? false);
    let upserted = 0;
    let deleted = 0;
    const plan = fullRowPlan(replica, table);
    for (const [index, message] of messages.entries()) {
      const values = fullRowValues(table, plan, message);
      if (values !== undefined) {
        try {
          plan.upsert.run(values);
        } catch (error) {
          throw fromSqliteError(error, `${table} upsert of ${(message as { key: string }).key}`);
        }
        upserted += 1;
        continue;
      }
      const change = decode(table, index, message);
      try {
        if (applyChange(replica, table, change) === 'deleted') deleted += 1;
        else upserted += 1;
      } catch (error) {
        throw fromSqliteError(error, `${table} ${change.headers.operation} of ${change.key}`);
      }
    }
    if (position.upToDate && prepared(replica, deferredIndexSql).get(table) !== undefined) {
      restoreIndexes(replica, table);
    }
    const row = prepared(replica, savePositionSql).get({
      table,
      handle: position.handle,
      offset: position.offset,
      count: messages.length,
      snapshotRows: position.snapshotRows ?? null,
      keepSnapshotRows: position.snapshotRows === undefined ? 1 : 0,
      upToDate: position.upToDate ? 1 : 0,
    });
    const state = parseShapeRow(row);
    options.overlay?.afterBatch(table, logSeqOf(state.offset));
    return { upserted, deleted, state };
  });
  return asServerRows(replica, messages.length, run);
}

/**
 * Forgets the table's rows and its position in one transaction, so the next snapshot starts from
 * nothing (rows deleted on the server meanwhile cannot survive it); indexes set aside for a
 * snapshot that will not finish now are built again (on an empty table: at once).
 */
export function resetShape(replica: Database, table: SyncedTable): void {
  replica.transaction(() => {
    emptyShape(replica, table);
    restoreIndexes(replica, table);
  })();
}
