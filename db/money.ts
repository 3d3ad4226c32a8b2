import { AppError } from './errors.ts';

/*
 * Money: the databases keep exact decimal text ("450.00": Postgres numeric(10,2) as it prints it,
 * and the replica's stored form); sums and ratios are worked in integer cents, never binary
 * floats, and shown with two places again. One copy, used by the desktop's queries and the
 * server's analytics alike, so both round the same way.
 */

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
