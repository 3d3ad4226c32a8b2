import { memo } from 'react';
import {
  leadSources,
  leadStatuses,
  leadUrgencies,
  type LeadSource,
  type LeadStatus,
  type LeadUrgency,
} from '../../../../db/enums.ts';
import type { LeadSort } from '../../../../db/wire/desktop-views.ts';
import { useQuery } from '../../api/hooks.ts';
import { Button, humanize, Select, TextField } from '../../ui/index.ts';
import { activeFilterCount, type PipelineFilters } from './filter-state.ts';
import { resetFilters, setFilters } from './filter-store.ts';

const options = <V extends string>(values: readonly V[]) =>
  values.map((value) => ({ value, label: humanize(value) }));
const statusOptions = options(leadStatuses);
const sourceOptions = options(leadSources);
const urgencyOptions = options(leadUrgencies);
const sortLabels: Record<LeadSort['by'], string> = {
  created_at: 'Created',
  updated_at: 'Last updated',
  customer_name: 'Name',
  urgency: 'Urgency',
};
const sortOptions = (Object.keys(sortLabels) as LeadSort['by'][]).map((value) => ({
  value,
  label: sortLabels[value],
}));

/** Source, urgency, service type, created between, sort: each a plain native control. */
export const FilterBar = memo(function FilterBar({
  filters,
  view,
}: {
  filters: PipelineFilters;
  view: 'board' | 'list';
}) {
  const serviceTypes = useQuery('leads:serviceTypes', [], ['leads']);
  const active = activeFilterCount(filters, view);
  return (
    <div className="filter-bar" role="group" aria-label="Filters and sorting">
      {view === 'list' ? (
        <Select<LeadStatus>
          label="Status"
          options={statusOptions}
          value={filters.status}
          onChange={(status) => setFilters({ status })}
          placeholder="Any status"
        />
      ) : null}
      <Select<LeadSource>
        label="Source"
        options={sourceOptions}
        value={filters.source}
        onChange={(source) => setFilters({ source })}
        placeholder="Any source"
      />
      <Select<LeadUrgency>
        label="Urgency"
        options={urgencyOptions}
        value={filters.urgency}
        onChange={(urgency) => setFilters({ urgency })}
        placeholder="Any urgency"
      />
      <Select
        label="Service type"
        options={(serviceTypes.data ?? []).map((value) => ({ value, label: value }))}
        value={filters.serviceType}
        onChange={(serviceType) => setFilters({ serviceType })}
        placeholder="Any service"
      />
      <TextField
        label="Created from"
        type="date"
        value={filters.createdFrom}
        max={filters.createdTo || undefined}
        onChange={(event) => setFilters({ createdFrom: event.target.value })}
      />
      <TextField
        label="Created to"
        type="date"
        value={filters.createdTo}
        min={filters.createdFrom || undefined}
        onChange={(event) => setFilters({ createdTo: event.target.value })}
      />
      <Select<LeadSort['by']>
        label="Sort by"
        options={sortOptions}
        value={filters.sortBy}
        onChange={(sortBy) => setFilters({ sortBy: sortBy || 'created_at' })}
      />
      <Button
        variant="secondary"
        className="sort-dir"
        onClick={() => setFilters({ sortDir: filters.sortDir === 'desc' ? 'asc' : 'desc' })}
        aria-label={
          filters.sortDir === 'desc'
            ? 'Sorted descending; sort ascending'
            : 'Sorted ascending; sort descending'
        }
        title={filters.sortDir === 'desc' ? 'Descending' : 'Ascending'}
      >
        {filters.sortDir === 'desc' ? '↓' : '↑'}
      </Button>
      {active > 0 ? (
        <Button
          variant="ghost"
          className="clear-filters"
          onClick={() => resetFilters({ search: filters.search })}
        >
          Clear {active} {active === 1 ? 'filter' : 'filters'}
        </Button>
      ) : null}
    </div>
  );
});
