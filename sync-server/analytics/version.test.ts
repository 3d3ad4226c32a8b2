import { describe, expect, it } from 'vitest';
import { cacheVersion, compareVersions, formatVersion, parseVersion } from './version.ts';

describe('cache versions', () => {
  it('take a sync_heads row as the driver returns it', () => {
    const expected = { epoch: 2, seq: 9_007_199_254_740_993n };
    expect(cacheVersion({ epoch: 2, seq: '9007199254740993' })).toEqual(expected);
    expect(cacheVersion({ epoch: 2, seq: 9_007_199_254_740_993n })).toEqual(expected);
    expect(cacheVersion({ epoch: 1, seq: 42 })).toEqual({ epoch: 1, seq: 42n });
    for (const bad of [
      { epoch: 1, seq: -1 },
      { epoch: 1.5, seq: 1 },
      { epoch: 1, seq: '1e3' },
    ]) {
      expect(() => cacheVersion(bad)).toThrow(
        expect.objectContaining({ code: 'VALIDATION_FAILED' }),
      );
    }
  });

  it('compare epoch first, then seq (beyond 2^53 too)', () => {
    const at = (epoch: number, seq: bigint) => cacheVersion({ epoch, seq });
    expect(compareVersions(at(1, 5n), at(1, 5n))).toBe(0);
    expect(compareVersions(at(1, 5n), at(1, 6n))).toBeLessThan(0);
    expect(compareVersions(at(2, 0n), at(1, 99n))).toBeGreaterThan(0);
    expect(compareVersions(at(1, 2n ** 60n + 1n), at(1, 2n ** 60n))).toBeGreaterThan(0);
  });

  it('round-trip through their stored form, and refuse anything else', () => {
    const version = cacheVersion({ epoch: 3, seq: '123456789012345678901' });
    expect(formatVersion(version)).toBe('3:123456789012345678901');
    expect(parseVersion(formatVersion(version))).toEqual(version);
    for (const bad of ['', '3', '3:', ':1', '-1:2', '1:2:3', '1.0:2', ' 1:2']) {
      expect(parseVersion(bad)).toBeUndefined();
    }
  });
});
