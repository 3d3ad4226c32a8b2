import { AppError } from '../../db/errors.ts';
import { createdLeadColumns, storedLeadValue } from '../../db/mutations/stored-values.ts';
import { normalizePhone } from '../../db/phone.ts';
import {
  type LeadField,
  leadFieldColumns,
  type MutationArgs,
  type MutationName,
} from '../../db/mutations/catalogue.ts';
import { type LeadStatus, pipelineForbids, statusStamps } from '../../db/mutations/pipeline.ts';
import type { MutationContext } from './context.ts';
import {
  type DecidedRow,
  decideFieldEdits,
  type FieldClock,
  type FieldEdit,
} from './field-clocks.ts';

/** What applying one mutation did, for the push's answer. */
export interface Applied {
  /** Field edits that lost to later ones, or replaced unseen values (recorded in field_conflicts). */
  conflicts: number;
}

/** A mutation's fate: applied, or refused with the reason (an AppError, thrown by nobody). */
export type Outcome = Applied | AppError;

/** The tables a mutation inserts into. */
export type InsertTable = 'leads' | 'lead_notes' | 'call_logs' | 'sms_logs';

/** An insert of one row, ON CONFLICT (id) DO NOTHING. */
export interface RowInsert {
  kind: 'insert';
  table: InsertTable;
  id: string;
  /** The lead the row belongs to, which must be the business's. */
  leadId: string | undefined;
  /** Column → value, each read by its column's type (jsonb_populate_recordset). */
  values: Record<string, string | number | null>;
}

/** An edit of a lead's fields, decided by clock on the locked lead. */
export interface LeadEdit {
  kind: 'edit';
  leadId: string;
  /** The values to set and the conflicts; throws an AppError when the lead refuses the edit. */
  decide: (lead: LockedLead) => DecidedRow;
}

/**
 * A mutation made ready to apply: what can be checked without the database is checked (a phone
 * that is no phone refuses it here), what is left is an insert or an edit of a lead's fields.
 */
export type Prepared = RowInsert | LeadEdit;

/** A mutation ready to apply, with who made it. */
export interface PreparedMutation {
  ctx: MutationContext;
  prepared: Prepared;
}

/** A lead as Postgres text, with its field clocks, locked for the rest of the transaction. */
export interface LockedLead {
  row: Readonly<Record<string, unknown>>;
  clocks: ReadonlyMap<string, FieldClock>;
}

/** Every lead column an edit may set (writeFieldEdits names them all, so its SQL never varies). */
export const leadEditColumns: readonly string[] = [
  ...new Set([
    ...Object.values(leadFieldColumns),
    'status',
    ...Object.values(statusStamps),
    'lost_at',
    'lost_reason',
  ]),
].sort();

type Preparer<N extends MutationName> = (ctx: MutationContext, args: MutationArgs<N>) => Prepared;

/**
 * One preparer per mutation of the catalogue (db/mutations/catalogue.ts). A refusal is an AppError
 * (INVALID_PHONE here; NOT_FOUND, PIPELINE_FORBIDS, UNIQUE_VIOLATION… when applied) found before
 * the mutation writes anything, so the push can record it as the mutation's rejection in the same
 * transaction without a savepoint. Inserts use ON CONFLICT DO NOTHING for the same reason: a taken
 * id is an answer, not an aborted transaction.
 */
export const preparers: { [N in MutationName]: Preparer<N> } = {
  'lead.create': (ctx, args) => ({
    kind: 'insert',
    table: 'leads',
    id: args.id,
    leadId: undefined,
    values: createdLeadColumns(args),
  }),

  'lead.update': (ctx, args) => ({
    kind: 'edit',
    leadId: args.id,
    decide: (lead) => {
      const edits: FieldEdit[] = [];
      for (const [name, value] of Object.entries(args.set) as [LeadField, string | null][]) {
        const base = args.base?.[name];
        edits.push({
          field: leadFieldColumns[name],
          value: storedLeadValue(name, value),
          ...(base === undefined ? {} : { base: storedLeadValue(name, base) }),
        });
      }
      const { winners, conflicts } = decideFieldEdits(ctx, lead.row, lead.clocks, edits);
      return { set: winners, conflicts };
    },
  }),

  'lead.move': (ctx, args) => ({
    kind: 'edit',
    leadId: args.id,
    decide: (lead) => {
      const from = lead.row.status as LeadStatus;
      // The status is a field like the others: a move made before the status's last edit loses to it.
      const { winners, conflicts } = decideFieldEdits(ctx, lead.row, lead.clocks, [
        { field: 'status', value: args.to },
      ]);
      const set = new Map<string, string | null>();
      if (winners.has('status')) {
        const forbidden = pipelineForbids(from, args.to);
        if (forbidden) {
          throw new AppError(
            'PIPELINE_FORBIDS',
            `Cannot move the lead to ${args.to}: ${forbidden}.`,
          );
        }
        set.set('status', args.to);
        const stamp = statusStamps[args.to];
        if (stamp) set.set(stamp, args.at);
        if (from === 'lost') {
          set.set('lost_at', null);
          set.set('lost_reason', null);
        }
        if (args.to === 'lost') set.set('lost_reason', args.lostReason ?? null);
      }
      return { set, conflicts };
    },
  }),

  'call.logOutbound': (ctx, args) => ({
    kind: 'insert',
    table: 'call_logs',
    id: args.id,
    leadId: args.leadId,
    values: {
      id: args.id,
      lead_id: args.leadId ?? null,
      called_phone: normalizePhone(args.toPhone),
      call_status: args.status,
      call_duration: args.durationSeconds,
      created_at: args.at,
    },
  }),

  'lead.addNote': (ctx, args) => ({
    kind: 'insert',
    table: 'lead_notes',
    id: args.id,
    leadId: args.leadId,
    values: {
      id: args.id,
      lead_id: args.leadId,
      member_id: ctx.memberId,
      body: args.body,
      created_at: args.at,
    },
  }),

  'text.queue': (ctx, args) => ({
    kind: 'insert',
    table: 'sms_logs',
    id: args.id,
    leadId: args.leadId,
    values: { id: args.id, lead_id: args.leadId, message_text: args.body, created_at: args.at },
  }),
};

/**
 * The rows a prepared mutation reads or writes, for ordering (waves.ts). Ids in lower case: a
 * UUID names the same row in either case.
 */
export function touchedRows({ prepared }: PreparedMutation): string[] {
  if (prepared.kind === 'edit') return [`leads:${prepared.leadId.toLowerCase()}`];
  const rows = [`${prepared.table}:${prepared.id.toLowerCase()}`];
  if (prepared.leadId !== undefined) rows.push(`leads:${prepared.leadId.toLowerCase()}`);
  return rows;
}
