import { useMemo, useState } from 'react';
import { leadStatuses } from '../../../../db/enums.ts';
import type { Dashboard } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { hrefFor } from '../../app/router.ts';
import { BarChart, Funnel, LineChart } from '../../charts/index.ts';
import {
  formatCents,
  formatDay,
  formatMonth,
  formatSignedRatio,
  monthOf,
  parseCents,
  shiftMonth,
} from '../../charts/format.ts';
import { compactNumber } from '../../charts/scale.ts';
import {
  Button,
  EmptyState,
  ErrorMessage,
  formatCount,
  formatMoney,
  formatPercent,
  humanize,
  Page,
  Panel,
} from '../../ui/index.ts';
import { campaignColumns } from '../campaigns/columns.tsx';
import { SortableTable, useSorted } from '../campaigns/SortableTable.tsx';
import { change, describeSeries, fillMonth, pointChange, type Change } from './metrics.ts';
import './dashboard.css';

const TABLES = ['financials', 'leads', 'campaigns'] as const;

/** The dashboard's campaign table keeps the columns that answer "is it paying?". */
const DASHBOARD_COLUMNS = new Set(['name', 'spend', 'conversions', 'cpl', 'conversion', 'ctr']);
const dashboardCampaignColumns = campaignColumns.filter((c) => DASHBOARD_COLUMNS.has(c.key));

function todayText(now: Date): string {
  return `${monthOf(now)}-${String(now.getDate()).padStart(2, '0')}`;
}

/** This month's numbers: KPI tiles, daily charts, the pipeline funnel and campaign performance. */
export function DashboardScreen() {
  const now = useMemo(() => new Date(), []);
  const thisMonth = monthOf(now);
  const [month, setMonth] = useState(thisMonth);
  const dashboard = useQuery('dashboard:get', [{ month }], TABLES);
  const previous = useQuery('dashboard:get', [{ month: shiftMonth(month, -1) }], TABLES);
  // While another month loads, the last answer stays (drawn for its own month).
  const data = dashboard.data;
  const before =
    previous.data?.month === shiftMonth(data?.month ?? month, -1) ? previous.data : undefined;

  return (
    <Page
      title="Dashboard"
      testId="screen-dashboard"
      className="dashboard-page"
      subtitle={
        <>
          Spend, leads and revenue for <strong>{formatMonth(month)}</strong>
          {dashboard.loading && data ? <span className="faint"> · updating…</span> : null}
        </>
      }
      actions={
        <div className="month-picker" role="group" aria-label="Month">
          <Button
            size="sm"
            variant="ghost"
            aria-label="Previous month"
            onClick={() => setMonth((m) => shiftMonth(m, -1))}
          >
            ‹
          </Button>
          <span className="month-picker__label" aria-live="polite">
            {formatMonth(month)}
          </span>
          <Button
            size="sm"
            variant="ghost"
            aria-label="Next month"
            disabled={month >= thisMonth}
            onClick={() => setMonth((m) => shiftMonth(m, 1))}
          >
            ›
          </Button>
          {month !== thisMonth ? (
            <Button size="sm" onClick={() => setMonth(thisMonth)}>
              This month
            </Button>
          ) : null}
        </div>
      }
    >
      <ErrorMessage error={dashboard.error} />
      {data === undefined ? (
        dashboard.error ? null : (
          <div className="muted">Loading the numbers…</div>
        )
      ) : (
        <DashboardBody data={data} before={before} month={data.month} today={todayText(now)} />
      )}
    </Page>
  );
}

function DashboardBody({
  data,
  before,
  month,
  today,
}: {
  data: Dashboard;
  before: Dashboard | undefined;
  month: string;
  today: string;
}) {
  const series = useMemo(() => fillMonth(month, data.daily, today), [month, data.daily, today]);
  const moneySeries = useMemo(
    () => [
      // Spend is often a hundredth of revenue: on one scale it would lie flat along zero.
      {
        key: 'spend',
        label: 'Ad spend',
        values: series.spend,
        color: 'var(--chart-spend)',
        axis: 'right' as const,
      },
      { key: 'revenue', label: 'Revenue', values: series.revenue, color: 'var(--chart-revenue)' },
    ],
    [series],
  );
  const countSeries = useMemo(
    () => [
      { key: 'leads', label: 'Leads', values: series.leads, color: 'var(--chart-leads)' },
      {
        key: 'bookings',
        label: 'Bookings',
        values: series.bookings,
        color: 'var(--chart-bookings)',
      },
    ],
    [series],
  );
  const money = (v: number) => formatCents(Math.round(v * 100));
  const moneyAxis = (v: number) => `$${compactNumber(v)}`;
  const stages = useMemo(() => {
    const counts = new Map(data.funnel.map((f) => [f.status, f.count]));
    return leadStatuses.map((status) => ({
      key: status,
      label: humanize(status),
      value: counts.get(status) ?? 0,
      color: `var(--status-${status})`,
    }));
  }, [data.funnel]);
  const campaigns = useSorted(data.campaigns, dashboardCampaignColumns, {
    key: 'spend',
    dir: 'desc',
  });

  const cents = (text: string | null | undefined) => parseCents(text);
  const prev = before;
  const versus = formatMonth(shiftMonth(month, -1)).slice(0, 3);
  const roiTone =
    data.roi === null ? 'neutral' : data.roi >= 0 ? ('good' as const) : ('bad' as const);

  return (
    <div className="dashboard">
      <div className="kpi-grid" role="list" aria-label={`Key numbers for ${formatMonth(month)}`}>
        <Kpi
          versus={versus}
          name="spend"
          label="Ad spend"
          value={formatMoney(data.spend, { whole: true })}
          change={change(cents(data.spend), prev ? cents(prev.spend) : null)}
          upIs="neutral"
        />
        <Kpi
          versus={versus}
          name="leads"
          label="Leads"
          value={formatCount(data.leads)}
          change={change(data.leads, prev?.leads ?? null)}
        />
        <Kpi
          versus={versus}
          name="bookings"
          label="Bookings"
          value={formatCount(data.bookings)}
          change={change(data.bookings, prev?.bookings ?? null)}
        />
        <Kpi
          versus={versus}
          name="revenue"
          label="Revenue"
          value={formatMoney(data.revenue, { whole: true })}
          change={change(cents(data.revenue), prev ? cents(prev.revenue) : null)}
        />
        <Kpi
          versus={versus}
          name="cpl"
          label="Cost per lead"
          value={formatMoney(data.costPerLead)}
          change={change(cents(data.costPerLead), prev ? cents(prev.costPerLead) : null)}
          upIs="bad"
          hint="Ad spend ÷ leads"
        />
        <Kpi
          versus={versus}
          name="conversion"
          label="Conversion"
          value={formatPercent(data.conversionRate)}
          change={pointChange(data.conversionRate, prev?.conversionRate ?? null)}
          points
          hint="Conversion rate: bookings ÷ leads"
        />
        <Kpi
          versus={versus}
          name="roi"
          label="ROI"
          value={formatSignedRatio(data.roi)}
          change={pointChange(data.roi, prev?.roi ?? null)}
          previous={prev ? formatSignedRatio(prev.roi) : undefined}
          tone={roiTone}
          hint="Return on ad spend: (revenue − spend) ÷ spend"
        />
      </div>

      <div className="dashboard-charts">
        <Panel title="Ad spend vs revenue per day" className="dashboard-chart">
          <LineChart
            testId="chart-money"
            title={`Ad spend and revenue per day, ${formatMonth(month)}`}
            summary={[
              describeSeries('Ad spend', series.days, series.spend, money, formatDay),
              describeSeries('Revenue', series.days, series.revenue, money, formatDay),
            ].join(' ')}
            labels={series.days}
            series={moneySeries}
            formatValue={money}
            formatAxis={moneyAxis}
            formatLabel={formatDay}
            emptyText="No spend or revenue this month yet"
          />
        </Panel>
        <Panel title="Leads and bookings per day" className="dashboard-chart">
          <BarChart
            testId="chart-counts"
            title={`Leads and bookings per day, ${formatMonth(month)}`}
            summary={[
              describeSeries('Leads', series.days, series.leads, formatCount, formatDay),
              describeSeries('Bookings', series.days, series.bookings, formatCount, formatDay),
            ].join(' ')}
            labels={series.days}
            series={countSeries}
            formatValue={formatCount}
            formatAxis={compactNumber}
            formatLabel={formatDay}
            emptyText="No leads this month yet"
          />
        </Panel>
      </div>

      <div className="dashboard-lower">
        <Panel title="Pipeline · all leads by status" className="dashboard-funnel">
          <Funnel
            title={`Leads by status, ${formatMonth(month)}`}
            stages={stages}
            testId="funnel"
          />
        </Panel>
        <Panel
          title="Campaign performance"
          className="dashboard-campaigns"
          actions={<a href={hrefFor({ name: 'campaigns' })}>Keywords and details →</a>}
        >
          {data.campaigns.length === 0 ? (
            <EmptyState title="No campaigns this month" />
          ) : (
            <SortableTable
              caption={`Campaign performance, ${formatMonth(month)}`}
              columns={dashboardCampaignColumns}
              rows={campaigns.sorted}
              sort={campaigns.sort}
              onSort={campaigns.onSort}
              rowKey={(c) => c.id}
            />
          )}
        </Panel>
      </div>
    </div>
  );
}

function Kpi({
  name,
  label,
  value,
  change: delta,
  upIs = 'good',
  points = false,
  tone = 'neutral',
  hint,
  previous,
  versus,
}: {
  name: string;
  label: string;
  value: string;
  change: Change;
  /** Whether a rise is good news (leads), bad (cost per lead) or neither (spend). */
  upIs?: 'good' | 'bad' | 'neutral';
  /** The change is in percentage points (ratios), not relative. */
  points?: boolean;
  tone?: 'good' | 'bad' | 'neutral';
  hint?: string;
  /** Show the change as "from <last month's value>" (for ROI, where points would mislead). */
  previous?: string | undefined;
  /** The month compared with, short ("Oct"). */
  versus: string;
}) {
  const good =
    delta.direction === 'flat' || upIs === 'neutral'
      ? 'neutral'
      : (delta.direction === 'up') === (upIs === 'good')
        ? 'good'
        : 'bad';
  const amount =
    delta.ratio === null
      ? null
      : points
        ? `${delta.ratio >= 0 ? '+' : '−'}${Math.abs(delta.ratio * 100).toFixed(1)} pts`
        : formatSignedRatio(delta.ratio);
  const arrow = delta.direction === 'up' ? '▲' : delta.direction === 'down' ? '▼' : '';
  return (
    <div className="kpi" role="listitem" data-testid={`kpi-${name}`} title={hint}>
      <div className="kpi__label">{label}</div>
      <div className={`kpi__value kpi__value--${tone}`}>{value}</div>
      <div className={`kpi__change kpi__change--${good}`}>
        {previous !== undefined && delta.ratio !== null ? (
          <>
            <span aria-hidden="true">{arrow} </span>
            <span className="faint">from </span>
            {previous}
          </>
        ) : amount ? (
          <>
            <span aria-hidden="true">{arrow} </span>
            {amount}
            <span className="faint"> vs {versus}</span>
          </>
        ) : (
          <span className="faint">{hint ?? 'No earlier month to compare'}</span>
        )}
      </div>
    </div>
  );
}
