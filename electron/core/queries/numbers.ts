import {
  adPerformance,
  type AdTotalsRow,
  type CampaignRow,
  campaignsFigures,
  dashboardFigures,
  type FinancialRow,
  instantText,
  leadPipelineFigures,
  localDay,
  localMonth,
  monthBounds,
  pipelineSince,
  type PipelineRow,
  type StatusCountRow,
} from '../../../db/analytics/figures.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import type { LeadPipeline } from '../../../db/wire/analytics.ts';
import {
  type CampaignPerformance,
  type Dashboard,
  type KeywordPerformance,
  keywordPerformanceSchema,
} from '../../../db/wire/desktop-views.ts';
import type { Clock } from './shared.ts';

/*
 * The numbers screens: the month's dashboard, campaign and keyword performance, the lead pipeline.
 * These only fetch the replica's rows; the figures are worked out by db/analytics/figures.ts, the
 * same code the server's analytics API uses, so the desktop and the server never disagree.
 * Amounts are summed and divided in integer cents (db/money.ts) and shown as decimal text again;
 * ratios are fractions, null when there is nothing to divide by.
 */

/**
 * The dashboard of `month` (YYYY-MM; this machine's current month when omitted: the machine's
 * time zone is the business's). Spend is `ad_spend` alone, as the seed's `user_dashboard` view
 * counts it, so cost per lead and ROI match the server's.
 */
export function dashboard(replica: Database, month: string | undefined, now: Clock): Dashboard {
  const today = now();
  const shown = month ?? localMonth(today);
  const { first, next } = monthBounds(shown);
  const financials = prepared(
    replica,
    `SELECT date, ad_spend AS adSpend, leads_generated AS leadsGenerated,
            leads_booked AS leadsBooked, revenue
       FROM financials WHERE date >= ? AND date < ? ORDER BY date`,
  ).all(first, next) as FinancialRow[];
  const statusCounts = prepared(
    replica,
    'SELECT status, count(*) AS count FROM leads GROUP BY status',
  ).all() as StatusCountRow[];
  return dashboardFigures({
    month: shown,
    today: localDay(today),
    financials,
    statusCounts,
    campaigns: campaignRows(replica),
  });
}

const campaignRows = (replica: Database): CampaignRow[] =>
  prepared(
    replica,
    `SELECT id, campaign_id AS campaignId, campaign_name AS name, campaign_type AS type, status,
            daily_budget AS dailyBudget, total_spend AS spend, total_clicks AS clicks,
            total_impressions AS impressions, total_conversions AS conversions
       FROM campaigns`,
  ).all() as CampaignRow[];

/**
 * Every campaign (the seed's view shows active ones only; paused and ended follow them here), in
 * the order figures.ts sorts them: active, paused, ended, then by name ignoring case, then by id.
 */
export function campaignPerformance(replica: Database): CampaignPerformance[] {
  return campaignsFigures(campaignRows(replica));
}

/** Keywords with their campaign's name, those that spent most first. */
export function keywordPerformance(
  replica: Database,
  campaignId: string | undefined,
): KeywordPerformance[] {
  const rows = prepared(
    replica,
    `SELECT k.id, k.campaign_id AS campaignId, coalesce(c.campaign_name, '') AS campaignName,
            k.keyword_text AS text, k.match_type AS matchType, k.status, k.max_cpc AS maxCpc,
            k.quality_score AS qualityScore, k.total_spend AS spend, k.total_clicks AS clicks,
            k.total_impressions AS impressions, k.total_conversions AS conversions
       FROM keywords k LEFT JOIN campaigns c ON c.id = k.campaign_id
      WHERE @campaignId IS NULL OR k.campaign_id = @campaignId
      ORDER BY CAST(k.total_spend AS REAL) DESC, k.keyword_text, k.id`,
  ).all({ campaignId: campaignId ?? null }) as (AdTotalsRow & Record<string, unknown>)[];
  return rows.map((row) => keywordPerformanceSchema.parse({ ...row, ...adPerformance(row) }));
}

/**
 * Microseconds since 1970 of a stored instant ("2026-11-27T17:37:41.123456Z", the only form the
 * replica's CHECKs allow), as an exact integer: whole seconds of the first 19 characters, plus the
 * six fractional digits. (julianday() would go through a binary float.)
 */
const micros = (column: string) =>
  `(unixepoch(substr(${column}, 1, 19)) * 1000000 + CAST(substr(${column}, 21, 6) AS INTEGER))`;

/** A stored amount ("450.00", always two places) as integer cents, exactly. */
const cents = (column: string) => `CAST(replace(${column}, '.', '') AS INTEGER)`;

/**
 * The seed's `lead_pipeline` view over the replica: the leads created in the last `days` × 24
 * hours, by status. The same shape and figures as the server's analytics API.
 */
export function leadPipeline(replica: Database, days: number, now: Clock): LeadPipeline {
  const at = now();
  const rows = prepared(
    replica,
    `SELECT status, count(*) AS count,
            coalesce(sum(${cents('quoted_amount')}), 0) AS quotedCents,
            coalesce(sum(${cents('actual_amount')}), 0) AS actualCents,
            count(completed_at) AS closed,
            CAST(sum(${micros('completed_at')} - ${micros('created_at')}) AS TEXT) AS closeMicros
       FROM leads WHERE created_at >= ? GROUP BY status`,
  ).all(instantText(pipelineSince(at, days))) as PipelineRow[];
  return leadPipelineFigures(days, at, rows);
}
