import { describe, expect, it } from 'vitest';
import { parseCents } from '../../charts/format.ts';
import { compareValues, nextSort, sortRows } from './sorting.ts';

const rows = [
  { name: 'Water heaters', spend: '1200.00', cpl: '40.00' },
  { name: 'drain cleaning', spend: '90.50', cpl: null },
  { name: 'AC repair', spend: '1200.00', cpl: '12.10' },
  { name: 'Emergency', spend: '300.00', cpl: '9.99' },
];

describe('sortRows', () => {
  it('sorts money numerically, not as text', () => {
    const bySpend = sortRows(rows, (r) => parseCents(r.spend), 'desc').map((r) => r.name);
    expect(bySpend).toEqual(['Water heaters', 'AC repair', 'Emergency', 'drain cleaning']);
  });
  it('keeps ties in their order and empty values last both ways', () => {
    const asc = sortRows(rows, (r) => parseCents(r.cpl), 'asc').map((r) => r.name);
    expect(asc).toEqual(['Emergency', 'AC repair', 'Water heaters', 'drain cleaning']);
    const desc = sortRows(rows, (r) => parseCents(r.cpl), 'desc').map((r) => r.name);
    expect(desc).toEqual(['Water heaters', 'AC repair', 'Emergency', 'drain cleaning']);
  });
  it('sorts text without regard to case', () => {
    expect(sortRows(rows, (r) => r.name, 'asc').map((r) => r.name)).toEqual([
      'AC repair',
      'drain cleaning',
      'Emergency',
      'Water heaters',
    ]);
  });
});

describe('compareValues', () => {
  it('treats NaN as empty', () => {
    expect(compareValues(Number.NaN, 1, 'asc')).toBe(1);
    expect(compareValues(null, null, 'desc')).toBe(0);
  });
});

describe('nextSort', () => {
  it('flips the same column and starts numbers descending', () => {
    expect(nextSort({ key: 'spend', dir: 'desc' }, 'spend', true)).toEqual({
      key: 'spend',
      dir: 'asc',
    });
    expect(nextSort({ key: 'spend', dir: 'asc' }, 'clicks', true)).toEqual({
      key: 'clicks',
      dir: 'desc',
    });
    expect(nextSort({ key: 'spend', dir: 'asc' }, 'name', false)).toEqual({
      key: 'name',
      dir: 'asc',
    });
  });
});
