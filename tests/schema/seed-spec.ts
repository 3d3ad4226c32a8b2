/**
 * The data design of /work/shared/seed/DATABASE_SCHEMA.md, TRANSCRIBED BY HAND from the seed's SQL
 * (not generated from db/postgres/schema), followed by `applyDeliberateDeviations`, the one place
 * that says where our schema departs from the seed and why. tests/schema/conformance.test.ts
 * compares the migrated database against `expectedSchema`; checks.test.ts reads its CHECK rules.
 */

export type OnDelete = 'CASCADE' | 'SET NULL' | 'NO ACTION';

export interface SpecColumn {
  name: string;
  /** The SQL type as the seed spells it: 'UUID', 'VARCHAR(255)', 'DECIMAL(10,2)', 'TEXT[]' … */
  type: string;
  primaryKey?: boolean;
  notNull?: boolean;
  unique?: boolean;
  /** The DEFAULT expression as the seed writes it: `'US'`, `FALSE`, `NOW()`, `0` … */
  default?: string;
  /** `REFERENCES table(column) [ON DELETE rule]`; no rule written means NO ACTION. */
  references?: { table: string; column: string; onDelete?: OnDelete };
  /** `GENERATED ALWAYS AS (expression) STORED`, the expression as the seed writes it. */
  generated?: string;
  /** The values the seed's trailing comment lists for an enumerated column. */
  values?: readonly string[];
}

export interface SpecTable {
  name: string;
  columns: SpecColumn[];
  /** Table-level `UNIQUE(a, b)` constraints. */
  unique?: string[][];
}

export interface SpecIndex {
  name: string;
  table: string;
  /** Each key as written: 'created_at DESC'. */
  columns: string[];
  using?: 'GIN';
}

export interface SpecTrigger {
  name: string;
  table: string;
  timing: 'BEFORE' | 'AFTER';
  events: ('INSERT' | 'UPDATE' | 'DELETE')[];
  /** What information_schema.triggers.action_statement says. */
  statement: string;
}

export interface SpecView {
  name: string;
  columns: string[];
}

/** A CHECK constraint our schema adds; it is named `<table>_<column>_check`. */
export type CheckRule =
  | { kind: 'one of'; values: readonly string[] }
  | { kind: 'E.164 phone' }
  | { kind: 'lowercase email' }
  | { kind: 'argon2id hash' }
  | { kind: 'sealed token' }
  | { kind: 'minimum'; min: number }
  | { kind: 'between'; low: number; high: number }
  | { kind: 'IANA time zone' }
  | { kind: 'JSON object' }
  | { kind: 'other'; what: string };

export interface SpecCheck {
  table: string;
  column: string;
  rule: CheckRule;
}

export interface SchemaSpec {
  extensions: string[];
  tables: SpecTable[];
  indexes: SpecIndex[];
  triggers: SpecTrigger[];
  views: SpecView[];
  checks: SpecCheck[];
}

// ---------------------------------------------------------------------------------------------
// Transcription helpers: one call per line of the seed's CREATE TABLE.
// ---------------------------------------------------------------------------------------------

const column = (name: string, type: string, rest: Omit<SpecColumn, 'name' | 'type'> = {}) => ({
  name,
  type,
  ...rest,
});
/** `id UUID PRIMARY KEY DEFAULT uuid_generate_v4()` (every table) */
const idColumn = () => column('id', 'UUID', { primaryKey: true, default: 'uuid_generate_v4()' });
/** `user_id UUID REFERENCES users(id) ON DELETE CASCADE` (every table but users) */
const userIdColumn = () =>
  column('user_id', 'UUID', { references: { table: 'users', column: 'id', onDelete: 'CASCADE' } });
/** `<name> TIMESTAMP DEFAULT NOW()` */
const stampedNow = (name: string) => column(name, 'TIMESTAMP', { default: 'NOW()' });
const index = (name: string, table: string, columns: string[], using?: 'GIN'): SpecIndex =>
  using === undefined ? { name, table, columns } : { name, table, columns, using };
const updatedAtTrigger = (table: string): SpecTrigger => ({
  name: `update_${table}_updated_at`,
  table,
  timing: 'BEFORE',
  events: ['UPDATE'],
  statement: 'EXECUTE FUNCTION update_updated_at_column()',
});

export const seedSchema: SchemaSpec = {
  // CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
  extensions: ['uuid-ossp'],

  tables: [
    {
      name: 'users',
      columns: [
        idColumn(),
        column('email', 'VARCHAR(255)', { unique: true, notNull: true }),
        column('password_hash', 'VARCHAR(255)', { notNull: true }),
        column('business_name', 'VARCHAR(255)', { notNull: true }),
        column('owner_name', 'VARCHAR(255)', { notNull: true }),
        column('primary_phone', 'VARCHAR(20)', { notNull: true }),
        column('business_address', 'TEXT'),
        column('city', 'VARCHAR(100)'),
        column('state', 'VARCHAR(50)'),
        column('zip_code', 'VARCHAR(10)'),
        column('country', 'VARCHAR(2)', { default: "'US'" }),
        column('timezone', 'VARCHAR(50)', { default: "'America/Chicago'" }),
        column('service_types', 'TEXT[]', { notNull: true }), // ['plumbing', 'hvac', 'electrical'] (examples)
        column('service_area', 'VARCHAR(255)'),
        column('years_in_business', 'INTEGER'),
        column('license_number', 'VARCHAR(100)'),
        column('ghl_location_id', 'VARCHAR(255)'),
        column('ghl_access_token', 'TEXT'),
        column('ghl_refresh_token', 'TEXT'),
        column('ghl_token_expires_at', 'TIMESTAMP'),
        column('google_ads_customer_id', 'VARCHAR(255)'),
        column('google_ads_refresh_token', 'TEXT'),
        column('stripe_customer_id', 'VARCHAR(255)'),
        column('status', 'VARCHAR(50)', {
          default: "'active'",
          values: ['active', 'suspended', 'cancelled'],
        }),
        column('onboarding_completed', 'BOOLEAN', { default: 'FALSE' }),
        column('onboarding_step', 'INTEGER', { default: '1' }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
        column('last_login_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'leads',
      columns: [
        idColumn(),
        userIdColumn(),
        column('customer_phone', 'VARCHAR(20)', { notNull: true }),
        column('customer_name', 'VARCHAR(255)'),
        column('customer_email', 'VARCHAR(255)'),
        column('customer_address', 'TEXT'),
        column('source', 'VARCHAR(50)', {
          notNull: true,
          values: ['missed_call', 'google_ads', 'referral', 'website'],
        }),
        column('service_type', 'VARCHAR(100)'), // 'Emergency Plumbing', 'HVAC Repair' (examples)
        column('urgency', 'VARCHAR(20)', { values: ['high', 'medium', 'low'] }),
        column('description', 'TEXT'),
        column('status', 'VARCHAR(50)', {
          default: "'new'",
          values: ['new', 'contacted', 'quoted', 'booked', 'completed', 'lost'],
        }),
        column('pipeline_stage', 'VARCHAR(50)', {
          values: ['lead', 'opportunity', 'proposal', 'negotiation', 'closed'],
        }),
        column('quoted_amount', 'DECIMAL(10,2)'),
        column('actual_amount', 'DECIMAL(10,2)'),
        column('ghl_contact_id', 'VARCHAR(255)'),
        column('ghl_opportunity_id', 'VARCHAR(255)'),
        stampedNow('created_at'),
        stampedNow('updated_at'),
        column('contacted_at', 'TIMESTAMP'),
        column('quoted_at', 'TIMESTAMP'),
        column('booked_at', 'TIMESTAMP'),
        column('completed_at', 'TIMESTAMP'),
        column('lost_at', 'TIMESTAMP'),
        column('lost_reason', 'TEXT'),
      ],
    },
    {
      name: 'call_logs',
      columns: [
        idColumn(),
        userIdColumn(),
        column('lead_id', 'UUID', {
          references: { table: 'leads', column: 'id', onDelete: 'SET NULL' },
        }),
        column('caller_phone', 'VARCHAR(20)', { notNull: true }),
        column('called_phone', 'VARCHAR(20)', { notNull: true }),
        column('call_status', 'VARCHAR(50)', {
          notNull: true,
          values: ['answered', 'no_answer', 'busy', 'voicemail', 'failed'],
        }),
        column('call_direction', 'VARCHAR(20)', { notNull: true, values: ['inbound', 'outbound'] }),
        column('call_duration', 'INTEGER', { default: '0' }), // seconds
        column('recording_url', 'TEXT'),
        column('recording_duration', 'INTEGER'),
        column('ghl_call_id', 'VARCHAR(255)'),
        stampedNow('created_at'),
        column('ended_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'sms_logs',
      columns: [
        idColumn(),
        userIdColumn(),
        column('lead_id', 'UUID', {
          references: { table: 'leads', column: 'id', onDelete: 'SET NULL' },
        }),
        column('direction', 'VARCHAR(20)', { notNull: true, values: ['outbound', 'inbound'] }),
        column('from_phone', 'VARCHAR(20)', { notNull: true }),
        column('to_phone', 'VARCHAR(20)', { notNull: true }),
        column('message_text', 'TEXT', { notNull: true }),
        column('status', 'VARCHAR(50)', {
          default: "'sent'",
          values: ['sent', 'delivered', 'failed', 'replied'],
        }),
        column('error_message', 'TEXT'),
        // `REFERENCES sms_logs(id)`: the seed writes no ON DELETE rule.
        column('reply_to_sms_id', 'UUID', { references: { table: 'sms_logs', column: 'id' } }),
        column('provider', 'VARCHAR(50)', { default: "'twilio'", values: ['twilio', 'ghl'] }),
        column('provider_message_id', 'VARCHAR(255)'),
        stampedNow('created_at'),
        column('delivered_at', 'TIMESTAMP'),
        column('replied_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'campaigns',
      columns: [
        idColumn(),
        userIdColumn(),
        column('campaign_id', 'VARCHAR(255)', { notNull: true }),
        column('campaign_name', 'VARCHAR(255)', { notNull: true }),
        column('campaign_type', 'VARCHAR(50)', {
          default: "'search'",
          values: ['search', 'display', 'video'],
        }),
        column('daily_budget', 'DECIMAL(10,2)', { notNull: true }),
        column('monthly_budget', 'DECIMAL(10,2)'),
        column('status', 'VARCHAR(50)', {
          default: "'active'",
          values: ['active', 'paused', 'ended'],
        }),
        column('total_spend', 'DECIMAL(10,2)', { default: '0' }),
        column('total_clicks', 'INTEGER', { default: '0' }),
        column('total_impressions', 'INTEGER', { default: '0' }),
        column('total_conversions', 'INTEGER', { default: '0' }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
        column('last_synced_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'keywords',
      columns: [
        idColumn(),
        column('campaign_id', 'UUID', {
          references: { table: 'campaigns', column: 'id', onDelete: 'CASCADE' },
        }),
        column('keyword_text', 'VARCHAR(255)', { notNull: true }),
        column('match_type', 'VARCHAR(20)', {
          notNull: true,
          values: ['exact', 'phrase', 'broad'],
        }),
        column('max_cpc', 'DECIMAL(10,2)'),
        column('quality_score', 'INTEGER'), // 1-10
        column('status', 'VARCHAR(50)', {
          default: "'active'",
          values: ['active', 'paused', 'removed'],
        }),
        column('total_spend', 'DECIMAL(10,2)', { default: '0' }),
        column('total_clicks', 'INTEGER', { default: '0' }),
        column('total_impressions', 'INTEGER', { default: '0' }),
        column('total_conversions', 'INTEGER', { default: '0' }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
        column('last_synced_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'financials',
      columns: [
        idColumn(),
        userIdColumn(),
        column('date', 'DATE', { notNull: true }),
        column('ad_spend', 'DECIMAL(10,2)', { default: '0' }),
        column('platform_fee', 'DECIMAL(10,2)', { default: '0' }),
        column('other_costs', 'DECIMAL(10,2)', { default: '0' }),
        column('leads_generated', 'INTEGER', { default: '0' }),
        column('leads_contacted', 'INTEGER', { default: '0' }),
        column('leads_quoted', 'INTEGER', { default: '0' }),
        column('leads_booked', 'INTEGER', { default: '0' }),
        column('leads_completed', 'INTEGER', { default: '0' }),
        column('leads_lost', 'INTEGER', { default: '0' }),
        column('revenue', 'DECIMAL(10,2)', { default: '0' }),
        column('cpl', 'DECIMAL(10,2)', {
          generated: 'CASE WHEN leads_generated > 0 THEN ad_spend / leads_generated ELSE 0 END',
        }),
        column('conversion_rate', 'DECIMAL(5,2)', {
          generated:
            'CASE WHEN leads_generated > 0 THEN (leads_booked::DECIMAL / leads_generated) * 100 ELSE 0 END',
        }),
        column('roi', 'DECIMAL(10,2)', {
          generated:
            'CASE WHEN ad_spend > 0 THEN ((revenue - ad_spend) / ad_spend) * 100 ELSE 0 END',
        }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
      ],
      unique: [['user_id', 'date']],
    },
    {
      name: 'ai_agent_logs',
      columns: [
        idColumn(),
        userIdColumn(),
        column('agent_name', 'VARCHAR(50)', {
          notNull: true,
          values: ['monitor', 'cx', 'diagnostic', 'optimizing', 'retention'],
        }),
        // 'detect_anomaly', 'optimize_bid', 'send_review_request' (examples, not an enumeration)
        column('action_type', 'VARCHAR(100)', { notNull: true }),
        column('action_data', 'JSONB', { notNull: true }),
        column('result', 'VARCHAR(50)', {
          notNull: true,
          values: ['success', 'failed', 'pending'],
        }),
        column('result_message', 'TEXT'),
        column('estimated_impact', 'JSONB'),
        stampedNow('created_at'),
        column('completed_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'subscriptions',
      columns: [
        idColumn(),
        userIdColumn(),
        column('stripe_subscription_id', 'VARCHAR(255)', { unique: true, notNull: true }),
        column('stripe_price_id', 'VARCHAR(255)', { notNull: true }),
        column('plan_name', 'VARCHAR(100)', {
          notNull: true,
          values: ['Basic', 'Pro', 'Enterprise'],
        }),
        column('amount', 'DECIMAL(10,2)', { notNull: true }),
        column('currency', 'VARCHAR(3)', { default: "'USD'" }),
        column('status', 'VARCHAR(50)', {
          default: "'active'",
          values: ['active', 'past_due', 'cancelled', 'unpaid'],
        }),
        column('current_period_start', 'TIMESTAMP', { notNull: true }),
        column('current_period_end', 'TIMESTAMP', { notNull: true }),
        column('cancel_at_period_end', 'BOOLEAN', { default: 'FALSE' }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
        column('cancelled_at', 'TIMESTAMP'),
      ],
    },
    {
      name: 'workflows',
      columns: [
        idColumn(),
        userIdColumn(),
        column('workflow_name', 'VARCHAR(255)', { notNull: true }),
        column('workflow_type', 'VARCHAR(50)', {
          notNull: true,
          values: [
            'missed_call',
            'offer_quote',
            'booking_confirmation',
            'review_request',
            'amc_offer',
          ],
        }),
        column('ghl_workflow_id', 'VARCHAR(255)'),
        column('config', 'JSONB', { notNull: true }),
        column('status', 'VARCHAR(50)', {
          default: "'active'",
          values: ['active', 'paused', 'draft'],
        }),
        column('total_triggered', 'INTEGER', { default: '0' }),
        column('total_completed', 'INTEGER', { default: '0' }),
        stampedNow('created_at'),
        stampedNow('updated_at'),
      ],
    },
  ],

  indexes: [
    index('idx_users_email', 'users', ['email']),
    index('idx_users_ghl_location_id', 'users', ['ghl_location_id']),
    index('idx_users_status', 'users', ['status']),
    index('idx_leads_user_id', 'leads', ['user_id']),
    index('idx_leads_status', 'leads', ['status']),
    index('idx_leads_source', 'leads', ['source']),
    index('idx_leads_created_at', 'leads', ['created_at DESC']),
    index('idx_leads_customer_phone', 'leads', ['customer_phone']),
    index('idx_call_logs_user_id', 'call_logs', ['user_id']),
    index('idx_call_logs_lead_id', 'call_logs', ['lead_id']),
    index('idx_call_logs_call_status', 'call_logs', ['call_status']),
    index('idx_call_logs_created_at', 'call_logs', ['created_at DESC']),
    index('idx_sms_logs_user_id', 'sms_logs', ['user_id']),
    index('idx_sms_logs_lead_id', 'sms_logs', ['lead_id']),
    index('idx_sms_logs_direction', 'sms_logs', ['direction']),
    index('idx_sms_logs_created_at', 'sms_logs', ['created_at DESC']),
    index('idx_campaigns_user_id', 'campaigns', ['user_id']),
    index('idx_campaigns_campaign_id', 'campaigns', ['campaign_id']),
    index('idx_campaigns_status', 'campaigns', ['status']),
    index('idx_keywords_campaign_id', 'keywords', ['campaign_id']),
    index('idx_keywords_status', 'keywords', ['status']),
    index('idx_keywords_keyword_text', 'keywords', ['keyword_text']),
    index('idx_financials_user_id', 'financials', ['user_id']),
    index('idx_financials_date', 'financials', ['date DESC']),
    index('idx_financials_cpl', 'financials', ['cpl']),
    index('idx_ai_agent_logs_user_id', 'ai_agent_logs', ['user_id']),
    index('idx_ai_agent_logs_agent_name', 'ai_agent_logs', ['agent_name']),
    index('idx_ai_agent_logs_action_type', 'ai_agent_logs', ['action_type']),
    index('idx_ai_agent_logs_created_at', 'ai_agent_logs', ['created_at DESC']),
    index('idx_ai_agent_logs_action_data', 'ai_agent_logs', ['action_data'], 'GIN'),
    index('idx_subscriptions_user_id', 'subscriptions', ['user_id']),
    index('idx_subscriptions_status', 'subscriptions', ['status']),
    index('idx_subscriptions_stripe_subscription_id', 'subscriptions', ['stripe_subscription_id']),
    index('idx_workflows_user_id', 'workflows', ['user_id']),
    index('idx_workflows_workflow_type', 'workflows', ['workflow_type']),
    index('idx_workflows_status', 'workflows', ['status']),
  ],

  // CREATE TRIGGER update_<table>_updated_at BEFORE UPDATE ON <table>
  //   FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
  triggers: [
    'users',
    'leads',
    'campaigns',
    'keywords',
    'financials',
    'subscriptions',
    'workflows',
  ].map(updatedAtTrigger),

  views: [
    {
      name: 'user_dashboard',
      columns: [
        'user_id',
        'business_name',
        'status',
        'plan_name',
        'monthly_fee',
        'subscription_status',
        'monthly_ad_spend',
        'monthly_leads',
        'monthly_bookings',
        'monthly_revenue',
        'avg_cpl',
        'avg_conversion_rate',
        'avg_roi',
        'active_campaigns',
      ],
    },
    {
      name: 'lead_pipeline',
      columns: ['user_id', 'status', 'count', 'total_quoted', 'total_actual', 'avg_days_to_close'],
    },
    {
      name: 'campaign_performance',
      columns: [
        'user_id',
        'campaign_name',
        'daily_budget',
        'total_spend',
        'total_clicks',
        'total_conversions',
        'cpl',
        'conversion_rate',
      ],
    },
  ],

  // The seed declares no CHECK constraints.
  checks: [],
};

// ---------------------------------------------------------------------------------------------
// Where we differ from the seed, and why. Everything not touched here must match the seed exactly.
// ---------------------------------------------------------------------------------------------

export function applyDeliberateDeviations(seed: SchemaSpec): SchemaSpec {
  const spec = structuredClone(seed);
  const table = (name: string): SpecTable => {
    const found = spec.tables.find((t) => t.name === name);
    if (!found) throw new Error(`deviation names unknown table ${name}`);
    return found;
  };
  const col = (tableName: string, name: string): SpecColumn => {
    const found = table(tableName).columns.find((c) => c.name === name);
    if (!found) throw new Error(`deviation names unknown column ${tableName}.${name}`);
    return found;
  };
  const view = (name: string): SpecView => {
    const found = spec.views.find((v) => v.name === name);
    if (!found) throw new Error(`deviation names unknown view ${name}`);
    return found;
  };
  const check = (tableName: string, name: string, rule: CheckRule) => {
    col(tableName, name); // the column must exist
    spec.checks.push({ table: tableName, column: name, rule });
  };

  for (const t of spec.tables) {
    for (const c of t.columns) {
      // 1. TIMESTAMP drops the zone; every instant is a timestamptz.
      if (c.type === 'TIMESTAMP') c.type = 'TIMESTAMPTZ';
      // 2. A column the seed gives a DEFAULT has a value by design, so it is also NOT NULL.
      if (c.default !== undefined) c.notNull = true;
      // 3. Every row belongs to a business: user_id is NOT NULL everywhere.
      if (c.name === 'user_id') c.notNull = true;
    }
  }

  // 4. keywords carries its tenant directly (so every synced row has one): user_id right after id,
  //    indexed, filled from the campaign by a trigger when omitted; and a keyword needs a campaign.
  table('keywords').columns.splice(1, 0, {
    name: 'user_id',
    type: 'UUID',
    notNull: true,
    references: { table: 'users', column: 'id', onDelete: 'CASCADE' },
  });
  spec.indexes.push(index('idx_keywords_user_id', 'keywords', ['user_id']));
  col('keywords', 'campaign_id').notNull = true;

  // 5. A reply outlives the text it answers: deleting that text must not be refused (NO ACTION).
  col('sms_logs', 'reply_to_sms_id').references = {
    table: 'sms_logs',
    column: 'id',
    onDelete: 'SET NULL',
  };
  //    And it is indexed, or deleting a text (or a business) scans every text for replies to it.
  spec.indexes.push(index('idx_sms_logs_reply_to_sms_id', 'sms_logs', ['reply_to_sms_id']));

  // 6. (5,2) overflows at 1000 %: one lead generated and 15 booked is 1500 %. (10,2) overflows for
  //    a big ROI on a small spend. Both widened so a legitimate day can always be stored.
  col('financials', 'conversion_rate').type = 'DECIMAL(14,2)';
  col('financials', 'roi').type = 'DECIMAL(14,2)';

  // 7. DESC written as DESC NULLS FIRST: the same thing (PostgreSQL's default for DESC), spelled out.
  for (const i of spec.indexes) {
    i.columns = i.columns.map((key) => (key.endsWith(' DESC') ? `${key} NULLS FIRST` : key));
  }

  // 8. Views. user_dashboard aggregates financials, campaigns and the single latest active
  //    subscription separately (the seed's one GROUP BY multiplies the sums by the number of active
  //    campaigns and subscriptions), counts "this month" in the business's own time zone, and adds
  //    the ratios of the month's sums. lead_pipeline keeps its columns; its window is
  //    now() - 30 days (behaviour: views.test.ts). campaign_performance adds the campaign's id.
  view('user_dashboard').columns.push('monthly_cpl', 'monthly_conversion_rate', 'monthly_roi');
  view('campaign_performance').columns.unshift('id');

  // 9. Texts have two more states: 'queued' (written offline / accepted, not yet sent) and
  //    'received' (an inbound text).
  const smsStatus = col('sms_logs', 'status');
  smsStatus.values = ['queued', ...(smsStatus.values ?? []), 'received'];

  // 10. Tenant consistency: a keyword, call or text pointing at a parent row (campaign, lead, the
  //     text it replies to) belongs to the parent's business; user_id is filled from the parent when
  //     omitted and a mismatch is refused. And a row never moves to another business: user_id is
  //     fixed at insert on every tenant table (so a lead cannot leave its calls behind).
  const tenantTrigger = (name: string, tableName: string, parent: string, fk: string) => ({
    name,
    table: tableName,
    timing: 'BEFORE' as const,
    events: ['INSERT' as const, 'UPDATE' as const],
    statement: `EXECUTE FUNCTION enforce_parent_tenant('${parent}', '${fk}')`,
  });
  spec.triggers.push(
    tenantTrigger('keywords_campaign_tenant', 'keywords', 'campaigns', 'campaign_id'),
    tenantTrigger('call_logs_lead_tenant', 'call_logs', 'leads', 'lead_id'),
    tenantTrigger('sms_logs_lead_tenant', 'sms_logs', 'leads', 'lead_id'),
    tenantTrigger('sms_logs_reply_tenant', 'sms_logs', 'sms_logs', 'reply_to_sms_id'),
    ...[
      'leads',
      'call_logs',
      'sms_logs',
      'campaigns',
      'keywords',
      'financials',
      'ai_agent_logs',
      'subscriptions',
      'workflows',
    ].map((tableName) => ({
      name: `${tableName}_tenant_fixed`,
      table: tableName,
      timing: 'BEFORE' as const,
      events: ['UPDATE' as const],
      statement: 'EXECUTE FUNCTION prevent_tenant_change()',
    })),
  );

  // 11. CHECK constraints, so the database refuses what the application must never write.
  for (const t of spec.tables) {
    for (const c of t.columns) {
      // Every enumerated column accepts only the values its seed comment lists (+ step 9).
      if (c.values) check(t.name, c.name, { kind: 'one of', values: c.values });
      // Money and counts are never negative (the generated ratios may be: a loss is a negative ROI).
      const moneyOrCount = c.type.startsWith('DECIMAL') || c.type === 'INTEGER';
      const ownRange = ['quality_score', 'onboarding_step'].includes(c.name);
      if (moneyOrCount && c.generated === undefined && !ownRange) {
        check(t.name, c.name, { kind: 'minimum', min: 0 });
      }
    }
  }
  for (const [tableName, phone] of [
    ['users', 'primary_phone'],
    ['leads', 'customer_phone'],
    ['call_logs', 'caller_phone'],
    ['call_logs', 'called_phone'],
    ['sms_logs', 'from_phone'],
    ['sms_logs', 'to_phone'],
  ] as const) {
    check(tableName, phone, { kind: 'E.164 phone' });
  }
  check('users', 'email', { kind: 'lowercase email' });
  check('users', 'password_hash', { kind: 'argon2id hash' }); // the seed's example row is bcrypt
  for (const token of ['ghl_access_token', 'ghl_refresh_token', 'google_ads_refresh_token']) {
    check('users', token, { kind: 'sealed token' }); // 'enc:v1:' envelope, never plaintext
  }
  check('keywords', 'quality_score', { kind: 'between', low: 1, high: 10 }); // the seed's "1-10"
  check('users', 'timezone', { kind: 'IANA time zone' }); // the dashboard computes in this zone
  check('ai_agent_logs', 'action_data', { kind: 'JSON object' });
  check('ai_agent_logs', 'estimated_impact', { kind: 'JSON object' });
  check('workflows', 'config', { kind: 'JSON object' });

  // 12. Further sanity CHECKs (db/README.md, item 3): onboarding counts from 1, ISO country and
  //     currency codes, at least one service type, an email that looks like one, a billing period
  //     that ends after it starts.
  check('users', 'onboarding_step', { kind: 'minimum', min: 1 }); // steps are counted from 1
  check('users', 'country', { kind: 'other', what: 'two upper-case letters (ISO 3166 alpha-2)' });
  check('users', 'service_types', { kind: 'other', what: 'at least one service type' });
  check('leads', 'customer_email', { kind: 'other', what: "looks like an address ('_%@_%')" });
  check('subscriptions', 'currency', {
    kind: 'other',
    what: 'three upper-case letters (ISO 4217)',
  });
  check('subscriptions', 'current_period_end', {
    kind: 'other',
    what: 'current_period_end >= current_period_start',
  });

  return spec;
}

/** What the migrated database must look like. */
export const expectedSchema: SchemaSpec = applyDeliberateDeviations(seedSchema);
