import type { SyncedTable } from '../../../db/enums.ts';
import { AppError } from '../../../db/errors.ts';
import { quoteLiteral } from '../../../db/sql-quote.ts';

/** The clock the queries read "now" from; tests pass a fixed one. */
export type Clock = () => Date;

/**
 * SQL that is 1 when the row `idColumn` names is under a mutation of this desktop's outbox not yet
 * settled: such a row has its server version kept in `outbox_base_rows` (outbox/overlay.ts), one
 * primary-key probe per row shown.
 */
export const pendingSql = (table: SyncedTable, idColumn: string): string =>
  `EXISTS (SELECT 1 FROM outbox_base_rows WHERE table_name = ${quoteLiteral(table)} AND row_id = ${idColumn})`;

/** SQLite's 0/1 `pending` as the boolean the views carry. */
export const withPending = <T extends { pending: unknown }>(row: T): T & { pending: boolean } => ({
  ...row,
  pending: row.pending === 1,
});

/** An instant in the replica's stored form ("…T10:11:12.123000Z"), which sorts as text. */
export const storedInstant = (at: Date): string => `${at.toISOString().slice(0, 23)}000Z`;

/** Midnight starting a YYYY-MM-DD day in this machine's time zone, in the stored form. */
export function localDayStart(day: string, plusDays = 0): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return storedInstant(new Date(year, month - 1, date + plusDays));
}

/** The later of two stored instants (they compare as text). */
export const laterInstant = (a: string, b: string | null | undefined): string =>
  b !== null && b !== undefined && b > a ? b : a;

// ---------------------------------------------------------------------------------------------
// Money: the replica keeps exact decimal text ("450.00"); sums and ratios are worked in integer
// cents, never binary floats, and shown with two places again.

const MONEY = /^(-?)(\d+)\.(\d{2})$/;

/** "1234.56" → 123456. Anything else is not a stored amount: an error, never a silent 0. */
export function toCents(text: string): number {
  const match = MONEY.exec(text);
  if (!match) throw new AppError('DATABASE_ERROR', `"${text}" is not an amount with two places.`);
  const [, sign, units, hundredths] = match as unknown as [string, string, string, string];
  const cents = Number(units) * 100 + Number(hundredths);
  return sign === '-' ? -cents : cents;
}

/** 123456 → "1234.56"; -5 → "-0.05". */
export function fromCents(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const whole = Math.abs(Math.round(cents));
  return `${sign}${Math.trunc(whole / 100)}.${String(whole % 100).padStart(2, '0')}`;
}

/** cents / count as cents, rounded half away from zero as Postgres's numeric division does. */
export const centsPer = (cents: number, count: number): number =>
  Math.sign(cents) * Math.round(Math.abs(cents) / count);

/** a / b, or null when there is nothing to divide by. */
export const ratio = (a: number, b: number): number | null => (b === 0 ? null : a / b);
