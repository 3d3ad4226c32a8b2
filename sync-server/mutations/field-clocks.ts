import { type SQL, sql } from 'drizzle-orm';
import type { MutationContext } from './context.ts';

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
 * SQL for a JSON object of the row's field clocks, field → [hlc, edited_by, client_id,
 * mutation_id], to read in the same query that locks the row.
 */
export const fieldClocksJson = (tenantId: string, table: string, rowIdSql: SQL): SQL =>
  sql`(SELECT coalesce(jsonb_object_agg(c.field, jsonb_build_array(c.hlc, c.edited_by, c.client_id, c.mutation_id)), '{}')
         FROM field_clocks c
        WHERE c.user_id = ${tenantId} AND c.table_name = ${table} AND c.row_id = ${rowIdSql})`;

/** Reads what fieldClocksJson produced. */
export function parseFieldClocks(json: unknown): Map<string, FieldClock> {
  const clocks = new Map<string, FieldClock>();
  const entries = (typeof json === 'string' ? JSON.parse(json) : json) as Record<
    string,
    [string, string | null, string | null, number | null]
  >;
  for (const [field, [hlc, editedBy, clientId, mutationId]] of Object.entries(entries ?? {})) {
    clocks.set(field, { hlc, editedBy, clientId, mutationId });
  }
  return clocks;
}

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

/**
 * Writes what was decided in one statement: the row's new values, the clocks of the fields set
 * (this edit's clock and author), and the conflicts. One round trip, and one change-capture run per
 * table touched.
 */
export async function writeFieldEdits(
  ctx: MutationContext,
  table: 'leads',
  rowId: string,
  set: ReadonlyMap<string, string | null>,
  conflicts: readonly Conflict[],
): Promise<void> {
  const parts: SQL[] = [];
  if (set.size > 0) {
    const assignments = [...set].map(
      ([column, value]) => sql`${sql.identifier(column)} = ${value}`,
    );
    parts.push(
      sql`updated AS (UPDATE ${sql.identifier(table)} SET ${sql.join(assignments, sql`, `)} WHERE id = ${rowId} RETURNING id)`,
      sql`stamped AS (
        INSERT INTO field_clocks (user_id, table_name, row_id, field, hlc, edited_by, client_id, mutation_id)
        SELECT ${ctx.tenantId}, ${table}, ${rowId}, f, ${ctx.hlc}, ${ctx.author}, ${ctx.clientId}, ${ctx.mutationId}
          FROM jsonb_array_elements_text(${JSON.stringify([...set.keys()])}::jsonb) AS f
        ON CONFLICT (table_name, row_id, field) DO UPDATE
          SET hlc = excluded.hlc, edited_by = excluded.edited_by, client_id = excluded.client_id,
              mutation_id = excluded.mutation_id)`,
    );
  }
  if (conflicts.length > 0) {
    const rows = conflicts.map((c) => ({
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
    parts.push(sql`recorded AS (
      INSERT INTO field_conflicts (user_id, table_name, row_id, field, kept_value, superseded_value,
                                   kept_hlc, superseded_hlc, kept_by, superseded_by,
                                   superseded_client_id, superseded_mutation_id, outcome)
      SELECT ${ctx.tenantId}, ${table}, ${rowId}, x.field, x.kept_value, x.superseded_value,
             x.kept_hlc, x.superseded_hlc, x.kept_by, x.superseded_by,
             x.superseded_client_id, x.superseded_mutation_id, x.outcome
        FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(
               field text, kept_value text, superseded_value text, kept_hlc text,
               superseded_hlc text, kept_by text, superseded_by text,
               superseded_client_id text, superseded_mutation_id int, outcome text))`);
  }
  if (parts.length === 0) return;
  await ctx.tx.execute(sql`WITH ${sql.join(parts, sql`, `)} SELECT 1`);
}
