import type { CampaignPerformance, KeywordPerformance } from '../../../../db/wire/desktop-views.ts';
import { parseCents } from '../../charts/format.ts';
import {
  Badge,
  formatCount,
  formatMoney,
  formatPercent,
  humanize,
  type BadgeTone,
} from '../../ui/index.ts';
import type { ColumnDef } from './SortableTable.tsx';
import './columns.css';

const statusTone: Record<string, BadgeTone> = {
  active: 'success',
  paused: 'warning',
  ended: 'neutral',
  removed: 'neutral',
};

export function StatusPill({ status }: { status: string }) {
  return <Badge tone={statusTone[status] ?? 'neutral'}>{humanize(status)}</Badge>;
}

/** Quality score 1–10 as a number and a small meter, coloured by band. */
export function QualityScore({ score }: { score: number | null }) {
  if (score === null) return <span className="faint">—</span>;
  const band = score >= 7 ? 'good' : score >= 4 ? 'fair' : 'poor';
  return (
    <span className={`quality quality--${band}`} title={`Quality score ${score} of 10`}>
      <span className="quality__bar" aria-hidden="true">
        <span style={{ width: `${Math.max(0, Math.min(10, score)) * 10}%` }} />
      </span>
      <span className="nums">{score}</span>
      <span className="visually-hidden"> of 10</span>
    </span>
  );
}

/** How Google shows a keyword of each match type: [exact], "phrase", broad. */
export function KeywordText({ text, matchType }: Pick<KeywordPerformance, 'text' | 'matchType'>) {
  const shown = matchType === 'exact' ? `[${text}]` : matchType === 'phrase' ? `"${text}"` : text;
  return <span className="keyword-text">{shown}</span>;
}

export const campaignColumns: ColumnDef<CampaignPerformance>[] = [
  {
    key: 'name',
    header: 'Campaign',
    sortValue: (c) => c.name,
    render: (c) => (
      <span className="campaign-name">
        <span className="campaign-name__text">{c.name}</span>
        <span className="faint campaign-name__type">{humanize(c.type)}</span>
      </span>
    ),
  },
  {
    key: 'status',
    header: 'Status',
    sortValue: (c) => c.status,
    render: (c) => <StatusPill status={c.status} />,
  },
  {
    key: 'budget',
    header: 'Budget / day',
    numeric: true,
    sortValue: (c) => parseCents(c.dailyBudget),
    render: (c) => formatMoney(c.dailyBudget, { whole: true }),
  },
  {
    key: 'spend',
    header: 'Spend',
    numeric: true,
    sortValue: (c) => parseCents(c.spend),
    render: (c) => formatMoney(c.spend),
  },
  {
    key: 'clicks',
    header: 'Clicks',
    numeric: true,
    sortValue: (c) => c.clicks,
    render: (c) => formatCount(c.clicks),
  },
  {
    key: 'ctr',
    header: 'CTR',
    title: 'Click-through rate',
    numeric: true,
    sortValue: (c) => c.clickThroughRate,
    render: (c) => formatPercent(c.clickThroughRate),
  },
  {
    key: 'conversions',
    header: 'Leads',
    title: 'Conversions',
    numeric: true,
    sortValue: (c) => c.conversions,
    render: (c) => formatCount(c.conversions),
  },
  {
    key: 'cpl',
    header: 'CPL',
    title: 'Cost per lead',
    numeric: true,
    sortValue: (c) => parseCents(c.costPerLead),
    render: (c) => formatMoney(c.costPerLead),
  },
  {
    key: 'conversion',
    header: 'Conv. rate',
    title: 'Conversion rate',
    numeric: true,
    sortValue: (c) => c.conversionRate,
    render: (c) => formatPercent(c.conversionRate),
  },
];

export const keywordColumns: ColumnDef<KeywordPerformance>[] = [
  {
    key: 'text',
    header: 'Keyword',
    sortValue: (k) => k.text,
    render: (k) => <KeywordText text={k.text} matchType={k.matchType} />,
  },
  {
    key: 'match',
    header: 'Match',
    title: 'Match type',
    sortValue: (k) => k.matchType,
    render: (k) => <span className="match-type">{humanize(k.matchType)}</span>,
  },
  {
    key: 'status',
    header: 'Status',
    sortValue: (k) => k.status,
    render: (k) => <StatusPill status={k.status} />,
  },
  {
    key: 'spend',
    header: 'Spend',
    numeric: true,
    sortValue: (k) => parseCents(k.spend),
    render: (k) => formatMoney(k.spend),
  },
  {
    key: 'clicks',
    header: 'Clicks',
    numeric: true,
    sortValue: (k) => k.clicks,
    render: (k) => formatCount(k.clicks),
  },
  {
    key: 'conversions',
    header: 'Conv.',
    title: 'Conversions',
    numeric: true,
    sortValue: (k) => k.conversions,
    render: (k) => formatCount(k.conversions),
  },
  {
    key: 'cpl',
    header: 'CPL',
    title: 'Cost per lead',
    numeric: true,
    sortValue: (k) => parseCents(k.costPerLead),
    render: (k) => formatMoney(k.costPerLead),
  },
  {
    key: 'conversion',
    header: 'Conv. rate',
    title: 'Conversion rate',
    numeric: true,
    sortValue: (k) => k.conversionRate,
    render: (k) => formatPercent(k.conversionRate),
  },
  {
    key: 'quality',
    header: 'Quality',
    title: 'Quality score (1–10)',
    numeric: true,
    sortValue: (k) => k.qualityScore,
    render: (k) => <QualityScore score={k.qualityScore} />,
  },
];
