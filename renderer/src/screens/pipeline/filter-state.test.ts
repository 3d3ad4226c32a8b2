import { describe, expect, it } from 'vitest';
import { activeFilterCount, defaultFilters, toLeadFilter, toLeadSort } from './filter-state.ts';

describe('pipeline filters', () => {
  it('sends nothing for the defaults', () => {
    expect(toLeadFilter(defaultFilters, 'board')).toEqual({});
    expect(toLeadSort(defaultFilters)).toEqual({ by: 'created_at', dir: 'desc' });
  });

  it('turns each control into its API filter', () => {
    const filters = {
      ...defaultFilters,
      search: '  leak ',
      status: 'quoted' as const,
      source: 'google_ads' as const,
      urgency: 'high' as const,
      serviceType: 'Water heater',
      createdFrom: '2026-11-01',
      createdTo: '2026-11-30',
    };
    expect(toLeadFilter(filters, 'list')).toEqual({
      search: 'leak',
      statuses: ['quoted'],
      sources: ['google_ads'],
      urgencies: ['high'],
      serviceTypes: ['Water heater'],
      createdFrom: '2026-11-01',
      createdTo: '2026-11-30',
    });
    // The board has a column per status: the status filter is the list's only.
    expect(toLeadFilter(filters, 'board').statuses).toBeUndefined();
    expect(activeFilterCount(filters, 'list')).toBe(6);
    expect(activeFilterCount(filters, 'board')).toBe(5);
  });

  it('swaps a backwards date range and ignores half-typed dates', () => {
    expect(
      toLeadFilter(
        { ...defaultFilters, createdFrom: '2026-11-30', createdTo: '2026-11-01' },
        'list',
      ),
    ).toEqual({ createdFrom: '2026-11-01', createdTo: '2026-11-30' });
    expect(toLeadFilter({ ...defaultFilters, createdFrom: '2026-1' }, 'list')).toEqual({});
  });
});
