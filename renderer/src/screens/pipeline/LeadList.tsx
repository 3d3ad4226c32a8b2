import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, useState } from 'react';
import type { LeadStatus } from '../../../../db/enums.ts';
import type { LeadFilter, LeadSort, LeadSummary } from '../../../../db/wire/desktop-views.ts';
import { useCommand } from '../../app/commands.ts';
import { hrefFor, navigate } from '../../app/router.ts';
import type { MovableLead } from '../../leads/MoveDialog.tsx';
import {
  Badge,
  EmptyState,
  ErrorMessage,
  formatCount,
  formatDateTime,
  formatMoney,
  formatPhone,
  humanize,
  leadName,
  PendingMarker,
  StatusBadge,
} from '../../ui/index.ts';
import { sameLead } from './LeadCard.tsx';
import { stepIndex } from './selection.ts';
import { useLeadWindow } from './useLeadWindow.ts';

const ROW_HEIGHT = 52;
const urgencyTone = { high: 'danger', medium: 'warning', low: 'neutral' } as const;

/**
 * The pipeline as one long list: virtualised (only the rows in view exist in the page) and read
 * from the local core a page at a time as it scrolls.
 */
export function LeadList({
  filter,
  sort,
  onReady,
  requestMove,
}: {
  filter: LeadFilter;
  sort: LeadSort;
  onReady: () => void;
  requestMove: (lead: MovableLead, to?: LeadStatus) => void;
}) {
  const leads = useLeadWindow(filter, sort);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const count = leads.total ?? 0;

  // TanStack Virtual returns fresh functions each render by design; nothing here is memoised on it.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { setVisibleRange } = leads;
  useEffect(() => setVisibleRange(first, last), [first, last, setVisibleRange]);

  useEffect(() => {
    if (leads.total !== undefined) onReady();
  }, [leads.total, onReady]);

  // A new filter starts at the top.
  const key = JSON.stringify([filter, sort]);
  useEffect(() => {
    setSelected(null);
    scrollRef.current?.scrollTo({ top: 0 });
  }, [key]);

  const select = useCallback(
    (index: number) => {
      setSelected(index);
      virtualizer.scrollToIndex(index, { align: 'auto' });
    },
    [virtualizer],
  );
  useCommand('next', () => {
    const next = stepIndex(selected, count, 1);
    if (next !== null) select(next);
  });
  useCommand('prev', () => {
    const next = stepIndex(selected, count, -1);
    if (next !== null) select(next);
  });
  useCommand('open', () => {
    const lead = selected === null ? undefined : leads.rowAt(selected);
    if (lead) navigate({ name: 'lead', id: lead.id });
  });
  useCommand('move', () => {
    const lead = selected === null ? undefined : leads.rowAt(selected);
    if (lead) requestMove(lead);
  });
  const onMove = useCallback((lead: LeadSummary) => requestMove(lead), [requestMove]);

  if (leads.error && leads.total === undefined) return <ErrorMessage error={leads.error} />;

  return (
    <div className="lead-list-wrap">
      <div className="lead-list-summary" role="status" aria-live="polite">
        {leads.total === undefined ? (
          'Loading…'
        ) : (
          <span data-testid="list-total">
            {formatCount(leads.total)} {leads.total === 1 ? 'lead' : 'leads'}
          </span>
        )}
      </div>
      <div
        className="lead-list"
        role="table"
        aria-label="Leads"
        aria-rowcount={count + 1}
        aria-busy={leads.stale}
      >
        <div role="rowgroup" className="lead-list-head">
          <div role="row" className="lead-row head" aria-rowindex={1}>
            <span role="columnheader">Name</span>
            <span role="columnheader">Phone</span>
            <span role="columnheader">Status</span>
            <span role="columnheader">Service</span>
            <span role="columnheader">Urgency</span>
            <span role="columnheader">Source</span>
            <span role="columnheader" className="num">
              Quoted
            </span>
            <span role="columnheader">Created</span>
            <span role="columnheader">
              <span className="visually-hidden">Actions</span>
            </span>
          </div>
        </div>
        <div ref={scrollRef} className="lead-list-scroll" role="rowgroup">
          {leads.total === 0 ? (
            <EmptyState title="No leads match">Try another search or clear the filters.</EmptyState>
          ) : null}
          <div className="lead-list-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const lead = leads.rowAt(item.index);
              return (
                <div
                  key={item.key}
                  className="lead-row-slot"
                  style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                >
                  {lead ? (
                    <LeadRow
                      lead={lead}
                      index={item.index}
                      selected={selected === item.index}
                      tabStop={selected === item.index || (selected === null && item.index === 0)}
                      onSelect={setSelected}
                      onMove={onMove}
                    />
                  ) : (
                    <div role="row" className="lead-row placeholder" aria-rowindex={item.index + 2}>
                      <span role="cell" className="skeleton-bar" />
                    </div>
                  )}
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

interface LeadRowProps {
  lead: LeadSummary;
  index: number;
  selected: boolean;
  /** Roving tab stop: one row of the list is in the Tab order. */
  tabStop: boolean;
  onSelect: (index: number) => void;
  onMove: (lead: LeadSummary) => void;
}

const LeadRow = memo(
  function LeadRow({ lead, index, selected, tabStop, onSelect, onMove }: LeadRowProps) {
    const name = leadName(lead);
    const ref = useRef<HTMLDivElement>(null);
    useEffect(() => {
      if (selected && !ref.current?.contains(document.activeElement)) ref.current?.focus();
    }, [selected]);
    return (
      <div
        ref={ref}
        role="row"
        className={`lead-row${selected ? ' selected' : ''}${lead.pending ? ' is-pending' : ''}`}
        aria-rowindex={index + 2}
        aria-selected={selected}
        tabIndex={tabStop ? 0 : -1}
        onFocus={(event) => {
          if (event.target === event.currentTarget && !selected) onSelect(index);
        }}
        data-testid={`lead-row-${lead.id}`}
        data-lead-id={lead.id}
        onClick={() => onSelect(index)}
        onDoubleClick={() => navigate({ name: 'lead', id: lead.id })}
      >
        <span role="cell" className="cell-name">
          <a href={hrefFor({ name: 'lead', id: lead.id })} tabIndex={selected ? 0 : -1}>
            {name}
          </a>
          {lead.pending ? <PendingMarker /> : null}
        </span>
        <span role="cell" className="nums">
          {formatPhone(lead.customerPhone)}
        </span>
        <span role="cell">
          <StatusBadge status={lead.status} />
        </span>
        <span role="cell" className="cell-clip" title={lead.description ?? undefined}>
          {lead.serviceType ?? <span className="faint">—</span>}
        </span>
        <span role="cell">
          {lead.urgency ? (
            <Badge tone={urgencyTone[lead.urgency]}>{humanize(lead.urgency)}</Badge>
          ) : (
            <span className="faint">—</span>
          )}
        </span>
        <span role="cell">{humanize(lead.source)}</span>
        <span role="cell" className="num nums">
          {formatMoney(lead.quotedAmount)}
        </span>
        <span role="cell" className="muted nums cell-clip">
          {formatDateTime(lead.createdAt)}
        </span>
        <span role="cell">
          <button
            type="button"
            className="card-move"
            tabIndex={selected ? 0 : -1}
            aria-label={`Move ${name} to…`}
            aria-haspopup="dialog"
            onClick={(event) => {
              event.stopPropagation();
              onMove(lead);
            }}
          >
            Move to…
          </button>
        </span>
      </div>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.selected === b.selected &&
    a.tabStop === b.tabStop &&
    a.onSelect === b.onSelect &&
    a.onMove === b.onMove &&
    sameLead(a.lead, b.lead),
);
