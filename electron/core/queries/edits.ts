import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type RefusedEdit,
  refusedEditSchema,
  type SupersededEdit,
  supersededEditSchema,
} from '../../../db/wire/desktop-api.ts';

/** This desktop's edits the server refused, newest first (synced `mutation_rejections`). */
export function refusedEdits(replica: Database, clientId: string, limit: number): RefusedEdit[] {
  const rows = prepared(
    replica,
    `SELECT mutation_id AS mutationId, name, args, code, reason, created_at AS at
       FROM mutation_rejections WHERE client_id = ?
      ORDER BY mutation_id DESC LIMIT ?`,
  ).all(clientId, limit) as (Omit<RefusedEdit, 'args'> & { args: string })[];
  return rows.map((row) =>
    refusedEditSchema.parse({ ...row, args: JSON.parse(row.args) as unknown }),
  );
}

/**
 * This desktop's edits another edit superseded, newest first (synced `field_conflicts`): those that
 * lost to a later edit (`overtaken`), and those a later edit replaced without having seen them
 * (`overwritten`).
 */
export function supersededEdits(
  replica: Database,
  clientId: string,
  limit: number,
): SupersededEdit[] {
  const rows = prepared(
    replica,
    `SELECT id, table_name AS "table", row_id AS rowId, field, outcome,
            kept_value AS keptValue, kept_by AS keptBy, kept_hlc AS keptHlc,
            superseded_value AS supersededValue, superseded_by AS supersededBy,
            superseded_mutation_id AS supersededMutationId, created_at AS at
       FROM field_conflicts
      WHERE superseded_client_id = ?
      ORDER BY created_at DESC, id LIMIT ?`,
  ).all(clientId, limit);
  return rows.map((row) => supersededEditSchema.parse(row));
}
