import { type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../db/errors.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { quoteIdent, quoteLiteral } from '../../db/sql-quote.ts';
import type { MutationContext } from './context.ts';
import { queryNamed } from './prepared.ts';

/** The last edit of one field: its clock and who made it. */
export interface FieldClock {
  hlc: string;
  editedBy: string | null;
  /** The desktop mutation that made the edit; null for a server write (webhook, agent, SQL). */
  clientId: string | null;
  mutationId: number | null;
}

/** A field edit to decide against the field's clock (db/hlc.ts: the later clock wins). */
export interface FieldEdit {
  /** Column name. */
  field: string;
  /** The value the edit sets, as Postgres text. */
  value: string | null;
  /** The value the author saw when editing, when the desktop sent it. */
  base?: string | null;
}

/** A field_conflicts row to write. */
export interface Conflict {
  field: string;
  outcome: 'overwritten' | 'overtaken';
  kept: FieldClock & { value: string | null };
  superseded: FieldClock & { value: string | null };
}

export interface DecidedEdits {
  /** Column → value for the edits that win. */
  winners: Map<string, string | null>;
  conflicts: Conflict[];
}

/**
 * The field clocks of rows, by lower-case row id. Read after the rows are locked, in a statement of
 * its own: a statement that waited for a row lock sees the row as its last writer committed it but
 * other tables as they were when it started, so clocks read with the lock could be older than the
 * row they go with.
 */
export async function readFieldClocks(
  tx: AppDatabase,
  tenantId: string,
  table: string,
  rowIds: readonly string[],
): Promise<Map<string, Map<string, FieldClock>>> {
  const byRow = new Map<string, Map<string, FieldClock>>(
    rowIds.map((id) => [id.toLowerCase(), new Map()]),
  );
  if (rowIds.length === 0) return byRow;
  const rows = await queryNamed<{
    row_id: string;
    field: string;
    hlc: string;
    edited_by: string | null;
    client_id: string | null;
    mutation_id: number | null;
  }>(
    tx,
    'mutations.read_field_clocks',
    sql`SELECT c.row_id, c.field, c.hlc, c.edited_by, c.client_id, c.mutation_id
          FROM field_clocks c
         WHERE c.user_id = ${tenantId} AND c.table_name = ${table}
           AND c.row_id = ANY(${uuidArray(rowIds)}::uuid[])`,
  );
  for (const row of rows) {
    byRow.get(row.row_id.toLowerCase())?.set(row.field, {
      hlc: row.hlc,
      editedBy: row.edited_by,
      clientId: row.client_id,
      mutationId: row.mutation_id,
    });
  }
  return byRow;
}

/**
 * Ids as one Postgres array literal: the planner then knows how many rows are wanted and can take
 * them by key. The ids are UUIDs (checked by the catalogue's schemas), so they need no quoting.
 */
export const uuidArray = (ids: readonly string[]): string => `{${ids.join(',')}}`;

/**
 * Decides each edit by clock. An edit wins when its clock is later than the field's last edit (or
 * the field has none). A winner that replaces a value its author had not seen (its `base` differs
 * from the current value) is a conflict `overwritten`; a loser whose value differs from the current
 * one is a conflict `overtaken`. The final value depends only on the clocks, never on the order the
 * edits arrived in.
 */
export function decideFieldEdits(
  ctx: MutationContext,
  current: Readonly<Record<string, unknown>>,
  clocks: ReadonlyMap<string, FieldClock>,
  edits: readonly FieldEdit[],
): DecidedEdits {
  const mine: FieldClock = {
    hlc: ctx.hlc,
    editedBy: ctx.author,
    clientId: ctx.clientId,
    mutationId: ctx.mutationId,
  };
  const winners = new Map<string, string | null>();
  const conflicts: Conflict[] = [];
  for (const edit of edits) {
    const now = (current[edit.field] ?? null) as string | null;
    const clock = clocks.get(edit.field);
    if (clock === undefined || ctx.hlc > clock.hlc) {
      winners.set(edit.field, edit.value);
      const unseen = edit.base !== undefined && edit.base !== now && edit.value !== now;
      if (unseen && clock !== undefined) {
        conflicts.push({
          field: edit.field,
          outcome: 'overwritten',
          kept: { value: edit.value, ...mine },
          superseded: { value: now, ...clock },
        });
      }
    } else if (edit.value !== now) {
      conflicts.push({
        field: edit.field,
        outcome: 'overtaken',
        kept: { value: now, ...clock },
        superseded: { value: edit.value, ...mine },
      });
    }
  }
  return { winners, conflicts };
}

/** What one mutation decided for one row: the values it sets (column → Postgres text), and its conflicts. */
export interface DecidedRow {
  set: ReadonlyMap<string, string | null>;
  conflicts: readonly Conflict[];
}

/** A row's decided edits, with the mutation that made them. */
export interface RowEdits extends DecidedRow {
  ctx: MutationContext;
  rowId: string;
}

/** A table whose fields desktops edit, decided by clock. */
export interface EditedTable {
  name: 'leads';
  /** Every column an edit may set: the write names them all, so its SQL never varies. */
  columns: readonly string[];
  /** The row as the decisions read it (Postgres text), over the table aliased `t`, with `t.id`. */
  readBack: SQL;
}

/**
 * Writes what was decided for many rows in one statement: the rows' new values, the clocks of the
 * fields set (each edit's own clock and author), and the conflicts. One round trip, and one
 * change-capture run per table touched, however many rows. Each row at most once (a wave's
 * mutations touch distinct rows): one statement cannot update a row, or upsert its clocks, twice.
 * Returns the updated rows as written (`readBack`), by lower-case id.
 */
export async function writeFieldEdits(
  tx: AppDatabase,
  tenantId: string,
  table: EditedTable,
  edits: readonly RowEdits[],
): Promise<Map<string, Record<string, unknown>>> {
  checkEdits(table, edits);
  const changed = edits.filter((edit) => edit.set.size > 0);
  const conflicts = edits.flatMap((edit) =>
    edit.conflicts.map((conflict) => ({ rowId: edit.rowId, conflict })),
  );
  const parts: SQL[] = [];
  if (changed.length > 0) {
    parts.push(updateRows(table, changed), stampClocks(tenantId, table.name, changed));
  }
  if (conflicts.length > 0) parts.push(recordConflicts(tenantId, table.name, conflicts));
  if (parts.length === 0) return new Map();
  // Three shapes at most (rows set, conflicts, both), each of one text: a prepared statement each.
  const shape = `${changed.length > 0 ? '_set' : ''}${conflicts.length > 0 ? '_conflicts' : ''}`;
  const written = await queryNamed<Record<string, unknown> & { id: string }>(
    tx,
    `mutations.write_${table.name}${shape}`,
    sql`WITH ${sql.join(parts, sql`, `)}
        ${changed.length > 0 ? sql`SELECT * FROM updated` : sql`SELECT NULL::uuid AS id WHERE false`}`,
  );
  return new Map(written.map((row) => [row.id.toLowerCase(), row]));
}

function checkEdits(table: EditedTable, edits: readonly RowEdits[]): void {
  const rowIds = new Set(edits.map((edit) => edit.rowId.toLowerCase()));
  if (rowIds.size !== edits.length) {
    throw new AppError('INTERNAL', `writeFieldEdits: a row of ${table.name} is edited twice.`);
  }
  for (const edit of edits) {
    for (const column of edit.set.keys()) {
      if (!table.columns.includes(column)) {
        throw new AppError('INTERNAL', `writeFieldEdits: ${table.name}.${column} is not editable.`);
      }
    }
  }
}

/**
 * Every editable column of each row: its new value where the row's edit sets it, else the value it
 * has. The values are Postgres text, read by the column's own type (jsonb_populate_record), as a
 * text parameter assigned to the column would be.
 */
function updateRows(table: EditedTable, changed: readonly RowEdits[]): SQL {
  const patches = changed.map((edit) => ({ id: edit.rowId, patch: Object.fromEntries(edit.set) }));
  // Constant text (the table's editable columns), built as one piece: cheaper for drizzle to render.
  const assignments = table.columns
    .map((column) => {
      const name = quoteIdent(column);
      return `${name} = CASE WHEN x.patch ? ${quoteLiteral(column)} THEN p.${name} ELSE t.${name} END`;
    })
    .join(', ');
  return sql`updated AS (
    UPDATE ${sql.identifier(table.name)} t SET ${sql.raw(assignments)}
      FROM jsonb_to_recordset(${JSON.stringify(patches)}::jsonb) AS x(id uuid, patch jsonb)
           CROSS JOIN LATERAL jsonb_populate_record(NULL::${sql.identifier(table.name)}, x.patch) AS p
     WHERE t.id = x.id
     RETURNING ${table.readBack})`;
}

function stampClocks(tenantId: string, table: string, changed: readonly RowEdits[]): SQL {
  const stamps = changed.flatMap(({ ctx, rowId, set }) =>
    [...set.keys()].map((field) => ({
      row_id: rowId,
      field,
      hlc: ctx.hlc,
      edited_by: ctx.author,
      client_id: ctx.clientId,
      mutation_id: ctx.mutationId,
    })),
  );
  return sql`stamped AS (
    INSERT INTO field_clocks (user_id, table_name, row_id, field, hlc, edited_by, client_id, mutation_id)
    SELECT ${tenantId}, ${table}, c.row_id, c.field, c.hlc, c.edited_by, c.client_id, c.mutation_id
      FROM jsonb_to_recordset(${JSON.stringify(stamps)}::jsonb) AS c(
             row_id uuid, field text, hlc text, edited_by text, client_id text, mutation_id int)
    ON CONFLICT (table_name, row_id, field) DO UPDATE
      SET hlc = excluded.hlc, edited_by = excluded.edited_by, client_id = excluded.client_id,
          mutation_id = excluded.mutation_id)`;
}

function recordConflicts(
  tenantId: string,
  table: string,
  conflicts: readonly { rowId: string; conflict: Conflict }[],
): SQL {
  const rows = conflicts.map(({ rowId, conflict: c }) => ({
    row_id: rowId,
    field: c.field,
    outcome: c.outcome,
    kept_value: c.kept.value,
    superseded_value: c.superseded.value,
    kept_hlc: c.kept.hlc,
    superseded_hlc: c.superseded.hlc,
    kept_by: c.kept.editedBy,
    superseded_by: c.superseded.editedBy,
    superseded_client_id: c.superseded.clientId,
    superseded_mutation_id: c.superseded.mutationId,
  }));
  return sql`recorded AS (
    INSERT INTO field_conflicts (user_id, table_name, row_id, field, kept_value, superseded_value,
                                 kept_hlc, superseded_hlc, kept_by, superseded_by,
                                 superseded_client_id, superseded_mutation_id, outcome)
    SELECT ${tenantId}, ${table}, x.row_id, x.field, x.kept_value, x.superseded_value,
           x.kept_hlc, x.superseded_hlc, x.kept_by, x.superseded_by,
           x.superseded_client_id, x.superseded_mutation_id, x.outcome
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
             row_id uuid, field text, kept_value text, superseded_value text, kept_hlc text,
             superseded_hlc text, kept_by text, superseded_by text,
             superseded_client_id text, superseded_mutation_id int, outcome text))`;
}
