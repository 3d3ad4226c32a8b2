import { describe, expect, it } from 'vitest';
import {
  bandScale,
  compactNumber,
  labelIndices,
  linePath,
  linearScale,
  nearestPoint,
  niceStep,
  niceTicks,
  alignedTicks,
  pointPosition,
} from './scale.ts';

describe('linearScale', () => {
  it('maps the domain onto the range, inverted for a y axis', () => {
    const y = linearScale([0, 100], [200, 0]);
    expect(y(0)).toBe(200);
    expect(y(100)).toBe(0);
    expect(y(25)).toBe(150);
  });
  it('maps a flat domain to the start of the range', () => {
    expect(linearScale([5, 5], [10, 20])(5)).toBe(10);
  });
});

describe('niceTicks', () => {
  it('spans the data on round steps, starting at zero', () => {
    const { domain, ticks, step } = niceTicks(3, 97, 5);
    expect(step).toBe(20);
    expect(domain).toEqual([0, 100]);
    expect(ticks).toEqual([0, 20, 40, 60, 80, 100]);
  });
  it('handles money-sized values', () => {
    const { ticks } = niceTicks(0, 4321.5, 4);
    expect(ticks).toEqual([0, 1000, 2000, 3000, 4000, 5000]);
  });
  it('gives an empty or flat series a usable axis', () => {
    expect(niceTicks(0, 0).domain).toEqual([0, 1]);
    expect(niceTicks(Infinity, -Infinity).domain).toEqual([0, 1]);
    expect(niceTicks(7, 7).ticks[0]).toBe(0);
  });
  it('covers negative values and includes zero', () => {
    const { domain, ticks } = niceTicks(-45, 80, 5);
    expect(domain[0]).toBeLessThanOrEqual(-45);
    expect(domain[1]).toBeGreaterThanOrEqual(80);
    expect(ticks).toContain(0);
  });
  it('leaves no floating-point noise in small steps', () => {
    const { ticks } = niceTicks(0, 0.7, 7);
    expect(ticks).toEqual([0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]);
  });
});

describe('niceStep', () => {
  it('rounds to 1, 2 or 5 times a power of ten', () => {
    expect(niceStep(10, 10)).toBe(1);
    expect(niceStep(17, 10)).toBe(2);
    expect(niceStep(40, 10)).toBe(5);
    expect(niceStep(80, 10)).toBe(10);
    expect(niceStep(0, 5)).toBe(1);
  });
});

describe('bandScale', () => {
  it('splits the range into equal bands with padding', () => {
    const band = bandScale(4, [0, 400], 0.5);
    expect(band.step).toBe(100);
    expect(band.width).toBe(50);
    expect(band.start(0)).toBe(25);
    expect(band.center(3)).toBe(350);
  });
  it('finds the band under a position, clamped', () => {
    const band = bandScale(4, [0, 400]);
    expect(band.indexAt(-20)).toBe(0);
    expect(band.indexAt(150)).toBe(1);
    expect(band.indexAt(999)).toBe(3);
  });
});

describe('points', () => {
  it('spreads points from end to end, one point in the middle', () => {
    expect(pointPosition(0, 3, [0, 100])).toBe(0);
    expect(pointPosition(2, 3, [0, 100])).toBe(100);
    expect(pointPosition(0, 1, [0, 100])).toBe(50);
  });
  it('finds the nearest point', () => {
    expect(nearestPoint(26, 5, [0, 100])).toBe(1);
    expect(nearestPoint(-5, 5, [0, 100])).toBe(0);
    expect(nearestPoint(500, 5, [0, 100])).toBe(4);
  });
});

describe('labelIndices', () => {
  it('prints every label when they fit, every k-th when not', () => {
    expect(labelIndices(5, 10)).toEqual([0, 1, 2, 3, 4]);
    expect(labelIndices(30, 6)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(labelIndices(0, 6)).toEqual([]);
  });
});

describe('linePath', () => {
  it('draws through the points and breaks at gaps', () => {
    expect(linePath([[0, 10], [5.555, 20], null, [10, 30]])).toBe('M0,10L5.56,20M10,30');
  });
});

describe('compactNumber', () => {
  it('shortens thousands and millions', () => {
    expect(compactNumber(950)).toBe('950');
    expect(compactNumber(1200)).toBe('1.2k');
    expect(compactNumber(-3_500_000)).toBe('-3.5M');
    expect(compactNumber(0.25)).toBe('0.25');
  });
});

describe('alignedTicks', () => {
  it('puts a smaller series on round ticks at the same grid lines', () => {
    const grid = niceTicks(0, 15_400, 4); // 0, 5k, 10k, 15k, 20k
    const right = alignedTicks(grid, 0, 260);
    expect(right.ticks).toHaveLength(grid.ticks.length);
    expect(right.ticks).toEqual([0, 100, 200, 300, 400]);
    expect(right.domain).toEqual([0, 400]);
  });
  it('uses 2.5 steps where they fit more closely', () => {
    const grid = niceTicks(0, 80, 4); // 0, 20, 40, 60, 80
    expect(alignedTicks(grid, 0, 9.5).ticks).toEqual([0, 2.5, 5, 7.5, 10]);
  });
  it('keeps zero on the same line when the grid goes below zero', () => {
    const grid = niceTicks(-45, 80, 5); // -50 … 100 by 25 or 50
    const right = alignedTicks(grid, -3, 7);
    const zeroAt = grid.ticks.indexOf(0);
    expect(right.ticks[zeroAt]).toBe(0);
    expect(right.ticks[0]).toBeLessThanOrEqual(-3);
    expect(right.ticks.at(-1)).toBeGreaterThanOrEqual(7);
  });
  it('falls back to an axis of its own when the grid has no line where its values are', () => {
    const grid = niceTicks(0, 100, 4);
    const right = alignedTicks(grid, -20, 10);
    expect(right.ticks[0]).toBeLessThanOrEqual(-20);
    expect(right.ticks.at(-1)).toBeGreaterThanOrEqual(10);
  });
});
