import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { connectRedis } from '../redis.ts';
import { createAnalyticsCache } from './cache.ts';
import { dashboardKey } from './keys.ts';
import { capturedLogger, fakeClock, REDIS_URL, redisProxy, tcpServer } from './testing.ts';
import { cacheVersion } from './version.ts';

const schema = z.object({ leads: z.number() });
const version = cacheVersion({ epoch: 1, seq: 1 });
const OUTAGE = 'Redis is not answering';
const RESUMED = 'caching resumed';

/** Everything a test opened, closed after it (last opened, first closed) whatever happened. */
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  const opened = cleanups.reverse();
  cleanups = [];
  for (const cleanup of opened) await cleanup();
});

/** A prefix of the test's own in the test Redis, whose keys are deleted after it. */
function testPrefix(): string {
  const prefix = `fl-test-analytics-${randomBytes(6).toString('hex')}:`;
  cleanups.push(async () => {
    const direct = new Redis(REDIS_URL);
    const keys = await direct.keys(`${prefix}*`);
    if (keys.length > 0) await direct.del(...keys);
    await direct.quit();
  });
  return prefix;
}

/** A client that retries fast and whose connection errors the test expects. */
function client(url: string, options: RedisOptions = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 0,
    retryStrategy: () => 20,
    ...options,
  });
  redis.on('error', () => undefined);
  cleanups.push(() => redis.disconnect());
  return redis;
}

async function ready(redis: Redis): Promise<void> {
  if (redis.status !== 'ready') await once(redis, 'ready');
}

function counted() {
  let calls = 0;
  return { compute: () => Promise.resolve({ leads: ++calls }), calls: () => calls };
}

async function timed<T>(work: Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await work;
  return { result, ms: performance.now() - started };
}

describe('the analytics cache when Redis is missing, down or hung', () => {
  it('caches in process when there is no Redis (REDIS_URL unset)', async () => {
    const handle = connectRedis(undefined, pino({ level: 'silent' }));
    const cache = createAnalyticsCache({ redis: handle, logger: pino({ level: 'silent' }) });
    const key = dashboardKey(randomUUID());
    const { compute } = counted();
    await cache.getOrCompute(key, version, compute, schema);
    expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(true);
    expect(cache.stats()).toMatchObject({ backend: 'memory', hits: 1, misses: 1, errors: 0 });
  });

  it("uses connectRedis's handle when Redis is up", async () => {
    const handle = connectRedis(REDIS_URL, pino({ level: 'silent' }));
    cleanups.push(() => handle.close());
    if (!handle.client) throw new Error('connectRedis gave no client for a URL');
    await ready(handle.client);
    const prefix = testPrefix();
    const cache = createAnalyticsCache({
      redis: handle,
      logger: pino({ level: 'silent' }),
      prefix,
    });
    const key = dashboardKey(randomUUID());
    const { compute } = counted();
    await cache.getOrCompute(key, version, compute, schema);
    expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(true);
    expect(await handle.client.exists(prefix + key.name)).toBe(1);
    expect(cache.stats()).toMatchObject({ backend: 'redis', degraded: false });
  });

  it('answers from compute when Redis refuses connections, and warns once for the outage', async () => {
    const handle = connectRedis('redis://127.0.0.1:1', pino({ level: 'silent' }));
    cleanups.push(() => handle.close());
    const clock = fakeClock();
    const log = capturedLogger();
    const cache = createAnalyticsCache({ redis: handle, logger: log.logger, now: clock.now });
    const key = dashboardKey(randomUUID());
    const { compute, calls } = counted();

    const { result, ms } = await timed(
      Promise.all(
        Array.from({ length: 50 }, () => cache.getOrCompute(key, version, compute, schema)),
      ),
    );
    expect(ms).toBeLessThan(500);
    expect(result.every((answer) => !answer.hit)).toBe(true);
    for (let i = 0; i < 50; i++) {
      // Probes come due as time passes; a failed one is not a new outage.
      clock.advance(250);
      expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(false);
    }
    expect(calls()).toBe(51); // the first 50 shared one computation
    expect(log.count('warn', OUTAGE)).toBe(1);
    expect(cache.stats()).toMatchObject({ backend: 'redis', degraded: true, hits: 0 });
    expect(cache.stats().errors).toBeGreaterThan(0);
  });

  it('answers in about the timeout when Redis hangs after connecting, then stops asking it', async () => {
    const proxy = await redisProxy();
    cleanups.push(() => proxy.stop());
    const redis = client(`redis://127.0.0.1:${proxy.port}`);
    await ready(redis);
    proxy.freeze();
    const get = vi.spyOn(redis, 'get');
    const ping = vi.spyOn(redis, 'ping');
    const clock = fakeClock();
    const log = capturedLogger();
    const cache = createAnalyticsCache({
      redis,
      logger: log.logger,
      now: clock.now,
      timeoutMs: 50,
      prefix: testPrefix(),
    });
    const key = dashboardKey(randomUUID());
    const { compute } = counted();

    const first = await timed(cache.getOrCompute(key, version, compute, schema));
    expect(first.result).toEqual({ value: { leads: 1 }, hit: false });
    expect(first.ms).toBeGreaterThanOrEqual(45);
    expect(first.ms).toBeLessThan(500);
    expect(get).toHaveBeenCalledTimes(1);

    // Degraded: later requests go straight to compute without waiting on Redis at all.
    const later = await timed(
      (async () => {
        for (let i = 0; i < 20; i++) await cache.getOrCompute(key, version, compute, schema);
      })(),
    );
    expect(later.ms).toBeLessThan(45);
    expect(get).toHaveBeenCalledTimes(1);
    expect(ping).not.toHaveBeenCalled();

    // Once a second, one request probes (waiting out one timeout); the others do not.
    clock.advance(1_000);
    const probing = await timed(cache.getOrCompute(key, version, compute, schema));
    expect(probing.result.hit).toBe(false);
    expect(probing.ms).toBeLessThan(500);
    expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(false);
    expect(ping).toHaveBeenCalledTimes(1);
    expect(get).toHaveBeenCalledTimes(1);
    expect(log.count('warn', OUTAGE)).toBe(1);
  });

  it('does not wait on a server that accepts the connection but never finishes the handshake', async () => {
    const hung = await tcpServer(() => undefined);
    cleanups.push(() => hung.stop());
    const redis = client(`redis://127.0.0.1:${hung.port}`);
    await once(redis, 'connect');
    const log = capturedLogger();
    const cache = createAnalyticsCache({ redis, logger: log.logger, timeoutMs: 50 });
    const { compute } = counted();

    const { result, ms } = await timed(
      cache.getOrCompute(dashboardKey(randomUUID()), version, compute, schema),
    );
    expect(result).toEqual({ value: { leads: 1 }, hit: false });
    expect(ms).toBeLessThan(500);
    expect(log.count('warn', OUTAGE)).toBe(1);
  });

  it('resumes caching by itself when Redis comes back, and warns again for a new outage', async () => {
    const proxy = await redisProxy();
    cleanups.push(() => proxy.stop());
    const redis = client(`redis://127.0.0.1:${proxy.port}`, { enableOfflineQueue: false });
    await ready(redis);
    const clock = fakeClock();
    const log = capturedLogger();
    const cache = createAnalyticsCache({
      redis,
      logger: log.logger,
      now: clock.now,
      prefix: testPrefix(),
    });
    const key = dashboardKey(randomUUID());
    const other = dashboardKey(randomUUID());
    const { compute, calls } = counted();
    await cache.getOrCompute(key, version, compute, schema);
    expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(true);

    const outage = async () => {
      const closed = once(redis, 'close');
      await proxy.stop();
      await closed;
      for (let i = 0; i < 10; i++) {
        const { result, ms } = await timed(cache.getOrCompute(key, version, compute, schema));
        expect(result.hit).toBe(false);
        expect(ms).toBeLessThan(500);
      }
      expect(cache.stats().degraded).toBe(true);
    };
    const recovery = async () => {
      await proxy.restart();
      await ready(redis);
      // Not before a probe is due: Redis is back, but this process has not asked yet.
      expect((await cache.getOrCompute(key, version, compute, schema)).hit).toBe(false);
      clock.advance(1_000);
      // The probing request finds Redis again and reads the entry stored before the outage.
      expect(await cache.getOrCompute(key, version, compute, schema)).toEqual({
        value: { leads: 1 },
        hit: true,
      });
      expect(cache.stats().degraded).toBe(false);
    };

    await outage();
    expect(log.count('warn', OUTAGE)).toBe(1);
    await recovery();
    expect(log.count('info', RESUMED)).toBe(1);
    await cache.getOrCompute(other, version, compute, schema);
    expect((await cache.getOrCompute(other, version, compute, schema)).hit).toBe(true);

    await outage();
    expect(log.count('warn', OUTAGE)).toBe(2);
    await recovery();
    expect(log.count('info', RESUMED)).toBe(2);
    // 1 before, 10 + 1 per outage, 1 for the other key.
    expect(calls()).toBe(24);
  });
});
