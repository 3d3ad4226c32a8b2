import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';

/** Any constant: one instance at a time prunes; the others skip that round. */
const RETENTION_LOCK = 727_002;

/**
 * Drops change-log entries older than `retentionDays` (prune_change_log, migration 0004), and
 * login rate-limit counters older than a day. A desktop
 * that was offline longer than that gets a 409 and re-snapshots; one that was not keeps its offset.
 * Returns the number of entries removed, or undefined when another instance holds the lock.
 */
export async function pruneChangeLog(
  db: AppDatabase,
  retentionDays: number,
): Promise<number | undefined> {
  return db.transaction(async (tx) => {
    const [lock] = await queryRows<{ locked: boolean }>(
      tx,
      sql`SELECT pg_try_advisory_xact_lock(${RETENTION_LOCK}) AS locked`,
    );
    if (!lock?.locked) return undefined;
    const [row] = await queryRows<{ removed: string | number }>(
      tx,
      sql`SELECT prune_change_log(make_interval(secs => ${retentionDays * 86_400})) AS removed`,
    );
    // Login attempt windows last minutes; a day-old counter only takes space.
    await tx.execute(
      sql`DELETE FROM auth_rate_limits WHERE window_started_at < now() - interval '1 day'`,
    );
    return Number(row?.removed ?? 0);
  });
}

/** Prunes now and then every `everyMs`; the returned function stops it. */
export function scheduleChangeLogRetention(
  db: AppDatabase,
  retentionDays: number,
  logger: FastifyBaseLogger,
  everyMs = 3_600_000,
): () => void {
  const run = () => {
    pruneChangeLog(db, retentionDays).then(
      (removed) => {
        if (removed) logger.info({ removed, retentionDays }, 'change log pruned');
      },
      (error: unknown) => logger.error({ err: error }, 'change log pruning failed'),
    );
  };
  run();
  const timer = setInterval(run, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
