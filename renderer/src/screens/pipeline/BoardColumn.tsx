import { memo, startTransition, useEffect, useState, type DragEvent } from 'react';
import type { LeadStatus } from '../../../../db/enums.ts';
import type { LeadSummary } from '../../../../db/wire/desktop-views.ts';
import { formatCount, humanize } from '../../ui/index.ts';
import { LEAD_DRAG_TYPE } from './drag.ts';
import { LeadCard } from './LeadCard.tsx';

export interface BoardColumnProps {
  status: LeadStatus;
  total: number;
  leads: LeadSummary[];
  /** The selected lead when it is in this column (else null, so other columns do not redraw). */
  selectedId: string | null;
  tabStopId: string | null;
  onSelect: (id: string) => void;
  onMove: (lead: LeadSummary) => void;
  onDropLead: (leadId: string, to: LeadStatus) => void;
  onShowAll: (status: LeadStatus) => void;
}

/**
 * Cards drawn in the board's first frame: more than a tall window shows of a column. The rest
 * follow right after, at lower priority, so opening the board does not wait for cards below the
 * fold (the column's answer already holds them).
 */
const FIRST_FRAME_CARDS = 10;

/** One status of the board: its count, its first cards, and a drop target for dragged cards. */
export const BoardColumn = memo(function BoardColumn({
  status,
  total,
  leads,
  selectedId,
  tabStopId,
  onSelect,
  onMove,
  onDropLead,
  onShowAll,
}: BoardColumnProps) {
  const [dropping, setDropping] = useState(false);
  const [drawAll, setDrawAll] = useState(false);
  useEffect(() => {
    const frame = requestAnimationFrame(() => startTransition(() => setDrawAll(true)));
    return () => cancelAnimationFrame(frame);
  }, []);
  const shown = drawAll ? leads : leads.slice(0, FIRST_FRAME_CARDS);
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(LEAD_DRAG_TYPE);
  const titleId = `column-title-${status}`;

  return (
    <section
      className={`board-column status-${status}${total > leads.length ? ' has-more' : ''}${dropping ? ' drop-target' : ''}`}
      data-testid={`column-${status}`}
      aria-labelledby={titleId}
      onDragOver={(event) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        if (!dropping) setDropping(true);
      }}
      onDragLeave={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setDropping(false);
      }}
      onDrop={(event) => {
        setDropping(false);
        const id = event.dataTransfer.getData(LEAD_DRAG_TYPE);
        if (!id) return;
        event.preventDefault();
        onDropLead(id, status);
      }}
    >
      <header className="board-column-header">
        <h2 id={titleId} className="board-column-title">
          <span className="status-badge">{humanize(status)}</span>
        </h2>
        <span className="board-column-count nums" data-testid={`column-count-${status}`}>
          {formatCount(total)}
        </span>
      </header>
      <ul className="board-column-cards" aria-labelledby={titleId}>
        {shown.map((lead) => (
          <li key={lead.id}>
            <LeadCard
              lead={lead}
              selected={lead.id === selectedId}
              tabStop={lead.id === tabStopId}
              onSelect={onSelect}
              onMove={onMove}
            />
          </li>
        ))}
        {leads.length === 0 ? <li className="board-column-empty">No leads</li> : null}
      </ul>
      {total > leads.length ? (
        <button
          type="button"
          className="board-column-more"
          onClick={() => onShowAll(status)}
          aria-label={`Show all ${formatCount(total)} ${humanize(status).toLowerCase()} leads in the list`}
        >
          Show all {formatCount(total)}
        </button>
      ) : null}
    </section>
  );
});
