import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';
import { fakeClock } from './testing.ts';

describe('the in-process cache store', () => {
  it('forgets an entry when its TTL is up', async () => {
    const clock = fakeClock();
    const store = memoryStore({ now: clock.now });
    await store.set('a', 'one', 1_000);
    clock.advance(999);
    expect(await store.get('a')).toBe('one');
    clock.advance(1);
    expect(await store.get('a')).toBeUndefined();
  });

  it('keeps at most maxEntries, dropping the least recently used first', async () => {
    const store = memoryStore({ maxEntries: 3, now: fakeClock().now });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.set('c', '3', 60_000);
    expect(await store.get('a')).toBe('1'); // a is now the most recently used
    await store.set('d', '4', 60_000);

    expect(await store.get('b')).toBeUndefined();
    expect([await store.get('a'), await store.get('c'), await store.get('d')]).toEqual([
      '1',
      '3',
      '4',
    ]);
    // Rewriting a key replaces it rather than taking a second place.
    await store.set('d', '5', 60_000);
    expect([await store.get('a'), await store.get('c'), await store.get('d')]).toEqual([
      '1',
      '3',
      '5',
    ]);
  });

  it('deletes the keys it is given', async () => {
    const store = memoryStore({ now: fakeClock().now });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.del(['a', 'missing']);
    expect([await store.get('a'), await store.get('b')]).toEqual([undefined, '2']);
    expect([store.backend, store.failures(), store.degraded()]).toEqual(['memory', 0, false]);
  });
});
