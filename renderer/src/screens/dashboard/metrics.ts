import type { Dashboard } from '../../../../db/wire/desktop-views.ts';
import { moneyToNumber, parseCents } from '../../charts/format.ts';

/** The dashboard's pure arithmetic: a whole month of days for the charts, and month-on-month change. */

export type DailyFinancial = Dashboard['daily'][number];

/** How many days `month` (YYYY-MM) has. */
export function daysInMonth(month: string): number {
  const [y = '1970', m = '01'] = month.split('-');
  return new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
}

export interface DaySeries {
  days: string[];
  spend: number[];
  revenue: number[];
  leads: number[];
  bookings: number[];
}

/**
 * Every day of the month in order, with zeros where the replica has no row, so the x axis is the
 * calendar; days after `today` (when it falls in the month) are left off rather than drawn as zero.
 */
export function fillMonth(
  month: string,
  daily: readonly DailyFinancial[],
  today?: string,
): DaySeries {
  const byDay = new Map<string, DailyFinancial>();
  for (const row of daily) {
    const held = byDay.get(row.date);
    // Two rows for one day (two sources) are added, exactly, in cents.
    byDay.set(
      row.date,
      held
        ? {
            date: row.date,
            spend: centsText((parseCents(held.spend) ?? 0) + (parseCents(row.spend) ?? 0)),
            revenue: centsText((parseCents(held.revenue) ?? 0) + (parseCents(row.revenue) ?? 0)),
            leads: held.leads + row.leads,
            bookings: held.bookings + row.bookings,
          }
        : row,
    );
  }
  const last =
    today && today.startsWith(`${month}-`) ? Number(today.slice(8, 10)) : daysInMonth(month);
  const series: DaySeries = { days: [], spend: [], revenue: [], leads: [], bookings: [] };
  for (let d = 1; d <= last; d += 1) {
    const day = `${month}-${String(d).padStart(2, '0')}`;
    const row = byDay.get(day);
    series.days.push(day);
    series.spend.push(moneyToNumber(row?.spend));
    series.revenue.push(moneyToNumber(row?.revenue));
    series.leads.push(row?.leads ?? 0);
    series.bookings.push(row?.bookings ?? 0);
  }
  return series;
}

function centsText(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export interface Change {
  /** Relative change as a fraction (0.12: up 12 %); null when there is nothing to compare with. */
  ratio: number | null;
  direction: 'up' | 'down' | 'flat';
}

/** The change from `previous` to `current` (null when either is missing or previous is zero). */
export function change(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { ratio: null, direction: 'flat' };
  if (previous === 0) {
    return { ratio: null, direction: current > 0 ? 'up' : current < 0 ? 'down' : 'flat' };
  }
  const ratio = (current - previous) / Math.abs(previous);
  return {
    ratio,
    direction: Math.abs(ratio) < 0.0005 ? 'flat' : ratio > 0 ? 'up' : 'down',
  };
}

/** Change in percentage points between two ratios (conversion, ROI): 0.25 → 0.30 is +5 points. */
export function pointChange(current: number | null, previous: number | null): Change {
  if (current === null || previous === null) return { ratio: null, direction: 'flat' };
  const ratio = current - previous;
  return { ratio, direction: Math.abs(ratio) < 0.0005 ? 'flat' : ratio > 0 ? 'up' : 'down' };
}

/** A sentence for a series' accessible summary: total, and the best day. */
export function describeSeries(
  label: string,
  days: readonly string[],
  values: readonly number[],
  format: (value: number) => string,
  dayLabel: (day: string) => string,
): string {
  let total = 0;
  let best = -1;
  for (let i = 0; i < values.length; i += 1) {
    const v = values[i] ?? 0;
    total += v;
    if (best < 0 || v > (values[best] ?? 0)) best = i;
  }
  if (best < 0 || total === 0) return `${label}: none.`;
  return `${label}: ${format(total)} in total, highest ${format(values[best] ?? 0)} on ${dayLabel(days[best] ?? '')}.`;
}
