import { AppError } from '../../../db/errors.ts';
import { type LeadField, leadFieldColumns } from '../../../db/mutations/catalogue.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { quoteIdent } from '../../../db/sql-quote.ts';
import type { Action } from '../../../db/wire/desktop-api.ts';

const fieldOfColumn = new Map(
  Object.entries(leadFieldColumns).map(([field, column]) => [column as string, field as LeadField]),
);

interface ConflictRow {
  kept_hlc: string;
  table_name: string;
  row_id: string;
  field: string;
  superseded_value: string | null;
}

/**
 * The action that makes one of this desktop's superseded edits again (`writes:superseded`): the
 * field set back to the value that lost, based on what the lead shows now — so if someone changes
 * it meanwhile, the clocks decide again and the loser is recorded again.
 */
export function applyAgainAction(
  replica: Database,
  clientId: string,
  conflictId: string,
): { action: Action; after: string } {
  const conflict = prepared(
    replica,
    `SELECT kept_hlc, table_name, row_id, field, superseded_value FROM field_conflicts
      WHERE id = ? AND superseded_client_id = ?`,
  ).get(conflictId, clientId) as ConflictRow | undefined;
  if (!conflict) {
    throw new AppError('NOT_FOUND', `No superseded edit of this desktop has the id ${conflictId}.`);
  }
  const field = conflict.table_name === 'leads' ? fieldOfColumn.get(conflict.field) : undefined;
  if (field === undefined) {
    throw new AppError(
      'VALIDATION_FAILED',
      `A superseded ${conflict.table_name}.${conflict.field} cannot be applied again as an edit` +
        (conflict.field === 'status' ? ': move the lead through the pipeline instead.' : '.'),
    );
  }
  const current = prepared(
    replica,
    `SELECT ${quoteIdent(conflict.field)} AS value FROM leads WHERE id = ?`,
  ).get(conflict.row_id) as { value: string | null } | undefined;
  if (!current) throw new AppError('NOT_FOUND', `There is no lead ${conflict.row_id}.`);
  return {
    action: {
      name: 'lead.update',
      args: {
        id: conflict.row_id,
        set: { [field]: conflict.superseded_value },
        base: { [field]: current.value },
      },
    },
    // Made again after seeing the edit that won: ordered after it, whatever this clock says.
    after: conflict.kept_hlc,
  };
}
