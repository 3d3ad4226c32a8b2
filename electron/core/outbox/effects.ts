import type { SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import { normalizePhone } from '../../../db/phone.ts';
import {
  type LeadField,
  leadFieldColumns,
  type MutationArgs,
  type MutationName,
} from '../../../db/mutations/catalogue.ts';
import { type LeadStatus, pipelineForbids, statusStamps } from '../../../db/mutations/pipeline.ts';
import { createdLeadColumns, storedLeadValue } from '../../../db/mutations/stored-values.ts';
import { fromPgText } from '../../../db/replica/codec.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { quoteIdent } from '../../../db/sql-quote.ts';

/** Who this desktop acts as: the values an optimistic row needs that the server would fill in. */
export interface Identity {
  businessId: string;
  memberId: string;
  /** The business's own number, E.164: the caller of its outbound calls, the sender of its texts. */
  businessPhone: string;
}

/** A replica row a mutation changes. */
export interface RowRef {
  table: SyncedTable;
  id: string;
}

/**
 * `new`: the person just acted — a precondition that fails (no such lead, a move the pipeline
 * forbids, a text to a customer who opted out) is refused with its AppError and nothing is written.
 * `replay`: re-applying a pending mutation on top of newer server rows — one whose precondition no
 * longer holds has no local effect (the server will refuse it too, and the refusal syncs back).
 */
export type EffectMode = 'new' | 'replay';

type Effect<N extends MutationName> = (
  replica: Database,
  identity: Identity,
  args: MutationArgs<N>,
  mode: EffectMode,
) => void;

/** The row each mutation of the catalogue changes (all of today's change exactly one). */
export function rowsChangedBy<N extends MutationName>(name: N, args: MutationArgs<N>): RowRef[] {
  const id = (args as { id: string }).id;
  switch (name) {
    case 'lead.create':
    case 'lead.update':
    case 'lead.move':
      return [{ table: 'leads', id }];
    case 'call.logOutbound':
      return [{ table: 'call_logs', id }];
    case 'lead.addNote':
      return [{ table: 'lead_notes', id }];
    case 'text.queue':
      return [{ table: 'sms_logs', id }];
  }
  throw new AppError('VALIDATION_FAILED', `Unknown mutation ${String(name)}.`);
}

/** Applies a mutation's optimistic effect to the replica (inside the caller's transaction). */
export function applyEffect<N extends MutationName>(
  replica: Database,
  identity: Identity,
  name: N,
  args: MutationArgs<N>,
  mode: EffectMode,
): void {
  (effects[name] as Effect<N>)(replica, identity, args, mode);
}

/** A stored timestamp (codec.ts form) of an action's ISO 8601 time. */
const stored = (at: string): string => fromPgText('timestamptz', at) as string;

interface LeadRow {
  status: LeadStatus;
  customer_name: string | null;
  customer_phone: string;
  /** Stored timestamp; set while the phone is on the business's SMS suppression list. */
  sms_opted_out_at: string | null;
}

function leadOf(replica: Database, id: string): LeadRow | undefined {
  return prepared(
    replica,
    'SELECT status, customer_name, customer_phone, sms_opted_out_at FROM leads WHERE id = ?',
  ).get(id) as LeadRow | undefined;
}

/** The lead a mutation needs; undefined when replaying and it is gone (no effect then). */
function requireLead(replica: Database, id: string, mode: EffectMode): LeadRow | undefined {
  const lead = leadOf(replica, id);
  if (!lead && mode === 'new') throw new AppError('NOT_FOUND', `There is no lead ${id}.`);
  return lead;
}

/** Inserts a new row; a taken id is refused when new and left alone when replaying. */
function insertRow(
  replica: Database,
  table: SyncedTable,
  row: Record<string, string | number | null>,
  mode: EffectMode,
): void {
  const columns = Object.keys(row);
  const info = prepared(
    replica,
    `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) ` +
      `VALUES (${columns.map(() => '?').join(', ')}) ON CONFLICT ("id") DO NOTHING`,
  ).run(...Object.values(row));
  if (info.changes === 0 && mode === 'new') {
    throw new AppError('UNIQUE_VIOLATION', `${table} already has a row with id ${String(row.id)}.`);
  }
}

/** "+15125551234" → "(512) 555-1234", as the renderer shows phones; others as stored. */
function readablePhone(phone: string): string {
  const match = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(phone);
  return match ? `(${match[1]}) ${match[2]}-${match[3]}` : phone;
}

/**
 * Why a text to this lead is refused: its customer opted out, on the day the opt-out took effect
 * (a stored timestamp, shown in this machine's time zone; `timeZone` is for tests).
 */
export function optedOutMessage(
  lead: Pick<LeadRow, 'customer_name' | 'customer_phone'>,
  optedOutAt: string,
  timeZone?: string,
): string {
  const who = lead.customer_name?.trim() || readablePhone(lead.customer_phone);
  const day = new Date(optedOutAt).toLocaleDateString('en-US', {
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone,
  });
  return (
    `${who} opted out of texts on ${day}. ` +
    'They must text START to your number before you can text them.'
  );
}

function updateLead(replica: Database, id: string, set: ReadonlyMap<string, string | null>): void {
  if (set.size === 0) return;
  const columns = [...set.keys()];
  prepared(
    replica,
    `UPDATE leads SET ${columns.map((c) => `${quoteIdent(c)} = ?`).join(', ')} WHERE id = ?`,
  ).run(...set.values(), id);
}

/**
 * The optimistic effect of each mutation: what the server's applier will do
 * (sync-server/mutations/appliers.ts), written to the replica at once so every local query shows it.
 */
const effects: { [N in MutationName]: Effect<N> } = {
  'lead.create': (replica, identity, args, mode) => {
    insertRow(
      replica,
      'leads',
      { ...createdLeadColumns(args), user_id: identity.businessId },
      mode,
    );
  },

  'lead.update': (replica, _identity, args, mode) => {
    if (!requireLead(replica, args.id, mode)) return;
    const set = new Map<string, string | null>();
    for (const [field, value] of Object.entries(args.set) as [LeadField, string | null][]) {
      set.set(leadFieldColumns[field], storedLeadValue(field, value));
    }
    updateLead(replica, args.id, set);
  },

  'lead.move': (replica, _identity, args, mode) => {
    const lead = requireLead(replica, args.id, mode);
    if (!lead) return;
    const forbidden = pipelineForbids(lead.status, args.to);
    if (forbidden) {
      if (mode === 'replay') return;
      throw new AppError('PIPELINE_FORBIDS', `Cannot move the lead to ${args.to}: ${forbidden}.`);
    }
    const set = new Map<string, string | null>([['status', args.to]]);
    const stamp = statusStamps[args.to];
    if (stamp) set.set(stamp, stored(args.at));
    if (lead.status === 'lost') {
      set.set('lost_at', null);
      set.set('lost_reason', null);
    }
    if (args.to === 'lost') set.set('lost_reason', args.lostReason ?? null);
    updateLead(replica, args.id, set);
  },

  'call.logOutbound': (replica, identity, args, mode) => {
    if (args.leadId !== undefined && !requireLead(replica, args.leadId, mode)) return;
    insertRow(
      replica,
      'call_logs',
      {
        id: args.id,
        user_id: identity.businessId,
        lead_id: args.leadId ?? null,
        caller_phone: identity.businessPhone,
        called_phone: normalizePhone(args.toPhone),
        call_status: args.status,
        call_direction: 'outbound',
        call_duration: args.durationSeconds,
        created_at: stored(args.at),
      },
      mode,
    );
  },

  'lead.addNote': (replica, identity, args, mode) => {
    if (!requireLead(replica, args.leadId, mode)) return;
    insertRow(
      replica,
      'lead_notes',
      {
        id: args.id,
        user_id: identity.businessId,
        lead_id: args.leadId,
        member_id: identity.memberId,
        body: args.body,
        created_at: stored(args.at),
        updated_at: stored(args.at),
      },
      mode,
    );
  },

  'text.queue': (replica, identity, args, mode) => {
    const lead = requireLead(replica, args.leadId, mode);
    if (!lead) return;
    // Refused before anything is written. Only a new text: one already in the outbox is the
    // server's to decide (it refuses it with the reason on the text, and the opt-out may be lifted
    // by then).
    if (mode === 'new' && lead.sms_opted_out_at !== null) {
      throw new AppError('RECIPIENT_OPTED_OUT', optedOutMessage(lead, lead.sms_opted_out_at));
    }
    insertRow(
      replica,
      'sms_logs',
      {
        id: args.id,
        user_id: identity.businessId,
        lead_id: args.leadId,
        direction: 'outbound',
        from_phone: identity.businessPhone,
        to_phone: lead.customer_phone,
        message_text: args.body,
        status: 'queued',
        created_at: stored(args.at),
      },
      mode,
    );
  },
};
