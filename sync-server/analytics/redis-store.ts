import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { CacheStore } from './store.ts';

export interface RedisStoreOptions {
  client: Redis;
  logger: Pick<Logger, 'warn' | 'info'>;
  /** Every Redis call gives up after this long. */
  timeoutMs: number;
  /** Put before every key, so tests and benchmarks sharing a Redis do not collide. */
  prefix: string;
  /** While degraded, Redis is asked (one PING) at most this often whether it is back. */
  probeIntervalMs: number;
  now: () => number;
}

const UNAVAILABLE = Symbol('unavailable');

/** Rejects when `promise` has not settled within `ms`; the timer never keeps the process alive. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * The cache on Redis, which must never be a point of failure. Any call that fails or takes longer
 * than `timeoutMs` flips the store to degraded: from then on calls skip Redis entirely (the cache
 * computes from Postgres) instead of each waiting out the timeout against a dead or hung server.
 * At most once per `probeIntervalMs` one request checks, with a PING bounded by the same timeout,
 * whether Redis answers again; if it does, that request and every later one use it. The warning is
 * logged when an outage starts, not per request.
 */
export function redisStore(options: RedisStoreOptions): CacheStore {
  const { client, logger, timeoutMs, prefix, probeIntervalMs, now } = options;
  let degraded = false;
  let lastProbeAt = 0;
  let failures = 0;

  function fail(error: unknown): void {
    failures++;
    if (degraded) return;
    degraded = true;
    lastProbeAt = now();
    logger.warn(
      { err: messageOf(error) },
      'Analytics cache: Redis is not answering; computing from Postgres until it does.',
    );
  }

  async function usable(): Promise<boolean> {
    if (!degraded) return true;
    const at = now();
    if (at - lastProbeAt < probeIntervalMs) return false;
    // Set before the PING, so requests arriving meanwhile skip Redis instead of probing too.
    lastProbeAt = at;
    // ioredis's own state: while it is (re)connecting, a command could only fail or queue.
    if (client.status !== 'ready') return false;
    try {
      await withTimeout(client.ping(), timeoutMs);
    } catch {
      failures++;
      return false;
    }
    degraded = false;
    logger.info('Analytics cache: Redis answers again; caching resumed.');
    return true;
  }

  async function call<T>(operation: () => Promise<T>): Promise<T | typeof UNAVAILABLE> {
    if (!(await usable())) return UNAVAILABLE;
    if (client.status !== 'ready') {
      fail(new Error(`Redis connection is ${client.status}`));
      return UNAVAILABLE;
    }
    try {
      return await withTimeout(operation(), timeoutMs);
    } catch (error) {
      fail(error);
      return UNAVAILABLE;
    }
  }

  return {
    backend: 'redis',
    async get(key) {
      const value = await call(() => client.get(prefix + key));
      return value === UNAVAILABLE || value === null ? undefined : value;
    },
    async set(key, value, ttlMs) {
      await call(() => client.set(prefix + key, value, 'PX', ttlMs));
    },
    async del(keys) {
      if (keys.length === 0) return;
      await call(() => client.del(...keys.map((key) => prefix + key)));
    },
    failures: () => failures,
    degraded: () => degraded,
  };
}
