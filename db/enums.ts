/**
 * Every enumerated text column of the data model, with the values the seed document lists.
 * One list serves the Postgres CHECK constraints, the SQLite replica's CHECKs and the zod wire types,
 * so the three can never disagree.
 */
export const userStatuses = ['active', 'suspended', 'cancelled'] as const;
export const leadSources = ['missed_call', 'google_ads', 'referral', 'website'] as const;
export const leadUrgencies = ['high', 'medium', 'low'] as const;
export const leadStatuses = ['new', 'contacted', 'quoted', 'booked', 'completed', 'lost'] as const;
export const pipelineStages = ['lead', 'opportunity', 'proposal', 'negotiation', 'closed'] as const;
export const callStatuses = ['answered', 'no_answer', 'busy', 'voicemail', 'failed'] as const;
export const directions = ['inbound', 'outbound'] as const;
/**
 * The seed lists sent/delivered/failed/replied. `queued` (a text written offline, or accepted by
 * Twilio but not yet sent) and `received` (an inbound text) are added: see db/README.md.
 */
export const smsStatuses = [
  'queued',
  'sent',
  'delivered',
  'failed',
  'replied',
  'received',
] as const;
export const messageProviders = ['twilio', 'ghl'] as const;
/** Twilio's CallStatus values, as its voice callbacks send them. */
export const twilioCallStatuses = [
  'queued',
  'initiated',
  'ringing',
  'in-progress',
  'completed',
  'busy',
  'failed',
  'no-answer',
  'canceled',
] as const;
/** Why a number is on a business's suppression list (sync-server/messaging/consent.ts). */
export const suppressionReasons = ['keyword', 'language', 'provider', 'manual'] as const;
/** Why the server sends a text (outbound_texts.purpose). */
export const outboundPurposes = ['missed_call', 'desktop'] as const;
/** Where a text the server sends stands: claimed (`sending`) before Twilio is called. */
export const outboundStates = ['pending', 'sending', 'sent', 'failed', 'cancelled'] as const;
export const campaignTypes = ['search', 'display', 'video'] as const;
export const campaignStatuses = ['active', 'paused', 'ended'] as const;
export const matchTypes = ['exact', 'phrase', 'broad'] as const;
export const keywordStatuses = ['active', 'paused', 'removed'] as const;
export const agentNames = ['monitor', 'cx', 'diagnostic', 'optimizing', 'retention'] as const;
export const agentResults = ['success', 'failed', 'pending'] as const;
export const planNames = ['Basic', 'Pro', 'Enterprise'] as const;
export const subscriptionStatuses = ['active', 'past_due', 'cancelled', 'unpaid'] as const;
export const workflowTypes = [
  'missed_call',
  'offer_quote',
  'booking_confirmation',
  'review_request',
  'amc_offer',
] as const;
export const workflowStatuses = ['active', 'paused', 'draft'] as const;

/** Beyond the seed: the people of a business, each with their own login (see db/README.md). */
export const memberRoles = ['owner', 'dispatcher', 'technician'] as const;
export const memberStatuses = ['active', 'disabled'] as const;
/** Why a device's session ended. */
export const sessionRevokeReasons = [
  'logout',
  'refresh_token_reuse',
  'member_disabled',
  'password_changed',
] as const;
/** The tables a desktop replicates, in the order a fresh replica asks for them. */
export const syncedTables = [
  'leads',
  'call_logs',
  'sms_logs',
  'financials',
  'campaigns',
  'keywords',
  'workflows',
  'ai_agent_logs',
  'lead_notes',
  'mutation_rejections',
  'field_conflicts',
] as const;
/**
 * The tables whose changes the change log numbers: the synced ones, plus two the desktop does not
 * replicate but the server's cached analytics depend on (the business's own row and its
 * subscriptions), so a cached answer knows when they changed (sync-server/analytics/).
 */
export const changeLoggedTables = [...syncedTables, 'users', 'subscriptions'] as const;
export const changeOps = ['I', 'U', 'D'] as const;
/** A platform operator's account (db/postgres/schema/platform.ts). */
export const operatorStatuses = ['active', 'disabled'] as const;
/**
 * How a field conflict was settled (db/postgres/schema/mutations.ts): `overwritten`, the edit that
 * arrived second was made later and replaced a value its author had not seen; `overtaken`, it was
 * made earlier than the value already there, and lost.
 */
export const conflictOutcomes = ['overwritten', 'overtaken'] as const;

export type MemberRole = (typeof memberRoles)[number];
export type MemberStatus = (typeof memberStatuses)[number];
export type SessionRevokeReason = (typeof sessionRevokeReasons)[number];
export type SyncedTable = (typeof syncedTables)[number];
export type ChangeLoggedTable = (typeof changeLoggedTables)[number];
export type UserStatus = (typeof userStatuses)[number];
export type LeadSource = (typeof leadSources)[number];
export type LeadUrgency = (typeof leadUrgencies)[number];
export type LeadStatus = (typeof leadStatuses)[number];
export type PipelineStage = (typeof pipelineStages)[number];
export type CallStatus = (typeof callStatuses)[number];
export type Direction = (typeof directions)[number];
export type SmsStatus = (typeof smsStatuses)[number];
export type MessageProvider = (typeof messageProviders)[number];
export type CampaignType = (typeof campaignTypes)[number];
export type CampaignStatus = (typeof campaignStatuses)[number];
export type MatchType = (typeof matchTypes)[number];
export type KeywordStatus = (typeof keywordStatuses)[number];
export type AgentName = (typeof agentNames)[number];
export type AgentResult = (typeof agentResults)[number];
export type PlanName = (typeof planNames)[number];
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export type TwilioCallStatus = (typeof twilioCallStatuses)[number];
export type SuppressionReason = (typeof suppressionReasons)[number];
export type OutboundPurpose = (typeof outboundPurposes)[number];
export type OutboundState = (typeof outboundStates)[number];
export type WorkflowType = (typeof workflowTypes)[number];
export type WorkflowStatus = (typeof workflowStatuses)[number];

/** E.164: a plus, a non-zero country code digit, at most 15 digits in all. */
export const e164Pattern = '^\\+[1-9][0-9]{6,14}$';
