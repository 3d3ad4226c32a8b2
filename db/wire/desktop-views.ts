import { z } from 'zod';
import {
  agentNames,
  agentResults,
  callStatuses,
  campaignStatuses,
  campaignTypes,
  directions,
  keywordStatuses,
  leadSources,
  leadStatuses,
  leadUrgencies,
  matchTypes,
  memberRoles,
  pipelineStages,
  smsStatuses,
  workflowStatuses,
  workflowTypes,
} from '../enums.ts';

/**
 * What the renderer's screens read from the local replica, through the desktop API. Every value
 * crosses IPC or the loopback bridge, so each has a schema; the local core's queries
 * (electron/core/queries/) return exactly these shapes. Money stays decimal text ("450.00"), never
 * a binary float; ratios are numbers. Times are ISO 8601 text as the replica keeps them.
 */

const uuid = z.uuid();
const instant = z.string().describe('ISO 8601 time');
const money = z.string().describe('decimal text, two places');
const count = z.number().int().nonnegative();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month is YYYY-MM');

// ---------------------------------------------------------------------------------------------
// Session

export const sessionSchema = z.discriminatedUnion('signedIn', [
  z.object({ signedIn: z.literal(false), serverUrl: z.string() }),
  z.object({
    signedIn: z.literal(true),
    serverUrl: z.string(),
    member: z.object({ id: uuid, email: z.string(), name: z.string(), role: z.enum(memberRoles) }),
    business: z.object({ id: uuid, name: z.string(), primaryPhone: z.string() }),
  }),
]);
export type Session = z.infer<typeof sessionSchema>;

export const signInSchema = z.object({
  email: z.string().trim().min(1, 'enter your email').max(255),
  password: z.string().min(1, 'enter your password').max(200),
});
export type SignIn = z.infer<typeof signInSchema>;

// ---------------------------------------------------------------------------------------------
// Leads

export const leadSortFields = ['created_at', 'updated_at', 'customer_name', 'urgency'] as const;

/** The pipeline's filters; every one is optional and they combine with AND. */
export const leadFilterSchema = z.object({
  /** Search as you type: name, phone (any digits of it) or description, by word prefix. */
  search: z.string().max(200).optional(),
  statuses: z.array(z.enum(leadStatuses)).optional(),
  sources: z.array(z.enum(leadSources)).optional(),
  urgencies: z.array(z.enum(leadUrgencies)).optional(),
  serviceTypes: z.array(z.string().max(100)).optional(),
  /** Created on or after this day, and on or before `createdTo` (local days, inclusive). */
  createdFrom: day.optional(),
  createdTo: day.optional(),
});
export type LeadFilter = z.infer<typeof leadFilterSchema>;

export const leadSortSchema = z.object({
  by: z.enum(leadSortFields).default('created_at'),
  dir: z.enum(['asc', 'desc']).default('desc'),
});
export type LeadSort = z.infer<typeof leadSortSchema>;

/** A lead as a card or a list row. */
export const leadSummarySchema = z.object({
  id: uuid,
  customerName: z.string().nullable(),
  customerPhone: z.string(),
  source: z.enum(leadSources),
  serviceType: z.string().nullable(),
  urgency: z.enum(leadUrgencies).nullable(),
  status: z.enum(leadStatuses),
  quotedAmount: money.nullable(),
  description: z.string().nullable(),
  createdAt: instant,
  updatedAt: instant,
  /** An edit of this lead waits in the outbox (shown as pending). */
  pending: z.boolean(),
});
export type LeadSummary = z.infer<typeof leadSummarySchema>;

export const leadPageSchema = z.object({ total: count, rows: z.array(leadSummarySchema) });
export type LeadPage = z.infer<typeof leadPageSchema>;

export const boardSchema = z.object({
  columns: z.array(
    z.object({ status: z.enum(leadStatuses), total: count, leads: z.array(leadSummarySchema) }),
  ),
});
export type Board = z.infer<typeof boardSchema>;

export const leadDetailSchema = leadSummarySchema.extend({
  customerEmail: z.string().nullable(),
  customerAddress: z.string().nullable(),
  pipelineStage: z.enum(pipelineStages).nullable(),
  actualAmount: money.nullable(),
  contactedAt: instant.nullable(),
  quotedAt: instant.nullable(),
  bookedAt: instant.nullable(),
  completedAt: instant.nullable(),
  lostAt: instant.nullable(),
  lostReason: z.string().nullable(),
  /**
   * When the customer's phone opted out of the business's texts (replied STOP, or asked in words
   * to stop); null while texts are allowed. The server keeps it from the suppression list.
   */
  smsOptedOutAt: instant.nullable(),
});
export type LeadDetail = z.infer<typeof leadDetailSchema>;

/** One line of a lead's timeline: its calls, texts, notes and status changes, newest first. */
export const timelineEntrySchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('call'),
    id: uuid,
    at: instant,
    direction: z.enum(directions),
    status: z.enum(callStatuses),
    durationSeconds: count,
    recordingUrl: z.string().nullable(),
    pending: z.boolean(),
  }),
  z.object({
    kind: z.literal('text'),
    id: uuid,
    at: instant,
    direction: z.enum(directions),
    body: z.string(),
    status: z.enum(smsStatuses),
    errorMessage: z.string().nullable(),
    pending: z.boolean(),
  }),
  z.object({
    kind: z.literal('note'),
    id: uuid,
    at: instant,
    body: z.string(),
    pending: z.boolean(),
  }),
  z.object({
    kind: z.literal('status'),
    /** `${leadId}:${status}`: one entry per stage the lead reached. */
    id: z.string(),
    at: instant,
    status: z.enum(leadStatuses),
    detail: z.string().nullable(),
  }),
]);
export type TimelineEntry = z.infer<typeof timelineEntrySchema>;

// ---------------------------------------------------------------------------------------------
// Inbox and calls

export const threadSummarySchema = z.object({
  leadId: uuid,
  customerName: z.string().nullable(),
  customerPhone: z.string(),
  lastBody: z.string(),
  lastAt: instant,
  lastDirection: z.enum(directions),
  lastStatus: z.enum(smsStatuses),
  /** Inbound texts since this desktop last opened the thread. */
  unread: count,
  /** When the thread's customer opted out of texts (as on LeadDetail); null while allowed. */
  smsOptedOutAt: instant.nullable(),
});
export type ThreadSummary = z.infer<typeof threadSummarySchema>;

export const messageSchema = z.object({
  id: uuid,
  direction: z.enum(directions),
  body: z.string(),
  status: z.enum(smsStatuses),
  errorMessage: z.string().nullable(),
  at: instant,
  deliveredAt: instant.nullable(),
  /** Written on this desktop, not yet acknowledged by the server. */
  pending: z.boolean(),
});
export type Message = z.infer<typeof messageSchema>;

export const missedCallStatuses = ['no_answer', 'busy', 'voicemail', 'failed'] as const;

export const callRowSchema = z.object({
  id: uuid,
  leadId: uuid.nullable(),
  leadName: z.string().nullable(),
  callerPhone: z.string(),
  calledPhone: z.string(),
  direction: z.enum(directions),
  status: z.enum(callStatuses),
  /** An inbound call nobody answered. */
  missed: z.boolean(),
  durationSeconds: count,
  recordingUrl: z.string().nullable(),
  at: instant,
});
export type CallRow = z.infer<typeof callRowSchema>;

export const callPageSchema = z.object({
  total: count,
  missedUnseen: count,
  rows: z.array(callRowSchema),
});
export type CallPage = z.infer<typeof callPageSchema>;

// ---------------------------------------------------------------------------------------------
// Numbers

const ratio = z.number().nullable().describe('null when the denominator is zero');

export const dailyFinancialSchema = z.object({
  date: day,
  spend: money,
  leads: count,
  bookings: count,
  revenue: money,
});

/** What Google Ads reports for a campaign or a keyword, and the two ratios worked out of it. */
const adPerformance = {
  spend: money,
  clicks: count,
  impressions: count,
  conversions: count,
  /** spend / conversions */
  costPerLead: money.nullable(),
  /** conversions / clicks, as a fraction */
  conversionRate: ratio,
};

export const campaignPerformanceSchema = z.object({
  id: uuid,
  campaignId: z.string(),
  name: z.string(),
  type: z.enum(campaignTypes),
  status: z.enum(campaignStatuses),
  dailyBudget: money,
  ...adPerformance,
  clickThroughRate: ratio,
});
export type CampaignPerformance = z.infer<typeof campaignPerformanceSchema>;

export const dashboardSchema = z.object({
  month,
  spend: money,
  leads: count,
  bookings: count,
  revenue: money,
  costPerLead: money.nullable(),
  /** bookings / leads, as a fraction */
  conversionRate: ratio,
  /** (revenue − spend) / spend, as a fraction */
  roi: ratio,
  daily: z.array(dailyFinancialSchema),
  funnel: z.array(z.object({ status: z.enum(leadStatuses), count })),
  campaigns: z.array(campaignPerformanceSchema),
});
export type Dashboard = z.infer<typeof dashboardSchema>;

export const keywordPerformanceSchema = z.object({
  id: uuid,
  campaignId: uuid,
  campaignName: z.string(),
  text: z.string(),
  matchType: z.enum(matchTypes),
  status: z.enum(keywordStatuses),
  maxCpc: money.nullable(),
  qualityScore: z.number().int().nullable(),
  ...adPerformance,
});
export type KeywordPerformance = z.infer<typeof keywordPerformanceSchema>;

export const agentActionSchema = z.object({
  id: uuid,
  agent: z.enum(agentNames),
  actionType: z.string(),
  result: z.enum(agentResults),
  message: z.string().nullable(),
  /**
   * The agent's own estimate, as `ai_agent_logs.estimated_impact` holds it: a JSON object of
   * measures such as `{ "cpl_change": -5.25 }` or `{ "monthly_savings": 120 }` (not one amount).
   */
  estimatedImpact: z.record(z.string(), z.json()).nullable(),
  at: instant,
  completedAt: instant.nullable(),
});
export type AgentAction = z.infer<typeof agentActionSchema>;

export const workflowViewSchema = z.object({
  id: uuid,
  name: z.string(),
  type: z.enum(workflowTypes),
  status: z.enum(workflowStatuses),
  triggered: count,
  completed: count,
  updatedAt: instant,
});
export type WorkflowView = z.infer<typeof workflowViewSchema>;
