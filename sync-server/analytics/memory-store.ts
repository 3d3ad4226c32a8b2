import type { CacheStore } from './store.ts';

export interface MemoryStoreOptions {
  /** Least recently used entries go first beyond this many. */
  maxEntries?: number;
  /** Milliseconds; tests move it instead of sleeping. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * The cache without Redis: an LRU over a Map (whose iteration order is insertion order, so
 * re-inserting on every read keeps the least recently used entry first). Expired entries are
 * dropped when read or when they reach the front; the bound keeps the rest from piling up.
 */
export function memoryStore(options: MemoryStoreOptions = {}): CacheStore {
  const maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  const now = options.now ?? Date.now;
  const entries = new Map<string, Entry>();

  return {
    backend: 'memory',
    get(key) {
      const entry = entries.get(key);
      if (!entry) return Promise.resolve(undefined);
      entries.delete(key);
      if (entry.expiresAt <= now()) return Promise.resolve(undefined);
      entries.set(key, entry);
      return Promise.resolve(entry.value);
    },
    set(key, value, ttlMs) {
      entries.delete(key);
      entries.set(key, { value, expiresAt: now() + ttlMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxEntries) break;
        entries.delete(oldest);
      }
      return Promise.resolve();
    },
    del(keys) {
      for (const key of keys) entries.delete(key);
      return Promise.resolve();
    },
    failures: () => 0,
    degraded: () => false,
  };
}
