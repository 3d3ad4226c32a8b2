import { sql } from 'drizzle-orm';
import { AppError } from '../../db/errors.ts';
import { normalizePhone } from '../../db/phone.ts';
import { queryRows } from '../../db/postgres/client.ts';
import { fromPgText } from '../../db/replica/codec.ts';
import {
  type LeadField,
  leadFieldColumns,
  type MutationArgs,
  type MutationName,
} from '../../db/mutations/catalogue.ts';
import { type LeadStatus, pipelineForbids, statusStamps } from '../../db/mutations/pipeline.ts';
import type { MutationContext } from './context.ts';
import {
  decideFieldEdits,
  type FieldClock,
  type FieldEdit,
  fieldClocksJson,
  parseFieldClocks,
  writeFieldEdits,
} from './field-clocks.ts';

/** What applying one mutation did, for the push's answer. */
export interface Applied {
  /** Field edits that lost to later ones, or replaced unseen values (recorded in field_conflicts). */
  conflicts: number;
}

type Applier<N extends MutationName> = (
  ctx: MutationContext,
  args: MutationArgs<N>,
) => Promise<Applied>;

/**
 * One function per mutation of the catalogue (db/mutations/catalogue.ts), applied inside the
 * push's transaction. A refusal is an AppError (NOT_FOUND, PIPELINE_FORBIDS, INVALID_PHONE,
 * UNIQUE_VIOLATION…) thrown before the mutation writes anything, so the push can record it as the
 * mutation's rejection in the same transaction without a savepoint. Inserts use ON CONFLICT DO
 * NOTHING for the same reason: a taken id is an answer, not an aborted transaction.
 */
export const appliers: { [N in MutationName]: Applier<N> } = {
  'lead.create': async (ctx, args) => {
    const [created] = await queryRows<{ id: string }>(
      ctx.tx,
      sql`INSERT INTO leads (id, user_id, customer_phone, customer_name, customer_email,
                             customer_address, service_type, urgency, description, source)
          VALUES (${args.id}, ${ctx.tenantId}, ${normalizePhone(args.customerPhone)},
                  ${args.customerName ?? null}, ${args.customerEmail?.toLowerCase() ?? null},
                  ${args.customerAddress ?? null}, ${args.serviceType ?? null},
                  ${args.urgency ?? null}, ${args.description ?? null}, ${args.source})
          ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    if (!created) throw taken('leads', args.id);
    return { conflicts: 0 };
  },

  'lead.update': async (ctx, args) => {
    const lead = await lockLead(ctx, args.id);
    const edits: FieldEdit[] = [];
    for (const [name, value] of Object.entries(args.set) as [LeadField, string | null][]) {
      const base = args.base?.[name];
      edits.push({
        field: leadFieldColumns[name],
        value: storedText(name, value),
        ...(base === undefined ? {} : { base: storedText(name, base) }),
      });
    }
    const { winners, conflicts } = decideFieldEdits(ctx, lead.row, lead.clocks, edits);
    await writeFieldEdits(ctx, 'leads', args.id, winners, conflicts);
    return { conflicts: conflicts.length };
  },

  'lead.move': async (ctx, args) => {
    const lead = await lockLead(ctx, args.id);
    const from = lead.row.status as LeadStatus;
    // The status is a field like the others: a move made before the status's last edit loses to it.
    const { winners, conflicts } = decideFieldEdits(ctx, lead.row, lead.clocks, [
      { field: 'status', value: args.to },
    ]);
    const set = new Map<string, string | null>();
    if (winners.has('status')) {
      const forbidden = pipelineForbids(from, args.to);
      if (forbidden) {
        throw new AppError('PIPELINE_FORBIDS', `Cannot move the lead to ${args.to}: ${forbidden}.`);
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
    await writeFieldEdits(ctx, 'leads', args.id, set, conflicts);
    return { conflicts: conflicts.length };
  },

  'call.logOutbound': async (ctx, args) => {
    const [created] = await queryRows<{ id: string }>(
      ctx.tx,
      sql`INSERT INTO call_logs (id, user_id, lead_id, caller_phone, called_phone, call_status,
                                 call_direction, call_duration, created_at)
          SELECT ${args.id}, u.id, l.id, u.primary_phone, ${normalizePhone(args.toPhone)},
                 ${args.status}, 'outbound', ${args.durationSeconds}, ${args.at}
            FROM users u LEFT JOIN leads l ON l.id = ${args.leadId ?? null} AND l.user_id = u.id
           WHERE u.id = ${ctx.tenantId} AND (${args.leadId ?? null}::uuid IS NULL OR l.id IS NOT NULL)
          ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    if (!created) throw await missingLeadOrTaken(ctx, 'call_logs', args.id, args.leadId);
    return { conflicts: 0 };
  },

  'lead.addNote': async (ctx, args) => {
    const [created] = await queryRows<{ id: string }>(
      ctx.tx,
      sql`INSERT INTO lead_notes (id, user_id, lead_id, member_id, body, created_at)
          SELECT ${args.id}, l.user_id, l.id, ${ctx.memberId}, ${args.body}, ${args.at}
            FROM leads l WHERE l.id = ${args.leadId} AND l.user_id = ${ctx.tenantId}
          ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    if (!created) throw await missingLeadOrTaken(ctx, 'lead_notes', args.id, args.leadId);
    return { conflicts: 0 };
  },

  'text.queue': async (ctx, args) => {
    const [created] = await queryRows<{ id: string }>(
      ctx.tx,
      sql`INSERT INTO sms_logs (id, user_id, lead_id, direction, from_phone, to_phone,
                                message_text, status, created_at)
          SELECT ${args.id}, u.id, l.id, 'outbound', u.primary_phone, l.customer_phone,
                 ${args.body}, 'queued', ${args.at}
            FROM users u JOIN leads l ON l.id = ${args.leadId} AND l.user_id = u.id
           WHERE u.id = ${ctx.tenantId}
          ON CONFLICT (id) DO NOTHING RETURNING id`,
    );
    if (!created) throw await missingLeadOrTaken(ctx, 'sms_logs', args.id, args.leadId);
    return { conflicts: 0 };
  },
};

/**
 * The lead as Postgres text and its field clocks, the row locked for the rest of the transaction:
 * edits of one lead are decided one at a time. Another business's lead is as absent as one that
 * never existed.
 */
async function lockLead(
  ctx: MutationContext,
  id: string,
): Promise<{ row: Record<string, unknown>; clocks: Map<string, FieldClock> }> {
  const [row] = await queryRows<Record<string, unknown>>(
    ctx.tx,
    sql`SELECT l.customer_name, l.customer_phone, l.customer_email, l.customer_address,
               l.service_type, l.urgency, l.description, l.quoted_amount::text,
               l.actual_amount::text, l.pipeline_stage, l.status, l.lost_reason,
               ${fieldClocksJson(ctx.tenantId, 'leads', sql`l.id`)} AS clocks
          FROM leads l WHERE l.id = ${id} AND l.user_id = ${ctx.tenantId} FOR UPDATE OF l`,
  );
  if (!row) throw noLead(id);
  return { row, clocks: parseFieldClocks(row.clocks) };
}

const noLead = (id: string): AppError => new AppError('NOT_FOUND', `There is no lead ${id}.`);
const taken = (table: string, id: string): AppError =>
  new AppError('UNIQUE_VIOLATION', `${table} already has a row with id ${id}.`);

/** Why an insert that names a lead inserted nothing: the lead is not this business's, or the id is taken. */
async function missingLeadOrTaken(
  ctx: MutationContext,
  table: string,
  id: string,
  leadId: string | undefined,
): Promise<AppError> {
  if (leadId === undefined) return taken(table, id);
  const [lead] = await queryRows<{ one: number }>(
    ctx.tx,
    sql`SELECT 1 AS one FROM leads WHERE id = ${leadId} AND user_id = ${ctx.tenantId}`,
  );
  return lead ? taken(table, id) : noLead(leadId);
}

/**
 * A field's value as Postgres prints it, so an edit compares equal to the stored value it repeats
 * ("450" is "450.00"; a phone typed "(512) 555-0101" is "+15125550101").
 */
function storedText(field: LeadField, value: string | null): string | null {
  if (value === null) return null;
  switch (field) {
    case 'customerPhone':
      return normalizePhone(value);
    case 'customerEmail':
      return value.toLowerCase();
    case 'quotedAmount':
    case 'actualAmount':
      return fromPgText('numeric', value) as string;
    case 'customerName':
    case 'customerAddress':
    case 'serviceType':
    case 'urgency':
    case 'description':
    case 'pipelineStage':
      return value;
  }
}
