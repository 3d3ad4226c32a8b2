import { describe, expect, it } from 'vitest';
import { stepIndex, stepSelection } from './selection.ts';

const board = [['a1', 'a2', 'a3'], [], ['c1'], ['d1', 'd2']];

describe('board keyboard selection', () => {
  it('starts at the first card', () => {
    expect(stepSelection(board, null, 'next')).toBe('a1');
    expect(stepSelection(board, 'gone', 'right')).toBe('a1');
    expect(stepSelection([[], []], null, 'next')).toBeNull();
  });

  it('moves within a column and stops at its ends', () => {
    expect(stepSelection(board, 'a1', 'next')).toBe('a2');
    expect(stepSelection(board, 'a3', 'next')).toBe('a3');
    expect(stepSelection(board, 'a1', 'prev')).toBe('a1');
  });

  it('moves across columns, skipping empty ones, to the nearest row', () => {
    expect(stepSelection(board, 'a3', 'right')).toBe('c1');
    expect(stepSelection(board, 'c1', 'right')).toBe('d1');
    expect(stepSelection(board, 'd2', 'left')).toBe('c1');
    expect(stepSelection(board, 'a2', 'left')).toBe('a2');
  });

  it('steps in a flat list', () => {
    expect(stepIndex(null, 10, 1)).toBe(0);
    expect(stepIndex(9, 10, 1)).toBe(9);
    expect(stepIndex(0, 10, -1)).toBe(0);
    expect(stepIndex(3, 0, 1)).toBeNull();
  });
});
