import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { dayInZone, monthOf } from '../../db/analytics/figures.ts';
import type { DatabaseHandle } from '../../db/postgres/client.ts';
import {
  businessDashboardSchema,
  businessProfileSchema,
  dayMetricsSchema,
  leadPipelineSchema,
  PIPELINE_MAX_DAYS,
} from '../../db/wire/analytics.ts';
import { agentActionSchema, campaignPerformanceSchema } from '../../db/wire/desktop-views.ts';
import type { Router } from '../http/router.ts';
import { withTenant } from '../tenancy.ts';
import type { AnalyticsCache, ReadOptions } from './cache.ts';
import {
  type CacheKey,
  campaignsKey,
  dashboardKey,
  leadsKey,
  metricsKey,
  userKey,
} from './keys.ts';
import {
  agentActions,
  businessDashboard,
  businessProfile,
  campaignPerformance,
  dayMetrics,
  leadPipeline,
} from './queries.ts';
import type { CacheVersion } from './version.ts';
import { readAnalyticsContext } from './versions.ts';

export interface AnalyticsRouteDependencies {
  database: DatabaseHandle;
  cache: AnalyticsCache;
  /** The clock "today", "this month" and the pipeline's window are read from (tests fix it). */
  now?: () => Date;
}

/** The seed's pipeline window: `lead_pipeline` counts the last 30 days. */
export const DEFAULT_PIPELINE_DAYS = 30;
export const DEFAULT_AGENT_ACTIONS = 10;
export const MAX_AGENT_ACTIONS = 100;

/**
 * RFC 9211's Cache-Status: whether the answer came from the cache, was computed because the cached
 * one was missing or stale, or is a variant the cache does not keep (another month, another window).
 */
const CACHE_STATUS = 'cache-status';
const cacheStatus = (reply: FastifyReply, state: 'hit' | 'miss' | 'bypass') =>
  reply.header(
    CACHE_STATUS,
    state === 'hit' ? 'fieldline; hit' : `fieldline; fwd=${state === 'miss' ? 'miss' : 'bypass'}`,
  );

const month = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'month must be YYYY-MM')
  .describe('A calendar month of the business, YYYY-MM; this month when omitted');
const day = z.iso.date('date must be a calendar day, YYYY-MM-DD');

const cachedResponses = (schema: z.ZodType, description: string) => ({
  200: {
    description: `${description}. Header Cache-Status says hit, fwd=miss or fwd=bypass`,
    schema,
  },
  400: { description: 'A parameter is not valid (the error names it)' },
  401: { description: 'No valid access token' },
});

/**
 * The business's numbers (issue 7): the seed's "query examples" — the dashboard (`user_dashboard`),
 * the lead pipeline (`lead_pipeline`), campaign performance (`campaign_performance`), the agents'
 * recent actions — a day's metrics and the profile, cached under the seed's keys. Every answer is
 * the requesting member's business only (withTenant: row-level security, and each query filters).
 *
 * Freshness: the change-log version of the tables an answer reads is read first (versions.ts); a
 * cached answer computed at an older version is never served. So no write path has to remember to
 * invalidate anything, and a commit is visible to the next request, from any server instance.
 */
export function registerAnalyticsRoutes(router: Router, deps: AnalyticsRouteDependencies): void {
  const { db } = deps.database;
  const now = deps.now ?? (() => new Date());

  /** The cached answer when it is at least as new as `version`, else computed and stored. */
  async function serveCached<T>(
    reply: FastifyReply,
    key: CacheKey,
    version: CacheVersion,
    schema: z.ZodType<T>,
    compute: () => Promise<T>,
    options?: ReadOptions<T>,
  ): Promise<T> {
    const result = await deps.cache.getOrCompute(key, version, compute, schema, options);
    cacheStatus(reply, result.hit ? 'hit' : 'miss');
    return result.value;
  }

  router.route(
    {
      method: 'GET',
      path: '/v1/analytics/dashboard',
      summary:
        'The month’s dashboard: spend, leads, bookings, revenue, cost per lead, conversion, ROI, days, funnel, campaigns, subscription',
      tag: 'analytics',
      auth: 'member',
      query: z.object({ month: month.optional() }),
      responses: cachedResponses(businessDashboardSchema, 'The dashboard'),
    },
    async ({ principal, query, reply }) => {
      const businessId = principal.tenantId;
      const at = now();
      const context = await readAnalyticsContext(db, businessId, 'dashboard');
      const today = dayInZone(at, context.timezone);
      const compute = () =>
        withTenant(db, businessId, (tx) =>
          businessDashboard(tx, businessId, { month: query.month }, at),
        );
      // The seed keeps one dashboard per business: this month's. Other months are computed.
      if (query.month !== undefined && query.month !== monthOf(today)) {
        cacheStatus(reply, 'bypass');
        return compute();
      }
      return serveCached(
        reply,
        dashboardKey(businessId),
        context.version,
        businessDashboardSchema,
        compute,
        // Cached yesterday, it lists days up to yesterday (or last month's) though no row changed.
        { accept: (value) => value.daily.some((entry) => entry.date === today) },
      );
    },
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/analytics/pipeline',
      summary:
        'The lead pipeline: leads created in the last N days by status, with amounts quoted and won and days to close',
      tag: 'analytics',
      auth: 'member',
      query: z.object({
        days: z.coerce
          .number()
          .int('days must be a whole number')
          .min(1, 'days must be at least 1')
          .max(PIPELINE_MAX_DAYS, `days must be at most ${PIPELINE_MAX_DAYS}`)
          .default(DEFAULT_PIPELINE_DAYS)
          .describe(`The window in days, ${DEFAULT_PIPELINE_DAYS} when omitted`),
      }),
      responses: cachedResponses(leadPipelineSchema, 'The pipeline'),
    },
    async ({ principal, query, reply }) => {
      const businessId = principal.tenantId;
      const at = now();
      const compute = () =>
        withTenant(db, businessId, (tx) => leadPipeline(tx, businessId, { days: query.days }, at));
      if (query.days !== DEFAULT_PIPELINE_DAYS) {
        cacheStatus(reply, 'bypass');
        return compute();
      }
      // The window slides with the clock; within the key's 5 minutes a lead may age out unseen.
      const context = await readAnalyticsContext(db, businessId, 'pipeline');
      return serveCached(reply, leadsKey(businessId), context.version, leadPipelineSchema, compute);
    },
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/analytics/campaigns',
      summary: 'Campaign performance: spend, clicks, conversions, cost per lead, conversion rate',
      tag: 'analytics',
      auth: 'member',
      responses: cachedResponses(
        z.array(campaignPerformanceSchema),
        'Every campaign, active first',
      ),
    },
    async ({ principal, reply }) => {
      const businessId = principal.tenantId;
      const context = await readAnalyticsContext(db, businessId, 'campaigns');
      return serveCached(
        reply,
        campaignsKey(businessId),
        context.version,
        z.array(campaignPerformanceSchema),
        () => withTenant(db, businessId, (tx) => campaignPerformance(tx, businessId)),
      );
    },
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/analytics/metrics/:date',
      summary: 'One day’s metrics: spend, costs, leads by stage, revenue, cost per lead, ROI',
      tag: 'analytics',
      auth: 'member',
      params: z.object({ date: day.describe('A calendar day of the business, YYYY-MM-DD') }),
      responses: cachedResponses(dayMetricsSchema, 'The day'),
    },
    async ({ principal, params, reply }) => {
      const businessId = principal.tenantId;
      const context = await readAnalyticsContext(db, businessId, 'metrics');
      return serveCached(
        reply,
        metricsKey(businessId, params.date),
        context.version,
        dayMetricsSchema,
        () => withTenant(db, businessId, (tx) => dayMetrics(tx, businessId, params.date)),
      );
    },
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/analytics/agent-actions',
      summary: 'The agents’ most recent actions, newest first',
      tag: 'analytics',
      auth: 'member',
      query: z.object({
        limit: z.coerce
          .number()
          .int('limit must be a whole number')
          .min(1, 'limit must be at least 1')
          .max(MAX_AGENT_ACTIONS, `limit must be at most ${MAX_AGENT_ACTIONS}`)
          .default(DEFAULT_AGENT_ACTIONS)
          .describe(`How many, ${DEFAULT_AGENT_ACTIONS} when omitted`),
      }),
      responses: {
        200: { description: 'The actions', schema: z.array(agentActionSchema) },
        400: { description: 'A parameter is not valid (the error names it)' },
        401: { description: 'No valid access token' },
      },
    },
    // The seed caches no agent log: one index range read per request.
    async ({ principal, query }) =>
      withTenant(db, principal.tenantId, (tx) => agentActions(tx, principal.tenantId, query.limit)),
  );

  router.route(
    {
      method: 'GET',
      path: '/v1/business',
      summary: 'The business’s profile (no secrets)',
      tag: 'analytics',
      auth: 'member',
      responses: cachedResponses(businessProfileSchema, 'The profile'),
    },
    async ({ principal, reply }) => {
      const businessId = principal.tenantId;
      const context = await readAnalyticsContext(db, businessId, 'profile');
      return serveCached(reply, userKey(businessId), context.version, businessProfileSchema, () =>
        withTenant(db, businessId, (tx) => businessProfile(tx, businessId)),
      );
    },
  );
}
