import { z } from 'zod';
import { campaignStatuses, leadStatuses } from '../enums.ts';
import { AppError } from '../errors.ts';
import { centsPer, fromCents, ratio, toCents } from '../money.ts';
import {
  type DayMetrics,
  dayMetricsSchema,
  type LeadPipeline,
  leadPipelineSchema,
  PIPELINE_MAX_DAYS,
} from '../wire/analytics.ts';
import {
  type AgentAction,
  agentActionSchema,
  type CampaignPerformance,
  campaignPerformanceSchema,
  type Dashboard,
  dashboardSchema,
} from '../wire/desktop-views.ts';

/*
 * The analytics' derivations, shared by the desktop (electron/core/queries/numbers.ts, over its
 * SQLite replica) and the server (sync-server/analytics/queries.ts, over Postgres). Each side only
 * fetches rows with SQL — amounts as exact decimal text or integer cents, instants in one text
 * form — and everything that could come out differently (rounding, ratios, the calendar, sort
 * order, JSON) happens here, once, so the same rows give the same figures on both sides.
 * No database in this file.
 */

// ---------------------------------------------------------------------------------------------
// The calendar

const pad2 = (n: number): string => String(n).padStart(2, '0');

const monthPattern = /^\d{4}-(0[1-9]|1[0-2])$/;
const dayPattern = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** YYYY-MM of an instant in this process's time zone (the desktop's: the business's own). */
export const localMonth = (at: Date): string => `${at.getFullYear()}-${pad2(at.getMonth() + 1)}`;

/** YYYY-MM-DD of an instant in this process's time zone. */
export const localDay = (at: Date): string => `${localMonth(at)}-${pad2(at.getDate())}`;

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD of an instant in the IANA time zone `timeZone` (the server: the business's zone). */
export function dayInZone(at: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      });
    } catch (error) {
      throw new AppError('DATABASE_ERROR', `"${timeZone}" is not a time zone.`, { cause: error });
    }
    dayFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value;
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** The month (YYYY-MM) a day (YYYY-MM-DD) is in. */
export const monthOf = (day: string): string => day.slice(0, 7);

/** A YYYY-MM-DD day, or a VALIDATION_FAILED error naming what was given. */
export function checkDay(day: string): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  if (!dayPattern.test(day) || date > daysInMonth(year, month)) {
    throw new AppError('VALIDATION_FAILED', `"${day}" is not a date (YYYY-MM-DD).`);
  }
  return day;
}

const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate();

/** The days of `month`, as `first` ≤ date < `next` (both YYYY-MM-DD). */
export function monthBounds(month: string): { first: string; next: string } {
  if (!monthPattern.test(month)) {
    throw new AppError('VALIDATION_FAILED', `"${month}" is not a month (YYYY-MM).`);
  }
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const next = `${monthNumber === 12 ? year + 1 : year}-${pad2((monthNumber % 12) + 1)}`;
  return { first: `${month}-01`, next: `${next}-01` };
}

/** The month's days that have happened by `today`: all of a past month, none of a future one. */
export function daysSoFar(month: string, today: string): string[] {
  monthBounds(month);
  const [year, monthNumber] = month.split('-').map(Number) as [number, number];
  const days = Array.from(
    { length: daysInMonth(year, monthNumber) },
    (_, i) => `${month}-${pad2(i + 1)}`,
  );
  return days.filter((day) => day <= today);
}

/** An instant as both sides print one: UTC, six fractional digits ("…T10:11:12.123000Z"). */
export const instantText = (at: Date): string => `${at.toISOString().slice(0, 23)}000Z`;

// ---------------------------------------------------------------------------------------------
// Campaigns

/** What Google Ads reports for a campaign or a keyword (`spend` exact decimal text). */
export interface AdTotalsRow {
  spend: string;
  clicks: number;
  impressions: number;
  conversions: number;
}

/** The seed's `campaign_performance` measures, with null instead of 0 for "cannot tell". */
export const adPerformance = (row: AdTotalsRow) => ({
  costPerLead:
    row.conversions === 0 ? null : fromCents(centsPer(toCents(row.spend), row.conversions)),
  conversionRate: ratio(row.conversions, row.clicks),
});

/** A campaigns row as both sides select it. */
export interface CampaignRow extends AdTotalsRow {
  id: string;
  campaignId: string;
  name: string;
  type: string;
  status: string;
  dailyBudget: string;
}

export const campaignFigures = (row: CampaignRow): CampaignPerformance =>
  campaignPerformanceSchema.parse({
    id: row.id,
    campaignId: row.campaignId,
    name: row.name,
    type: row.type,
    status: row.status,
    dailyBudget: row.dailyBudget,
    spend: row.spend,
    clicks: row.clicks,
    impressions: row.impressions,
    conversions: row.conversions,
    ...adPerformance(row),
    clickThroughRate: ratio(row.clicks, row.impressions),
  });

const statusRank = (status: string): number => {
  const rank = (campaignStatuses as readonly string[]).indexOf(status);
  return rank === -1 ? campaignStatuses.length : rank;
};

/** Text order by UTF-16 code units: the same in every process, locale and database. */
const byCodeUnits = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The campaigns' order: active, paused, ended; then by name ignoring case (JavaScript's
 * locale-independent toLowerCase, not SQLite's NOCASE nor a Postgres collation); then by id.
 */
export const compareCampaigns = (
  a: Pick<CampaignRow, 'status' | 'name' | 'id'>,
  b: Pick<CampaignRow, 'status' | 'name' | 'id'>,
): number =>
  statusRank(a.status) - statusRank(b.status) ||
  byCodeUnits(a.name.toLowerCase(), b.name.toLowerCase()) ||
  byCodeUnits(a.id, b.id);

/** Every campaign with its measures, in the campaigns' order. */
export const campaignsFigures = (rows: readonly CampaignRow[]): CampaignPerformance[] =>
  [...rows].sort(compareCampaigns).map(campaignFigures);

// ---------------------------------------------------------------------------------------------
// The dashboard

/** A financials row as the dashboard needs it (amounts exact decimal text). */
export interface FinancialRow {
  date: string;
  adSpend: string;
  leadsGenerated: number;
  leadsBooked: number;
  revenue: string;
}

/** The number of the business's leads in one status. */
export interface StatusCountRow {
  status: string;
  count: number;
}

export interface DashboardInput {
  /** YYYY-MM. */
  month: string;
  /** The business's calendar day now, YYYY-MM-DD: the daily series stops there. */
  today: string;
  /** The month's financials rows. */
  financials: readonly FinancialRow[];
  /** All the business's leads by status. */
  statusCounts: readonly StatusCountRow[];
  /** All the business's campaigns, in any order. */
  campaigns: readonly CampaignRow[];
}

interface Totals {
  spend: number;
  leads: number;
  bookings: number;
  revenue: number;
}

const zeroTotals = (): Totals => ({ spend: 0, leads: 0, bookings: 0, revenue: 0 });

/**
 * The month's dashboard. Spend is `ad_spend` alone, as the seed's `user_dashboard` counts it
 * (platform fee and other costs are the business's overheads, not what its leads cost). Amounts
 * are summed in integer cents; cost per lead is rounded to the cent; the ratios divide the
 * month's sums (not an average of the days' ratios). The daily series has every day of the month
 * up to today, zeros where nothing was recorded (and a row recorded after today as well).
 */
export function dashboardFigures(input: DashboardInput): Dashboard {
  const { month, today } = input;
  const byDay = new Map<string, Totals>(daysSoFar(month, today).map((day) => [day, zeroTotals()]));
  const monthTotals = zeroTotals();
  for (const row of input.financials) {
    const day = byDay.get(row.date) ?? zeroTotals();
    for (const totals of [day, monthTotals]) {
      totals.spend += toCents(row.adSpend);
      totals.revenue += toCents(row.revenue);
      totals.leads += row.leadsGenerated;
      totals.bookings += row.leadsBooked;
    }
    byDay.set(row.date, day);
  }
  const daily = [...byDay.entries()]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([date, totals]) => ({
      date,
      spend: fromCents(totals.spend),
      leads: totals.leads,
      bookings: totals.bookings,
      revenue: fromCents(totals.revenue),
    }));
  const counts = new Map(input.statusCounts.map((row) => [row.status, row.count]));
  return dashboardSchema.parse({
    month,
    spend: fromCents(monthTotals.spend),
    leads: monthTotals.leads,
    bookings: monthTotals.bookings,
    revenue: fromCents(monthTotals.revenue),
    ...measures(monthTotals),
    daily,
    funnel: leadStatuses.map((status) => ({ status, count: counts.get(status) ?? 0 })),
    campaigns: campaignsFigures(input.campaigns),
  });
}

/** Cost per lead, conversion rate and ROI of summed cents and counts. */
const measures = (totals: Totals) => ({
  costPerLead: totals.leads === 0 ? null : fromCents(centsPer(totals.spend, totals.leads)),
  conversionRate: ratio(totals.bookings, totals.leads),
  roi: ratio(totals.revenue - totals.spend, totals.spend),
});

// ---------------------------------------------------------------------------------------------
// One day's metrics

/** A financials row with every measure of the day. */
export interface FinancialDayRow extends FinancialRow {
  platformFee: string;
  otherCosts: string;
  leadsContacted: number;
  leadsQuoted: number;
  leadsCompleted: number;
  leadsLost: number;
}

/** The day `date`'s metrics, summed over its financials rows (normally one; zeros when none). */
export function dayMetricsFigures(date: string, rows: readonly FinancialDayRow[]): DayMetrics {
  checkDay(date);
  const sum = (pick: (row: FinancialDayRow) => number) =>
    rows.reduce((total, row) => total + pick(row), 0);
  const totals: Totals = {
    spend: sum((row) => toCents(row.adSpend)),
    leads: sum((row) => row.leadsGenerated),
    bookings: sum((row) => row.leadsBooked),
    revenue: sum((row) => toCents(row.revenue)),
  };
  return dayMetricsSchema.parse({
    date,
    spend: fromCents(totals.spend),
    platformFee: fromCents(sum((row) => toCents(row.platformFee))),
    otherCosts: fromCents(sum((row) => toCents(row.otherCosts))),
    leadsGenerated: totals.leads,
    leadsContacted: sum((row) => row.leadsContacted),
    leadsQuoted: sum((row) => row.leadsQuoted),
    leadsBooked: totals.bookings,
    leadsCompleted: sum((row) => row.leadsCompleted),
    leadsLost: sum((row) => row.leadsLost),
    revenue: fromCents(totals.revenue),
    ...measures(totals),
  });
}

// ---------------------------------------------------------------------------------------------
// The lead pipeline

/** A number of days for the pipeline's window, or a VALIDATION_FAILED error. */
export function checkPipelineDays(days: number): number {
  if (!Number.isInteger(days) || days < 1 || days > PIPELINE_MAX_DAYS) {
    throw new AppError(
      'VALIDATION_FAILED',
      `The pipeline's window is a whole number of days from 1 to ${PIPELINE_MAX_DAYS}; got ${days}.`,
    );
  }
  return days;
}

const DAY_MS = 86_400_000;

/** The window's start: `days` × 24 hours before `now` (leads created at or after it count). */
export const pipelineSince = (now: Date, days: number): Date =>
  new Date(now.getTime() - checkPipelineDays(days) * DAY_MS);

/**
 * One status of the window's leads, as each database aggregates it. Amounts are summed in integer
 * cents. `closeMicros` is the sum over the `closed` leads that have a completion time of
 * (completed_at − created_at) in whole microseconds, as decimal integer text (exact in both SQLite's
 * 64-bit integers and Postgres's numeric; text because it may exceed 2^53), null when `closed` is 0.
 */
export interface PipelineRow {
  status: string;
  count: number;
  quotedCents: number;
  actualCents: number;
  closed: number;
  closeMicros: string | null;
}

const MICROS_PER_DAY = 86_400_000_000n;

/**
 * The mean of `closed` durations totalling `totalMicros` microseconds, in days rounded half away
 * from zero to two decimals: integer arithmetic throughout, so both sides get the same number.
 */
export function meanDays(totalMicros: string | null, closed: number): number | null {
  if (closed === 0 || totalMicros === null) return null;
  if (!/^-?\d+$/.test(totalMicros)) {
    throw new AppError('DATABASE_ERROR', `"${totalMicros}" is not a whole number of microseconds.`);
  }
  const micros = BigInt(totalMicros);
  const magnitude = micros < 0n ? -micros : micros;
  const divisor = BigInt(closed) * MICROS_PER_DAY;
  const hundredths = (magnitude * 200n + divisor) / (2n * divisor);
  return (micros < 0n ? -Number(hundredths) : Number(hundredths)) / 100;
}

/** The pipeline of the leads created in the last `days` days, every status in pipeline order. */
export function leadPipelineFigures(
  days: number,
  now: Date,
  rows: readonly PipelineRow[],
): LeadPipeline {
  const since = pipelineSince(now, days);
  const byStatus = new Map(rows.map((row) => [row.status, row]));
  return leadPipelineSchema.parse({
    days,
    since: instantText(since),
    stages: leadStatuses.map((status) => {
      const row = byStatus.get(status);
      return {
        status,
        count: row?.count ?? 0,
        totalQuoted: fromCents(row?.quotedCents ?? 0),
        totalActual: fromCents(row?.actualCents ?? 0),
        avgDaysToClose: row === undefined ? null : meanDays(row.closeMicros, row.closed),
      };
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// The agents' actions

/** An ai_agent_logs row as both sides select it; `estimatedImpact` is the JSON text. */
export interface AgentActionRow {
  id: string;
  agent: string;
  actionType: string;
  result: string;
  message: string | null;
  estimatedImpact: string | null;
  at: string;
  completedAt: string | null;
}

/** `estimated_impact` is JSON text (an object, or NULL); parsed here, the same way on both sides. */
const impactText = z
  .string()
  .nullable()
  .transform((text, context) => {
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'estimated_impact is not JSON' });
      return z.NEVER;
    }
  });

export const agentActionFigures = (row: AgentActionRow): AgentAction =>
  agentActionSchema.parse({
    id: row.id,
    agent: row.agent,
    actionType: row.actionType,
    result: row.result,
    message: row.message,
    estimatedImpact: impactText.parse(row.estimatedImpact),
    at: row.at,
    completedAt: row.completedAt,
  });
