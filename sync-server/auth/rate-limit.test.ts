import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { consumeAttempt, limitKeys } from './rate-limit.ts';

describe.each(backends)('login rate limits on %s', (backend) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('allows `limit` attempts per window, then says how long until the window ends', async () => {
    t = await createTestDatabase(backend);
    const start = new Date('2026-03-15T12:00:00Z');
    const at = (seconds: number) => new Date(start.getTime() + seconds * 1000);
    const key = limitKeys.loginByEmail('  Pat@Example.COM ');
    expect(key).toBe('login:email:pat@example.com');

    for (let i = 0; i < 3; i++) {
      expect(await consumeAttempt(t.db, key, 3, 900, at(i))).toEqual({ allowed: true });
    }
    expect(await consumeAttempt(t.db, key, 3, 900, at(100))).toEqual({
      allowed: false,
      retryAfterSeconds: 800,
    });
    // Refused attempts still count: hammering does not wear the window down.
    expect(await consumeAttempt(t.db, key, 3, 900, at(899.5))).toEqual({
      allowed: false,
      retryAfterSeconds: 1,
    });
    // Another key has its own counter.
    expect(await consumeAttempt(t.db, limitKeys.loginByIp('203.0.113.9'), 3, 900, at(100))).toEqual(
      { allowed: true },
    );
    // Once the window is over, counting starts again from this attempt.
    expect(await consumeAttempt(t.db, key, 3, 900, at(900))).toEqual({ allowed: true });
    const [row] = await queryRows<{ attempts: number; started: string }>(
      t.db,
      sql`SELECT attempts, to_json(window_started_at)#>>'{}' AS started
          FROM auth_rate_limits WHERE key = ${key}`,
    );
    expect(row?.attempts).toBe(1);
    expect(Date.parse(row?.started ?? '')).toBe(at(900).getTime());
  });

  it('counts concurrent attempts exactly: never more than `limit` get through', async () => {
    t = await createTestDatabase(backend);
    const db = t.db;
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => consumeAttempt(db, 'login:ip:198.51.100.7', 5, 60)),
    );
    expect(outcomes.filter((o) => o.allowed)).toHaveLength(5);
    for (const outcome of outcomes) {
      if (!outcome.allowed) expect(outcome.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      if (!outcome.allowed) expect(outcome.retryAfterSeconds).toBeLessThanOrEqual(60);
    }
    const [row] = await queryRows<{ attempts: number }>(
      db,
      sql`SELECT attempts FROM auth_rate_limits WHERE key = 'login:ip:198.51.100.7'`,
    );
    expect(row?.attempts).toBe(20);
  });
});
