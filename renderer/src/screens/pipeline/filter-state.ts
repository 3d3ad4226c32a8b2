import type { LeadSource, LeadStatus, LeadUrgency } from '../../../../db/enums.ts';
import type { LeadFilter, LeadSort } from '../../../../db/wire/desktop-views.ts';

/**
 * The pipeline's filters as the toolbar holds them (one value per control, '' for "any"), and
 * their translation into the API's LeadFilter. Pure, so it is tested without a DOM.
 */
export interface PipelineFilters {
  search: string;
  status: LeadStatus | '';
  source: LeadSource | '';
  urgency: LeadUrgency | '';
  serviceType: string;
  createdFrom: string;
  createdTo: string;
  sortBy: LeadSort['by'];
  sortDir: LeadSort['dir'];
}

export const defaultFilters: PipelineFilters = {
  search: '',
  status: '',
  source: '',
  urgency: '',
  serviceType: '',
  createdFrom: '',
  createdTo: '',
  sortBy: 'created_at',
  sortDir: 'desc',
};

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** The API filter; the board shows every status as a column, so it leaves `status` out. */
export function toLeadFilter(filters: PipelineFilters, view: 'board' | 'list'): LeadFilter {
  const filter: LeadFilter = {};
  const search = filters.search.trim().slice(0, 200);
  if (search) filter.search = search;
  if (view === 'list' && filters.status) filter.statuses = [filters.status];
  if (filters.source) filter.sources = [filters.source];
  if (filters.urgency) filter.urgencies = [filters.urgency];
  if (filters.serviceType) filter.serviceTypes = [filters.serviceType];
  let from = DAY.test(filters.createdFrom) ? filters.createdFrom : '';
  let to = DAY.test(filters.createdTo) ? filters.createdTo : '';
  // A range typed backwards means the same days.
  if (from && to && from > to) [from, to] = [to, from];
  if (from) filter.createdFrom = from;
  if (to) filter.createdTo = to;
  return filter;
}

export function toLeadSort(filters: PipelineFilters): LeadSort {
  return { by: filters.sortBy, dir: filters.sortDir };
}

/** How many filters (beyond search) narrow the pipeline, for the "Clear filters" button. */
export function activeFilterCount(filters: PipelineFilters, view: 'board' | 'list'): number {
  return [
    view === 'list' ? filters.status : '',
    filters.source,
    filters.urgency,
    filters.serviceType,
    filters.createdFrom,
    filters.createdTo,
  ].filter(Boolean).length;
}
