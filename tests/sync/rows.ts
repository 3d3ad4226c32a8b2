/** Valid rows of every synced table, written with plain SQL (cf. tests/schema/fixtures.ts). */
import type { SyncedTable } from '../../db/enums.ts';
import type { PgSession } from './harness.ts';

type Query = PgSession['query'];

export interface Parents {
  tenantId: string;
  /** keywords belong to a campaign (their user_id is copied from it by a trigger). */
  campaignId: string;
}

let serial = 0;
const next = () => (serial += 1);

/** Column → SQL value for a valid row; `$1` is the business id, `$2` the campaign id. */
const validRows: Record<SyncedTable, () => Record<string, string>> = {
  leads: () => ({
    user_id: '$1',
    customer_phone: `'+1512555${1000 + next()}'`,
    source: `'missed_call'`,
  }),
  call_logs: () => ({
    user_id: '$1',
    caller_phone: `'+15125550101'`,
    called_phone: `'+15125551234'`,
    call_status: `'no_answer'`,
    call_direction: `'inbound'`,
  }),
  sms_logs: () => ({
    user_id: '$1',
    direction: `'outbound'`,
    from_phone: `'+15125551234'`,
    to_phone: `'+15125550101'`,
    message_text: `'Sorry we missed your call, how can we help?'`,
  }),
  financials: () => ({ user_id: '$1', date: `DATE '2025-01-01' + ${next()}` }),
  campaigns: () => ({
    user_id: '$1',
    campaign_id: `'ads-${next()}'`,
    campaign_name: `'Emergency plumbing'`,
    daily_budget: '50',
  }),
  keywords: () => ({
    campaign_id: '$2',
    keyword_text: `'emergency plumber'`,
    match_type: `'phrase'`,
  }),
  workflows: () => ({
    user_id: '$1',
    workflow_name: `'Missed call text-back'`,
    workflow_type: `'missed_call'`,
    config: `'{"delaySeconds": 30}'`,
  }),
  ai_agent_logs: () => ({
    user_id: '$1',
    agent_name: `'monitor'`,
    action_type: `'detect_anomaly'`,
    action_data: `'{"metric": "cpl"}'`,
    result: `'pending'`,
  }),
  // A note needs a lead of the business: the latest one (syncedTables lists leads first).
  lead_notes: () => ({
    user_id: '$1',
    lead_id: `(SELECT id FROM leads WHERE user_id = $1 ORDER BY created_at DESC, id LIMIT 1)`,
    body: `'Gate code 4411'`,
  }),
  mutation_rejections: () => ({
    user_id: '$1',
    client_id: `'laptop-1'`,
    mutation_id: String(next()),
    name: `'lead.move'`,
    args: `'{}'`,
    code: `'PIPELINE_FORBIDS'`,
    reason: `'a completed job cannot move any more'`,
  }),
  field_conflicts: () => ({
    user_id: '$1',
    table_name: `'leads'`,
    row_id: 'uuid_generate_v4()',
    field: `'urgency'`,
    kept_hlc: `'001764338400000-000000-office'`,
    superseded_hlc: `'001764338300000-000000-laptop-1'`,
    outcome: `'overtaken'`,
  }),
};

/** Inserts a valid row of `table` (columns overridden by SQL expressions); returns its id. */
export async function insertRow(
  query: Query,
  table: SyncedTable,
  parents: Parents,
  overrides: Record<string, string> = {},
): Promise<string> {
  const row = { ...validRows[table](), ...overrides };
  const columns = Object.keys(row);
  const uses = (n: number) => columns.some((c) => row[c]?.includes(`$${n}`));
  const params = uses(2) ? [parents.tenantId, parents.campaignId] : [parents.tenantId];
  // $1 must appear for pg to type it; keywords take their business from the campaign.
  const where = uses(1) ? '' : ' WHERE $1::uuid IS NOT NULL';
  const [inserted] = await query<{ id: string }>(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
     SELECT ${columns.map((c) => row[c]).join(', ')}${where} RETURNING id`,
    params,
  );
  if (!inserted) throw new Error(`no ${table} row inserted`);
  return inserted.id;
}

/** One update per table and the value the replica must then hold. */
export const updates: Record<
  SyncedTable,
  { set: string; column: string; stored: string | number }
> = {
  leads: { set: `status = 'contacted'`, column: 'status', stored: 'contacted' },
  call_logs: { set: 'call_duration = 42', column: 'call_duration', stored: 42 },
  sms_logs: { set: `status = 'delivered'`, column: 'status', stored: 'delivered' },
  financials: { set: 'revenue = 450', column: 'revenue', stored: '450.00' },
  campaigns: { set: `campaign_name = 'Drains'`, column: 'campaign_name', stored: 'Drains' },
  keywords: { set: 'quality_score = 7', column: 'quality_score', stored: 7 },
  workflows: { set: `status = 'paused'`, column: 'status', stored: 'paused' },
  ai_agent_logs: { set: `result = 'success'`, column: 'result', stored: 'success' },
  lead_notes: { set: `body = 'Gate code 5522'`, column: 'body', stored: 'Gate code 5522' },
  mutation_rejections: { set: `reason = 'moved on'`, column: 'reason', stored: 'moved on' },
  field_conflicts: { set: `kept_by = 'Dana'`, column: 'kept_by', stored: 'Dana' },
};

/** A business's campaign plus one row of every other table; the ids by table. */
export async function seedEveryTable(
  session: PgSession,
  tenantId: string,
): Promise<{ parents: Parents; ids: Record<SyncedTable, string> }> {
  return session.asBusiness(tenantId, async (query) => {
    const campaignId = await insertRow(query, 'campaigns', { tenantId, campaignId: '' });
    const parents = { tenantId, campaignId };
    const ids = { campaigns: campaignId } as Record<SyncedTable, string>;
    for (const table of Object.keys(validRows) as SyncedTable[]) {
      if (table !== 'campaigns') ids[table] = await insertRow(query, table, parents);
    }
    return { parents, ids };
  });
}
