import { memo, type DragEvent, type KeyboardEvent } from 'react';
import type { LeadSummary } from '../../../../db/wire/desktop-views.ts';
import { hrefFor } from '../../app/router.ts';
import {
  Badge,
  formatMoney,
  formatPhone,
  formatRelative,
  humanize,
  leadName,
  PendingMarker,
} from '../../ui/index.ts';
import { LEAD_DRAG_TYPE } from './drag.ts';

export interface LeadCardProps {
  lead: LeadSummary;
  selected: boolean;
  /** Roving tab stop: one card of the board is in the Tab order. */
  tabStop: boolean;
  onSelect: (id: string) => void;
  onMove: (lead: LeadSummary) => void;
}

const urgencyTone = { high: 'danger', medium: 'warning', low: 'neutral' } as const;

/** A lead on the board: draggable to another column, with a "Move to…" button for keyboards. */
export const LeadCard = memo(function LeadCard({
  lead,
  selected,
  tabStop,
  onSelect,
  onMove,
}: LeadCardProps) {
  const name = leadName(lead);
  function onDragStart(event: DragEvent) {
    event.dataTransfer.setData(LEAD_DRAG_TYPE, lead.id);
    event.dataTransfer.setData('text/plain', lead.id);
    event.dataTransfer.effectAllowed = 'move';
    onSelect(lead.id);
  }
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === 'Enter' && event.target === event.currentTarget) {
      event.preventDefault();
      window.location.hash = hrefFor({ name: 'lead', id: lead.id });
    }
  }
  return (
    <article
      className={`lead-card${selected ? ' selected' : ''}${lead.pending ? ' is-pending' : ''}`}
      data-testid={`lead-card-${lead.id}`}
      data-lead-id={lead.id}
      data-status={lead.status}
      draggable
      tabIndex={tabStop ? 0 : -1}
      aria-label={`${name}, ${humanize(lead.status)}${lead.pending ? ', pending sync' : ''}`}
      aria-current={selected ? 'true' : undefined}
      onDragStart={onDragStart}
      onFocus={(event) => {
        if (event.target === event.currentTarget) onSelect(lead.id);
      }}
      onClick={() => onSelect(lead.id)}
      onKeyDown={onKeyDown}
    >
      {/* The name has the card's whole width (two lines at most); urgency sits with the phone. */}
      <a className="lead-card-name" href={hrefFor({ name: 'lead', id: lead.id })} tabIndex={-1}>
        {name}
      </a>
      {lead.customerName || lead.urgency ? (
        <div className="lead-card-meta">
          {lead.customerName ? (
            <span className="lead-card-phone nums">{formatPhone(lead.customerPhone)}</span>
          ) : (
            // The caller's number is the card's name until someone learns theirs.
            <span className="lead-card-phone">No name yet</span>
          )}
          {lead.urgency ? (
            <Badge tone={urgencyTone[lead.urgency]}>{humanize(lead.urgency)}</Badge>
          ) : null}
        </div>
      ) : null}
      {lead.serviceType || lead.description ? (
        <div className="lead-card-service">
          {lead.serviceType ? <strong>{lead.serviceType}</strong> : null}
          {lead.serviceType && lead.description ? ' · ' : null}
          {lead.description ? <span className="muted">{lead.description}</span> : null}
        </div>
      ) : null}
      <div className="lead-card-bottom">
        <span className="faint">
          {humanize(lead.source)} · {formatRelative(lead.createdAt)}
        </span>
        {lead.quotedAmount ? (
          <span className="lead-card-amount nums">{formatMoney(lead.quotedAmount)}</span>
        ) : null}
        {lead.pending ? <PendingMarker /> : null}
        <button
          type="button"
          className="card-move"
          tabIndex={selected ? 0 : -1}
          aria-label={`Move ${name} to…`}
          aria-haspopup="dialog"
          title="Move to… (m)"
          onClick={(event) => {
            event.stopPropagation();
            onMove(lead);
          }}
        >
          Move to…
        </button>
      </div>
    </article>
  );
}, sameCard);

/** Answers re-read the board as new objects; a card re-renders only when what it shows changed. */
function sameCard(a: LeadCardProps, b: LeadCardProps): boolean {
  if (
    a.selected !== b.selected ||
    a.tabStop !== b.tabStop ||
    a.onSelect !== b.onSelect ||
    a.onMove !== b.onMove
  ) {
    return false;
  }
  return sameLead(a.lead, b.lead);
}

export function sameLead(a: LeadSummary, b: LeadSummary): boolean {
  if (a === b) return true;
  for (const key of Object.keys(a) as (keyof LeadSummary)[]) {
    if (a[key] !== b[key]) return false;
  }
  return true;
}
