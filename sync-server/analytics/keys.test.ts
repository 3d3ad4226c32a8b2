import { describe, expect, it } from 'vitest';
import { campaignsKey, dashboardKey, leadsKey, metricsKey, userKey } from './keys.ts';

const business = '6f1c2a4e-9b7d-4c3a-8e21-0d5f7a9b3c11';

describe('analytics cache keys', () => {
  it('are the seed’s names and TTLs', () => {
    expect([
      userKey(business),
      dashboardKey(business),
      leadsKey(business),
      campaignsKey(business),
      metricsKey(business, '2026-03-15'),
    ]).toEqual([
      { name: `user:${business}`, ttlMs: 60 * 60_000 },
      { name: `user:${business}:dashboard`, ttlMs: 5 * 60_000 },
      { name: `user:${business}:leads`, ttlMs: 5 * 60_000 },
      { name: `user:${business}:campaigns`, ttlMs: 15 * 60_000 },
      { name: `user:${business}:metrics:2026-03-15`, ttlMs: 60 * 60_000 },
    ]);
  });

  it('refuse an id that could collide with another key, and a date that is not YYYY-MM-DD', () => {
    expect(() => userKey(`${business}:dashboard`)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => dashboardKey('')).toThrow(/business id/);
    expect(() => metricsKey(business, '2026-3-5')).toThrow(/YYYY-MM-DD/);
    expect(() => metricsKey(business, '2026-02-30')).toThrow(/YYYY-MM-DD/);
    expect(() => metricsKey(business, '2026-03-15:x')).toThrow(/YYYY-MM-DD/);
  });
});
