import { randomUUID } from 'node:crypto';
import { migrateReplica } from '../../../db/replica/migrate.ts';
import type { Database } from '../../../db/replica/open.ts';
import type { ReplicaTableName } from '../../../db/replica/tables.ts';
import { quoteIdent } from '../../../db/sql-quote.ts';
import { replicaFiles } from '../../../tests/support/replica-files.ts';

/*
 * For the queries' tests: a migrated replica of its own per test, and rows written straight into
 * it (in the replica's stored forms) with only what a test cares about spelled out.
 */

export const BUSINESS = '0b7f3f7e-1a2b-4c3d-8e9f-001122334455';
export const BUSINESS_PHONE = '+15125550100';

type Row = Record<string, string | number | null>;

/** Call at a test file's top level: each test gets a fresh migrated replica from `open()`. */
export function replicaPerTest(prefix: string): () => Database {
  const openFile = replicaFiles(prefix);
  return () => {
    const replica = openFile();
    migrateReplica(replica);
    return replica;
  };
}

/** A local instant in the stored form: `at(2026, 11, 5, 9)` is 9:00 on 5 November here. */
export const at = (year: number, month: number, day: number, hour = 12, minute = 0): string =>
  `${new Date(year, month - 1, day, hour, minute).toISOString().slice(0, 23)}000Z`;

function insert(replica: Database, table: ReplicaTableName, row: Row): string {
  const columns = Object.keys(row);
  replica
    .prepare(
      `INSERT INTO ${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')}) ` +
        `VALUES (${columns.map((column) => `@${column}`).join(', ')})`,
    )
    .run(row);
  return String(row.id);
}

export const insertLead = (replica: Database, row: Row = {}): string =>
  insert(replica, 'leads', {
    id: randomUUID(),
    user_id: BUSINESS,
    customer_phone: '+15125551234',
    source: 'missed_call',
    ...row,
  });

export const insertCall = (replica: Database, row: Row = {}): string =>
  insert(replica, 'call_logs', {
    id: randomUUID(),
    user_id: BUSINESS,
    caller_phone: '+15125551234',
    called_phone: BUSINESS_PHONE,
    call_status: 'answered',
    call_direction: 'inbound',
    ...row,
  });

export const insertText = (replica: Database, row: Row = {}): string =>
  insert(replica, 'sms_logs', {
    id: randomUUID(),
    user_id: BUSINESS,
    direction: 'inbound',
    from_phone: '+15125551234',
    to_phone: BUSINESS_PHONE,
    message_text: 'Hello',
    status: 'received',
    ...row,
  });

export const insertNote = (replica: Database, row: Row & { lead_id: string }): string =>
  insert(replica, 'lead_notes', { id: randomUUID(), user_id: BUSINESS, body: 'A note', ...row });

export const insertFinancial = (replica: Database, row: Row & { date: string }): string =>
  insert(replica, 'financials', { id: randomUUID(), user_id: BUSINESS, ...row });

export const insertCampaign = (replica: Database, row: Row = {}): string =>
  insert(replica, 'campaigns', {
    id: randomUUID(),
    user_id: BUSINESS,
    campaign_id: '1234567890',
    campaign_name: 'Emergency plumbing',
    daily_budget: '50.00',
    ...row,
  });

export const insertKeyword = (replica: Database, row: Row & { campaign_id: string }): string =>
  insert(replica, 'keywords', {
    id: randomUUID(),
    user_id: BUSINESS,
    keyword_text: 'emergency plumber',
    match_type: 'phrase',
    ...row,
  });

export const insertAgentLog = (replica: Database, row: Row = {}): string =>
  insert(replica, 'ai_agent_logs', {
    id: randomUUID(),
    user_id: BUSINESS,
    agent_name: 'monitor',
    action_type: 'detect_anomaly',
    action_data: '{}',
    result: 'success',
    ...row,
  });

export const insertWorkflow = (replica: Database, row: Row = {}): string =>
  insert(replica, 'workflows', {
    id: randomUUID(),
    user_id: BUSINESS,
    workflow_name: 'Missed-call text back',
    workflow_type: 'missed_call',
    config: '{}',
    ...row,
  });
