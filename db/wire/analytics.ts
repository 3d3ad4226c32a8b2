import { z } from 'zod';
import { leadStatuses, planNames, subscriptionStatuses, userStatuses } from '../enums.ts';
import { dashboardSchema } from './desktop-views.ts';

/**
 * What the server's analytics API answers (sync-server/analytics/queries.ts), for the seed's
 * `user_dashboard` and `lead_pipeline` views and its `user:{id}` and `user:{id}:metrics:{date}`
 * cache keys. The figures are worked out by the same code as the desktop's (db/analytics/
 * figures.ts), so the same rows give the same numbers on both sides. Money is decimal text with
 * two places, never a binary float; ratios are fractions, null when there is nothing to divide by;
 * instants are UTC ISO 8601 with six fractional digits, as the replica keeps them.
 */

const uuid = z.uuid().describe('uuid');
const money = z.string().regex(/^-?\d+\.\d{2}$/, 'money is decimal text with two places');
const count = z.number().int().nonnegative();
const instant = z.string().describe('ISO 8601 instant, UTC ("2026-11-27T17:37:41.123456Z")');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date is YYYY-MM-DD');
const ratio = z.number().nullable();

// ---------------------------------------------------------------------------------------------
// Dashboard: the seed's `user_dashboard` view, plus the desktop's dashboard

export const businessDashboardSchema = dashboardSchema
  .extend({
    business: z
      .object({
        id: uuid.describe("The business (the seed's users.id)."),
        name: z.string().describe('The business name.'),
        status: z.enum(userStatuses).describe('The account status.'),
        timezone: z
          .string()
          .describe('IANA time zone; "today" and the default month are calendar days there.'),
      })
      .describe('The business the numbers are of.'),
    subscription: z
      .object({
        planName: z.enum(planNames).describe('The plan.'),
        monthlyFee: money.describe('What the plan costs a month, decimal text with two places.'),
        status: z.enum(subscriptionStatuses).describe('The subscription status (active).'),
      })
      .nullable()
      .describe('The active subscription (the one ending last); null when there is none.'),
    activeCampaigns: count.describe('Campaigns whose status is active.'),
  })
  .describe(
    "A month of the business's numbers: the seed's user_dashboard (each part summed on its own, " +
      "never multiplied by a join) with the desktop dashboard's daily series, funnel and campaigns.",
  );
export type BusinessDashboard = z.infer<typeof businessDashboardSchema>;

// ---------------------------------------------------------------------------------------------
// Lead pipeline: the seed's `lead_pipeline` view

/** The longest window the pipeline is asked for, in days. */
export const PIPELINE_MAX_DAYS = 3660;

export const pipelineStageSchema = z.object({
  status: z.enum(leadStatuses).describe('The lead status this row counts.'),
  count: count.describe('Leads created in the window that have this status now.'),
  totalQuoted: money.describe('Sum of their quoted amounts; "0.00" when none has one.'),
  totalActual: money.describe('Sum of their actual amounts; "0.00" when none has one.'),
  avgDaysToClose: z
    .number()
    .nullable()
    .describe(
      'Mean of (completed_at − created_at) in days over those of them with a completion time, ' +
        'rounded half away from zero to 2 decimals; null when none has one. Worked exactly: ' +
        'the databases sum whole microseconds, the division is integer arithmetic.',
    ),
});
export type PipelineStage = z.infer<typeof pipelineStageSchema>;

export const leadPipelineSchema = z
  .object({
    days: z
      .number()
      .int()
      .min(1)
      .max(PIPELINE_MAX_DAYS)
      .describe('The window: leads created in the last `days` × 24 hours.'),
    since: instant.describe("The window's start (inclusive): now − days × 24 h."),
    stages: z
      .array(pipelineStageSchema)
      .describe('One row per lead status, in pipeline order, rows with no lead included.'),
  })
  .describe("The seed's lead_pipeline view: the window's leads by status.");
export type LeadPipeline = z.infer<typeof leadPipelineSchema>;

// ---------------------------------------------------------------------------------------------
// One day's metrics: the seed's `user:{id}:metrics:{date}`

export const dayMetricsSchema = z
  .object({
    date: day.describe("The business's calendar day, YYYY-MM-DD."),
    spend: money.describe('Ad spend (financials.ad_spend).'),
    platformFee: money.describe("The platform's fee for the day."),
    otherCosts: money.describe('Other costs of the day.'),
    leadsGenerated: count.describe('Leads generated.'),
    leadsContacted: count.describe('Leads contacted.'),
    leadsQuoted: count.describe('Leads quoted.'),
    leadsBooked: count.describe('Leads booked.'),
    leadsCompleted: count.describe('Leads completed.'),
    leadsLost: count.describe('Leads lost.'),
    revenue: money.describe('Revenue.'),
    costPerLead: money
      .nullable()
      .describe('spend / leadsGenerated, rounded to the cent; null when no lead.'),
    conversionRate: ratio.describe(
      'leadsBooked / leadsGenerated as a fraction; null when no lead.',
    ),
    roi: ratio.describe('(revenue − spend) / spend as a fraction; null when nothing was spent.'),
  })
  .describe(
    "One calendar day of the business, summed over that day's financials rows (zeros when none); " +
      "the ratios are defined as the dashboard's.",
  );
export type DayMetrics = z.infer<typeof dayMetricsSchema>;

// ---------------------------------------------------------------------------------------------
// The business's profile: the seed's `user:{id}`, without a secret

export const businessProfileSchema = z
  .object({
    id: uuid.describe('The business.'),
    businessName: z.string().describe('The business name.'),
    ownerName: z.string().describe("The owner's name."),
    email: z.string().describe("The account's email."),
    primaryPhone: z.string().describe('The business phone, E.164.'),
    city: z.string().nullable().describe('City.'),
    state: z.string().nullable().describe('State.'),
    timezone: z.string().describe('IANA time zone of the business.'),
    serviceTypes: z.array(z.string()).describe('The services it offers ("plumbing", "hvac"…).'),
    serviceArea: z.string().nullable().describe('Where it works ("Austin, TX - 30 mile radius").'),
    status: z.enum(userStatuses).describe('The account status.'),
    onboardingCompleted: z.boolean().describe('Onboarding is done.'),
    createdAt: instant.describe('When the account was made.'),
  })
  .describe(
    "The business's profile (the seed's user:{id}). Never a password hash, a token or a sealed " +
      'integration secret. No updated_at: every sign-in moves it, and a sign-in is not a change ' +
      'of the profile (the cache is not invalidated by one).',
  );
export type BusinessProfile = z.infer<typeof businessProfileSchema>;
