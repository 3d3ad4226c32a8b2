import type { SyncedTable } from '../../../db/enums.ts';
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
