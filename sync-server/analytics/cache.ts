import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { z } from 'zod';
import { AppError } from '../../db/errors.ts';
import type { RedisHandle } from '../redis.ts';
import { decode, encode } from './envelope.ts';
import type { CacheKey } from './keys.ts';
import { DEFAULT_MAX_ENTRIES, memoryStore } from './memory-store.ts';
import { redisStore } from './redis-store.ts';
import type { CacheStore } from './store.ts';
import { type CacheVersion, compareVersions } from './version.ts';

export interface CacheResult<T> {
  value: T;
  /** True when the value came from the store, false when a computation (own or shared) made it. */
  hit: boolean;
}

export interface CacheStats {
  hits: number;
  misses: number;
  /** Store calls that failed or timed out, plus stored entries dropped as unreadable. */
  errors: number;
  backend: 'redis' | 'memory';
  /** True while Redis is skipped because it stopped answering. */
  degraded: boolean;
}

export interface AnalyticsCache {
  /**
   * The value stored for `key` if it was computed at `version` or later; otherwise `compute`'s
   * answer, stored at `version`. Read `version` (the business's `sync_heads`) BEFORE computing, or
   * in the same snapshot: then the value reflects at least that version, and no reader that
   * requires a later one is served it. Concurrent callers for a key share one read and one
   * computation when its version is at least theirs (single flight). Never throws for the cache's
   * sake: an unreachable store or an unreadable entry is a miss; `compute`'s own errors propagate.
   */
  getOrCompute<T>(
    key: CacheKey,
    version: CacheVersion,
    compute: () => Promise<T>,
    schema: z.ZodType<T>,
    options?: ReadOptions<T>,
  ): Promise<CacheResult<T>>;
  /** Deletes the keys. Not needed for correctness (versions are); it frees space early. */
  invalidate(keys: readonly CacheKey[]): Promise<void>;
  stats(): CacheStats;
}

export interface ReadOptions<T> {
  /**
   * A stored value at a good version is still refused (a miss) when this says no: for answers
   * that depend on more than the data, such as "today" (a dashboard cached yesterday lists days
   * up to yesterday, though no row changed since).
   */
  accept?: (value: T) => boolean;
}

export interface AnalyticsCacheOptions {
  /** Redis, or a handle from connectRedis; none (or a handle without a client) caches in memory. */
  redis?: RedisHandle | Redis | undefined;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Each Redis call gives up after this many milliseconds (default 50). */
  timeoutMs?: number;
  /** Redis key prefix (default `fieldline:`). */
  prefix?: string;
  /** Milliseconds; tests move it instead of sleeping (default Date.now). */
  now?: () => number;
  /** Memory backend's bound (default 10,000 entries). */
  maxEntries?: number;
  /** While Redis is degraded, how often one request checks whether it is back (default 1,000 ms). */
  probeIntervalMs?: number;
}

const settingsSchema = z.object({
  timeoutMs: z.number().int().positive().default(50),
  prefix: z.string().default('fieldline:'),
  maxEntries: z.number().int().positive().default(DEFAULT_MAX_ENTRIES),
  probeIntervalMs: z.number().int().nonnegative().default(1_000),
});

const isHandle = (redis: RedisHandle | Redis): redis is RedisHandle =>
  typeof redis.status === 'function';

export function createAnalyticsCache(options: AnalyticsCacheOptions): AnalyticsCache {
  const parsed = settingsSchema.safeParse(options);
  if (!parsed.success) {
    throw new AppError('CONFIG_INVALID', `Analytics cache options: ${parsed.error.message}`);
  }
  const settings = parsed.data;
  const now = options.now ?? Date.now;
  const client = options.redis && (isHandle(options.redis) ? options.redis.client : options.redis);
  const store = client
    ? redisStore({ client, logger: options.logger, now, ...settings })
    : memoryStore({ maxEntries: settings.maxEntries, now });
  return analyticsCacheOver(store, options.logger);
}

interface Flight {
  version: CacheVersion;
  result: Promise<CacheResult<unknown>>;
}

/** The cache's rules over any store; createAnalyticsCache picks the store. */
export function analyticsCacheOver(
  store: CacheStore,
  logger: Pick<Logger, 'warn'>,
): AnalyticsCache {
  const flights = new Map<string, Flight[]>();
  let hits = 0;
  let misses = 0;
  let dropped = 0;

  function drop(key: CacheKey, why: string): void {
    dropped++;
    logger.warn({ key: key.name }, `Analytics cache: ${why}.`);
  }

  async function read<T>(
    key: CacheKey,
    version: CacheVersion,
    schema: z.ZodType<T>,
    accept: ((value: T) => boolean) | undefined,
  ) {
    const text = await store.get(key.name);
    if (text === undefined) return undefined;
    const entry = decode(text, schema);
    if (!entry) {
      drop(key, 'dropped a stored entry that is not a valid value');
      await store.del([key.name]);
      return undefined;
    }
    if (compareVersions(entry.version, version) < 0) return undefined;
    return accept === undefined || accept(entry.value) ? entry : undefined;
  }

  async function fill<T>(
    key: CacheKey,
    version: CacheVersion,
    compute: () => Promise<T>,
    schema: z.ZodType<T>,
    accept: ((value: T) => boolean) | undefined,
  ): Promise<CacheResult<T>> {
    const cached = await read(key, version, schema, accept);
    if (cached) return { value: cached.value, hit: true };
    const value = await compute();
    const text = encode(version, value);
    // A value with no JSON form is still the caller's answer; it just is not cached.
    if (text === undefined) drop(key, 'a computed value has no JSON form, so it was not stored');
    else await store.set(key.name, text, key.ttlMs);
    return { value, hit: false };
  }

  function join<T>(
    key: CacheKey,
    version: CacheVersion,
    compute: () => Promise<T>,
    schema: z.ZodType<T>,
    accept: ((value: T) => boolean) | undefined,
  ): Promise<CacheResult<T>> {
    const inFlight = flights.get(key.name) ?? [];
    // A computation at a later version satisfies this caller too. One key names one computation,
    // so a flight started by another caller yields this caller's type.
    const shared = inFlight.find((flight) => compareVersions(flight.version, version) >= 0);
    if (shared) return shared.result as Promise<CacheResult<T>>;
    const flight: Flight = { version, result: fill(key, version, compute, schema, accept) };
    inFlight.push(flight);
    flights.set(key.name, inFlight);
    const land = () => {
      const remaining = (flights.get(key.name) ?? []).filter((other) => other !== flight);
      if (remaining.length === 0) flights.delete(key.name);
      else flights.set(key.name, remaining);
    };
    flight.result.then(land, land);
    return flight.result as Promise<CacheResult<T>>;
  }

  return {
    async getOrCompute(key, version, compute, schema, options) {
      try {
        const result = await join(key, version, compute, schema, options?.accept);
        if (result.hit) hits++;
        else misses++;
        return result;
      } catch (error) {
        misses++;
        throw error;
      }
    },
    invalidate: (keys) => store.del(keys.map((key) => key.name)),
    stats: () => ({
      hits,
      misses,
      errors: dropped + store.failures(),
      backend: store.backend,
      degraded: store.degraded(),
    }),
  };
}
