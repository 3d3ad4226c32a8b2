import { z } from 'zod';
import { syncedTables, type SyncedTable } from '../../../db/enums.ts';
import type { Database } from '../../../db/replica/open.ts';

/** One row of `sync_shapes`: where a table's shape stream resumes after a restart. */
export interface ShapeState {
  table: SyncedTable;
  handle: string;
  offset: string;
  rowsSynced: number;
  snapshotRows: number | null;
  upToDateAt: string | null;
}

/** The file is local, but it may be from another version of the app: check what comes back. */
const shapeRowSchema = z
  .object({
    table_name: z.enum(syncedTables),
    handle: z.string().min(1),
    offset: z.string().min(1),
    rows_synced: z.number().int().nonnegative(),
    snapshot_rows: z.number().int().nonnegative().nullable(),
    up_to_date_at: z.string().nullable(),
  })
  .transform((row): ShapeState => ({
    table: row.table_name,
    handle: row.handle,
    offset: row.offset,
    rowsSynced: row.rows_synced,
    snapshotRows: row.snapshot_rows,
    upToDateAt: row.up_to_date_at,
  }));

export const SHAPE_STATE_COLUMNS =
  'table_name, handle, "offset", rows_synced, snapshot_rows, up_to_date_at';

export const parseShapeRow = (row: unknown): ShapeState => shapeRowSchema.parse(row);

/** The saved position of `table`, or undefined when it has none (never synced, or reset). */
export function readShapeState(replica: Database, table: SyncedTable): ShapeState | undefined {
  const row = replica
    .prepare(`SELECT ${SHAPE_STATE_COLUMNS} FROM sync_shapes WHERE table_name = ?`)
    .get(table);
  return row === undefined ? undefined : parseShapeRow(row);
}
