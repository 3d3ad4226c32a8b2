import { z } from 'zod';
import { AppError } from '../../db/errors.ts';

/** One cached thing: its name in the store and how long the store keeps it. */
export interface CacheKey {
  readonly name: string;
  readonly ttlMs: number;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

/**
 * The seed's caching strategy, in one place: every analytics key and its TTL. The TTL only bounds
 * memory; freshness comes from versions (see cache.ts), never from an entry expiring.
 */
export const cacheTtlMs = {
  user: HOUR_MS,
  dashboard: 5 * MINUTE_MS,
  leads: 5 * MINUTE_MS,
  campaigns: 15 * MINUTE_MS,
  metrics: HOUR_MS,
} as const;

// A business id is a uuid, so it holds no ':' — otherwise userKey('a:dashboard') and
// dashboardKey('a') would be the same key.
const businessId = z.guid();
const isoDate = z.iso.date();

function checked(schema: z.ZodType<string>, value: string, what: string): string {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new AppError(
      'VALIDATION_FAILED',
      `A cache key needs ${what}; got ${JSON.stringify(value)}.`,
    );
  }
  return result.data;
}

const id = (value: string) => checked(businessId, value, 'a business id (uuid)');

export const userKey = (userId: string): CacheKey => ({
  name: `user:${id(userId)}`,
  ttlMs: cacheTtlMs.user,
});

export const dashboardKey = (userId: string): CacheKey => ({
  name: `user:${id(userId)}:dashboard`,
  ttlMs: cacheTtlMs.dashboard,
});

export const leadsKey = (userId: string): CacheKey => ({
  name: `user:${id(userId)}:leads`,
  ttlMs: cacheTtlMs.leads,
});

export const campaignsKey = (userId: string): CacheKey => ({
  name: `user:${id(userId)}:campaigns`,
  ttlMs: cacheTtlMs.campaigns,
});

/** One day's metrics; `date` is the business's calendar day, `YYYY-MM-DD`. */
export const metricsKey = (userId: string, date: string): CacheKey => ({
  name: `user:${id(userId)}:metrics:${checked(isoDate, date, 'a date as YYYY-MM-DD')}`,
  ttlMs: cacheTtlMs.metrics,
});
