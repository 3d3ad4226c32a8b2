import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { LeadStatus } from '../../../../db/enums.ts';
import type { LeadFilter, LeadSort, LeadSummary } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { navigate } from '../../app/router.ts';
import { EmptyState, ErrorMessage } from '../../ui/index.ts';
import type { MovableLead } from '../../leads/MoveDialog.tsx';
import { BOARD_TABLES, boardArgs } from './board-query.ts';
import { BoardColumn } from './BoardColumn.tsx';
import { stepSelection } from './selection.ts';

/** The pipeline as a board: a column per status, ≤ PER_COLUMN cards each, j/k/h/l to move. */
export function Board({
  filter,
  sort,
  onReady,
  requestMove,
  onShowAll,
}: {
  filter: LeadFilter;
  sort: LeadSort;
  onReady: () => void;
  requestMove: (lead: MovableLead, to?: LeadStatus) => void;
  onShowAll: (status: LeadStatus) => void;
}) {
  const board = useQuery('leads:board', boardArgs(filter, sort), BOARD_TABLES);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const columns = useMemo(() => board.data?.columns ?? [], [board.data]);

  useEffect(() => {
    if (board.data) onReady();
  }, [board.data, onReady]);

  const leadsById = useMemo(() => {
    const map = new Map<string, LeadSummary>();
    for (const column of columns) for (const lead of column.leads) map.set(lead.id, lead);
    return map;
  }, [columns]);
  const leadsRef = useRef(leadsById);
  useEffect(() => {
    leadsRef.current = leadsById;
  });

  const focusCard = useCallback((id: string) => {
    rootRef.current?.querySelector<HTMLElement>(`[data-lead-id="${CSS.escape(id)}"]`)?.focus();
  }, []);

  const step = (direction: 'next' | 'prev' | 'left' | 'right') => {
    const target = stepSelection(
      columns.map((column) => column.leads.map((lead) => lead.id)),
      selectedId,
      direction,
    );
    if (target) focusCard(target);
  };
  useCommand('next', () => step('next'));
  useCommand('prev', () => step('prev'));
  useCommand('left', () => step('left'));
  useCommand('right', () => step('right'));
  useCommand('open', () => {
    if (selectedId) navigate({ name: 'lead', id: selectedId });
  });
  useCommand('move', () => {
    const lead = selectedId ? leadsById.get(selectedId) : undefined;
    if (lead) requestMove(lead);
  });

  const onMove = useCallback((lead: LeadSummary) => requestMove(lead), [requestMove]);
  const onDropLead = useCallback(
    (leadId: string, to: LeadStatus) => {
      const lead = leadsRef.current.get(leadId);
      if (lead && lead.status !== to) requestMove(lead, to);
    },
    [requestMove],
  );

  if (board.error && !board.data) return <ErrorMessage error={board.error} />;
  if (!board.data) return <BoardSkeleton />;

  const firstId = columns.find((column) => column.leads.length > 0)?.leads[0]?.id ?? null;
  const tabStopId = selectedId && leadsById.has(selectedId) ? selectedId : firstId;
  const empty = columns.every((column) => column.total === 0);

  return (
    <div className="board-wrap">
      {empty ? (
        <EmptyState title="No leads match">
          Try another search or clear the filters. New calls and texts arrive here on their own.
        </EmptyState>
      ) : null}
      <div
        ref={rootRef}
        className={`board${board.loading ? ' is-loading' : ''}`}
        aria-label="Pipeline board"
        role="region"
        aria-busy={board.loading}
      >
        {columns.map((column) => (
          <BoardColumn
            key={column.status}
            status={column.status}
            total={column.total}
            leads={column.leads}
            selectedId={
              selectedId && column.leads.some((lead) => lead.id === selectedId) ? selectedId : null
            }
            tabStopId={
              tabStopId && column.leads.some((lead) => lead.id === tabStopId) ? tabStopId : null
            }
            onSelect={setSelectedId}
            onMove={onMove}
            onDropLead={onDropLead}
            onShowAll={onShowAll}
          />
        ))}
      </div>
    </div>
  );
}

function BoardSkeleton() {
  return (
    <div className="board" aria-busy="true" role="status" aria-label="Loading the pipeline">
      {Array.from({ length: 6 }, (_, index) => (
        <div key={index} className="board-column skeleton">
          <div className="skeleton-bar" />
          <div className="skeleton-card" />
          <div className="skeleton-card" />
        </div>
      ))}
    </div>
  );
}
