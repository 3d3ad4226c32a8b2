import { sql } from 'drizzle-orm';
import { z } from 'zod';
import {
  type AgentActionRow,
  agentActionFigures,
  type CampaignRow,
  campaignsFigures,
  checkDay,
  dashboardFigures,
  dayInZone,
  dayMetricsFigures,
  type FinancialDayRow,
  type FinancialRow,
  instantText,
  leadPipelineFigures,
  monthBounds,
  monthOf,
  pipelineSince,
  type StatusCountRow,
} from '../../db/analytics/figures.ts';
import { AppError } from '../../db/errors.ts';
import { toCents } from '../../db/money.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import {
  type BusinessDashboard,
  businessDashboardSchema,
  type BusinessProfile,
  businessProfileSchema,
  type DayMetrics,
  dayMetricsSchema,
  type LeadPipeline,
  leadPipelineSchema,
} from '../../db/wire/analytics.ts';
import {
  type AgentAction,
  agentActionSchema,
  type CampaignPerformance,
  campaignPerformanceSchema,
} from '../../db/wire/desktop-views.ts';

/*
 * The analytics API's queries: read-only SQL over one business, each function taking a
 * transaction already scoped to it by `withTenant` (row-level security, session TimeZone UTC) and
 * filtering by `user_id` itself all the same. They only fetch rows — money as Postgres's exact
 * numeric text, instants printed as the replica stores them — and hand them to
 * db/analytics/figures.ts, the code the desktop's replica queries use too: the same rows give the
 * same figures on both sides. Every answer is parsed with its wire schema before it is returned.
 */

/** A transaction of `withTenant`, or anything that runs SQL. */
export type TenantQueries = Pick<AppDatabase, 'execute'>;

/** A timestamptz printed as the replica stores one: UTC, six fractional digits, "Z". */
const instant = (column: string) =>
  sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);

interface BusinessRow extends Record<string, unknown> {
  id: string;
  name: string;
  status: string;
  timezone: string;
  planName: string | null;
  monthlyFee: string | null;
  subscriptionStatus: string | null;
}

/** The business with its active subscription (the one ending last), or NOT_FOUND. */
async function businessRow(tx: TenantQueries, businessId: string): Promise<BusinessRow> {
  const [row] = await queryRows<BusinessRow>(
    tx,
    sql`SELECT u.id::text AS id, u.business_name AS name, u.status, u.timezone,
               s.plan_name AS "planName", s.amount::text AS "monthlyFee",
               s.status AS "subscriptionStatus"
          FROM users u
          LEFT JOIN LATERAL (
            SELECT sub.plan_name, sub.amount, sub.status
              FROM subscriptions sub
             WHERE sub.user_id = ${businessId} AND sub.status = 'active'
             ORDER BY sub.current_period_end DESC, sub.created_at DESC, sub.id
             LIMIT 1
          ) s ON true
         WHERE u.id = ${businessId}`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'There is no such business.');
  return row;
}

const campaignRows = (tx: TenantQueries, businessId: string) =>
  queryRows<CampaignRow & Record<string, unknown>>(
    tx,
    sql`SELECT id::text AS id, campaign_id AS "campaignId", campaign_name AS name,
               campaign_type AS type, status, daily_budget::text AS "dailyBudget",
               total_spend::text AS spend, total_clicks AS clicks,
               total_impressions AS impressions, total_conversions AS conversions
          FROM campaigns WHERE user_id = ${businessId}`,
  );

/**
 * The month's numbers (the seed's `user_dashboard` and the desktop's dashboard): `month` (YYYY-MM)
 * or, by default, the month of the business's calendar day at `now` in its own `users.timezone`,
 * whose daily series runs to that day. Each part is aggregated on its own — the month's financials,
 * all the business's leads by status, its campaigns — so no join multiplies a sum. Four statements,
 * each on an index of `user_id` (financials: its unique (user_id, date)).
 */
export async function businessDashboard(
  tx: TenantQueries,
  businessId: string,
  options: { month?: string | undefined },
  now: Date,
): Promise<BusinessDashboard> {
  const business = await businessRow(tx, businessId);
  const today = dayInZone(now, business.timezone);
  const month = options.month ?? monthOf(today);
  const { first, next } = monthBounds(month);
  const financials = await queryRows<FinancialRow & Record<string, unknown>>(
    tx,
    sql`SELECT date::text AS date, ad_spend::text AS "adSpend",
               leads_generated AS "leadsGenerated", leads_booked AS "leadsBooked",
               revenue::text AS revenue
          FROM financials
         WHERE user_id = ${businessId} AND date >= ${first}::date AND date < ${next}::date`,
  );
  const statusCounts = await queryRows<StatusCountRow & Record<string, unknown>>(
    tx,
    sql`SELECT status, count(*)::int AS count
          FROM leads WHERE user_id = ${businessId} GROUP BY status`,
  );
  const campaigns = await campaignRows(tx, businessId);
  return businessDashboardSchema.parse({
    ...dashboardFigures({ month, today, financials, statusCounts, campaigns }),
    business: {
      id: business.id,
      name: business.name,
      status: business.status,
      timezone: business.timezone,
    },
    subscription:
      business.planName === null
        ? null
        : {
            planName: business.planName,
            monthlyFee: business.monthlyFee,
            status: business.subscriptionStatus,
          },
    activeCampaigns: campaigns.filter((campaign) => campaign.status === 'active').length,
  });
}

interface PipelineSqlRow extends Record<string, unknown> {
  status: string;
  count: number;
  totalQuoted: string | null;
  totalActual: string | null;
  closed: number;
  closeMicros: string | null;
}

/**
 * The seed's `lead_pipeline`: the business's leads created at or after `now` − `days` × 24 h, by
 * status. The time to close is summed in whole microseconds (`extract(epoch …)` is exact numeric)
 * and averaged by figures.ts in integer arithmetic, as the desktop's replica does. One statement.
 */
export async function leadPipeline(
  tx: TenantQueries,
  businessId: string,
  options: { days: number },
  now: Date,
): Promise<LeadPipeline> {
  const since = pipelineSince(now, options.days);
  const rows = await queryRows<PipelineSqlRow>(
    tx,
    sql`SELECT status, count(*)::int AS count,
               sum(quoted_amount)::text AS "totalQuoted",
               sum(actual_amount)::text AS "totalActual",
               count(completed_at)::int AS closed,
               sum(((extract(epoch FROM completed_at) - extract(epoch FROM created_at))
                    * 1000000)::bigint)::text AS "closeMicros"
          FROM leads
         WHERE user_id = ${businessId} AND created_at >= ${instantText(since)}::timestamptz
         GROUP BY status`,
  );
  return leadPipelineSchema.parse(
    leadPipelineFigures(
      options.days,
      now,
      rows.map((row) => ({
        status: row.status,
        count: row.count,
        quotedCents: row.totalQuoted === null ? 0 : toCents(row.totalQuoted),
        actualCents: row.totalActual === null ? 0 : toCents(row.totalActual),
        closed: row.closed,
        closeMicros: row.closeMicros,
      })),
    ),
  );
}

/** Every campaign with its measures, in the desktop's order (active, paused, ended; name; id). */
export async function campaignPerformance(
  tx: TenantQueries,
  businessId: string,
): Promise<CampaignPerformance[]> {
  return z
    .array(campaignPerformanceSchema)
    .parse(campaignsFigures(await campaignRows(tx, businessId)));
}

/** The most actions `agentActions` lists at once (as the desktop API's `agents:activity`). */
export const AGENT_ACTIONS_MAX = 1000;

/**
 * The seed's "recent AI actions": the business's latest `limit` agent actions, newest first, ties
 * by id — the desktop's `agentActivity`, row for row. One statement.
 */
export async function agentActions(
  tx: TenantQueries,
  businessId: string,
  limit: number,
): Promise<AgentAction[]> {
  if (!Number.isInteger(limit) || limit < 1 || limit > AGENT_ACTIONS_MAX) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The number of actions is a whole number from 1 to ${AGENT_ACTIONS_MAX}; got ${limit}.`,
    );
  }
  const rows = await queryRows<AgentActionRow & Record<string, unknown>>(
    tx,
    sql`SELECT id::text AS id, agent_name AS agent, action_type AS "actionType", result,
               result_message AS message, estimated_impact::text AS "estimatedImpact",
               ${instant('created_at')} AS at, ${instant('completed_at')} AS "completedAt"
          FROM ai_agent_logs
         WHERE user_id = ${businessId}
         ORDER BY created_at DESC, id
         LIMIT ${limit}`,
  );
  return z.array(agentActionSchema).parse(rows.map(agentActionFigures));
}

/**
 * The seed's `user:{id}:metrics:{date}`: one calendar day (YYYY-MM-DD) of the business, summed
 * over that day's financials rows (one at most: financials is unique by business and date), zeros
 * when there is none. One statement on the unique (user_id, date) index.
 */
export async function dayMetrics(
  tx: TenantQueries,
  businessId: string,
  date: string,
): Promise<DayMetrics> {
  checkDay(date);
  const rows = await queryRows<FinancialDayRow & Record<string, unknown>>(
    tx,
    sql`SELECT date::text AS date, ad_spend::text AS "adSpend",
               platform_fee::text AS "platformFee", other_costs::text AS "otherCosts",
               leads_generated AS "leadsGenerated", leads_contacted AS "leadsContacted",
               leads_quoted AS "leadsQuoted", leads_booked AS "leadsBooked",
               leads_completed AS "leadsCompleted", leads_lost AS "leadsLost",
               revenue::text AS revenue
          FROM financials WHERE user_id = ${businessId} AND date = ${date}::date`,
  );
  return dayMetricsSchema.parse(dayMetricsFigures(date, rows));
}

interface ProfileRow extends Record<string, unknown> {
  serviceTypes: string;
}

/**
 * The seed's `user:{id}`: the business's profile. Only the columns a tenant may read are
 * selected (never the password hash, a token or a sealed secret), and the schema keeps only its
 * own fields. NOT_FOUND when the business is not there.
 */
export async function businessProfile(
  tx: TenantQueries,
  businessId: string,
): Promise<BusinessProfile> {
  const [row] = await queryRows<ProfileRow>(
    tx,
    sql`SELECT id::text AS id, business_name AS "businessName", owner_name AS "ownerName", email,
               primary_phone AS "primaryPhone", city, state, timezone,
               array_to_json(service_types)::text AS "serviceTypes",
               service_area AS "serviceArea", status,
               onboarding_completed AS "onboardingCompleted",
               ${instant('created_at')} AS "createdAt"
          FROM users WHERE id = ${businessId}`,
  );
  if (!row) throw new AppError('NOT_FOUND', 'There is no such business.');
  return businessProfileSchema.parse({
    ...row,
    serviceTypes: JSON.parse(row.serviceTypes) as unknown,
  });
}
