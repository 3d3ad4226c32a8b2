import { randomBytes, randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AnalyticsCache, analyticsCacheOver, createAnalyticsCache } from './cache.ts';
import { campaignsKey, dashboardKey, leadsKey, metricsKey, userKey } from './keys.ts';
import { memoryStore } from './memory-store.ts';
import { capturedLogger, fakeClock, REDIS_URL } from './testing.ts';
import { cacheVersion } from './version.ts';

const dashboardSchema = z.object({ leads: z.number().int(), revenue: z.number() });
type Dashboard = z.infer<typeof dashboardSchema>;
const v = (seq: number, epoch = 1) => cacheVersion({ epoch, seq });

/** A compute that counts its calls and answers `leads: n` for its n-th call. */
function counted() {
  let calls = 0;
  return {
    compute: (): Promise<Dashboard> => Promise.resolve({ leads: ++calls, revenue: 1250.5 }),
    calls: () => calls,
  };
}

interface Setup {
  cache: AnalyticsCache;
  clock: ReturnType<typeof fakeClock>;
  /** Writes raw text into the store under a key name, as another writer could. */
  put: (name: string, text: string) => Promise<void>;
  exists: (name: string) => Promise<boolean>;
  close: () => Promise<void>;
}

function memorySetup(): Setup {
  const clock = fakeClock();
  const store = memoryStore({ now: clock.now });
  return {
    cache: analyticsCacheOver(store, capturedLogger().logger),
    clock,
    put: (name, text) => store.set(name, text, 60_000),
    exists: async (name) => (await store.get(name)) !== undefined,
    close: () => Promise.resolve(),
  };
}

/** Real Redis, under a prefix of this test's own that is deleted after it. */
async function redisSetup(): Promise<Setup & { client: Redis; prefix: string }> {
  const clock = fakeClock();
  const client = new Redis(REDIS_URL);
  await client.ping();
  const prefix = `fl-test-analytics-${randomBytes(6).toString('hex')}:`;
  return {
    // A generous timeout: these tests are about the cache's rules, not about a loaded machine.
    cache: createAnalyticsCache({
      redis: client,
      logger: capturedLogger().logger,
      prefix,
      timeoutMs: 2_000,
      now: clock.now,
    }),
    clock,
    client,
    prefix,
    put: async (name, text) => void (await client.set(prefix + name, text, 'PX', 60_000)),
    exists: async (name) => (await client.exists(prefix + name)) === 1,
    close: async () => {
      const keys = await client.keys(`${prefix}*`);
      if (keys.length > 0) await client.del(...keys);
      await client.quit();
    },
  };
}

describe.each([
  ['memory', memorySetup],
  ['Redis', redisSetup],
] as const)('the analytics cache on %s', (_name, setup: () => Setup | Promise<Setup>) => {
  let t: Setup | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });
  const start = async () => (t = await setup());

  it('computes once, then answers from the store', async () => {
    const { cache } = await start();
    const key = dashboardKey(randomUUID());
    const { compute, calls } = counted();

    expect(await cache.getOrCompute(key, v(10), compute, dashboardSchema)).toEqual({
      value: { leads: 1, revenue: 1250.5 },
      hit: false,
    });
    expect(await cache.getOrCompute(key, v(10), compute, dashboardSchema)).toEqual({
      value: { leads: 1, revenue: 1250.5 },
      hit: true,
    });
    expect(calls()).toBe(1);
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1, errors: 0, degraded: false });
  });

  it('serves an entry to readers requiring its version or an older one, never a newer one', async () => {
    const { cache } = await start();
    const key = leadsKey(randomUUID());
    const { compute, calls } = counted();
    await cache.getOrCompute(key, v(10), compute, dashboardSchema);

    // Computed at 10: good enough for a reader who saw the log at 4.
    expect(await cache.getOrCompute(key, v(4), compute, dashboardSchema)).toMatchObject({
      value: { leads: 1 },
      hit: true,
    });
    // A change committed (head 11): the entry is older than required, so it is recomputed.
    expect(await cache.getOrCompute(key, v(11), compute, dashboardSchema)).toMatchObject({
      value: { leads: 2 },
      hit: false,
    });
    expect(await cache.getOrCompute(key, v(11), compute, dashboardSchema)).toMatchObject({
      value: { leads: 2 },
      hit: true,
    });
    // A new epoch outranks any seq of the old one.
    expect(await cache.getOrCompute(key, v(0, 2), compute, dashboardSchema)).toMatchObject({
      value: { leads: 3 },
      hit: false,
    });
    expect(await cache.getOrCompute(key, v(9_999, 1), compute, dashboardSchema)).toMatchObject({
      value: { leads: 3 },
      hit: true,
    });
    expect(calls()).toBe(3);
  });

  it('treats stored text that is not JSON as a miss, deletes it and counts it', async () => {
    const { cache, put, exists } = await start();
    const key = campaignsKey(randomUUID());
    await put(key.name, 'not json {');

    const failing = () => Promise.reject(new Error('Postgres is busy'));
    await expect(cache.getOrCompute(key, v(1), failing, dashboardSchema)).rejects.toThrow(
      'Postgres is busy',
    );
    expect(await exists(key.name)).toBe(false);
    expect(cache.stats()).toMatchObject({ errors: 1, hits: 0, misses: 1 });
  });

  it('treats an entry that fails the schema (or has no version) as a miss and replaces it', async () => {
    const { cache, put } = await start();
    const key = metricsKey(randomUUID(), '2026-03-15');
    const { compute, calls } = counted();
    await put(key.name, JSON.stringify({ v: '1:50', d: { leads: 'many', revenue: 3 } }));

    expect(await cache.getOrCompute(key, v(1), compute, dashboardSchema)).toMatchObject({
      value: { leads: 1 },
      hit: false,
    });
    expect(await cache.getOrCompute(key, v(1), compute, dashboardSchema)).toMatchObject({
      value: { leads: 1 },
      hit: true,
    });
    await put(key.name, JSON.stringify({ d: { leads: 9, revenue: 3 } }));
    expect(await cache.getOrCompute(key, v(1), compute, dashboardSchema)).toMatchObject({
      value: { leads: 2 },
      hit: false,
    });
    expect(calls()).toBe(2);
    expect(cache.stats().errors).toBe(2);
  });

  it('invalidate deletes the keys it names and no others', async () => {
    const { cache, exists } = await start();
    const business = randomUUID();
    const { compute, calls } = counted();
    for (const key of [dashboardKey(business), leadsKey(business), userKey(business)]) {
      await cache.getOrCompute(key, v(3), compute, dashboardSchema);
    }

    await cache.invalidate([dashboardKey(business), leadsKey(business)]);
    expect(await exists(dashboardKey(business).name)).toBe(false);
    expect(await exists(leadsKey(business).name)).toBe(false);
    expect(await exists(userKey(business).name)).toBe(true);
    expect(
      (await cache.getOrCompute(dashboardKey(business), v(3), compute, dashboardSchema)).hit,
    ).toBe(false);
    expect(calls()).toBe(4);
  });

  it('runs one computation for 20 concurrent callers of a key and version', async () => {
    const { cache } = await start();
    const key = dashboardKey(randomUUID());
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const compute = async () => {
      calls++;
      await gate;
      return { leads: 7, revenue: 0 };
    };

    const callers = Array.from({ length: 20 }, () =>
      cache.getOrCompute(key, v(5), compute, dashboardSchema),
    );
    release();
    const results = await Promise.all(callers);
    expect(calls).toBe(1);
    expect(results.every((result) => result.value.leads === 7 && !result.hit)).toBe(true);
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 20 });
    expect((await cache.getOrCompute(key, v(5), compute, dashboardSchema)).hit).toBe(true);
  });

  it('shares a computation with callers requiring less, never with callers requiring more', async () => {
    const { cache } = await start();
    const key = dashboardKey(randomUUID());
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const versions: string[] = [];
    const computeAt = (seq: number) => async () => {
      versions.push(`computed at ${seq}`);
      await gate;
      return { leads: seq, revenue: 0 };
    };

    const at5 = cache.getOrCompute(key, v(5), computeAt(5), dashboardSchema);
    const at3 = cache.getOrCompute(key, v(3), computeAt(3), dashboardSchema);
    const at6 = cache.getOrCompute(key, v(6), computeAt(6), dashboardSchema);
    release();
    expect((await at5).value.leads).toBe(5);
    expect((await at3).value.leads).toBe(5);
    expect((await at6).value.leads).toBe(6);
    expect(versions).toEqual(['computed at 5', 'computed at 6']);
  });

  it("passes a computation's error to every caller sharing it and stores nothing", async () => {
    const { cache, exists } = await start();
    const key = leadsKey(randomUUID());
    let calls = 0;
    const failing = async () => {
      calls++;
      await Promise.resolve();
      throw new Error('statement timeout');
    };

    const callers = Array.from({ length: 5 }, () =>
      cache.getOrCompute(key, v(1), failing, dashboardSchema),
    );
    for (const caller of callers) await expect(caller).rejects.toThrow('statement timeout');
    expect(calls).toBe(1);
    expect(await exists(key.name)).toBe(false);
    // The failed flight is gone: the next caller computes afresh.
    const { compute } = counted();
    expect((await cache.getOrCompute(key, v(1), compute, dashboardSchema)).hit).toBe(false);
  });

  it('answers, without storing, a value that has no JSON form', async () => {
    const { cache, exists } = await start();
    const key = userKey(randomUUID());
    const schema = z.object({ big: z.bigint() });
    const value = { big: 10n };

    expect(await cache.getOrCompute(key, v(1), () => Promise.resolve(value), schema)).toEqual({
      value,
      hit: false,
    });
    expect(await exists(key.name)).toBe(false);
    expect(cache.stats().errors).toBe(1);
  });
});

describe('entry lifetimes', () => {
  let redis: Awaited<ReturnType<typeof redisSetup>> | undefined;
  afterEach(async () => {
    await redis?.close();
    redis = undefined;
  });

  it('memory: an entry lives for its key’s TTL on the clock', async () => {
    const { cache, clock } = memorySetup();
    const business = randomUUID();
    const { compute, calls } = counted();
    for (const [key, ttl] of [
      [dashboardKey(business), 5 * 60_000],
      [campaignsKey(business), 15 * 60_000],
      [metricsKey(business, '2026-03-14'), 60 * 60_000],
    ] as const) {
      const before = calls();
      await cache.getOrCompute(key, v(1), compute, dashboardSchema);
      clock.advance(ttl - 1);
      expect((await cache.getOrCompute(key, v(1), compute, dashboardSchema)).hit).toBe(true);
      clock.advance(1);
      expect((await cache.getOrCompute(key, v(1), compute, dashboardSchema)).hit).toBe(false);
      expect(calls()).toBe(before + 2);
    }
  });

  it('Redis: every key is stored under the prefix with its seed TTL', async () => {
    redis = await redisSetup();
    const { cache, client, prefix } = redis;
    const business = randomUUID();
    const { compute } = counted();
    const keys = [
      userKey(business),
      dashboardKey(business),
      leadsKey(business),
      campaignsKey(business),
      metricsKey(business, '2026-03-15'),
    ];
    for (const key of keys) await cache.getOrCompute(key, v(1), compute, dashboardSchema);

    // The seed: user 1 h, dashboard 5 min, leads 5 min, campaigns 15 min, metrics 1 h.
    expect(keys.map((key) => key.ttlMs)).toEqual([3_600_000, 300_000, 300_000, 900_000, 3_600_000]);
    for (const key of keys) {
      const pttl = await client.pttl(prefix + key.name);
      expect(pttl).toBeLessThanOrEqual(key.ttlMs);
      expect(pttl).toBeGreaterThan(key.ttlMs - 10_000);
    }
    expect(JSON.parse((await client.get(`${prefix}user:${business}:dashboard`)) ?? '')).toEqual({
      v: '1:1',
      d: { leads: 2, revenue: 1250.5 },
    });
  });
});
