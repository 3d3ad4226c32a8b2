/**
 * Plain-SQL fixtures for the schema tests: a valid row for every table (override any column), an
 * INSERT helper, and `refusal` to capture what the database refused, as the system's AppError.
 */
import { sql, type SQL } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import type { AppError } from '../../db/errors.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { fromDatabaseError } from '../../db/postgres/errors.ts';
import { type Backend, createTestDatabase, type TestDatabase } from '../support/databases.ts';
import type { syncedTables } from './seed-spec.ts';

/** A column value: a parameter, or an SQL fragment (`sql\`now()\``) written into the statement. */
export type Value = string | number | boolean | null | SQL;
export type Row = Record<string, Value>;

/**
 * Registers beforeEach/afterEach for a fresh, migrated database per test and returns its accessor
 * (the whole TestDatabase: its handle, its `url`). Call it inside `describe.each(backends)`.
 */
export function useFreshTestDatabase(backend: Backend): () => TestDatabase {
  let current: TestDatabase | undefined;
  beforeEach(async () => {
    current = await createTestDatabase(backend);
  });
  afterEach(async () => {
    const closing = current;
    current = undefined;
    await closing?.close();
  });
  return () => {
    if (!current) throw new Error('no test database: useFreshTestDatabase hooks did not run');
    return current;
  };
}

/** `useFreshTestDatabase` for tests that need only the query layer. */
export function useFreshDatabase(backend: Backend): () => AppDatabase {
  const database = useFreshTestDatabase(backend);
  return () => database().db;
}

export const ARGON2ID_HASH =
  '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$2yGm4gsnMtmvAkvHzqHs7Ne0HBK+UOZRhrhf8zjpa5g';
export const SEALED_TOKEN = 'enc:v1:bm9uY2U.Y2lwaGVydGV4dA.dGFn';
export const jsonb = (value: unknown): SQL => sql`${JSON.stringify(value)}::jsonb`;
export const textArray = (values: string[]): SQL =>
  sql`ARRAY[${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )}]::text[]`;

let serial = 0;
/** Distinct per call, so unique columns (email, stripe id, financial day) never collide. */
const next = (): number => (serial += 1);

/** The parents a child row needs. */
export interface Parents {
  userId: string;
  /** Only keywords need one. */
  campaignId?: string;
  /** Only auth_sessions need one. */
  memberId?: string;
  /** Only auth_refresh_tokens need one. */
  sessionId?: string;
  /** Only lead_notes need one. */
  leadId?: string;
  /** Only provider_calls need one, of its own: a call log has at most one Twilio record. */
  callLogId?: string;
  /** Only outbound_texts need one, of its own: its sms_logs row is its key. */
  smsLogId?: string;
  /** Only outbound_texts take one, and may go without: the workflow that sent the text. */
  workflowId?: string;
}

/** What `insertBusiness` makes: a business and one campaign of it. */
export type Business = Required<Pick<Parents, 'userId' | 'campaignId'>>;

/** A SHA-256 in hex, as the accounts tables store tokens: distinct per call. */
const tokenHash = (): string => next().toString(16).padStart(64, '0');
/** An E.164 number, distinct per call: tracking numbers are unique across businesses. */
const distinctPhone = (): string => `+1737${String(next()).padStart(7, '0')}`;
/** A Twilio CallSid (`CA` and 32 hex digits), distinct per call. */
const callSid = (): string => `CA${next().toString(16).padStart(32, '0')}`;
/** An outbound text's idempotency key, distinct per call: unique across businesses. */
const idempotencyKey = (): string => `missed-call:CA${next().toString(16).padStart(32, '0')}`;

/** A valid row for each table; every test overrides only what it is about. */
export const validRow = {
  users: (): Row => {
    const n = next();
    return {
      email: `owner${n}@plumbing.example`,
      password_hash: ARGON2ID_HASH,
      business_name: `Business ${n}`,
      owner_name: 'Pat Owner',
      primary_phone: '+15125551234',
      service_types: textArray(['plumbing', 'drain_cleaning']),
    };
  },
  leads: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    customer_phone: '+15125550101',
    source: 'missed_call',
  }),
  call_logs: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    caller_phone: '+15125550101',
    called_phone: '+15125551234',
    call_status: 'answered',
    call_direction: 'inbound',
  }),
  sms_logs: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    direction: 'outbound',
    from_phone: '+15125551234',
    to_phone: '+15125550101',
    message_text: 'Sorry we missed your call, how can we help?',
  }),
  campaigns: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    campaign_id: `ads-${next()}`,
    campaign_name: 'Emergency plumbing',
    daily_budget: '50.00',
  }),
  keywords: (p: Pick<Parents, 'campaignId'>): Row => ({
    campaign_id: p.campaignId ?? null,
    keyword_text: 'emergency plumber',
    match_type: 'phrase',
  }),
  financials: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    date: sql.raw(`DATE '2024-01-01' + ${next()}`),
  }),
  ai_agent_logs: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    agent_name: 'monitor',
    action_type: 'detect_anomaly',
    action_data: jsonb({ metric: 'cpl' }),
    result: 'success',
  }),
  subscriptions: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    stripe_subscription_id: `sub_${next()}`,
    stripe_price_id: 'price_pro',
    plan_name: 'Pro',
    amount: '99.00',
    current_period_start: sql`now()`,
    current_period_end: sql`now() + interval '1 month'`,
  }),
  workflows: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    workflow_name: 'Missed call text-back',
    workflow_type: 'missed_call',
    config: jsonb({ delaySeconds: 30 }),
  }),

  // Beyond the seed: accounts and the change log.
  members: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    email: `member${next()}@plumbing.example`,
    password_hash: ARGON2ID_HASH,
    name: 'Sam Dispatcher',
    role: 'dispatcher',
  }),
  platform_operators: (): Row => ({
    email: `operator${next()}@fieldline.example`,
    password_hash: ARGON2ID_HASH,
    name: 'Ola Operator',
  }),
  member_invitations: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    email: `invitee${next()}@plumbing.example`,
    role: 'technician',
    token_hash: tokenHash(),
    expires_at: sql`now() + interval '7 days'`,
  }),
  auth_sessions: (p: Pick<Parents, 'userId' | 'memberId'>): Row => ({
    member_id: p.memberId ?? null,
    user_id: p.userId,
    device_id: `device-${next()}`,
    expires_at: sql`now() + interval '30 days'`,
  }),
  auth_refresh_tokens: (p: Pick<Parents, 'sessionId'>): Row => ({
    session_id: p.sessionId ?? null,
    token_hash: tokenHash(),
  }),
  // Written by the capture triggers, never by hand, except to test the table's own constraints:
  // numbers far above what the triggers hand out in a test, so the two never collide.
  change_log: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    seq: 1_000_000 + next(),
    table_name: 'leads',
    op: 'I',
    row_id: sql`uuid_generate_v4()`,
  }),
  // No foreign key to users: any id is a head of its own, clear of the ones the triggers make.
  sync_heads: (): Row => ({ user_id: sql`uuid_generate_v4()`, seq: 10 }),

  // Beyond the seed: the write path (synced: lead_notes, mutation_rejections, field_conflicts).
  lead_notes: (p: Pick<Parents, 'userId' | 'leadId'>): Row => ({
    user_id: p.userId,
    lead_id: p.leadId ?? null,
    body: 'Gate code 4411; the dog is friendly',
  }),
  mutation_clients: (p: Pick<Parents, 'userId'>): Row => ({
    client_id: `desktop-${next()}`,
    user_id: p.userId,
  }),
  mutation_rejections: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    client_id: `desktop-${next()}`,
    mutation_id: 7,
    name: 'lead.move',
    args: jsonb({ to: 'new' }),
    code: 'PIPELINE_FORBIDS',
    reason: 'A lead moves forward through the pipeline.',
  }),
  field_conflicts: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    table_name: 'leads',
    row_id: sql`uuid_generate_v4()`,
    field: 'urgency',
    kept_value: 'high',
    superseded_value: 'low',
    kept_hlc: '001764338400000-000000-office',
    superseded_hlc: '001764338300000-000000-laptop-1',
    outcome: 'overtaken',
  }),
  // A row id of its own: the key is (table_name, row_id, field).
  field_clocks: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    table_name: 'leads',
    row_id: sql`uuid_generate_v4()`,
    field: 'urgency',
    hlc: '001764338400000-000000-office',
  }),

  // Beyond the seed: telephony (server-only). A number of its own, for the business's campaign.
  tracking_numbers: (p: Pick<Parents, 'userId' | 'campaignId'>): Row => ({
    user_id: p.userId,
    phone_number: distinctPhone(),
    lead_source: 'google_ads',
    campaign_id: p.campaignId ?? null,
    label: 'Google Ads: emergency plumbing',
  }),
  provider_calls: (p: Pick<Parents, 'userId' | 'callLogId'>): Row => ({
    call_sid: callSid(),
    user_id: p.userId,
    call_log_id: p.callLogId ?? null,
    provider_status: 'ringing',
  }),
  // A phone of its own: the key is (user_id, phone).
  sms_suppressions: (p: Pick<Parents, 'userId'>): Row => ({
    user_id: p.userId,
    phone: distinctPhone(),
    reason: 'keyword',
    matched: 'STOP',
  }),
  // The sending of one of the business's texts: its sms_logs row of its own (the key).
  outbound_texts: (p: Pick<Parents, 'userId' | 'smsLogId' | 'workflowId'>): Row => ({
    sms_log_id: p.smsLogId ?? null,
    user_id: p.userId,
    idempotency_key: idempotencyKey(),
    purpose: 'missed_call',
    workflow_id: p.workflowId ?? null,
    send_at: sql`now() + interval '30 seconds'`,
  }),
} satisfies Record<string, (p: Parents) => Row>;

export type TableName = keyof typeof validRow;

/** An ordinary change to a row of each synced table (no key, no tenant). */
export const ordinaryUpdate = {
  leads: { status: 'contacted' },
  call_logs: { call_duration: 42 },
  sms_logs: { status: 'delivered' },
  financials: { revenue: '125.00' },
  campaigns: { campaign_name: 'Renamed campaign' },
  keywords: { keyword_text: 'water heater repair' },
  workflows: { workflow_name: 'Renamed workflow' },
  ai_agent_logs: { result_message: 'Anomaly resolved' },
  lead_notes: { body: 'Gate code 5522' },
  mutation_rejections: { reason: 'The lead was already booked.' },
  field_conflicts: { kept_by: 'Dana Ortiz (dispatcher)' },
} satisfies Record<(typeof syncedTables)[number], Row>;

/** `SET a = 1, b = 2` */
export const setClause = (change: Row): SQL =>
  sql.join(
    Object.entries(change).map(([column, value]) => sql`${sql.identifier(column)} = ${value}`),
    sql`, `,
  );

/**
 * The column that names one row of a table: `id`, except where the table has none. change_log's
 * key is (user_id, seq); its fixture numbers are unique across businesses, so seq alone will do.
 * field_clocks' is (table_name, row_id, field); its fixture rows each have a row id of their own.
 * sms_suppressions' is (user_id, phone); its fixture phones are unique across businesses.
 * outbound_texts' is its sms_logs row's id.
 */
export const rowKey = (table: string): string =>
  (
    ({
      sync_heads: 'user_id',
      change_log: 'seq',
      auth_rate_limits: 'key',
      mutation_clients: 'client_id',
      field_clocks: 'row_id',
      provider_calls: 'call_sid',
      sms_suppressions: 'phone',
      outbound_texts: 'sms_log_id',
    }) as Record<string, string>
  )[table] ?? 'id';

/** INSERT INTO <table> (<columns>) VALUES (<values>) RETURNING <rowKey> (as text) */
export async function insertRow(db: AppDatabase, table: string, row: Row): Promise<string> {
  const columns = Object.keys(row);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO ${sql.identifier(table)} (${sql.join(
      columns.map((c) => sql.identifier(c)),
      sql`, `,
    )}) VALUES (${sql.join(
      columns.map((c) => sql`${row[c]}`),
      sql`, `,
    )}) RETURNING ${sql.identifier(rowKey(table))}::text AS id`,
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error(`INSERT INTO ${table} returned no id`);
  return id;
}

/** Inserts a valid row of `table` (with `overrides`) under the given parents. */
export const insertValid = (
  db: AppDatabase,
  table: TableName,
  parents: Parents,
  overrides: Row = {},
): Promise<string> => insertRow(db, table, { ...validRow[table](parents), ...overrides });

export const insertUser = (db: AppDatabase, overrides: Row = {}): Promise<string> =>
  insertRow(db, 'users', { ...validRow.users(), ...overrides });

/** A business with one campaign: the parents every seed table needs. */
export async function insertBusiness(db: AppDatabase, overrides: Row = {}): Promise<Business> {
  const userId = await insertUser(db, overrides);
  const campaignId = await insertRow(db, 'campaigns', validRow.campaigns({ userId }));
  return { userId, campaignId };
}

/**
 * The business's parents for a row of `table`, with what else it needs made first: a lead of the
 * business for a note (`leadId`), a call log of its own for Twilio's record of a call (`callLogId`:
 * one record per call log, so each row needs a new one), a text of its own for the sending of it
 * (`smsLogId`: the text is its key); nothing more for any other table.
 */
export async function parentsFor<P extends Parents>(
  db: AppDatabase,
  table: TableName,
  parents: P,
): Promise<P & Pick<Parents, 'leadId' | 'callLogId' | 'smsLogId'>> {
  if (table === 'lead_notes' && parents.leadId === undefined) {
    return { ...parents, leadId: await insertValid(db, 'leads', parents) };
  }
  if (table === 'provider_calls' && parents.callLogId === undefined) {
    return { ...parents, callLogId: await insertValid(db, 'call_logs', parents) };
  }
  if (table === 'outbound_texts' && parents.smsLogId === undefined) {
    return { ...parents, smsLogId: await insertValid(db, 'sms_logs', parents) };
  }
  return parents;
}

/** The AppError `fromDatabaseError` makes of the refusal; throws if the database accepted. */
export async function refusal(attempt: Promise<unknown>): Promise<AppError> {
  const outcome = await attempt.then(
    () => undefined,
    (error: unknown) => fromDatabaseError(error),
  );
  if (outcome === undefined) throw new Error('the database accepted what it should refuse');
  return outcome;
}

/**
 * The single row a query returns. Cast values to text in the query (`cpl::text`): the two drivers
 * parse numbers, bigints and timestamps differently, but agree on text.
 */
export async function one<T extends Record<string, unknown>>(
  db: AppDatabase,
  query: SQL,
): Promise<T> {
  const rows = await queryRows<T>(db, query);
  if (rows.length !== 1) throw new Error(`expected exactly one row, got ${rows.length}`);
  return rows[0] as T;
}
