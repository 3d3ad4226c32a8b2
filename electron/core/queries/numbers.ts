import { leadStatuses } from '../../../db/enums.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type CampaignPerformance,
  campaignPerformanceSchema,
  type Dashboard,
  dashboardSchema,
  type KeywordPerformance,
  keywordPerformanceSchema,
} from '../../../db/wire/desktop-views.ts';
import { centsPer, type Clock, fromCents, ratio, toCents } from './shared.ts';

/*
 * The numbers screens: the month's dashboard, campaign and keyword performance. Amounts are summed
 * and divided in integer cents (shared.ts) and shown as decimal text again; ratios are fractions,
 * null when there is nothing to divide by.
 */

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** YYYY-MM of an instant, in this machine's time zone (the business's, on its own desktop). */
const localMonth = (at: Date): string => `${at.getFullYear()}-${pad2(at.getMonth() + 1)}`;
const localDay = (at: Date): string => `${localMonth(at)}-${pad2(at.getDate())}`;

/** The month's days that have happened: all of a past month, none of a future one. */
function daysSoFar(month: string, today: string): string[] {
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const length = new Date(year, monthNumber, 0).getDate();
  const days = Array.from({ length }, (_, i) => `${month}-${pad2(i + 1)}`);
  return days.filter((day) => day <= today);
}

interface FinancialRow {
  date: string;
  adSpend: string;
  leads: number;
  bookings: number;
  revenue: string;
}

interface DayTotals {
  spend: number;
  leads: number;
  bookings: number;
  revenue: number;
}

/**
 * The dashboard of `month` (YYYY-MM; this machine's current month when omitted). Spend is
 * `ad_spend` alone, as the seed's `user_dashboard` view counts it (platform fee and other costs are
 * the business's overheads, not what its leads cost), so cost per lead and ROI match the server's.
 */
export function dashboard(replica: Database, month: string | undefined, now: Clock): Dashboard {
  const today = now();
  const shown = month ?? localMonth(today);
  const [year, monthNumber] = shown.split('-').map(Number) as [number, number];
  const next = `${monthNumber === 12 ? year + 1 : year}-${pad2((monthNumber % 12) + 1)}`;
  const rows = prepared(
    replica,
    `SELECT date, ad_spend AS adSpend, leads_generated AS leads, leads_booked AS bookings, revenue
       FROM financials WHERE date >= ? AND date < ? ORDER BY date`,
  ).all(`${shown}-01`, `${next}-01`) as FinancialRow[];

  const byDay = new Map<string, DayTotals>(
    daysSoFar(shown, localDay(today)).map((day) => [
      day,
      { spend: 0, leads: 0, bookings: 0, revenue: 0 },
    ]),
  );
  const monthTotals: DayTotals = { spend: 0, leads: 0, bookings: 0, revenue: 0 };
  for (const row of rows) {
    const day = byDay.get(row.date) ?? { spend: 0, leads: 0, bookings: 0, revenue: 0 };
    for (const totals of [day, monthTotals]) {
      totals.spend += toCents(row.adSpend);
      totals.revenue += toCents(row.revenue);
      totals.leads += row.leads;
      totals.bookings += row.bookings;
    }
    byDay.set(row.date, day);
  }
  const daily = [...byDay.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, totals]) => ({
      date,
      spend: fromCents(totals.spend),
      leads: totals.leads,
      bookings: totals.bookings,
      revenue: fromCents(totals.revenue),
    }));

  const counts = new Map(
    (
      prepared(replica, 'SELECT status, count(*) AS count FROM leads GROUP BY status').all() as {
        status: string;
        count: number;
      }[]
    ).map((row) => [row.status, row.count]),
  );
  return dashboardSchema.parse({
    month: shown,
    spend: fromCents(monthTotals.spend),
    leads: monthTotals.leads,
    bookings: monthTotals.bookings,
    revenue: fromCents(monthTotals.revenue),
    costPerLead:
      monthTotals.leads === 0 ? null : fromCents(centsPer(monthTotals.spend, monthTotals.leads)),
    conversionRate: ratio(monthTotals.bookings, monthTotals.leads),
    roi: ratio(monthTotals.revenue - monthTotals.spend, monthTotals.spend),
    daily,
    funnel: leadStatuses.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    campaigns: campaignPerformance(replica),
  });
}

interface AdTotals {
  spend: string;
  clicks: number;
  impressions: number;
  conversions: number;
}

/** The seed's `campaign_performance` measures, with null instead of 0 for "cannot tell". */
const performance = (row: AdTotals) => ({
  costPerLead:
    row.conversions === 0 ? null : fromCents(centsPer(toCents(row.spend), row.conversions)),
  conversionRate: ratio(row.conversions, row.clicks),
});

/** Every campaign (the seed's view shows active ones only; paused and ended follow them here). */
export function campaignPerformance(replica: Database): CampaignPerformance[] {
  const rows = prepared(
    replica,
    `SELECT id, campaign_id AS campaignId, campaign_name AS name, campaign_type AS type, status,
            daily_budget AS dailyBudget, total_spend AS spend, total_clicks AS clicks,
            total_impressions AS impressions, total_conversions AS conversions
       FROM campaigns
      ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'paused' THEN 1 ELSE 2 END,
               campaign_name COLLATE NOCASE, id`,
  ).all() as (AdTotals & Record<string, unknown>)[];
  return rows.map((row) =>
    campaignPerformanceSchema.parse({
      ...row,
      ...performance(row),
      clickThroughRate: ratio(row.clicks, row.impressions),
    }),
  );
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
  ).all({ campaignId: campaignId ?? null }) as (AdTotals & Record<string, unknown>)[];
  return rows.map((row) => keywordPerformanceSchema.parse({ ...row, ...performance(row) }));
}
