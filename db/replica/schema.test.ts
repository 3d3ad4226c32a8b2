import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { e164Pattern } from '../enums.ts';
import { fromPgRow, fromPgText, type ReplicaValue, toPgText } from './codec.ts';
import { migrateReplica } from './migrate.ts';
import { type Database, openReplica } from './open.ts';
import { replicaColumnTypes, type ReplicaTableName } from './tables.ts';

let dir: string;
let sqlite: Database;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fl-replica-schema-'));
  sqlite = openReplica(join(dir, 'replica.sqlite'));
  migrateReplica(sqlite);
});
afterEach(() => {
  sqlite.close();
  rmSync(dir, { recursive: true, force: true });
});

const USER = '0b7f3f7e-1a2b-4c3d-8e9f-001122334455';
let counter = 0;
const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

function insert(table: ReplicaTableName, row: Record<string, ReplicaValue>): void {
  const columns = Object.keys(row);
  sqlite
    .prepare(
      `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(', ')}) ` +
        `VALUES (${columns.map((c) => `@${c}`).join(', ')})`,
    )
    .run(row);
}

/** The smallest valid row of each table; tests override one column at a time. */
type Row = Record<string, ReplicaValue> & { id: string };
const minimal: Record<ReplicaTableName, () => Row> = {
  leads: () => ({ id: newId(), user_id: USER, customer_phone: '+15125551234', source: 'website' }),
  call_logs: () => ({
    id: newId(),
    user_id: USER,
    caller_phone: '+15125551234',
    called_phone: '+15125550000',
    call_status: 'no_answer',
    call_direction: 'inbound',
  }),
  sms_logs: () => ({
    id: newId(),
    user_id: USER,
    direction: 'outbound',
    from_phone: '+15125550000',
    to_phone: '+15125551234',
    message_text: 'Sorry we missed your call!',
  }),
  campaigns: () => ({
    id: newId(),
    user_id: USER,
    campaign_id: '1234567890',
    campaign_name: 'Emergency plumbing',
    daily_budget: '50.00',
  }),
  keywords: () => ({
    id: newId(),
    user_id: USER,
    campaign_id: newId(),
    keyword_text: 'emergency plumber',
    match_type: 'phrase',
  }),
  financials: () => ({ id: newId(), user_id: USER, date: '2026-11-27' }),
  workflows: () => ({
    id: newId(),
    user_id: USER,
    workflow_name: 'Missed-call text back',
    workflow_type: 'missed_call',
    config: '{}',
  }),
  ai_agent_logs: () => ({
    id: newId(),
    user_id: USER,
    agent_name: 'monitor',
    action_type: 'detect_anomaly',
    action_data: '{}',
    result: 'success',
  }),
  lead_notes: () => ({ id: newId(), user_id: USER, lead_id: newId(), body: 'Gate code 4411' }),
  mutation_rejections: () => ({
    id: newId(),
    user_id: USER,
    client_id: 'laptop-1',
    mutation_id: 7,
    name: 'lead.move',
    args: '{}',
    code: 'PIPELINE_FORBIDS',
    reason: 'a completed job cannot move any more',
  }),
  field_conflicts: () => ({
    id: newId(),
    user_id: USER,
    table_name: 'leads',
    row_id: newId(),
    field: 'urgency',
    kept_hlc: '001764338400000-000000-laptop-2',
    superseded_hlc: '001764338300000-000000-laptop-1',
    outcome: 'overtaken',
  }),
};

const refusal = (table: ReplicaTableName, row: Record<string, ReplicaValue>): string => {
  try {
    insert(table, row);
  } catch (error) {
    return (error as Error).message;
  }
  return 'accepted';
};

describe('money columns', () => {
  it('round-trip exact decimal strings, never floats', () => {
    for (const text of ['99999999.99', '0.10', '450.00', '0.00', '0.01', '19.99']) {
      const row = { ...minimal.campaigns(), daily_budget: fromPgText('numeric', text) };
      insert('campaigns', row);
      const stored = sqlite
        .prepare<[unknown], { v: unknown; t: string }>(
          'SELECT daily_budget AS v, typeof(daily_budget) AS t FROM campaigns WHERE id = ?',
        )
        .get(row.id);
      expect(stored).toEqual({ v: text, t: 'text' });
      expect(toPgText('numeric', stored?.v as string)).toBe(text);
    }
  });

  it.each([
    450.5,
    0.1 + 0.2,
    12.345,
    100,
    'abc',
    '450',
    '450.5',
    '450.000',
    '1e3',
    ' 450.00',
    '$450.00',
    '0450.00',
    '-5.00',
    '123456789.00',
    '.50',
    Buffer.from('450.00'),
  ])('refuses %j where a non-negative numeric(10,2) belongs', (value) => {
    const message = refusal('campaigns', { ...minimal.campaigns(), daily_budget: value as never });
    expect(message).toMatch(/CHECK constraint failed: campaigns_daily_budget_check/);
  });

  it('stores a REAL that prints with two places as that exact text (SQLite TEXT affinity)', () => {
    // Affinity turns 450.25 into the text "450.25" before the CHECK runs: still exact, never REAL.
    const row = { ...minimal.campaigns(), daily_budget: 450.25 };
    insert('campaigns', row);
    expect(
      sqlite.prepare('SELECT daily_budget AS v, typeof(daily_budget) AS t FROM campaigns').get(),
    ).toEqual({ v: '450.25', t: 'text' });
  });

  it('allows negatives and wider precision only where Postgres does', () => {
    insert('financials', {
      ...minimal.financials(),
      cpl: '-1.50',
      roi: '-100.00',
      conversion_rate: '999999999999.99', // numeric(14,2)
    });
    expect(
      refusal('financials', { ...minimal.financials(), conversion_rate: '1000000000000.00' }),
    ).toMatch(/financials_conversion_rate_check/);
    expect(refusal('financials', { ...minimal.financials(), roi: '-0.00' })).toMatch(
      /financials_roi_check/,
    );
    expect(refusal('financials', { ...minimal.financials(), revenue: '-1.00' })).toMatch(
      /financials_revenue_check/,
    );
  });
});

describe('timestamp columns', () => {
  it('round-trip instant and microseconds across offsets, and sort by time', () => {
    const texts = [
      '2026-11-27 11:37:41.123456-06',
      '2026-11-27 23:07:41.123457+05:30',
      '2026-11-27 17:37:41.123455+00',
      '2026-11-27 17:37:41+00',
    ];
    for (const text of texts) {
      insert('call_logs', { ...minimal.call_logs(), created_at: fromPgText('timestamptz', text) });
    }
    const rows = sqlite
      .prepare<[], { created_at: string }>('SELECT created_at FROM call_logs ORDER BY created_at')
      .all()
      .map((row) => row.created_at);
    expect(rows).toEqual([
      '2026-11-27T17:37:41.000000Z',
      '2026-11-27T17:37:41.123455Z',
      '2026-11-27T17:37:41.123456Z',
      '2026-11-27T17:37:41.123457Z',
    ]);
    expect(rows.map((value) => toPgText('timestamptz', value))).toEqual([
      '2026-11-27 17:37:41+00',
      '2026-11-27 17:37:41.123455+00',
      '2026-11-27 17:37:41.123456+00',
      '2026-11-27 17:37:41.123457+00',
    ]);
  });

  it('defaults created_at and updated_at to now, in the stored form', () => {
    const before = new Date().toISOString();
    const row = minimal.leads();
    insert('leads', row);
    const stored = sqlite
      .prepare<[unknown], { created_at: string; updated_at: string }>(
        'SELECT created_at, updated_at FROM leads WHERE id = ?',
      )
      .get(row.id);
    expect(stored?.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}000Z$/);
    expect(stored?.updated_at).toMatch(/Z$/);
    expect((stored?.created_at ?? '').slice(0, 23) >= before.slice(0, 23)).toBe(true);
  });

  it.each([
    '2026-11-27 11:37:41.123456-06',
    '2026-11-27T17:37:41.123Z',
    '2026-11-27T17:37:41Z',
    '2026-02-30T17:37:41.123456Z',
    '2026-11-27T25:37:41.123456Z',
    1_795_801_989,
  ])('refuses %j, naming the column', (value) => {
    expect(refusal('call_logs', { ...minimal.call_logs(), ended_at: value })).toMatch(
      /CHECK constraint failed: call_logs_ended_at_check/,
    );
  });
});

describe('other columns', () => {
  it('refuses a bad status with an error naming the column', () => {
    expect(refusal('leads', { ...minimal.leads(), status: 'archived' })).toMatch(
      /CHECK constraint failed: leads_status_check/,
    );
    expect(refusal('sms_logs', { ...minimal.sms_logs(), status: 'bogus' })).toMatch(
      /sms_logs_status_check/,
    );
    expect(refusal('workflows', { ...minimal.workflows(), workflow_type: 'spam' })).toMatch(
      /workflows_workflow_type_check/,
    );
    expect(refusal('leads', { ...minimal.leads(), urgency: 'whenever' })).toMatch(
      /leads_urgency_check/,
    );
    expect(refusal('leads', { ...minimal.leads(), urgency: null })).toBe('accepted');
  });

  it('checks phones for E.164 exactly as the Postgres regex does', () => {
    const regex = new RegExp(e164Pattern);
    const samples = [
      '+15125551234',
      '+442071838750',
      '+1234567',
      '+123456',
      '+123456789012345',
      '+1234567890123456',
      '+05125551234',
      '15125551234',
      '+1 512 555 1234',
      '+1512555123a',
      '+',
      '',
    ];
    for (const phone of samples) {
      const accepted =
        refusal('leads', { ...minimal.leads(), customer_phone: phone }) === 'accepted';
      expect({ phone, accepted }).toEqual({ phone, accepted: regex.test(phone) });
    }
  });

  it('round-trips JSON text and refuses what is not a JSON object', () => {
    const text = '{"anomaly": "cpl_spike", "cpl": [41.5, 96.25], "note": "caf\\u00e9"}';
    const row = { ...minimal.ai_agent_logs(), action_data: text, estimated_impact: null };
    insert('ai_agent_logs', row);
    expect(
      sqlite.prepare('SELECT action_data FROM ai_agent_logs WHERE id = ?').get(row.id),
    ).toEqual({ action_data: text });
    for (const bad of ['{bad', '[1, 2]', '"text"', '']) {
      expect(refusal('ai_agent_logs', { ...minimal.ai_agent_logs(), action_data: bad })).toMatch(
        /ai_agent_logs_action_data_check/,
      );
    }
    expect(refusal('workflows', { ...minimal.workflows(), config: '{"delay_seconds": 5' })).toMatch(
      /workflows_config_check/,
    );
  });

  it('refuses ids that are not uuids, integers that are not integers, days that do not exist', () => {
    expect(refusal('leads', { ...minimal.leads(), id: 'lead-1' })).toMatch(/leads_id_check/);
    expect(
      refusal('leads', { ...minimal.leads(), id: '6F1C2A1E-8D0B-4C4A-9A57-2B1E3C4D5E6F' }),
    ).toMatch(/leads_id_check/);
    expect(refusal('call_logs', { ...minimal.call_logs(), call_duration: 1.5 })).toMatch(
      /call_logs_call_duration_check/,
    );
    expect(refusal('call_logs', { ...minimal.call_logs(), call_duration: -1 })).toMatch(
      /call_logs_call_duration_check/,
    );
    expect(refusal('keywords', { ...minimal.keywords(), quality_score: 11 })).toMatch(
      /keywords_quality_score_check/,
    );
    expect(refusal('financials', { ...minimal.financials(), date: '2026-02-30' })).toMatch(
      /financials_date_check/,
    );
    expect(refusal('leads', { ...minimal.leads(), customer_name: 'x'.repeat(256) })).toMatch(
      /leads_customer_name_check/,
    );
  });

  it('keeps one financials row per business per day', () => {
    insert('financials', minimal.financials());
    expect(refusal('financials', minimal.financials())).toMatch(/UNIQUE constraint failed/);
  });

  it('accepts a call before its lead: no foreign keys between replica tables', () => {
    expect(refusal('call_logs', { ...minimal.call_logs(), lead_id: newId() })).toBe('accepted');
  });
});

/** Rows as the shape protocol delivers them: every column, every value Postgres text. */
const fullRows: Record<ReplicaTableName, Record<string, string | null>> = {
  leads: {
    id: 'a0000000-0000-4000-8000-000000000001',
    user_id: USER,
    customer_phone: '+15125551234',
    customer_name: 'María "Mari" O\'Neil',
    customer_email: 'maria@example.com',
    customer_address: '12 Elm St, Austin, TX',
    source: 'google_ads',
    service_type: 'Emergency Plumbing',
    urgency: 'high',
    description: 'Burst pipe,\nwater everywhere',
    status: 'booked',
    pipeline_stage: 'proposal',
    quoted_amount: '450.00',
    actual_amount: '99999999.99',
    ghl_contact_id: 'c_123',
    ghl_opportunity_id: null,
    created_at: '2026-11-27 11:37:41.123456-06',
    updated_at: '2026-11-27 23:07:41.5+05:30',
    contacted_at: '2026-11-27 17:38:00+00',
    quoted_at: null,
    booked_at: '2026-11-28 09:00:00.000001-06',
    completed_at: null,
    lost_at: null,
    lost_reason: null,
    sms_opted_out_at: '2026-11-28 08:15:00.25-06',
  },
  call_logs: {
    id: 'a0000000-0000-4000-8000-000000000002',
    user_id: USER,
    lead_id: 'a0000000-0000-4000-8000-000000000001',
    caller_phone: '+15125551234',
    called_phone: '+15125550000',
    call_status: 'voicemail',
    call_direction: 'inbound',
    call_duration: '37',
    recording_url: 'https://api.twilio.com/recordings/RE123',
    recording_duration: '30',
    ghl_call_id: null,
    created_at: '2026-11-27 11:37:41.123456-06',
    ended_at: '2026-11-27 11:38:18-06',
  },
  sms_logs: {
    id: 'a0000000-0000-4000-8000-000000000003',
    user_id: USER,
    lead_id: null,
    direction: 'outbound',
    from_phone: '+15125550000',
    to_phone: '+15125551234',
    message_text: 'Sorry we missed you — reply here 😊',
    status: 'delivered',
    error_message: null,
    reply_to_sms_id: null,
    provider: 'twilio',
    provider_message_id: 'SM123',
    created_at: '2026-11-27 11:37:45.5-06',
    delivered_at: '2026-11-27 11:37:47.25-06',
    replied_at: null,
  },
  campaigns: {
    id: 'a0000000-0000-4000-8000-000000000004',
    user_id: USER,
    campaign_id: '1234567890',
    campaign_name: 'Emergency plumbing — Austin',
    campaign_type: 'search',
    daily_budget: '50.00',
    monthly_budget: '1500.00',
    status: 'paused',
    total_spend: '1234.56',
    total_clicks: '812',
    total_impressions: '20417',
    total_conversions: '41',
    created_at: '2026-01-02 03:04:05.06+00',
    updated_at: '2026-11-27 11:37:41-06',
    last_synced_at: null,
  },
  keywords: {
    id: 'a0000000-0000-4000-8000-000000000005',
    user_id: USER,
    campaign_id: 'a0000000-0000-4000-8000-000000000004',
    keyword_text: 'plumber near me',
    match_type: 'broad',
    max_cpc: '12.10',
    quality_score: '7',
    status: 'active',
    total_spend: '0.00',
    total_clicks: '0',
    total_impressions: '0',
    total_conversions: '0',
    created_at: '2026-01-02 03:04:05+00',
    updated_at: '2026-01-02 03:04:05+00',
    last_synced_at: '2026-11-27 06:00:00+00',
  },
  financials: {
    id: 'a0000000-0000-4000-8000-000000000006',
    user_id: USER,
    date: '2026-11-27',
    ad_spend: '210.40',
    platform_fee: '16.43',
    other_costs: '0.00',
    leads_generated: '7',
    leads_contacted: '7',
    leads_quoted: '4',
    leads_booked: '3',
    leads_completed: '1',
    leads_lost: '1',
    revenue: '1840.00',
    cpl: '30.06',
    conversion_rate: '42.86',
    roi: '774.52',
    created_at: '2026-11-28 00:05:00+00',
    updated_at: '2026-11-28 00:05:00+00',
  },
  workflows: {
    id: 'a0000000-0000-4000-8000-000000000007',
    user_id: USER,
    workflow_name: 'Missed-call text back',
    workflow_type: 'missed_call',
    ghl_workflow_id: null,
    config: '{"delay_seconds": 5, "template": "Sorry we missed you, {{name}}"}',
    status: 'active',
    total_triggered: '120',
    total_completed: '118',
    created_at: '2026-01-02 03:04:05+00',
    updated_at: '2026-11-27 11:37:41-06',
  },
  ai_agent_logs: {
    id: 'a0000000-0000-4000-8000-000000000008',
    user_id: USER,
    agent_name: 'optimizing',
    action_type: 'optimize_bid',
    action_data: '{"keyword_id": "a0000000-0000-4000-8000-000000000005", "from": 12.1, "to": 10.5}',
    result: 'pending',
    result_message: null,
    estimated_impact: '{"cpl_change": -5, "conversion_change": 2}',
    created_at: '2026-11-27 11:37:41.123456-06',
    completed_at: null,
  },
  lead_notes: {
    id: 'a0000000-0000-4000-8000-000000000009',
    user_id: USER,
    lead_id: 'a0000000-0000-4000-8000-000000000001',
    member_id: 'a0000000-0000-4000-8000-000000000010',
    body: 'Dog in the yard — call before entering.\nGate code 4411',
    created_at: '2026-11-27 11:37:41.123456-06',
    updated_at: '2026-11-27 11:40:00+00',
  },
  mutation_rejections: {
    id: 'a0000000-0000-4000-8000-000000000011',
    user_id: USER,
    client_id: 'f3b0c442-98fc-4c1e-9d4b-laptop',
    mutation_id: '42',
    member_id: null,
    name: 'lead.move',
    args: '{"id": "a0000000-0000-4000-8000-000000000001", "to": "new"}',
    code: 'PIPELINE_FORBIDS',
    reason: 'Cannot move the lead to new: a lead moves forward through the pipeline.',
    created_at: '2026-11-27 11:37:41.123456-06',
  },
  field_conflicts: {
    id: 'a0000000-0000-4000-8000-000000000012',
    user_id: USER,
    table_name: 'leads',
    row_id: 'a0000000-0000-4000-8000-000000000001',
    field: 'quoted_amount',
    kept_value: '475.00',
    superseded_value: null,
    kept_hlc: '001764338400000-000003-office-desktop',
    superseded_hlc: '001764338300000-000000-laptop-1',
    kept_by: 'Dana Ortiz (dispatcher)',
    superseded_by: 'Sam Reyes (technician)',
    superseded_client_id: 'laptop-1',
    superseded_mutation_id: '12',
    outcome: 'overtaken',
    created_at: '2026-11-27 11:37:41.123456-06',
  },
};

describe.each(Object.keys(fullRows) as ReplicaTableName[])('a full %s row', (table) => {
  it('decodes, passes every CHECK, and encodes back to the same Postgres values', () => {
    const delivered = fullRows[table];
    expect(Object.keys(delivered)).toEqual(Object.keys(replicaColumnTypes[table]));
    insert(table, fromPgRow(table, delivered));
    const stored = sqlite.prepare(`SELECT * FROM ${table}`).get() as Record<string, ReplicaValue>;
    for (const [column, text] of Object.entries(delivered)) {
      const type = replicaColumnTypes[table][column] ?? 'text';
      const back = toPgText(type, stored[column] ?? null);
      // Same value: identical text, or (timestamps) the same instant re-printed in UTC.
      expect({ column, value: fromPgText(type, back) }).toEqual({
        column,
        value: fromPgText(type, text),
      });
      if (type !== 'timestamptz') expect({ column, back }).toEqual({ column, back: text });
    }
  });
});
