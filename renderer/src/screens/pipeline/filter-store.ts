import { useSyncExternalStore } from 'react';
import { defaultFilters, type PipelineFilters } from './filter-state.ts';

/**
 * The pipeline's filters outlive the screen: open a lead, come back, and the board is as it was.
 */
let filters: PipelineFilters = defaultFilters;
const listeners = new Set<() => void>();

export function setFilters(change: Partial<PipelineFilters>): void {
  filters = { ...filters, ...change };
  listeners.forEach((notify) => notify());
}

export function resetFilters(keep: Partial<PipelineFilters> = {}): void {
  filters = { ...defaultFilters, ...keep };
  listeners.forEach((notify) => notify());
}

/** The filters now, outside React (the board's question at start). */
export const currentFilters = (): PipelineFilters => filters;

export function usePipelineFilters(): PipelineFilters {
  return useSyncExternalStore(
    (notify) => {
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => filters,
  );
}
