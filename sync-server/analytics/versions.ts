import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { ChangeLoggedTable } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { type CacheVersion, cacheVersion } from './version.ts';

/**
 * What each cached answer is computed from. The seed invalidates `user:{id}:dashboard` and
 * `user:{id}:leads` on a lead status change, `…:campaigns` and `…:dashboard` on a campaign
 * modification and `user:{id}` on a user update; here the same rule is read off the change log:
 * an answer's version is the last change number of the tables it reads, so a write to any of
 * them (by any path: REST, a desktop's mutation, a webhook, an agent, psql) makes the next read a
 * miss, and a write to anything else (a text, a call) leaves it a hit.
 */
export const analyticsSources = {
  profile: ['users'],
  dashboard: ['users', 'subscriptions', 'financials', 'leads', 'campaigns'],
  pipeline: ['leads'],
  campaigns: ['campaigns'],
  metrics: ['financials'],
} as const satisfies Record<string, readonly ChangeLoggedTable[]>;

export type AnalyticsSource = keyof typeof analyticsSources;

export interface AnalyticsContext {
  /** The version an answer from `sources` must have been computed at (or later) to be served. */
  version: CacheVersion;
  /** The business's IANA zone: its "today" and "this month". */
  timezone: string;
}

const contextRow = z.object({
  timezone: z.string().min(1),
  epoch: z.number().int().nonnegative(),
  seq: z.string().regex(/^\d+$/),
});

/**
 * The business's version for `source` and its time zone, in one statement. Read it BEFORE
 * computing the answer (analytics/cache.ts): the numbers of one business are handed out under the
 * row lock of its sync_heads row (migration 0004), so once a number is visible every smaller one
 * has committed or rolled back, and the answer computed afterwards reflects them all. Epoch first:
 * a TRUNCATE moves it on and every earlier answer goes stale. A table with no change in the log
 * (never changed, or pruned) counts as 0: any later change gets a number above every earlier one.
 */
export async function readAnalyticsContext(
  db: AppDatabase,
  businessId: string,
  source: AnalyticsSource,
): Promise<AnalyticsContext> {
  const lastChanges = analyticsSources[source].map(
    (table) =>
      sql`(SELECT max(c.seq) FROM change_log c WHERE c.user_id = u.id AND c.table_name = ${table})`,
  );
  const rows = await queryRows(
    db,
    sql`SELECT u.timezone, coalesce(h.epoch, 1) AS epoch,
               coalesce(greatest(${sql.join(lastChanges, sql`, `)}), 0)::text AS seq
          FROM users u LEFT JOIN sync_heads h ON h.user_id = u.id
         WHERE u.id = ${businessId}`,
  );
  if (rows.length === 0) {
    throw new AppError('NOT_FOUND', 'This business no longer exists.');
  }
  const row = contextRow.parse(rows[0]);
  return { version: cacheVersion(row), timezone: row.timezone };
}
