import { sql, type SQL } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import {
  agentNames,
  agentResults,
  callStatuses,
  campaignStatuses,
  campaignTypes,
  conflictOutcomes,
  directions,
  e164Pattern,
  keywordStatuses,
  leadSources,
  leadStatuses,
  leadUrgencies,
  matchTypes,
  messageProviders,
  pipelineStages,
  smsStatuses,
  workflowStatuses,
  workflowTypes,
} from '../enums.ts';
import { between, checkName, nonNegative, oneOf } from '../sql-checks.ts';
import { postgresColumns, type PostgresColumn, type ReplicaTableName } from './tables.ts';

/*
 * The SQLite replica of one business's data: the eight tables a desktop keeps, with the same column
 * names as Postgres (db/postgres/schema). What a value looks like here is db/replica/codec.ts's
 * business; in short, everything that is not an integer is TEXT in a canonical form:
 *
 *   uuid → TEXT (lower case)              numeric(p,2) → TEXT "450.00", never REAL
 *   timestamptz → TEXT "2026-11-27T17:37:41.123456Z" (UTC, fixed width: text order = time order)
 *   date → TEXT "YYYY-MM-DD"              jsonb → TEXT, json_valid
 *
 * CHECK constraints hold every column to its form, and mirror every Postgres CHECK (enumerations,
 * non-negative amounts, E.164 phones with GLOB since SQLite has no regex). There is one constraint
 * per column, named `<table>_<column>_check` like Postgres's, so SQLite's "CHECK constraint failed:
 * leads_status_check" names the column.
 *
 * No foreign keys between replica tables, on purpose: each table arrives as its own shape stream, so
 * a call can land before its lead, or a keyword before its campaign. Postgres keeps referential
 * integrity; the replica converges to it once every shape is up to date.
 *
 * Indexes are the Postgres ones that help queries over one business's rows, plus those the desktop's
 * own queries need. Left out on purpose: single-column `user_id` indexes (every row of a replica has
 * the same user_id, so they select nothing), `leads(status)` and `*_logs(lead_id)` (prefixes of the
 * composite indexes below), the GIN index on `ai_agent_logs.action_data` (SQLite has no GIN) and
 * `financials(cpl)` (one row per day; and text order is not numeric order — compare money with
 * CAST(... AS REAL), which orders correctly, and display the text).
 */

/** Now, in the stored timestamp form: strftime's %f gives milliseconds, padded to microseconds. */
const utcNow = sql`(strftime('%Y-%m-%dT%H:%M:%f', 'now') || '000Z')`;

// Ids have no default: the desktop makes them (crypto.randomUUID) so that an optimistic row and the
// mutation recorded with it in the outbox carry the same id.
const id = () => text('id').primaryKey();
const uuid = (name: string) => text(name);
const money = (name: string) => text(name);
const timestamptz = (name: string) => text(name);
const json = (name: string) => text(name);
const createdAt = () => timestamptz('created_at').notNull().default(utcNow);
const updatedAt = () => timestamptz('updated_at').notNull().default(utcNow);
/** Postgres's `DEFAULT 0` on a numeric(10,2), as Postgres prints it. */
const ZERO = '0.00';

// ------------------------------------------------------------------------------------------------
// CHECK expressions. NULL passes a CHECK in SQLite (as in Postgres); NOT NULL is separate.

const digitGlob = (count: number): string => '[0-9]'.repeat(count);
const TIMESTAMP_GLOB = `${digitGlob(4)}-${digitGlob(2)}-${digitGlob(2)}T${digitGlob(2)}:${digitGlob(2)}:${digitGlob(2)}.${digitGlob(6)}Z`;
const DATE_GLOB = `${digitGlob(4)}-${digitGlob(2)}-${digitGlob(2)}`;

/** E.164 as in db/enums.ts (`^\+[1-9][0-9]{min,max}$`), spelled with GLOB and length. */
const [, e164MinRest = '', e164MaxRest = ''] = /\{(\d+),(\d+)\}/.exec(e164Pattern) ?? [];
const e164 = (column: string): SQL =>
  sql.raw(
    `"${column}" GLOB '+[1-9]*' AND length("${column}") BETWEEN ${Number(e164MinRest) + 2} ` +
      `AND ${Number(e164MaxRest) + 2} AND substr("${column}", 2) NOT GLOB '*[^0-9]*'`,
  );

/** Postgres's `jsonb_typeof(x) = 'object'`; json_type() would raise on invalid JSON, hence CASE. */
const jsonObject = (column: string): SQL =>
  sql.raw(`CASE WHEN json_valid("${column}") THEN json_type("${column}") = 'object' ELSE 0 END`);

/**
 * The stored form of a column of this Postgres type, as SQL. `unsigned` numerics have no minus sign
 * (the replica's spelling of Postgres's `>= 0`, which on TEXT would compare as text).
 */
function storedForm(column: PostgresColumn, unsigned: boolean): string {
  const c = `"${column.name}"`;
  const isText = `typeof(${c}) = 'text'`;
  switch (column.type) {
    case 'text':
      return column.maxLength === undefined
        ? isText
        : `${isText} AND length(${c}) <= ${column.maxLength}`;
    case 'uuid':
      return `${isText} AND ${c} GLOB '????????-????-????-????-????????????' AND ${c} NOT GLOB '*[^0-9a-f-]*'`;
    case 'int4':
      return `typeof(${c}) = 'integer' AND ${c} BETWEEN -2147483648 AND 2147483647`;
    case 'numeric': {
      // Exactly two places, a digit before the point, no leading zeros, at most p - 2 integer
      // digits, no "-0.00": the canonical text Postgres prints for numeric(p, 2).
      const precision = column.precision ?? 10;
      return [
        isText,
        `${c} GLOB '*[0-9].[0-9][0-9]'`,
        unsigned ? `${c} GLOB '[0-9]*'` : `(${c} GLOB '[0-9]*' OR ${c} GLOB '-[0-9]*')`,
        `substr(${c}, 2, length(${c}) - 4) NOT GLOB '*[^0-9]*'`,
        `${c} NOT GLOB '0[0-9]*' AND ${c} NOT GLOB '-0[0-9]*'`,
        `length(ltrim(${c}, '-')) <= ${precision + 1}`,
        ...(unsigned ? [] : [`NOT (${c} GLOB '-*' AND ltrim(${c}, '-0.') = '')`]),
      ].join(' AND ');
    }
    case 'timestamptz':
      // The GLOB fixes the shape; strftime refuses a date or time that does not exist (Feb 30).
      return `${isText} AND ${c} GLOB '${TIMESTAMP_GLOB}' AND strftime('%Y-%m-%dT%H:%M:%S', ${c}) IS substr(${c}, 1, 19)`;
    case 'date':
      return `${isText} AND ${c} GLOB '${DATE_GLOB}' AND date(${c}) IS ${c}`;
    case 'jsonb':
      return `${isText} AND json_valid(${c})`;
    case 'text[]':
      return `${isText} AND CASE WHEN json_valid(${c}) THEN json_type(${c}) = 'array' ELSE 0 END`;
    case 'bool':
      return `${c} IN (0, 1)`;
  }
}

interface ColumnRules {
  /** Columns Postgres holds `>= 0`. */
  nonNegative?: readonly string[];
  /** Further conditions, as in the Postgres schema (enumerations, phones, …). */
  rules?: Readonly<Record<string, SQL>>;
}

/** One CHECK per column: its stored form AND the Postgres conditions on it. */
function columnChecks(
  table: ReplicaTableName,
  { nonNegative: unsigned = [], rules = {} }: ColumnRules,
) {
  const columns = postgresColumns(table);
  const names = new Set(columns.map((column) => column.name));
  for (const name of [...unsigned, ...Object.keys(rules)]) {
    if (!names.has(name)) throw new Error(`replica schema: ${table}.${name} is not a column`);
  }
  return columns.map((column) => {
    const isUnsigned = unsigned.includes(column.name);
    const conditions = [sql.raw(storedForm(column, isUnsigned))];
    if (isUnsigned && column.type !== 'numeric') conditions.push(nonNegative(column.name));
    const rule = rules[column.name];
    if (rule) conditions.push(rule);
    const all = sql.join(
      conditions.map((condition) => sql`(${condition})`),
      sql` AND `,
    );
    // Spelled out rather than left to NULL logic: some conditions (CASE … ELSE 0) are false on NULL.
    const expression = column.notNull
      ? all
      : sql`${sql.raw(`"${column.name}"`)} IS NULL OR (${all})`;
    return check(checkName(table, column.name), expression);
  });
}

const performanceColumns = [
  'total_spend',
  'total_clicks',
  'total_impressions',
  'total_conversions',
];

// ------------------------------------------------------------------------------------------------

/**
 * Urgency as a number (high 3 … low 1, none 0): sorting by urgency means by severity, not by the
 * words' spelling. Queries must spell ORDER BY with exactly this expression to use its indexes.
 */
export const urgencyRankSql = `(CASE "urgency" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 WHEN 'low' THEN 1 ELSE 0 END)`;
const urgencyRank = sql.raw(urgencyRankSql);

export const leads = sqliteTable(
  'leads',
  {
    id: id(),
    userId: uuid('user_id').notNull(),

    customerPhone: text('customer_phone').notNull(),
    customerName: text('customer_name'),
    customerEmail: text('customer_email'),
    customerAddress: text('customer_address'),

    source: text('source', { enum: leadSources }).notNull(),
    serviceType: text('service_type'),
    urgency: text('urgency', { enum: leadUrgencies }),
    description: text('description'),

    status: text('status', { enum: leadStatuses }).notNull().default('new'),
    pipelineStage: text('pipeline_stage', { enum: pipelineStages }),

    quotedAmount: money('quoted_amount'),
    actualAmount: money('actual_amount'),

    ghlContactId: text('ghl_contact_id'),
    ghlOpportunityId: text('ghl_opportunity_id'),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
    contactedAt: timestamptz('contacted_at'),
    quotedAt: timestamptz('quoted_at'),
    bookedAt: timestamptz('booked_at'),
    completedAt: timestamptz('completed_at'),
    lostAt: timestamptz('lost_at'),
    lostReason: text('lost_reason'),
  },
  (t) => [
    index('idx_leads_user_id_status').on(t.userId, t.status),
    index('idx_leads_source').on(t.source),
    index('idx_leads_created_at').on(sql`${t.createdAt} DESC`),
    index('idx_leads_customer_phone').on(t.customerPhone),
    // The desktop's pipeline (electron/core/queries/leads.ts): every sort, alone and within a
    // status (a board column, a status filter), read in index order so a page stops at its limit.
    index('idx_leads_status_created_at').on(t.status, t.createdAt),
    index('idx_leads_updated_at').on(t.updatedAt),
    index('idx_leads_status_updated_at').on(t.status, t.updatedAt),
    index('idx_leads_customer_name').on(sql`${t.customerName} COLLATE NOCASE`),
    index('idx_leads_status_customer_name').on(t.status, sql`${t.customerName} COLLATE NOCASE`),
    index('idx_leads_urgency_rank').on(urgencyRank, t.createdAt),
    index('idx_leads_status_urgency_rank').on(t.status, urgencyRank, t.createdAt),
    index('idx_leads_service_type').on(t.serviceType),
    // Every filtered column: counting the filtered leads (list totals, board columns) reads this
    // index alone, never the table.
    index('idx_leads_status_filters').on(t.status, t.source, t.urgency, t.serviceType, t.createdAt),
    ...columnChecks('leads', {
      nonNegative: ['quoted_amount', 'actual_amount'],
      rules: {
        customer_phone: e164('customer_phone'),
        source: oneOf('source', leadSources),
        urgency: oneOf('urgency', leadUrgencies),
        status: oneOf('status', leadStatuses),
        pipeline_stage: oneOf('pipeline_stage', pipelineStages),
        customer_email: sql`"customer_email" LIKE '_%@_%'`,
      },
    }),
  ],
);

/** An inbound call nobody answered, as SQL (1 or 0); the call log's order and badge use it. */
// Spelled without commas: drizzle-kit splits an index expression at them.
export const missedCallSql = `("call_direction" = 'inbound' AND ("call_status" = 'no_answer' OR "call_status" = 'busy' OR "call_status" = 'voicemail' OR "call_status" = 'failed'))`;

export const callLogs = sqliteTable(
  'call_logs',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    leadId: uuid('lead_id'),

    callerPhone: text('caller_phone').notNull(),
    calledPhone: text('called_phone').notNull(),
    callStatus: text('call_status', { enum: callStatuses }).notNull(),
    callDirection: text('call_direction', { enum: directions }).notNull(),
    callDuration: integer('call_duration').notNull().default(0),

    recordingUrl: text('recording_url'),
    recordingDuration: integer('recording_duration'),

    ghlCallId: text('ghl_call_id'),

    createdAt: createdAt(),
    endedAt: timestamptz('ended_at'),
  },
  (t) => [
    index('idx_call_logs_lead_id_created_at').on(t.leadId, t.createdAt),
    index('idx_call_logs_call_status').on(t.callStatus),
    index('idx_call_logs_created_at').on(sql`${t.createdAt} DESC`),
    // The call log shows missed calls first (electron/core/queries/calls.ts).
    index('idx_call_logs_missed_created_at').on(sql.raw(missedCallSql), t.createdAt),
    ...columnChecks('call_logs', {
      nonNegative: ['call_duration', 'recording_duration'],
      rules: {
        caller_phone: e164('caller_phone'),
        called_phone: e164('called_phone'),
        call_status: oneOf('call_status', callStatuses),
        call_direction: oneOf('call_direction', directions),
      },
    }),
  ],
);

export const smsLogs = sqliteTable(
  'sms_logs',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    leadId: uuid('lead_id'),

    direction: text('direction', { enum: directions }).notNull(),
    fromPhone: text('from_phone').notNull(),
    toPhone: text('to_phone').notNull(),
    messageText: text('message_text').notNull(),

    status: text('status', { enum: smsStatuses }).notNull().default('sent'),
    errorMessage: text('error_message'),

    replyToSmsId: uuid('reply_to_sms_id'),

    provider: text('provider', { enum: messageProviders }).notNull().default('twilio'),
    providerMessageId: text('provider_message_id'),

    createdAt: createdAt(),
    deliveredAt: timestamptz('delivered_at'),
    repliedAt: timestamptz('replied_at'),
  },
  (t) => [
    index('idx_sms_logs_lead_id_created_at').on(t.leadId, t.createdAt),
    index('idx_sms_logs_direction').on(t.direction),
    index('idx_sms_logs_created_at').on(sql`${t.createdAt} DESC`),
    ...columnChecks('sms_logs', {
      rules: {
        direction: oneOf('direction', directions),
        from_phone: e164('from_phone'),
        to_phone: e164('to_phone'),
        status: oneOf('status', smsStatuses),
        provider: oneOf('provider', messageProviders),
      },
    }),
  ],
);

/** The Ads API's cached totals and sync stamps, on a campaign and on each of its keywords. */
const adTotals = () => ({
  totalSpend: money('total_spend').notNull().default(ZERO),
  totalClicks: integer('total_clicks').notNull().default(0),
  totalImpressions: integer('total_impressions').notNull().default(0),
  totalConversions: integer('total_conversions').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  lastSyncedAt: timestamptz('last_synced_at'),
});

export const campaigns = sqliteTable(
  'campaigns',
  {
    id: id(),
    userId: uuid('user_id').notNull(),

    campaignId: text('campaign_id').notNull(),
    campaignName: text('campaign_name').notNull(),
    campaignType: text('campaign_type', { enum: campaignTypes }).notNull().default('search'),

    dailyBudget: money('daily_budget').notNull(),
    monthlyBudget: money('monthly_budget'),

    status: text('status', { enum: campaignStatuses }).notNull().default('active'),

    ...adTotals(),
  },
  (t) => [
    index('idx_campaigns_campaign_id').on(t.campaignId),
    index('idx_campaigns_status').on(t.status),
    ...columnChecks('campaigns', {
      nonNegative: ['daily_budget', 'monthly_budget', ...performanceColumns],
      rules: {
        campaign_type: oneOf('campaign_type', campaignTypes),
        status: oneOf('status', campaignStatuses),
      },
    }),
  ],
);

/** `user_id` as in Postgres, where a trigger keeps it equal to the campaign's. */
export const keywords = sqliteTable(
  'keywords',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),

    keywordText: text('keyword_text').notNull(),
    matchType: text('match_type', { enum: matchTypes }).notNull(),

    maxCpc: money('max_cpc'),
    qualityScore: integer('quality_score'),

    status: text('status', { enum: keywordStatuses }).notNull().default('active'),

    ...adTotals(),
  },
  (t) => [
    index('idx_keywords_campaign_id').on(t.campaignId),
    index('idx_keywords_status').on(t.status),
    index('idx_keywords_keyword_text').on(t.keywordText),
    ...columnChecks('keywords', {
      nonNegative: ['max_cpc', ...performanceColumns],
      rules: {
        match_type: oneOf('match_type', matchTypes),
        status: oneOf('status', keywordStatuses),
        quality_score: between('quality_score', 1, 10),
      },
    }),
  ],
);

/**
 * One row per business per day. `cpl`, `conversion_rate` and `roi` are generated columns in
 * Postgres; here they are plain columns holding what the server computed (they may be negative).
 */
export const financials = sqliteTable(
  'financials',
  {
    id: id(),
    userId: uuid('user_id').notNull(),

    date: text('date').notNull(),

    adSpend: money('ad_spend').notNull().default(ZERO),
    platformFee: money('platform_fee').notNull().default(ZERO),
    otherCosts: money('other_costs').notNull().default(ZERO),

    leadsGenerated: integer('leads_generated').notNull().default(0),
    leadsContacted: integer('leads_contacted').notNull().default(0),
    leadsQuoted: integer('leads_quoted').notNull().default(0),
    leadsBooked: integer('leads_booked').notNull().default(0),
    leadsCompleted: integer('leads_completed').notNull().default(0),
    leadsLost: integer('leads_lost').notNull().default(0),

    revenue: money('revenue').notNull().default(ZERO),

    cpl: money('cpl'),
    conversionRate: money('conversion_rate'),
    roi: money('roi'),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('financials_user_id_date_key').on(t.userId, t.date),
    index('idx_financials_date').on(sql`${t.date} DESC`),
    ...columnChecks('financials', {
      nonNegative: [
        'ad_spend',
        'platform_fee',
        'other_costs',
        'revenue',
        'leads_generated',
        'leads_contacted',
        'leads_quoted',
        'leads_booked',
        'leads_completed',
        'leads_lost',
      ],
    }),
  ],
);

/** Append-only record of what each of the five agents did and why. */
export const aiAgentLogs = sqliteTable(
  'ai_agent_logs',
  {
    id: id(),
    userId: uuid('user_id').notNull(),

    agentName: text('agent_name', { enum: agentNames }).notNull(),
    actionType: text('action_type').notNull(),

    actionData: json('action_data').notNull(),

    result: text('result', { enum: agentResults }).notNull(),
    resultMessage: text('result_message'),

    estimatedImpact: json('estimated_impact'),

    createdAt: createdAt(),
    completedAt: timestamptz('completed_at'),
  },
  (t) => [
    index('idx_ai_agent_logs_agent_name').on(t.agentName),
    index('idx_ai_agent_logs_action_type').on(t.actionType),
    index('idx_ai_agent_logs_created_at').on(sql`${t.createdAt} DESC`),
    ...columnChecks('ai_agent_logs', {
      rules: {
        agent_name: oneOf('agent_name', agentNames),
        result: oneOf('result', agentResults),
        action_data: jsonObject('action_data'),
        estimated_impact: jsonObject('estimated_impact'),
      },
    }),
  ],
);

export const workflows = sqliteTable(
  'workflows',
  {
    id: id(),
    userId: uuid('user_id').notNull(),

    workflowName: text('workflow_name').notNull(),
    workflowType: text('workflow_type', { enum: workflowTypes }).notNull(),

    ghlWorkflowId: text('ghl_workflow_id'),

    config: json('config').notNull(),

    status: text('status', { enum: workflowStatuses }).notNull().default('active'),

    totalTriggered: integer('total_triggered').notNull().default(0),
    totalCompleted: integer('total_completed').notNull().default(0),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_workflows_workflow_type').on(t.workflowType),
    index('idx_workflows_status').on(t.status),
    ...columnChecks('workflows', {
      nonNegative: ['total_triggered', 'total_completed'],
      rules: {
        workflow_type: oneOf('workflow_type', workflowTypes),
        status: oneOf('status', workflowStatuses),
        config: jsonObject('config'),
      },
    }),
  ],
);

// ------------------------------------------------------------------------------------------------
// The write path's synced tables (db/postgres/schema/mutations.ts).

export const leadNotes = sqliteTable(
  'lead_notes',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    leadId: uuid('lead_id').notNull(),
    memberId: uuid('member_id'),
    body: text('body').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('idx_lead_notes_lead_id').on(t.leadId, t.createdAt),
    ...columnChecks('lead_notes', { rules: { body: sql.raw(`length(trim("body")) > 0`) } }),
  ],
);

export const mutationRejections = sqliteTable(
  'mutation_rejections',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    clientId: text('client_id').notNull(),
    mutationId: integer('mutation_id').notNull(),
    memberId: uuid('member_id'),
    name: text('name').notNull(),
    args: json('args').notNull(),
    code: text('code').notNull(),
    reason: text('reason').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('mutation_rejections_client_id_mutation_id_key').on(t.clientId, t.mutationId),
    ...columnChecks('mutation_rejections', {}),
  ],
);

export const fieldConflicts = sqliteTable(
  'field_conflicts',
  {
    id: id(),
    userId: uuid('user_id').notNull(),
    tableName: text('table_name').notNull(),
    rowId: uuid('row_id').notNull(),
    field: text('field').notNull(),
    keptValue: text('kept_value'),
    supersededValue: text('superseded_value'),
    keptHlc: text('kept_hlc').notNull(),
    supersededHlc: text('superseded_hlc').notNull(),
    keptBy: text('kept_by'),
    supersededBy: text('superseded_by'),
    supersededClientId: text('superseded_client_id'),
    supersededMutationId: integer('superseded_mutation_id'),
    outcome: text('outcome', { enum: conflictOutcomes }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    index('idx_field_conflicts_row').on(t.tableName, t.rowId),
    ...columnChecks('field_conflicts', {
      rules: { outcome: oneOf('outcome', conflictOutcomes) },
    }),
  ],
);

/** The replica's tables by their SQL name. */
export const replicaTables = {
  leads,
  call_logs: callLogs,
  sms_logs: smsLogs,
  financials,
  campaigns,
  keywords,
  workflows,
  ai_agent_logs: aiAgentLogs,
  lead_notes: leadNotes,
  mutation_rejections: mutationRejections,
  field_conflicts: fieldConflicts,
} as const satisfies Record<ReplicaTableName, unknown>;

/** The sync client's position per shape, and indexes it set aside (not replicated tables). */
export { syncDeferredIndexes, syncShapes } from './sync-shapes.ts';

/** The desktop's outbox of mutations and the server rows under its optimistic overlay. */
export { outboxBaseRows, outboxClient, outboxMutations, outboxRows } from './outbox-schema.ts';

/** This desktop's read marks (not synced). */
export { desktopMarks, inboxReads } from './desktop-schema.ts';
