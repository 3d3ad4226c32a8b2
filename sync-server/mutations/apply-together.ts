import { type SQL, sql } from 'drizzle-orm';
import { AppError } from '../../db/errors.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import {
  type InsertTable,
  type LeadEdit,
  leadEditColumns,
  type LockedLead,
  type Outcome,
  type PreparedMutation,
  type RowInsert,
} from './appliers.ts';
import {
  type EditedTable,
  type FieldClock,
  readFieldClocks,
  type RowEdits,
  uuidArray,
  writeFieldEdits,
} from './field-clocks.ts';
import { queryNamed } from './prepared.ts';

/**
 * The leads a transaction has locked, by lower-case id, as the edits' decisions read them. Kept up
 * to date with the transaction's own edits, so a lead is read once per transaction however many
 * mutations edit it: until commit no one else can change a lead locked FOR UPDATE, nor its clocks
 * (they are written only with the lead's row). Leads not found are not kept: a later create may
 * bring them.
 */
export type LockedLeads = Map<string, LockedLead>;

/**
 * Applies mutations that touch pairwise-distinct rows (one wave, waves.ts) as sets: one INSERT per
 * table, one write for all lead edits (and one read of the leads not locked yet), whatever their
 * number. Their order does not matter, since none sees another's rows. Outcomes in their order.
 */
export async function applyTogether(
  tx: AppDatabase,
  tenantId: string,
  mutations: readonly PreparedMutation[],
  locked: LockedLeads,
): Promise<Outcome[]> {
  const outcomes = new Map<PreparedMutation, Outcome>();
  const inserts = new Map<InsertTable, Pending<RowInsert>[]>();
  const edits: Pending<LeadEdit>[] = [];
  for (const mutation of mutations) {
    const { prepared } = mutation;
    if (prepared.kind === 'edit') {
      edits.push({ mutation, step: prepared });
    } else {
      const rows = inserts.get(prepared.table) ?? [];
      rows.push({ mutation, step: prepared });
      inserts.set(prepared.table, rows);
    }
  }
  for (const [table, rows] of inserts) {
    const done = await insertRows(tx, tenantId, table, rows);
    rows.forEach((row, i) => outcomes.set(row.mutation, done[i]!));
  }
  if (edits.length > 0) {
    const done = await editLeads(tx, tenantId, edits, locked);
    edits.forEach((edit, i) => outcomes.set(edit.mutation, done[i]!));
  }
  return mutations.map((mutation) => {
    const outcome = outcomes.get(mutation);
    if (!outcome) throw new AppError('INTERNAL', 'applyTogether: a mutation was left out.');
    return outcome;
  });
}

interface Pending<S> {
  mutation: PreparedMutation;
  step: S;
}

/**
 * One INSERT … ON CONFLICT (id) DO NOTHING for all the rows, each with its lead checked to be the
 * business's (a join: no lead, no row). A row that did not come back is explained afterwards.
 */
async function insertRows(
  tx: AppDatabase,
  tenantId: string,
  table: InsertTable,
  rows: readonly Pending<RowInsert>[],
): Promise<Outcome[]> {
  const values = JSON.stringify(rows.map((row) => row.step.values));
  const inserted = await queryNamed<{ id: string }>(
    tx,
    `mutations.insert_${table}`,
    insertStatements[table](tenantId, values),
  );
  const ids = new Set(inserted.map((row) => row.id.toLowerCase()));
  const outcomes: Outcome[] = [];
  for (const { step } of rows) {
    outcomes.push(
      ids.has(step.id.toLowerCase())
        ? { conflicts: 0 }
        : await missingLeadOrTaken(tx, tenantId, table, step.id, step.leadId),
    );
  }
  return outcomes;
}

/** Each table's INSERT of many rows given as a JSON array of column → value. */
const insertStatements: Record<InsertTable, (tenantId: string, rowsJson: string) => SQL> = {
  leads: (tenantId, rowsJson) =>
    sql`INSERT INTO leads (id, user_id, customer_phone, customer_name, customer_email,
                           customer_address, service_type, urgency, description, source)
        SELECT r.id, ${tenantId}, r.customer_phone, r.customer_name, r.customer_email,
               r.customer_address, r.service_type, r.urgency, r.description, r.source
          FROM jsonb_populate_recordset(NULL::leads, ${rowsJson}::jsonb) AS r
        ON CONFLICT (id) DO NOTHING RETURNING id`,

  lead_notes: (tenantId, rowsJson) =>
    sql`INSERT INTO lead_notes (id, user_id, lead_id, member_id, body, created_at)
        SELECT r.id, l.user_id, l.id, r.member_id, r.body, r.created_at
          FROM jsonb_populate_recordset(NULL::lead_notes, ${rowsJson}::jsonb) AS r
          JOIN leads l ON l.id = r.lead_id AND l.user_id = ${tenantId}
        ON CONFLICT (id) DO NOTHING RETURNING id`,

  call_logs: (tenantId, rowsJson) =>
    sql`INSERT INTO call_logs (id, user_id, lead_id, caller_phone, called_phone, call_status,
                               call_direction, call_duration, created_at)
        SELECT r.id, u.id, l.id, u.primary_phone, r.called_phone, r.call_status, 'outbound',
               r.call_duration, r.created_at
          FROM jsonb_populate_recordset(NULL::call_logs, ${rowsJson}::jsonb) AS r
          JOIN users u ON u.id = ${tenantId}
          LEFT JOIN leads l ON l.id = r.lead_id AND l.user_id = u.id
         WHERE r.lead_id IS NULL OR l.id IS NOT NULL
        ON CONFLICT (id) DO NOTHING RETURNING id`,

  sms_logs: (tenantId, rowsJson) =>
    sql`INSERT INTO sms_logs (id, user_id, lead_id, direction, from_phone, to_phone,
                              message_text, status, created_at)
        SELECT r.id, u.id, l.id, 'outbound', u.primary_phone, l.customer_phone,
               r.message_text, 'queued', r.created_at
          FROM jsonb_populate_recordset(NULL::sms_logs, ${rowsJson}::jsonb) AS r
          JOIN users u ON u.id = ${tenantId}
          JOIN leads l ON l.id = r.lead_id AND l.user_id = u.id
        ON CONFLICT (id) DO NOTHING RETURNING id`,
};

/** Leads as the edits' decisions read them: their fields as Postgres text. */
const editedLeads: EditedTable = {
  name: 'leads',
  columns: leadEditColumns,
  readBack: sql`t.id, t.customer_name, t.customer_phone, t.customer_email, t.customer_address,
                t.service_type, t.urgency, t.description, t.quoted_amount::text AS quoted_amount,
                t.actual_amount::text AS actual_amount, t.pipeline_stage, t.status, t.lost_reason`,
};

/**
 * Lead edits (of distinct leads): the leads not locked yet locked and read in one go, each edit
 * decided on its lead, and all that was decided written in one statement. Edits of one lead are in
 * different waves, so each is decided on the lead as the one before left it.
 */
async function editLeads(
  tx: AppDatabase,
  tenantId: string,
  edits: readonly Pending<LeadEdit>[],
  locked: LockedLeads,
): Promise<Outcome[]> {
  const unlocked = edits
    .map(({ step }) => step.leadId.toLowerCase())
    .filter((id) => !locked.has(id));
  if (unlocked.length > 0) {
    for (const [id, lead] of await lockLeads(tx, tenantId, unlocked)) locked.set(id, lead);
  }
  const outcomes: Outcome[] = [];
  const decided: RowEdits[] = [];
  for (const { mutation, step } of edits) {
    const lead = locked.get(step.leadId.toLowerCase());
    if (!lead) {
      outcomes.push(noLead(step.leadId));
      continue;
    }
    try {
      const edit = step.decide(lead);
      decided.push({ ctx: mutation.ctx, rowId: step.leadId, ...edit });
      outcomes.push({ conflicts: edit.conflicts.length });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      outcomes.push(error);
    }
  }
  const written = await writeFieldEdits(tx, tenantId, editedLeads, decided);
  for (const { ctx, rowId, set } of decided) {
    const id = rowId.toLowerCase();
    const row = written.get(id);
    const before = locked.get(id);
    if (!row || !before) continue;
    // What writeFieldEdits stamped: each field set gets this edit's clock and author.
    const clocks = new Map(before.clocks);
    const stamp = { hlc: ctx.hlc, editedBy: ctx.author, clientId: ctx.clientId };
    for (const field of set.keys()) clocks.set(field, { ...stamp, mutationId: ctx.mutationId });
    locked.set(id, { row, clocks });
  }
  return outcomes;
}

/**
 * The leads as Postgres text and their field clocks, by lower-case id, the rows locked for the rest
 * of the transaction (in id order, as every push locks them). Another business's lead is as absent
 * as one that never existed.
 */
async function lockLeads(
  tx: AppDatabase,
  tenantId: string,
  ids: readonly string[],
): Promise<LockedLeads> {
  const rows = await queryNamed<Record<string, unknown> & { id: string }>(
    tx,
    'mutations.lock_leads',
    sql`SELECT ${editedLeads.readBack}
          FROM leads t
         WHERE t.id = ANY(${uuidArray(ids)}::uuid[]) AND t.user_id = ${tenantId}
         ORDER BY t.id
           FOR UPDATE OF t`,
  );
  const clocks = await readFieldClocks(
    tx,
    tenantId,
    'leads',
    rows.map((row) => row.id),
  );
  return new Map(
    rows.map((row) => {
      const id = row.id.toLowerCase();
      return [id, { row, clocks: clocks.get(id) ?? new Map<string, FieldClock>() }];
    }),
  );
}

const noLead = (id: string): AppError => new AppError('NOT_FOUND', `There is no lead ${id}.`);
const taken = (table: string, id: string): AppError =>
  new AppError('UNIQUE_VIOLATION', `${table} already has a row with id ${id}.`);

/** Why an insert that names a lead inserted nothing: the lead is not this business's, or the id is taken. */
async function missingLeadOrTaken(
  tx: AppDatabase,
  tenantId: string,
  table: string,
  id: string,
  leadId: string | undefined,
): Promise<AppError> {
  if (leadId === undefined) return taken(table, id);
  const [lead] = await queryNamed<{ one: number }>(
    tx,
    'mutations.lead_of_business',
    sql`SELECT 1 AS one FROM leads WHERE id = ${leadId} AND user_id = ${tenantId}`,
  );
  return lead ? taken(table, id) : noLead(leadId);
}
