import { describe, expect, it } from 'vitest';
import {
  formatCents,
  formatDay,
  formatMonth,
  formatSignedRatio,
  moneyToNumber,
  parseCents,
  shiftMonth,
  sumCents,
} from './format.ts';
import { barFraction, funnelSummary } from './Funnel.tsx';

describe('money', () => {
  it('reads decimal text as whole cents', () => {
    expect(parseCents('450.00')).toBe(45000);
    expect(parseCents('0.1')).toBe(10);
    expect(parseCents('12')).toBe(1200);
    expect(parseCents('-3.05')).toBe(-305);
    expect(parseCents('1.005')).toBe(101);
    expect(parseCents('')).toBeNull();
    expect(parseCents('abc')).toBeNull();
    expect(parseCents(null)).toBeNull();
  });
  it('adds exactly, where floats would drift', () => {
    expect(sumCents(['0.10', '0.20', null, '1000000.01'])).toBe(100000031);
  });
  it('formats cents as dollars', () => {
    expect(formatCents(123450)).toBe('$1,234.50');
    expect(formatCents(123450, 'whole')).toBe('$1,235');
    expect(formatCents(-8000)).toBe('-$80.00');
    expect(formatCents(125000, 'compact')).toBe('$1.3K');
    expect(moneyToNumber('99.99')).toBe(99.99);
  });
});

describe('ratios', () => {
  it('signs returns', () => {
    expect(formatSignedRatio(2.4)).toBe('+240%');
    expect(formatSignedRatio(-0.5)).toBe('−50%');
    expect(formatSignedRatio(0.001)).toBe('0%');
    expect(formatSignedRatio(null)).toBe('—');
  });
});

describe('months and days', () => {
  it('names and shifts months across years', () => {
    expect(formatMonth('2026-11')).toBe('November 2026');
    expect(shiftMonth('2026-12', 1)).toBe('2027-01');
    expect(shiftMonth('2026-01', -1)).toBe('2025-12');
    expect(shiftMonth('2026-05', -17)).toBe('2024-12');
  });
  it('labels days without a time zone', () => {
    expect(formatDay('2026-11-03')).toBe('Nov 3');
  });
});

describe('funnel', () => {
  it('scales bars to the largest stage, keeping a sliver for small ones', () => {
    expect(barFraction(50, 100)).toBe(0.5);
    expect(barFraction(0, 100)).toBe(0);
    expect(barFraction(1, 10_000)).toBe(0.01);
    expect(barFraction(5, 0)).toBe(0);
  });
  it('describes itself in words', () => {
    expect(
      funnelSummary([
        { key: 'new', label: 'New', value: 3 },
        { key: 'lost', label: 'Lost', value: 1 },
      ]),
    ).toBe('4 leads: New 3 (75%), Lost 1 (25%).');
    expect(funnelSummary([])).toBe('No leads yet.');
  });
});
