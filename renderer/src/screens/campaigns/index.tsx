import { useMemo, useState } from 'react';
import type { CampaignPerformance } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { formatCents, sumCents } from '../../charts/format.ts';
import { EmptyState, ErrorMessage, formatCount, humanize, Page, Panel } from '../../ui/index.ts';
import { campaignColumns, keywordColumns, StatusPill } from './columns.tsx';
import { SortableTable, useSorted } from './SortableTable.tsx';
import './campaigns.css';

/** Ad campaigns with their performance, and the keywords of the selected one. */
export function CampaignsScreen() {
  const campaigns = useQuery('campaigns:list', [], ['campaigns', 'keywords', 'leads']);
  const rows = useMemo(() => campaigns.data ?? [], [campaigns.data]);
  const table = useSorted(rows, campaignColumns, { key: 'spend', dir: 'desc' });
  const [chosen, setChosen] = useState<string | undefined>();
  const selected = rows.find((c) => c.id === chosen) ?? table.sorted[0];

  const move = (step: number) => {
    const list = table.sorted;
    if (list.length === 0) return;
    const index = list.findIndex((c) => c.id === selected?.id);
    const next = list[Math.min(list.length - 1, Math.max(0, index + step))];
    if (next) setChosen(next.id);
  };
  useCommand('next', () => move(1));
  useCommand('prev', () => move(-1));
  useCommand('open', () => document.getElementById('keywords-panel')?.focus());

  const totals = useMemo(() => {
    const spend = sumCents(rows.map((c) => c.spend));
    const conversions = rows.reduce((n, c) => n + c.conversions, 0);
    const clicks = rows.reduce((n, c) => n + c.clicks, 0);
    return {
      spend,
      conversions,
      clicks,
      active: rows.filter((c) => c.status === 'active').length,
      cpl: conversions > 0 ? Math.round(spend / conversions) : null,
    };
  }, [rows]);

  return (
    <Page
      title="Campaigns"
      testId="screen-campaigns"
      className="campaigns-page"
      subtitle="Google Ads performance by campaign and keyword · click a campaign or use j/k"
    >
      <ErrorMessage error={campaigns.error} />
      {campaigns.data === undefined ? (
        campaigns.error ? null : (
          <div className="muted">Loading campaigns…</div>
        )
      ) : rows.length === 0 ? (
        <EmptyState title="No campaigns yet">
          Campaigns appear here once your Google Ads account syncs.
        </EmptyState>
      ) : (
        <div className="campaigns-layout">
          <dl className="campaigns-summary">
            <div>
              <dt>Campaigns</dt>
              <dd>
                {formatCount(rows.length)}{' '}
                <span className="muted">({formatCount(totals.active)} active)</span>
              </dd>
            </div>
            <div>
              <dt>Spend to date</dt>
              <dd>{formatCents(totals.spend)}</dd>
            </div>
            <div>
              <dt>Clicks to date</dt>
              <dd>{formatCount(totals.clicks)}</dd>
            </div>
            <div>
              <dt>Leads to date</dt>
              <dd>{formatCount(totals.conversions)}</dd>
            </div>
            <div>
              <dt>Cost per lead</dt>
              <dd>{totals.cpl === null ? '—' : formatCents(totals.cpl)}</dd>
            </div>
          </dl>
          <Panel title="Campaigns" className="campaigns-panel">
            <SortableTable
              caption="Campaigns"
              columns={campaignColumns}
              rows={table.sorted}
              sort={table.sort}
              onSort={table.onSort}
              rowKey={(c) => c.id}
              selectedKey={selected?.id}
              onSelect={(c) => setChosen(c.id)}
              rowTestId={(c) => `campaign-row-${c.id}`}
            />
          </Panel>
          {selected ? <Keywords campaign={selected} /> : null}
        </div>
      )}
    </Page>
  );
}

function Keywords({ campaign }: { campaign: CampaignPerformance }) {
  const keywords = useQuery(
    'keywords:list',
    [{ campaignId: campaign.id }],
    ['keywords', 'campaigns'],
  );
  const rows = useMemo(() => keywords.data ?? [], [keywords.data]);
  const table = useSorted(rows, keywordColumns, { key: 'spend', dir: 'desc' });
  return (
    <section
      id="keywords-panel"
      className="panel keywords-panel"
      tabIndex={-1}
      aria-labelledby="keywords-title"
      data-testid="keywords-panel"
    >
      <div className="panel-header">
        <h2 id="keywords-title" className="panel-title">
          Keywords · {campaign.name}
        </h2>
        <span className="keywords-meta">
          <StatusPill status={campaign.status} />
          <span className="faint">{humanize(campaign.type)} campaign</span>
        </span>
      </div>
      <div className="panel-body">
        <ErrorMessage error={keywords.error} />
        {keywords.data === undefined ? (
          keywords.error ? null : (
            <div className="muted">Loading keywords…</div>
          )
        ) : rows.length === 0 ? (
          <EmptyState title="No keywords">
            {campaign.type === 'search'
              ? 'This campaign has no keywords yet.'
              : `${humanize(campaign.type)} campaigns target audiences, not keywords.`}
          </EmptyState>
        ) : (
          <SortableTable
            caption={`Keywords of ${campaign.name}`}
            columns={keywordColumns}
            rows={table.sorted}
            sort={table.sort}
            onSort={table.onSort}
            rowKey={(k) => k.id}
            rowTestId={(k) => `keyword-row-${k.id}`}
          />
        )}
      </div>
    </section>
  );
}
