import { sql } from 'drizzle-orm';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

export interface CurrencyMrr {
  currency: string;
  /** The sum of the active subscriptions' monthly amounts, as exact decimal text ("1234.50"). */
  mrr: string;
  activeSubscriptions: number;
}

export interface MonthlyRecurringRevenue {
  /** The database's clock when the numbers were read (ISO-8601 UTC). */
  asOf: string;
  activeSubscriptions: number;
  /** One entry per currency with an active subscription, ordered by currency. */
  byCurrency: CurrencyMrr[];
}

/**
 * The seed's "Calculate Monthly MRR" (`SUM(amount), COUNT(*) FROM subscriptions WHERE status =
 * 'active'`) across every business, per currency: amounts in different currencies do not add. The
 * database directly, not withTenant: this is the platform's number, not one business's. One
 * statement, so `asOf` is the moment its snapshot was taken; the outer join gives that one row even
 * when nothing is active. Sums stay numeric and leave the database as text, never a float.
 */
export async function monthlyRecurringRevenue(db: AppDatabase): Promise<MonthlyRecurringRevenue> {
  const rows = await queryRows<{
    as_of: string;
    currency: string | null;
    mrr: string | null;
    active: number | null;
  }>(
    db,
    sql`SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS as_of,
               s.currency, s.mrr, s.active
        FROM (SELECT 1) AS one
        LEFT JOIN (
          SELECT currency, round(SUM(amount), 2)::text AS mrr, COUNT(*)::int AS active
          FROM subscriptions
          WHERE status = 'active'
          GROUP BY currency
        ) AS s ON true
        ORDER BY s.currency`,
  );
  const asOf = rows[0]?.as_of;
  if (asOf === undefined) throw new Error('The MRR query returned no row');
  const byCurrency = rows.flatMap((row) =>
    row.currency === null || row.mrr === null || row.active === null
      ? []
      : [{ currency: row.currency, mrr: row.mrr, activeSubscriptions: row.active }],
  );
  return {
    asOf,
    activeSubscriptions: byCurrency.reduce((total, entry) => total + entry.activeSubscriptions, 0),
    byCurrency,
  };
}
