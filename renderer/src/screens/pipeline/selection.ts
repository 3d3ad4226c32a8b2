/**
 * Keyboard selection on the board: j/k within a column, h/l across columns (to the same row, or
 * the last card of a shorter column). Pure: ids in, the id to select out.
 */
export function stepSelection(
  columns: readonly (readonly string[])[],
  selectedId: string | null,
  direction: 'next' | 'prev' | 'left' | 'right',
): string | null {
  let col = -1;
  let row = -1;
  columns.forEach((ids, index) => {
    const at = selectedId === null ? -1 : ids.indexOf(selectedId);
    if (at >= 0) [col, row] = [index, at];
  });
  if (col < 0) {
    const first = columns.find((ids) => ids.length > 0);
    return first?.[0] ?? null;
  }
  const current = columns[col] ?? [];
  switch (direction) {
    case 'next':
      return current[Math.min(row + 1, current.length - 1)] ?? null;
    case 'prev':
      return current[Math.max(row - 1, 0)] ?? null;
    case 'left':
    case 'right': {
      const delta = direction === 'left' ? -1 : 1;
      for (let c = col + delta; c >= 0 && c < columns.length; c += delta) {
        const ids = columns[c] ?? [];
        if (ids.length > 0) return ids[Math.min(row, ids.length - 1)] ?? null;
      }
      return selectedId;
    }
  }
}

/** j/k in a flat list: the next index, kept inside 0..count-1. */
export function stepIndex(index: number | null, count: number, delta: 1 | -1): number | null {
  if (count === 0) return null;
  if (index === null) return 0;
  return Math.max(0, Math.min(count - 1, index + delta));
}
