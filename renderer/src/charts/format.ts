/**
 * Number work for the charts and the numbers screens, beyond ui/format.ts: money arrives as decimal
 * text ("450.00") and is added in whole cents, never as binary floats; months are shifted as text.
 */

const MONEY_PATTERN = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/;

/** "1234.5" → 123450 (whole cents); null for text that is not a decimal amount. */
export function parseCents(text: string | null | undefined): number | null {
  if (text == null) return null;
  const match = MONEY_PATTERN.exec(text);
  if (!match) return null;
  const [, sign = '', whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  const digits = (fraction + '000').slice(0, 3);
  // Round half away from zero on the third decimal, as the server's numeric(…, 2) would.
  let cents = Number(whole || '0') * 100 + Number(digits.slice(0, 2));
  if (Number(digits[2]) >= 5) cents += 1;
  return sign === '-' && cents !== 0 ? -cents : cents;
}

/** Money text as a number of dollars, for plotting (0 for missing or unreadable amounts). */
export function moneyToNumber(text: string | null | undefined): number {
  return (parseCents(text) ?? 0) / 100;
}

/** Adds money texts exactly, in cents. */
export function sumCents(texts: readonly (string | null | undefined)[]): number {
  let total = 0;
  for (const text of texts) total += parseCents(text) ?? 0;
  return total;
}

const currency = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const currencyWhole = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
});
const currencyCompact = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  notation: 'compact',
  maximumFractionDigits: 1,
});

export type MoneyStyle = 'cents' | 'whole' | 'compact';

/** Cents as "$1,234.56" ("whole": "$1,235"; "compact": "$1.2K"). */
export function formatCents(cents: number, style: MoneyStyle = 'cents'): string {
  const dollars = cents / 100;
  if (style === 'whole') return currencyWhole.format(dollars);
  if (style === 'compact') return currencyCompact.format(dollars);
  return currency.format(dollars);
}

/** A signed percentage for returns: 2.4 → "+240%", -0.5 → "−50%". */
export function formatSignedRatio(ratio: number | null | undefined, digits = 0): string {
  if (ratio == null || !Number.isFinite(ratio)) return '—';
  const percent = Math.abs(ratio * 100).toFixed(digits);
  if (Number(percent) === 0) return `${percent}%`;
  return `${ratio > 0 ? '+' : '−'}${percent}%`;
}

// ---------------------------------------------------------------------------------------------
// Days and months, as the replica keeps them (YYYY-MM-DD, YYYY-MM), without time-zone surprises.

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const;

function monthParts(month: string): [number, number] {
  const [y = '1970', m = '01'] = month.split('-');
  return [Number(y), Number(m)];
}

/** "2026-11" → "November 2026". */
export function formatMonth(month: string): string {
  const [year, m] = monthParts(month);
  return `${MONTHS[m - 1] ?? '?'} ${year}`;
}

/** "2026-11" shifted by `delta` months: shiftMonth("2026-12", 1) → "2027-01". */
export function shiftMonth(month: string, delta: number): string {
  const [year, m] = monthParts(month);
  const index = year * 12 + (m - 1) + delta;
  const y = Math.floor(index / 12);
  const mm = (index % 12) + 1;
  return `${String(y).padStart(4, '0')}-${String(mm).padStart(2, '0')}`;
}

/** The local month of `now` as YYYY-MM. */
export function monthOf(now: Date): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}`;
}

/** "2026-11-03" → "Nov 3". */
export function formatDay(day: string): string {
  const [, m = '01', d = '01'] = day.split('-');
  return `${(MONTHS[Number(m) - 1] ?? '?').slice(0, 3)} ${Number(d)}`;
}

const timeOfDay = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const weekday = new Intl.DateTimeFormat(undefined, { weekday: 'short' });
const monthDay = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const yearDate = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
});
function startOfDay(date: Date): number {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate()).getTime();
}

/** Whole local days from `then` to `now` (0: today, 1: yesterday). */
export function daysBetween(then: Date, now: Date): number {
  return Math.round((startOfDay(now) - startOfDay(then)) / 86_400_000);
}

/** A list's time column: "2:14 PM" today, "Yesterday", "Mon" this week, "Nov 3", "Nov 3, 2025". */
export function formatWhen(iso: string, now: Date = new Date()): string {
  const then = new Date(iso);
  if (Number.isNaN(then.getTime())) return '';
  const days = daysBetween(then, now);
  if (days <= 0) return timeOfDay.format(then);
  if (days === 1) return 'Yesterday';
  if (days < 7) return weekday.format(then);
  if (then.getFullYear() === now.getFullYear()) return monthDay.format(then);
  return yearDate.format(then);
}
