/**
 * The data design of /work/shared/seed/DATABASE_SCHEMA.md, TRANSCRIBED BY HAND from the seed's SQL
 * (not generated from db/postgres/schema), followed by `applyDeliberateDeviations`, the one place
 * that says where our schema departs from the seed and why, and by `beyondTheSeed`: the tables the
 * seed does not have at all (accounts, the change log, the write path, telephony), transcribed by
 * hand from db/postgres/schema/accounts.ts, sync.ts, mutations.ts and telephony.ts and migrations
 * 0004 to 0014.
 * tests/schema/conformance.test.ts compares the migrated database against `expectedSchema`;
 * checks.test.ts reads its CHECK rules.
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
  /** Table-level `PRIMARY KEY (a, b)`; a one-column key is marked on its column instead. */
  primaryKey?: string[];
}

export interface SpecIndex {
  name: string;
  table: string;
  /** Each key as written: 'created_at DESC'. */
  columns: string[];
  using?: 'GIN';
  /**
   * `CREATE UNIQUE INDEX`: uniqueness kept by an index, not by a UNIQUE constraint (a partial one
   * cannot be a constraint). A UNIQUE constraint is declared on its column or table instead.
   */
  unique?: true;
  /** A partial index's predicate, as pg_indexes.indexdef prints it: `(x IS NOT NULL)`. */
  where?: string;
}

export interface SpecTrigger {
  name: string;
  table: string;
  timing: 'BEFORE' | 'AFTER';
  /** TRUNCATE only with `FOR EACH STATEMENT` (a TRUNCATE names no rows). */
  events: ('INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE')[];
  /** What information_schema.triggers.action_statement says (the tail of pg_get_triggerdef). */
  statement: string;
  /** `FOR EACH STATEMENT`; every other trigger is `FOR EACH ROW`. */
  orientation?: 'ROW' | 'STATEMENT';
  /** `UPDATE OF <columns>`: the trigger fires only when one of them is assigned. */
  updateOf?: string[];
  /** `WHEN (…)` as information_schema.triggers.action_condition prints it. */
  condition?: string;
  /** `REFERENCING NEW TABLE AS …` / `OLD TABLE AS …` (transition tables of a statement trigger). */
  newTable?: string;
  oldTable?: string;
}

/** A row-level security policy, as pg_policies prints it. */
export interface SpecPolicy {
  table: string;
  name: string;
  roles: string[];
  command: 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';
  using: string;
  withCheck: string | null;
}

export type Privilege = 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

/** What a role other than the owner may do with a table or view. */
export interface SpecGrant {
  role: string;
  table: string;
  privileges: Privilege[];
  /**
   * A column-level grant (`GRANT SELECT (a, b) ON t`): the privileges hold for these columns only,
   * and the role has none on the table as a whole. Omitted: a table-level grant.
   */
  columns?: string[];
}

export interface SpecRole {
  name: string;
  login: boolean;
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
  roles: SpecRole[];
  /** The tables with row-level security enabled (with or without a policy). */
  rowSecurity: string[];
  policies: SpecPolicy[];
  grants: SpecGrant[];
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
/** `CREATE INDEX <name> ON <table> (<columns>) WHERE <predicate>` (btree, partial). */
const partialIndex = (
  name: string,
  table: string,
  columns: string[],
  where: string,
): SpecIndex => ({
  name,
  table,
  columns,
  where,
});
/** `CREATE UNIQUE INDEX <name> ON <table> (<columns>) [WHERE <predicate>]` (btree). */
const uniqueIndex = (name: string, table: string, columns: string[], where?: string): SpecIndex =>
  where === undefined
    ? { name, table, columns, unique: true }
    : { name, table, columns, unique: true, where };
/** `BEFORE UPDATE OF user_id … WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)`: see deviation 10. */
const tenantFixedTrigger = (table: string): SpecTrigger => ({
  name: `${table}_tenant_fixed`,
  table,
  timing: 'BEFORE',
  events: ['UPDATE'],
  statement: 'EXECUTE FUNCTION prevent_tenant_change()',
  updateOf: ['user_id'],
  condition: '(old.user_id IS DISTINCT FROM new.user_id)',
});
/**
 * `BEFORE INSERT OR UPDATE OF <fk>, user_id … enforce_parent_tenant('<parent>', '<fk>')`: the row
 * belongs to its parent's business (see deviation 10).
 */
const parentTenantTrigger = (
  name: string,
  table: string,
  parent: string,
  fk: string,
): SpecTrigger => ({
  name,
  table,
  timing: 'BEFORE',
  events: ['INSERT', 'UPDATE'],
  statement: `EXECUTE FUNCTION enforce_parent_tenant('${parent}', '${fk}')`,
  updateOf: [fk, 'user_id'],
});
const updatedAtTrigger = (table: string): SpecTrigger => ({
  name: `update_${table}_updated_at`,
  table,
  timing: 'BEFORE',
  events: ['UPDATE'],
  statement: 'EXECUTE FUNCTION update_updated_at_column()',
});
/** The business row's capture fires only when more than the sign-in stamp changed (0017). */
const USERS_CAPTURE_CONDITION =
  "(((to_jsonb(old.*) - 'last_login_at'::text) - 'updated_at'::text) IS DISTINCT FROM ((to_jsonb(new.*) - 'last_login_at'::text) - 'updated_at'::text))";
/** Change capture (migrations 0004, 0011; subscriptions too since 0017). */
const captureTriggers = (tableName: string): SpecTrigger[] => [
  // Change capture for the read path: once per statement, every changed row is numbered per
  // business into change_log (in commit order); readers learn of it from sync_heads, with no NOTIFY
  // (migration 0011: a NOTIFY serialises every commit in the database). Statement-level with transition tables, so a bulk write costs one trigger
  // call, not one per row.
  ...(['INSERT', 'UPDATE', 'DELETE'] as const).map((event): SpecTrigger => ({
    name: `${tableName}_capture_${event.toLowerCase()}`,
    table: tableName,
    timing: 'AFTER',
    events: [event],
    statement: 'EXECUTE FUNCTION capture_changes()',
    orientation: 'STATEMENT',
    ...(event === 'DELETE' ? { oldTable: 'old_rows' } : { newTable: 'new_rows' }),
  })),
  // TRUNCATE names no rows, so nothing can be logged row by row: capture_truncate moves every
  // business's sync_heads.epoch on (every desktop takes a fresh snapshot). information_schema.triggers does not list TRUNCATE triggers; the conformance test
  // reads these from pg_trigger.
  {
    name: `${tableName}_capture_truncate`,
    table: tableName,
    timing: 'AFTER',
    events: ['TRUNCATE'],
    statement: 'EXECUTE FUNCTION capture_truncate()',
    orientation: 'STATEMENT',
  },
];
/** What every synced table has for the read path (deviations 14 and 15; migrations 0004, 0006). */
const syncedTableTriggers = (tableName: string): SpecTrigger[] => [
  // A synced row keeps its id for life: replicas address rows by id and the change log records
  // ids, so a changed id would orphan the replica's copy. Refused as a check violation naming
  // `<table>.id`.
  {
    name: `${tableName}_key_fixed`,
    table: tableName,
    timing: 'BEFORE',
    events: ['UPDATE'],
    statement: 'EXECUTE FUNCTION prevent_key_change()',
    updateOf: ['id'],
    condition: '(old.id IS DISTINCT FROM new.id)',
  },
  ...captureTriggers(tableName),
];

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

  // The seed declares no CHECK constraints, roles, row-level security or grants.
  checks: [],
  roles: [],
  rowSecurity: [],
  policies: [],
  grants: [],
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
  spec.triggers.push(
    parentTenantTrigger('keywords_campaign_tenant', 'keywords', 'campaigns', 'campaign_id'),
    parentTenantTrigger('call_logs_lead_tenant', 'call_logs', 'leads', 'lead_id'),
    parentTenantTrigger('sms_logs_lead_tenant', 'sms_logs', 'leads', 'lead_id'),
    parentTenantTrigger('sms_logs_reply_tenant', 'sms_logs', 'sms_logs', 'reply_to_sms_id'),
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
    ].map(tenantFixedTrigger),
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

  // 13. The read path pages a business's rows in key order (`WHERE user_id = $1 AND id > $2
  //     ORDER BY id LIMIT n`): one index on (user_id, id) per synced table serves each chunk as a
  //     single range scan, where idx_<table>_user_id would sort the whole business every chunk.
  for (const tableName of seedSyncedTables) {
    spec.indexes.push(index(`idx_${tableName}_sync_key`, tableName, ['user_id', 'id']));
  }

  // 14. A synced row keeps its id for life (`<table>_key_fixed`), and
  // 15. every change to it is captured into change_log (`<table>_capture_*`): syncedTableTriggers.
  for (const tableName of seedSyncedTables) {
    table(tableName); // the table must exist
    spec.triggers.push(...syncedTableTriggers(tableName));
  }

  // 16. Row-level security, the second layer of tenant isolation: the server runs each tenant
  //     request as fieldline_tenant (NOLOGIN) with the business id set per transaction; a policy
  //     shows (and admits) only that business's rows, and nothing at all when no business is set.
  //     The owner (the migrating role) bypasses it for login, webhooks and billing.
  spec.roles.push({ name: TENANT_ROLE, login: false });
  for (const tableName of [...seedSyncedTables, 'subscriptions']) {
    spec.rowSecurity.push(tableName);
    spec.policies.push(tenantPolicy(tableName));
  }
  //     users is the business itself: its own row only, and read-only.
  spec.rowSecurity.push('users');
  spec.policies.push({
    ...tenantPolicy('users'),
    using: '(id = app_tenant_id())',
    withCheck: null,
  });
  //     A business's members work on its synced tables; billing (subscriptions) and the business
  //     row are written by the server's own paths only. The views are security_invoker, so a
  //     tenant reads them through the policies above.
  for (const tableName of seedSyncedTables) spec.grants.push(tenantGrant(tableName, READ_WRITE));
  for (const name of ['subscriptions', ...spec.views.map((v) => v.name)]) {
    spec.grants.push(tenantGrant(name, ['SELECT']));
  }
  //     The business row is readable column by column: never its password hash or its sealed
  //     integration tokens, even to its own business.
  spec.grants.push(
    selectAllColumnsBut(table('users'), [
      'password_hash',
      'ghl_access_token',
      'ghl_refresh_token',
      'google_ads_refresh_token',
    ]),
  );

  // 17. The write path orders field edits by clock (migration 0006): any UPDATE of a lead that does
  //     not come through the mutation path (a webhook, an agent, a psql session) stamps each field
  //     it changed with the server's clock in field_clocks, so a desktop edit made before it and
  //     pushed later does not undo it. Row-level, AFTER; SECURITY DEFINER, so a tenant request's
  //     update is stamped too.
  spec.triggers.push({
    name: 'leads_stamp_field_clocks',
    table: 'leads',
    timing: 'AFTER',
    events: ['UPDATE'],
    statement: 'EXECUTE FUNCTION stamp_field_clocks()',
  });

  // 18. Telephony (migration 0007): one text per provider message, however often the provider
  //     calls back about it. Partial, so a text without a provider id yet (written offline, not
  //     yet sent) is not constrained; and a unique index, since a partial one cannot be a UNIQUE
  //     constraint.
  spec.indexes.push(
    uniqueIndex(
      'sms_logs_provider_message_id_key',
      'sms_logs',
      ['provider', 'provider_message_id'],
      '(provider_message_id IS NOT NULL)',
    ),
  );

  // 19. Telephony (migrations 0013, 0014): a lead shows when its phone opted out of the business's
  //     texts, kept from the suppression list by triggers (a desktop syncs leads, not the list): a
  //     new lead, or a lead whose phone changed, takes it from the list, BEFORE the row is written.
  //     And an inbound text finds the business's last text to its sender without walking every
  //     outbound text (partial, outbound only, newest first).
  table('leads').columns.push(column('sms_opted_out_at', 'TIMESTAMPTZ'));
  spec.triggers.push({
    name: 'leads_flag_opted_out',
    table: 'leads',
    timing: 'BEFORE',
    events: ['INSERT', 'UPDATE'],
    statement: 'EXECUTE FUNCTION flag_lead_opted_out()',
    updateOf: ['customer_phone'],
  });
  spec.indexes.push(
    partialIndex(
      'idx_sms_logs_last_outbound',
      'sms_logs',
      ['user_id', 'to_phone', 'created_at DESC NULLS FIRST', 'id DESC NULLS FIRST'],
      "((direction)::text = 'outbound'::text)",
    ),
  );

  // 20. Analytics (migration 0017): the change log also numbers changes to subscriptions and to
  //     the business's own row, which no desktop replicates but the server's cached dashboard
  //     shows, so any path that writes them makes the cached answers depending on them stale.
  //     The business row's trigger ignores a sign-in's last_login_at (and updated_at).
  spec.triggers.push(...captureTriggers('subscriptions'), {
    name: 'users_capture_update',
    table: 'users',
    timing: 'AFTER',
    events: ['UPDATE'],
    statement: 'EXECUTE FUNCTION capture_business_change()',
    condition: USERS_CAPTURE_CONDITION,
  });

  // 21. Analytics (migration 0018): one business's funnel by status, its leads created in the
  //     pipeline's window, and its most recent agent actions, each read from an index of that
  //     business instead of a global one filtered row by row.
  spec.indexes.push(
    index('idx_leads_user_status', 'leads', ['user_id', 'status']),
    index('idx_leads_user_created_at', 'leads', ['user_id', 'created_at']),
    index('idx_ai_agent_logs_user_recent', 'ai_agent_logs', ['user_id', 'created_at DESC', 'id']),
  );

  return spec;
}

// ---------------------------------------------------------------------------------------------
// Beyond the seed: tables the seed does not have. Transcribed by hand from
// db/postgres/schema/accounts.ts, sync.ts, mutations.ts, telephony.ts and migrations 0004 to 0014;
// db/README.md says why each exists.
// ---------------------------------------------------------------------------------------------

/** The seed's tables a desktop replicates (db/README.md, "The SQLite replica"). */
export const seedSyncedTables = [
  'leads',
  'call_logs',
  'sms_logs',
  'financials',
  'campaigns',
  'keywords',
  'workflows',
  'ai_agent_logs',
] as const;
/** The write path's tables a desktop replicates too (migrations 0005 and 0006). */
export const writePathSyncedTables = [
  'lead_notes',
  'mutation_rejections',
  'field_conflicts',
] as const;
/** Every table a desktop replicates. */
export const syncedTables = [...seedSyncedTables, ...writePathSyncedTables] as const;
/** What change_log.table_name admits: the synced tables, and two for the analytics cache (0017). */
export const changeLoggedTables = [...syncedTables, 'users', 'subscriptions'] as const;
/** The write path's server-only bookkeeping: a tenant request reads, inserts and updates, never deletes. */
export const writePathBookkeepingTables = ['mutation_clients', 'field_clocks'] as const;
/**
 * Telephony (migrations 0007 to 0010), server-only: neither synced nor captured. A tenant request
 * reads and writes its tracking numbers and suppression list, and only reads Twilio's call records
 * (the webhooks write them, as the server's own role) and the texts the server sends (its sender
 * writes them).
 */
export const telephonyTables = [
  'tracking_numbers',
  'provider_calls',
  'sms_suppressions',
  'outbound_texts',
] as const;
export const telephonyTenantWritable = ['tracking_numbers', 'sms_suppressions'] as const;
/** The telephony tables a tenant request only reads: the server's own role writes them. */
export const telephonyTenantReadOnly = ['provider_calls', 'outbound_texts'] as const;

/** The role every tenant request runs as (migration 0004). */
export const TENANT_ROLE = 'fieldline_tenant';
const READ_WRITE: Privilege[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];
const tenantPolicy = (table: string): SpecPolicy => ({
  table,
  name: 'tenant_isolation',
  roles: [TENANT_ROLE],
  command: 'ALL',
  using: '(user_id = app_tenant_id())',
  withCheck: '(user_id = app_tenant_id())',
});
const tenantGrant = (table: string, privileges: Privilege[]): SpecGrant => ({
  role: TENANT_ROLE,
  table,
  privileges,
});
/**
 * SELECT on every column of `table` except `secrets`, as a column-level grant to the tenant role:
 * a column added later is not readable until it is granted, and the spec says so by failing.
 */
function selectAllColumnsBut(table: SpecTable, secrets: string[]): SpecGrant {
  const unknown = secrets.filter((name) => !table.columns.some((c) => c.name === name));
  if (unknown.length > 0) throw new Error(`${table.name} has no column ${unknown.join(', ')}`);
  return {
    ...tenantGrant(table.name, ['SELECT']),
    columns: table.columns.map((c) => c.name).filter((name) => !secrets.includes(name)),
  };
}

/** `user_id UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE` */
const tenantColumn = () =>
  column('user_id', 'UUID', {
    notNull: true,
    references: { table: 'users', column: 'id', onDelete: 'CASCADE' },
  });
/** `<name> TIMESTAMPTZ NOT NULL DEFAULT now()` */
const stampedNowTz = (name: string) =>
  column(name, 'TIMESTAMPTZ', { notNull: true, default: 'now()' });
const memberRoles = ['owner', 'dispatcher', 'technician'];
const conflictOutcomes = ['overwritten', 'overtaken'];
/** The seed's lead sources (leads.source): where a tracking number's callers come from. */
const leadSources = ['missed_call', 'google_ads', 'referral', 'website'];
/** Twilio's CallStatus values, as its voice status callbacks send them. */
const twilioCallStatuses = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
];
const suppressionReasons = ['keyword', 'language', 'provider', 'manual'];
/** Why the server sends a text: a missed call's text-back, or a text written on a desktop. */
const outboundPurposes = ['missed_call', 'desktop'];
/** Where a text the server sends stands; `sending` is claimed before Twilio is called. */
const outboundStates = ['pending', 'sending', 'sent', 'failed', 'cancelled'];
/** `member_id UUID REFERENCES members(id) ON DELETE SET NULL`: who, while they are a member. */
const authorColumn = () =>
  column('member_id', 'UUID', {
    references: { table: 'members', column: 'id', onDelete: 'SET NULL' },
  });

export const beyondTheSeed: SchemaSpec = {
  extensions: [],

  tables: [
    // The people who log in to a business (the seed's `users` row is the business itself). Emails
    // are unique across the product, so a login names exactly one business.
    {
      name: 'members',
      columns: [
        idColumn(),
        tenantColumn(),
        column('email', 'VARCHAR(255)', { notNull: true, unique: true }),
        column('password_hash', 'VARCHAR(255)', { notNull: true }),
        column('name', 'VARCHAR(255)', { notNull: true }),
        column('role', 'VARCHAR(20)', { notNull: true, values: memberRoles }),
        column('status', 'VARCHAR(20)', {
          notNull: true,
          default: "'active'",
          values: ['active', 'disabled'],
        }),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
        column('last_login_at', 'TIMESTAMPTZ'),
      ],
    },
    // The platform's own staff (migration 0016): they belong to no business and see figures across
    // every business (MRR). No tenant request reads them: nothing granted, row-level security on.
    {
      name: 'platform_operators',
      columns: [
        idColumn(),
        column('email', 'VARCHAR(255)', { notNull: true, unique: true }),
        column('password_hash', 'VARCHAR(255)', { notNull: true }),
        column('name', 'VARCHAR(255)', { notNull: true }),
        column('status', 'VARCHAR(20)', {
          notNull: true,
          default: "'active'",
          values: ['active', 'disabled'],
        }),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
        column('last_login_at', 'TIMESTAMPTZ'),
      ],
    },
    // An owner's invitation; the token is stored only as its SHA-256.
    {
      name: 'member_invitations',
      columns: [
        idColumn(),
        tenantColumn(),
        column('email', 'VARCHAR(255)', { notNull: true }),
        column('role', 'VARCHAR(20)', { notNull: true, values: memberRoles }),
        column('token_hash', 'VARCHAR(64)', { notNull: true, unique: true }),
        column('invited_by', 'UUID', {
          references: { table: 'members', column: 'id', onDelete: 'SET NULL' },
        }),
        column('expires_at', 'TIMESTAMPTZ', { notNull: true }),
        column('accepted_at', 'TIMESTAMPTZ'),
        column('revoked_at', 'TIMESTAMPTZ'),
        stampedNowTz('created_at'),
      ],
    },
    // One signed-in device of a member.
    {
      name: 'auth_sessions',
      columns: [
        idColumn(),
        column('member_id', 'UUID', {
          notNull: true,
          references: { table: 'members', column: 'id', onDelete: 'CASCADE' },
        }),
        tenantColumn(),
        column('device_id', 'VARCHAR(100)', { notNull: true }),
        column('device_name', 'VARCHAR(255)'),
        stampedNowTz('created_at'),
        stampedNowTz('last_used_at'),
        column('expires_at', 'TIMESTAMPTZ', { notNull: true }),
        column('revoked_at', 'TIMESTAMPTZ'),
        column('revoked_reason', 'VARCHAR(30)'),
      ],
    },
    // A session's single-use refresh tokens, stored as their SHA-256.
    {
      name: 'auth_refresh_tokens',
      columns: [
        idColumn(),
        column('session_id', 'UUID', {
          notNull: true,
          references: { table: 'auth_sessions', column: 'id', onDelete: 'CASCADE' },
        }),
        column('token_hash', 'VARCHAR(64)', { notNull: true, unique: true }),
        stampedNowTz('created_at'),
        column('used_at', 'TIMESTAMPTZ'),
      ],
    },
    // Fixed-window login attempt counters shared by every server instance.
    {
      name: 'auth_rate_limits',
      columns: [
        column('key', 'VARCHAR(300)', { primaryKey: true }),
        column('window_started_at', 'TIMESTAMPTZ', { notNull: true }),
        column('attempts', 'INTEGER', { notNull: true }),
      ],
    },
    // Every change to a synced table, numbered per business. Keys only, no values; and no foreign
    // key, so deleting a business still logs the deletes its cascades make.
    {
      name: 'change_log',
      columns: [
        column('user_id', 'UUID', { notNull: true }),
        column('seq', 'BIGINT', { notNull: true }),
        column('table_name', 'VARCHAR(63)', { notNull: true, values: changeLoggedTables }),
        column('op', 'CHAR(1)', { notNull: true, values: ['I', 'U', 'D'] }),
        column('row_id', 'UUID', { notNull: true }),
        // now() of the writing transaction: when it began, not when it committed (so it is no
        // order), which is all retention needs.
        stampedNowTz('logged_at'),
      ],
      primaryKey: ['user_id', 'seq'],
    },
    // Per business: the last number handed out (its row lock serialises writers), how far the log
    // was pruned, and the epoch that sends every desktop back to a fresh snapshot.
    {
      name: 'sync_heads',
      columns: [
        column('user_id', 'UUID', { primaryKey: true }),
        column('seq', 'BIGINT', { notNull: true, default: '0' }),
        column('pruned_through', 'BIGINT', { notNull: true, default: '0' }),
        column('epoch', 'INTEGER', { notNull: true, default: '1' }),
      ],
    },
    // The write path (schema/mutations.ts, migration 0005). A note on a lead, by a member (synced).
    {
      name: 'lead_notes',
      columns: [
        idColumn(),
        tenantColumn(),
        column('lead_id', 'UUID', {
          notNull: true,
          references: { table: 'leads', column: 'id', onDelete: 'CASCADE' },
        }),
        authorColumn(),
        column('body', 'TEXT', { notNull: true }),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
      ],
    },
    // One desktop outbox: the number of the last mutation applied, moved in the mutation's own
    // transaction, so a retried push applies nothing twice (not synced).
    {
      name: 'mutation_clients',
      columns: [
        column('client_id', 'VARCHAR(64)', { primaryKey: true }),
        tenantColumn(),
        authorColumn(),
        column('last_mutation_id', 'INTEGER', { notNull: true, default: '0' }),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
      ],
    },
    // A mutation the server refused, and why (synced: the desktop shows it and drops its edit).
    // One per mutation of an outbox.
    {
      name: 'mutation_rejections',
      columns: [
        idColumn(),
        tenantColumn(),
        column('client_id', 'VARCHAR(64)', { notNull: true }),
        column('mutation_id', 'INTEGER', { notNull: true }),
        authorColumn(),
        column('name', 'VARCHAR(64)', { notNull: true }),
        column('args', 'JSONB', { notNull: true }),
        column('code', 'VARCHAR(64)', { notNull: true }),
        column('reason', 'TEXT', { notNull: true }),
        stampedNowTz('created_at'),
      ],
      unique: [['client_id', 'mutation_id']],
    },
    // A field edit that lost to another by clock: both values, both clocks, who made each
    // (synced). No foreign key to the row: it may be any synced table's.
    {
      name: 'field_conflicts',
      columns: [
        idColumn(),
        tenantColumn(),
        column('table_name', 'VARCHAR(63)', { notNull: true }),
        column('row_id', 'UUID', { notNull: true }),
        column('field', 'VARCHAR(63)', { notNull: true }),
        column('kept_value', 'TEXT'),
        column('superseded_value', 'TEXT'),
        column('kept_hlc', 'VARCHAR(100)', { notNull: true }),
        column('superseded_hlc', 'VARCHAR(100)', { notNull: true }),
        column('kept_by', 'VARCHAR(300)'),
        column('superseded_by', 'VARCHAR(300)'),
        column('superseded_client_id', 'VARCHAR(64)'),
        column('superseded_mutation_id', 'INTEGER'),
        column('outcome', 'VARCHAR(20)', { notNull: true, values: conflictOutcomes }),
        stampedNowTz('created_at'),
      ],
    },
    // The clock of each field's last edit, and who made it (not synced).
    {
      name: 'field_clocks',
      columns: [
        tenantColumn(),
        column('table_name', 'VARCHAR(63)', { notNull: true }),
        column('row_id', 'UUID', { notNull: true }),
        column('field', 'VARCHAR(63)', { notNull: true }),
        column('hlc', 'VARCHAR(100)', { notNull: true }),
        column('edited_by', 'VARCHAR(300)'),
        column('client_id', 'VARCHAR(64)'),
        column('mutation_id', 'INTEGER'),
      ],
      primaryKey: ['table_name', 'row_id', 'field'],
    },
    // Telephony (schema/telephony.ts, migration 0007). A business's Twilio number: which business
    // a call or text to it is for, where its callers come from (the campaign printed with it), and
    // where the call is forwarded (the business's primary phone when NULL). A number belongs to
    // one business at a time: unique across businesses (tracking_numbers_phone_number_key).
    {
      name: 'tracking_numbers',
      columns: [
        idColumn(),
        tenantColumn(),
        column('phone_number', 'VARCHAR(20)', { notNull: true }),
        column('lead_source', 'VARCHAR(50)', { notNull: true, values: leadSources }),
        column('campaign_id', 'UUID', {
          references: { table: 'campaigns', column: 'id', onDelete: 'SET NULL' },
        }),
        column('forward_to', 'VARCHAR(20)'),
        column('label', 'VARCHAR(100)'),
        column('active', 'BOOLEAN', { notNull: true, default: 'true' }),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
      ],
    },
    // Twilio's side of a call log, keyed by CallSid: its latest status and the sequence number of
    // the last callback applied (-1 before any), so repeated and reordered callbacks are idempotent.
    // One per call log (provider_calls_call_log_id_key), and it goes with it.
    {
      name: 'provider_calls',
      columns: [
        column('call_sid', 'VARCHAR(64)', { primaryKey: true }),
        tenantColumn(),
        column('call_log_id', 'UUID', {
          notNull: true,
          references: { table: 'call_logs', column: 'id', onDelete: 'CASCADE' },
        }),
        column('provider_status', 'VARCHAR(20)', { notNull: true, values: twilioCallStatuses }),
        column('last_sequence', 'INTEGER', { notNull: true, default: '-1' }),
        column('dial_status', 'VARCHAR(20)'),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
      ],
    },
    // A business's numbers that said stop, and why; kept with lifted_at once the number says START.
    // It outlives the text that put the number there.
    {
      name: 'sms_suppressions',
      columns: [
        tenantColumn(),
        column('phone', 'VARCHAR(20)', { notNull: true }),
        column('reason', 'VARCHAR(20)', { notNull: true, values: suppressionReasons }),
        column('matched', 'TEXT'),
        column('source_sms_id', 'UUID', {
          references: { table: 'sms_logs', column: 'id', onDelete: 'SET NULL' },
        }),
        stampedNowTz('created_at'),
        column('lifted_at', 'TIMESTAMPTZ'),
        stampedNowTz('updated_at'),
      ],
      primaryKey: ['user_id', 'phone'],
    },
    // A text the server sends (migration 0009): its sms_logs row is the text itself (the key, and
    // it goes with it), this is the sending of it. Sent at most once per idempotency key
    // (outbound_texts_idempotency_key_key), not before send_at; the workflow that sent it may go
    // (SET NULL).
    {
      name: 'outbound_texts',
      columns: [
        column('sms_log_id', 'UUID', {
          primaryKey: true,
          references: { table: 'sms_logs', column: 'id', onDelete: 'CASCADE' },
        }),
        tenantColumn(),
        column('idempotency_key', 'VARCHAR(200)', { notNull: true }),
        column('purpose', 'VARCHAR(20)', { notNull: true, values: outboundPurposes }),
        column('workflow_id', 'UUID', {
          references: { table: 'workflows', column: 'id', onDelete: 'SET NULL' },
        }),
        column('state', 'VARCHAR(12)', {
          notNull: true,
          default: "'pending'",
          values: outboundStates,
        }),
        column('send_at', 'TIMESTAMPTZ', { notNull: true }),
        column('attempts', 'INTEGER', { notNull: true, default: '0' }),
        column('last_error', 'TEXT'),
        stampedNowTz('created_at'),
        stampedNowTz('updated_at'),
      ],
    },
  ],

  indexes: [
    index('idx_members_user_id', 'members', ['user_id']),
    index('idx_member_invitations_user_id', 'member_invitations', ['user_id']),
    // Deleting a member sets its invitations' invited_by to NULL: a lookup, not a scan.
    index('idx_member_invitations_invited_by', 'member_invitations', ['invited_by']),
    index('idx_auth_sessions_member_id', 'auth_sessions', ['member_id']),
    // Deleting a business cascades through it, and the row-level security policy filters on it.
    index('idx_auth_sessions_user_id', 'auth_sessions', ['user_id']),
    index('idx_auth_refresh_tokens_session_id', 'auth_refresh_tokens', ['session_id']),
    // A reader's catch-up: one business's changes to one table after a number.
    index('idx_change_log_table_seq', 'change_log', ['user_id', 'table_name', 'seq']),
    // Retention: prune_change_log finds what is older than the cut-off.
    index('idx_change_log_logged_at', 'change_log', ['logged_at']),
    // The write path: a synced table's snapshot pages (item 13 of the deviations); a lead's notes
    // in order (and deleting a lead finds its notes); a row's conflicts; a business's bookkeeping
    // (deleting a business, and the row-level security policy).
    ...writePathSyncedTables.map((t) => index(`idx_${t}_sync_key`, t, ['user_id', 'id'])),
    index('idx_lead_notes_lead_id', 'lead_notes', ['lead_id', 'created_at']),
    index('idx_field_conflicts_row', 'field_conflicts', ['table_name', 'row_id']),
    index('idx_mutation_clients_user_id', 'mutation_clients', ['user_id']),
    index('idx_field_clocks_user_id', 'field_clocks', ['user_id']),
    // Telephony: a number names one business, a call log has one Twilio record (unique indexes,
    // not constraints); a business's rows (deleting a business, and the row-level security policy).
    uniqueIndex('tracking_numbers_phone_number_key', 'tracking_numbers', ['phone_number']),
    index('idx_tracking_numbers_user_id', 'tracking_numbers', ['user_id']),
    uniqueIndex('provider_calls_call_log_id_key', 'provider_calls', ['call_log_id']),
    index('idx_provider_calls_user_id', 'provider_calls', ['user_id']),
    // A text is sent once per idempotency key, in any business (a unique index, not a constraint);
    // a business's texts; and the sender's scan for what is due, over the pending ones only.
    uniqueIndex('outbound_texts_idempotency_key_key', 'outbound_texts', ['idempotency_key']),
    index('idx_outbound_texts_user_id', 'outbound_texts', ['user_id']),
    partialIndex(
      'idx_outbound_texts_pending',
      'outbound_texts',
      ['send_at'],
      "((state)::text = 'pending'::text)",
    ),
  ],

  triggers: [
    // A member keeps updated_at like the seed's tables. A member, an invitation and a session never
    // move to another business.
    updatedAtTrigger('members'),
    updatedAtTrigger('platform_operators'),
    tenantFixedTrigger('members'),
    tenantFixedTrigger('member_invitations'),
    tenantFixedTrigger('auth_sessions'),
    // A session belongs to its member's business, and an invitation names an inviter of its own
    // business: refused as a check violation naming member_id / invited_by (the row-level
    // security policies trust user_id, so it must agree with the member's).
    parentTenantTrigger('auth_sessions_member_tenant', 'auth_sessions', 'members', 'member_id'),
    parentTenantTrigger(
      'member_invitations_inviter_tenant',
      'member_invitations',
      'members',
      'invited_by',
    ),
    // The write path (migration 0006). A note and an outbox keep updated_at; a note belongs to its
    // lead's business (user_id filled from the lead when omitted) and is written by a member of it;
    // no row of the write path ever moves to another business; its synced tables are captured and
    // keep their ids, as the seed's are.
    updatedAtTrigger('lead_notes'),
    updatedAtTrigger('mutation_clients'),
    parentTenantTrigger('lead_notes_lead_tenant', 'lead_notes', 'leads', 'lead_id'),
    parentTenantTrigger('lead_notes_member_tenant', 'lead_notes', 'members', 'member_id'),
    parentTenantTrigger(
      'mutation_clients_member_tenant',
      'mutation_clients',
      'members',
      'member_id',
    ),
    parentTenantTrigger(
      'mutation_rejections_member_tenant',
      'mutation_rejections',
      'members',
      'member_id',
    ),
    ...[...writePathSyncedTables, ...writePathBookkeepingTables].map(tenantFixedTrigger),
    ...writePathSyncedTables.flatMap(syncedTableTriggers),
    // Telephony (migrations 0008, 0010): every table keeps updated_at and never moves to another
    // business; a number's campaign, a Twilio record's call log, a suppression's source text and an
    // outbound text's sms_logs row and workflow are the business's own (user_id filled from them
    // when omitted). Not synced: no capture, no key_fixed.
    ...telephonyTables.map(updatedAtTrigger),
    ...telephonyTables.map(tenantFixedTrigger),
    parentTenantTrigger(
      'tracking_numbers_campaign_tenant',
      'tracking_numbers',
      'campaigns',
      'campaign_id',
    ),
    parentTenantTrigger(
      'provider_calls_call_log_tenant',
      'provider_calls',
      'call_logs',
      'call_log_id',
    ),
    parentTenantTrigger(
      'sms_suppressions_source_tenant',
      'sms_suppressions',
      'sms_logs',
      'source_sms_id',
    ),
    parentTenantTrigger(
      'outbound_texts_sms_log_tenant',
      'outbound_texts',
      'sms_logs',
      'sms_log_id',
    ),
    parentTenantTrigger(
      'outbound_texts_workflow_tenant',
      'outbound_texts',
      'workflows',
      'workflow_id',
    ),
    // Migration 0014: whatever changes the suppression list flags or unflags the business's leads
    // with that phone (leads.sms_opted_out_at), after the row is written.
    {
      name: 'sms_suppressions_reflect_on_leads',
      table: 'sms_suppressions',
      timing: 'AFTER',
      events: ['INSERT', 'UPDATE', 'DELETE'],
      statement: 'EXECUTE FUNCTION reflect_sms_suppression()',
    },
  ],

  views: [],

  checks: [
    { table: 'members', column: 'role', rule: { kind: 'one of', values: memberRoles } },
    {
      table: 'members',
      column: 'status',
      rule: { kind: 'one of', values: ['active', 'disabled'] },
    },
    { table: 'members', column: 'email', rule: { kind: 'lowercase email' } },
    { table: 'members', column: 'password_hash', rule: { kind: 'argon2id hash' } },
    {
      table: 'platform_operators',
      column: 'status',
      rule: { kind: 'one of', values: ['active', 'disabled'] },
    },
    { table: 'platform_operators', column: 'email', rule: { kind: 'lowercase email' } },
    { table: 'platform_operators', column: 'password_hash', rule: { kind: 'argon2id hash' } },
    { table: 'member_invitations', column: 'role', rule: { kind: 'one of', values: memberRoles } },
    { table: 'member_invitations', column: 'email', rule: { kind: 'lowercase email' } },
    {
      table: 'auth_sessions',
      column: 'revoked_reason',
      rule: {
        kind: 'other',
        what: 'set exactly when revoked_at is, to logout, refresh_token_reuse, member_disabled or password_changed',
      },
    },
    {
      table: 'change_log',
      column: 'table_name',
      rule: { kind: 'one of', values: changeLoggedTables },
    },
    { table: 'change_log', column: 'op', rule: { kind: 'one of', values: ['I', 'U', 'D'] } },
    { table: 'sync_heads', column: 'pruned_through', rule: { kind: 'other', what: '<= seq' } },
    {
      table: 'lead_notes',
      column: 'body',
      rule: { kind: 'other', what: 'not empty, nor spaces only (length(btrim(body)) > 0)' },
    },
    { table: 'mutation_clients', column: 'last_mutation_id', rule: { kind: 'minimum', min: 0 } },
    {
      table: 'field_conflicts',
      column: 'outcome',
      rule: { kind: 'one of', values: conflictOutcomes },
    },
    { table: 'tracking_numbers', column: 'phone_number', rule: { kind: 'E.164 phone' } },
    {
      table: 'tracking_numbers',
      column: 'lead_source',
      rule: { kind: 'one of', values: leadSources },
    },
    { table: 'tracking_numbers', column: 'forward_to', rule: { kind: 'E.164 phone' } },
    {
      table: 'provider_calls',
      column: 'provider_status',
      rule: { kind: 'one of', values: twilioCallStatuses },
    },
    { table: 'provider_calls', column: 'last_sequence', rule: { kind: 'minimum', min: -1 } },
    { table: 'sms_suppressions', column: 'phone', rule: { kind: 'E.164 phone' } },
    {
      table: 'sms_suppressions',
      column: 'reason',
      rule: { kind: 'one of', values: suppressionReasons },
    },
    {
      table: 'outbound_texts',
      column: 'purpose',
      rule: { kind: 'one of', values: outboundPurposes },
    },
    { table: 'outbound_texts', column: 'state', rule: { kind: 'one of', values: outboundStates } },
    { table: 'outbound_texts', column: 'attempts', rule: { kind: 'minimum', min: 0 } },
  ],

  roles: [],

  // Every table here has row-level security. A tenant request reads its business's members,
  // invitations, sessions and change log, and writes none of them; refresh tokens and rate limits
  // it cannot read at all (no grant, and no policy to fall back on).
  //
  // The write path's tables too (migration 0006, the same policy): its synced tables a tenant
  // request reads and writes like the seed's (a member may also dismiss a rejection or a conflict
  // they have seen); its bookkeeping (the outboxes' numbers, the field clocks) the push reads,
  // inserts and updates, and never deletes.
  //
  // Telephony too (migrations 0008 and 0010, the same policy): a tenant request reads and writes its
  // tracking numbers and its suppression list, and reads Twilio's call records and the texts the
  // server sends, which only the webhooks and the sender (the server's own role) write.
  rowSecurity: [
    'members',
    'platform_operators',
    'member_invitations',
    'auth_sessions',
    'auth_refresh_tokens',
    'auth_rate_limits',
    'change_log',
    'sync_heads',
    ...writePathSyncedTables,
    ...writePathBookkeepingTables,
    ...telephonyTables,
  ],
  policies: [
    'members',
    'member_invitations',
    'auth_sessions',
    'change_log',
    'sync_heads',
    ...writePathSyncedTables,
    ...writePathBookkeepingTables,
    ...telephonyTables,
  ].map(tenantPolicy),
  // Sessions, the log and the heads as whole tables; members and invitations column by column,
  // below.
  grants: [
    ...['auth_sessions', 'change_log', 'sync_heads'].map((table) => tenantGrant(table, ['SELECT'])),
    ...writePathSyncedTables.map((table) => tenantGrant(table, READ_WRITE)),
    ...writePathBookkeepingTables.map((table) =>
      tenantGrant(table, ['SELECT', 'INSERT', 'UPDATE']),
    ),
    ...telephonyTenantWritable.map((table) => tenantGrant(table, READ_WRITE)),
    ...telephonyTenantReadOnly.map((table) => tenantGrant(table, ['SELECT'])),
  ],
};

// A tenant request reads its business's members and invitations, but never a member's password
// hash or an invitation's token hash (which the accept link is looked up by): the same column-level
// grants as users (deviation 16).
for (const [name, secrets] of [
  ['members', ['password_hash']],
  ['member_invitations', ['token_hash']],
] as const) {
  const table = beyondTheSeed.tables.find((t) => t.name === name);
  if (!table) throw new Error(`beyondTheSeed has no table ${name}`);
  beyondTheSeed.grants.push(selectAllColumnsBut(table, [...secrets]));
}

/** The seed (with its deviations) and the tables beyond it, as one schema. */
function withTablesBeyondTheSeed(spec: SchemaSpec, beyond: SchemaSpec): SchemaSpec {
  const clash = beyond.tables.find((t) => spec.tables.some((s) => s.name === t.name));
  if (clash) throw new Error(`${clash.name} is in the seed: declare a deviation instead`);
  const merged = structuredClone(spec);
  for (const key of [
    'extensions',
    'tables',
    'indexes',
    'triggers',
    'views',
    'checks',
    'roles',
    'rowSecurity',
    'policies',
    'grants',
  ] as const) {
    (merged[key] as unknown[]).push(...structuredClone(beyond[key]));
  }
  return merged;
}

/** What the migrated database must look like. */
export const expectedSchema: SchemaSpec = withTablesBeyondTheSeed(
  applyDeliberateDeviations(seedSchema),
  beyondTheSeed,
);
