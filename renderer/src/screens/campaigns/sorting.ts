/** Sorting of the numbers tables: stable, numbers as numbers, empty values always last. */

export type SortDir = 'asc' | 'desc';
export type SortValue = number | string | null;
export interface SortState {
  key: string;
  dir: SortDir;
}

export function compareValues(a: SortValue, b: SortValue, dir: SortDir): number {
  // Empty cells (no conversions, so no CPL) go last whichever way the column is sorted.
  if (a === null || (typeof a === 'number' && Number.isNaN(a))) return b === null ? 0 : 1;
  if (b === null || (typeof b === 'number' && Number.isNaN(b))) return -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { sensitivity: 'base', numeric: true });
  return dir === 'asc' ? order : -order;
}

/** `rows` sorted by `value`, ties kept in their original order. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => SortValue, dir: SortDir): T[] {
  return rows
    .map((row, index) => ({ row, index, key: value(row) }))
    .sort((x, y) => compareValues(x.key, y.key, dir) || x.index - y.index)
    .map((entry) => entry.row);
}

/**
 * The sort after a click on column `key`: the same column flips; a new one starts descending for
 * numbers (biggest spend first) and ascending for text.
 */
export function nextSort(current: SortState, key: string, numeric: boolean): SortState {
  if (current.key === key) return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
  return { key, dir: numeric ? 'desc' : 'asc' };
}
