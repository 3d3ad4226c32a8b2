import { memo, useCallback, useMemo, useState, type ReactNode } from 'react';
import { nextSort, sortRows, type SortState, type SortValue } from './sorting.ts';
import './SortableTable.css';

export interface ColumnDef<T> {
  key: string;
  header: string;
  /** What the column sorts by; absent: not sortable. */
  sortValue?: (row: T) => SortValue;
  render: (row: T) => ReactNode;
  numeric?: boolean;
  /** A longer name for the header (screen readers, tooltip): "Cost per lead" for "CPL". */
  title?: string;
}

/** Rows sorted by the table's current column; the screen holds it, so j/k follow the shown order. */
export function useSorted<T>(
  rows: readonly T[],
  columns: readonly ColumnDef<T>[],
  initialSort: SortState,
): { sorted: T[]; sort: SortState; onSort: (key: string) => void } {
  const [sort, setSort] = useState<SortState>(initialSort);
  const sorted = useMemo(() => {
    const column = columns.find((c) => c.key === sort.key);
    return column?.sortValue ? sortRows(rows, column.sortValue, sort.dir) : [...rows];
  }, [rows, columns, sort]);
  const onSort = useCallback(
    (key: string) => {
      const numeric = columns.find((c) => c.key === key)?.numeric ?? false;
      setSort((s) => nextSort(s, key, numeric));
    },
    [columns],
  );
  return { sorted, sort, onSort };
}

export interface SortableTableProps<T> {
  caption: string;
  columns: readonly ColumnDef<T>[];
  /** The rows in the order to show (from useSorted). */
  rows: readonly T[];
  rowKey: (row: T) => string;
  sort: SortState;
  onSort: (key: string) => void;
  /** Rows are selectable: the selected one is highlighted and announced. */
  selectedKey?: string | undefined;
  onSelect?: (row: T) => void;
  rowTestId?: (row: T) => string;
  className?: string;
}

/** A data table whose column headers sort it (aria-sort on the header, a button inside). */
export function SortableTable<T>({
  caption,
  columns,
  rows,
  rowKey,
  sort,
  onSort,
  selectedKey,
  onSelect,
  rowTestId,
  className,
}: SortableTableProps<T>) {
  return (
    <div className={`sortable-table ${className ?? ''}`}>
      <table className="table">
        <caption className="visually-hidden">
          {caption}
          {onSelect ? ' (select a row to see its details)' : ''}
        </caption>
        <thead>
          <tr>
            {columns.map((column) => {
              const active = sort.key === column.key;
              const ariaSort = active
                ? sort.dir === 'asc'
                  ? 'ascending'
                  : 'descending'
                : undefined;
              return (
                <th
                  key={column.key}
                  scope="col"
                  aria-sort={ariaSort}
                  className={column.numeric ? 'num' : undefined}
                  title={column.title}
                >
                  {column.sortValue ? (
                    <button
                      type="button"
                      className={`sort-button${active ? ' is-active' : ''}`}
                      onClick={() => onSort(column.key)}
                    >
                      {column.header}
                      {column.title ? (
                        <span className="visually-hidden"> ({column.title})</span>
                      ) : null}
                      <span className="sort-icon" aria-hidden="true">
                        {active ? (sort.dir === 'asc' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  ) : (
                    column.header
                  )}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => {
            const key = rowKey(row);
            return (
              <Row
                key={key}
                row={row}
                columns={columns}
                selected={selectedKey === key}
                onSelect={onSelect}
                testId={rowTestId?.(row)}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function RowInner<T>({
  row,
  columns,
  selected,
  onSelect,
  testId,
}: {
  row: T;
  columns: readonly ColumnDef<T>[];
  selected: boolean;
  onSelect: ((row: T) => void) | undefined;
  testId: string | undefined;
}) {
  return (
    <tr
      className={`${onSelect ? 'is-selectable' : ''}${selected ? ' is-selected' : ''}`}
      aria-selected={onSelect ? selected : undefined}
      data-testid={testId}
      onClick={onSelect ? () => onSelect(row) : undefined}
    >
      {columns.map((column) => (
        <td key={column.key} className={column.numeric ? 'num' : undefined}>
          {column.render(row)}
        </td>
      ))}
    </tr>
  );
}

const Row = memo(RowInner) as typeof RowInner;
