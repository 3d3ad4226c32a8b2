import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import {
  aiAgentLogs,
  callLogs,
  campaigns,
  financials,
  keywords,
  leads,
  members,
  smsLogs,
  subscriptions,
  trackingNumbers,
  users,
  workflows,
} from '../postgres/schema/index.ts';
import type {
  AgentName,
  AgentResult,
  CallStatus,
  CampaignStatus,
  CampaignType,
  Direction,
  KeywordStatus,
  LeadSource,
  LeadStatus,
  LeadUrgency,
  MatchType,
  MemberRole,
  MemberStatus,
  MessageProvider,
  PipelineStage,
  PlanName,
  SmsStatus,
  SubscriptionStatus,
  UserStatus,
  WorkflowStatus,
  WorkflowType,
} from '../enums.ts';

/**
 * Demo rows as plain objects keyed by Postgres column names. Timestamps are ISO-8601 UTC strings,
 * dates `YYYY-MM-DD`, money exact decimal strings ("123.45"). Generated columns (financials.cpl,
 * conversion_rate, roi) are never part of a row.
 */
type Timestamp = string;
type Money = string;
export type JsonObject = { [key: string]: JsonValue };
export type JsonValue = string | number | boolean | null | JsonValue[] | JsonObject;

export interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  business_name: string;
  owner_name: string;
  primary_phone: string;
  business_address: string | null;
  city: string | null;
  state: string | null;
  zip_code: string | null;
  country: string;
  timezone: string;
  service_types: string[];
  service_area: string | null;
  years_in_business: number | null;
  license_number: string | null;
  ghl_location_id: string | null;
  ghl_access_token: string | null;
  ghl_refresh_token: string | null;
  ghl_token_expires_at: Timestamp | null;
  google_ads_customer_id: string | null;
  google_ads_refresh_token: string | null;
  stripe_customer_id: string | null;
  status: UserStatus;
  onboarding_completed: boolean;
  onboarding_step: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
}

/** A login of a business: its owner (the users row's email and hash) and, for some, staff. */
export interface MemberRow {
  id: string;
  user_id: string;
  email: string;
  password_hash: string;
  name: string;
  role: MemberRole;
  status: MemberStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_login_at: Timestamp | null;
}

export interface LeadRow {
  id: string;
  user_id: string;
  customer_phone: string;
  customer_name: string | null;
  customer_email: string | null;
  customer_address: string | null;
  source: LeadSource;
  service_type: string | null;
  urgency: LeadUrgency | null;
  description: string | null;
  status: LeadStatus;
  pipeline_stage: PipelineStage | null;
  quoted_amount: Money | null;
  actual_amount: Money | null;
  ghl_contact_id: string | null;
  ghl_opportunity_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  contacted_at: Timestamp | null;
  quoted_at: Timestamp | null;
  booked_at: Timestamp | null;
  completed_at: Timestamp | null;
  lost_at: Timestamp | null;
  lost_reason: string | null;
  /** Never in the demo: no demo customer has texted STOP. */
  sms_opted_out_at: Timestamp | null;
}

export interface CallLogRow {
  id: string;
  user_id: string;
  lead_id: string | null;
  caller_phone: string;
  called_phone: string;
  call_status: CallStatus;
  call_direction: Direction;
  call_duration: number;
  recording_url: string | null;
  recording_duration: number | null;
  ghl_call_id: string | null;
  created_at: Timestamp;
  ended_at: Timestamp | null;
}

export interface SmsLogRow {
  id: string;
  user_id: string;
  lead_id: string | null;
  direction: Direction;
  from_phone: string;
  to_phone: string;
  message_text: string;
  status: SmsStatus;
  error_message: string | null;
  reply_to_sms_id: string | null;
  provider: MessageProvider;
  provider_message_id: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
  replied_at: Timestamp | null;
}

export interface CampaignRow {
  id: string;
  user_id: string;
  campaign_id: string;
  campaign_name: string;
  campaign_type: CampaignType;
  daily_budget: Money;
  monthly_budget: Money | null;
  status: CampaignStatus;
  total_spend: Money;
  total_clicks: number;
  total_impressions: number;
  total_conversions: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_synced_at: Timestamp | null;
}

export interface KeywordRow {
  id: string;
  user_id: string;
  campaign_id: string;
  keyword_text: string;
  match_type: MatchType;
  max_cpc: Money | null;
  quality_score: number | null;
  status: KeywordStatus;
  total_spend: Money;
  total_clicks: number;
  total_impressions: number;
  total_conversions: number;
  created_at: Timestamp;
  updated_at: Timestamp;
  last_synced_at: Timestamp | null;
}

/** One of a business's Twilio numbers (server only: desktops never see this table). */
export interface TrackingNumberRow {
  id: string;
  user_id: string;
  phone_number: string;
  lead_source: LeadSource;
  campaign_id: string | null;
  forward_to: string | null;
  label: string | null;
  active: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface FinancialRow {
  id: string;
  user_id: string;
  date: string;
  ad_spend: Money;
  platform_fee: Money;
  other_costs: Money;
  leads_generated: number;
  leads_contacted: number;
  leads_quoted: number;
  leads_booked: number;
  leads_completed: number;
  leads_lost: number;
  revenue: Money;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AiAgentLogRow {
  id: string;
  user_id: string;
  agent_name: AgentName;
  action_type: string;
  action_data: JsonObject;
  result: AgentResult;
  result_message: string | null;
  estimated_impact: JsonObject | null;
  created_at: Timestamp;
  completed_at: Timestamp | null;
}

export interface SubscriptionRow {
  id: string;
  user_id: string;
  stripe_subscription_id: string;
  stripe_price_id: string;
  plan_name: PlanName;
  amount: Money;
  currency: string;
  status: SubscriptionStatus;
  current_period_start: Timestamp;
  current_period_end: Timestamp;
  cancel_at_period_end: boolean;
  created_at: Timestamp;
  updated_at: Timestamp;
  cancelled_at: Timestamp | null;
}

export interface WorkflowRow {
  id: string;
  user_id: string;
  workflow_name: string;
  workflow_type: WorkflowType;
  ghl_workflow_id: string | null;
  config: JsonObject;
  status: WorkflowStatus;
  total_triggered: number;
  total_completed: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DemoData {
  users: UserRow[];
  members: MemberRow[];
  leads: LeadRow[];
  call_logs: CallLogRow[];
  sms_logs: SmsLogRow[];
  campaigns: CampaignRow[];
  keywords: KeywordRow[];
  tracking_numbers: TrackingNumberRow[];
  financials: FinancialRow[];
  ai_agent_logs: AiAgentLogRow[];
  subscriptions: SubscriptionRow[];
  workflows: WorkflowRow[];
}

export type DemoTable = keyof DemoData;
export type DemoCounts = Record<DemoTable, number>;

/** Tables in foreign-key order: every table after the ones it references. */
export const demoTables = [
  'users',
  'members',
  'subscriptions',
  'workflows',
  'campaigns',
  'tracking_numbers',
  'keywords',
  'leads',
  'call_logs',
  'sms_logs',
  'financials',
  'ai_agent_logs',
] as const satisfies readonly DemoTable[];

const schemaTables = {
  users,
  members,
  leads,
  call_logs: callLogs,
  sms_logs: smsLogs,
  campaigns,
  keywords,
  tracking_numbers: trackingNumbers,
  financials,
  ai_agent_logs: aiAgentLogs,
  subscriptions,
  workflows,
} satisfies Record<DemoTable, PgTable>;

/**
 * The columns the demo writes, per table: every column of the Postgres schema, in its order, except
 * the generated ones (Postgres computes those). Derived, so a column added to the schema is written
 * here without a second list; generate.test.ts checks every row has exactly these keys.
 */
export const demoColumns = Object.fromEntries(
  demoTables.map((table) => [
    table,
    Object.values(getTableColumns<PgTable>(schemaTables[table]))
      .filter((column) => !column.generated)
      .map((column) => column.name),
  ]),
) as unknown as Record<DemoTable, readonly string[]>;

export const emptyCounts = (): DemoCounts => ({
  users: 0,
  members: 0,
  leads: 0,
  call_logs: 0,
  sms_logs: 0,
  campaigns: 0,
  keywords: 0,
  tracking_numbers: 0,
  financials: 0,
  ai_agent_logs: 0,
  subscriptions: 0,
  workflows: 0,
});

export const countRows = (data: DemoData): DemoCounts => {
  const counts = emptyCounts();
  for (const table of demoTables) counts[table] = data[table].length;
  return counts;
};

export const totalRows = (counts: DemoCounts): number =>
  Object.values(counts).reduce((sum, n) => sum + n, 0);
