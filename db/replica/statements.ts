import type { Statement } from 'better-sqlite3';
import type { Database } from './open.ts';

/** `make(replica, key)` computed once per connection and key, then served from a cache. */
export function perConnection<K, V>(make: (replica: Database, key: K) => V) {
  const caches = new WeakMap<Database, Map<K, V>>();
  return (replica: Database, key: K): V => {
    let cache = caches.get(replica);
    if (!cache) {
      cache = new Map();
      caches.set(replica, cache);
    }
    let value = cache.get(key);
    if (value === undefined) {
      value = make(replica, key);
      cache.set(key, value);
    }
    return value;
  };
}

/**
 * A statement prepared once per connection and SQL text: preparing costs tens of microseconds,
 * which the hot paths (a batch of 20,000 rows, an optimistic write) should pay once.
 */
export const prepared = perConnection((replica, sql: string): Statement => replica.prepare(sql));
