import { describe, expect, it } from 'vitest';
import { change, daysInMonth, describeSeries, fillMonth, pointChange } from './metrics.ts';

describe('daysInMonth', () => {
  it('knows month lengths and leap years', () => {
    expect(daysInMonth('2026-11')).toBe(30);
    expect(daysInMonth('2026-12')).toBe(31);
    expect(daysInMonth('2028-02')).toBe(29);
    expect(daysInMonth('2026-02')).toBe(28);
  });
});

describe('fillMonth', () => {
  const daily = [
    { date: '2026-11-02', spend: '120.50', leads: 3, bookings: 1, revenue: '450.00' },
    { date: '2026-11-02', spend: '0.10', leads: 1, bookings: 0, revenue: '0.20' },
    { date: '2026-11-05', spend: '80.00', leads: 2, bookings: 2, revenue: '900.00' },
  ];
  it('gives every day of the month, zero where there is no row', () => {
    const series = fillMonth('2026-11', daily);
    expect(series.days).toHaveLength(30);
    expect(series.days[0]).toBe('2026-11-01');
    expect(series.spend[0]).toBe(0);
    expect(series.leads[4]).toBe(2);
  });
  it('adds two rows of one day exactly', () => {
    const series = fillMonth('2026-11', daily);
    expect(series.spend[1]).toBe(120.6);
    expect(series.revenue[1]).toBe(450.2);
    expect(series.leads[1]).toBe(4);
  });
  it('stops at today in the current month', () => {
    expect(fillMonth('2026-11', daily, '2026-11-10').days).toHaveLength(10);
    expect(fillMonth('2026-10', daily, '2026-11-10').days).toHaveLength(31);
  });
});

describe('change', () => {
  it('compares with the month before', () => {
    expect(change(120, 100)).toEqual({ ratio: 0.2, direction: 'up' });
    expect(change(50, 100)).toEqual({ ratio: -0.5, direction: 'down' });
    expect(change(100, 100).direction).toBe('flat');
  });
  it('has no ratio without a base', () => {
    expect(change(10, 0)).toEqual({ ratio: null, direction: 'up' });
    expect(change(null, 10)).toEqual({ ratio: null, direction: 'flat' });
  });
  it('compares ratios in points', () => {
    const c = pointChange(0.3, 0.25);
    expect(c.direction).toBe('up');
    expect(c.ratio).toBeCloseTo(0.05);
  });
});

describe('describeSeries', () => {
  it('summarises total and peak', () => {
    expect(
      describeSeries('Leads', ['a', 'b', 'c'], [1, 5, 2], String, (d) => d.toUpperCase()),
    ).toBe('Leads: 8 in total, highest 5 on B.');
    expect(describeSeries('Leads', ['a'], [0], String, (d) => d)).toBe('Leads: none.');
  });
});
