import { useCallback, useMemo, useState } from 'react';
import type { LeadStatus } from '../../../../db/enums.ts';
import { runCommand } from '../../app/commands.ts';
import { navigate } from '../../app/router.ts';
import { useMoveFlow } from '../../leads/MoveDialog.tsx';
import { Button, Icon, Page } from '../../ui/index.ts';
import { Board } from './Board.tsx';
import { toLeadFilter, toLeadSort } from './filter-state.ts';
import { setFilters, usePipelineFilters } from './filter-store.ts';
import { FilterBar } from './FilterBar.tsx';
import { LeadList } from './LeadList.tsx';
import { SearchBox } from './SearchBox.tsx';
import './pipeline.css';

/**
 * The pipeline: every lead from new to completed (or lost), as a board or a list, searched and
 * filtered against the local replica.
 */
export function PipelineScreen({ view }: { view: 'board' | 'list' }) {
  const filters = usePipelineFilters();
  const [ready, setReady] = useState(false);
  const onReady = useCallback(() => setReady(true), []);
  const { requestMove, moveDialog } = useMoveFlow();

  // New objects only when a filter really changes, so the board is not re-asked on every render.
  const filterKey = JSON.stringify(toLeadFilter(filters, view));
  const filter = useMemo(
    () => JSON.parse(filterKey) as ReturnType<typeof toLeadFilter>,
    [filterKey],
  );
  const sort = useMemo(() => toLeadSort(filters), [filters]);

  const showAll = useCallback((status: LeadStatus) => {
    setFilters({ status });
    navigate({ name: 'pipeline', view: 'list' });
  }, []);

  return (
    <Page
      title="Pipeline"
      testId={ready ? 'app-ready' : 'pipeline-loading'}
      className="pipeline"
      actions={
        <>
          <div className="view-toggle" role="group" aria-label="View">
            <Button
              size="sm"
              variant="secondary"
              aria-pressed={view === 'board'}
              onClick={() => navigate({ name: 'pipeline', view: 'board' })}
            >
              <Icon name="board" size={16} /> Board
            </Button>
            <Button
              size="sm"
              variant="secondary"
              aria-pressed={view === 'list'}
              onClick={() => navigate({ name: 'pipeline', view: 'list' })}
            >
              <Icon name="list" size={16} /> List
            </Button>
          </div>
          <Button
            variant="primary"
            onClick={() => runCommand('new-lead')}
            aria-keyshortcuts="n"
            title="New lead (n)"
          >
            <Icon name="plus" size={16} /> New lead
          </Button>
        </>
      }
    >
      <div className="pipeline-toolbar">
        <SearchBox initial={filters.search} />
        <FilterBar filters={filters} view={view} />
      </div>
      {view === 'board' ? (
        <Board
          filter={filter}
          sort={sort}
          onReady={onReady}
          requestMove={requestMove}
          onShowAll={showAll}
        />
      ) : (
        <LeadList filter={filter} sort={sort} onReady={onReady} requestMove={requestMove} />
      )}
      {moveDialog}
    </Page>
  );
}
