/**
 * Where cached text lives: Redis, or this process's memory. A store never throws: an unreachable
 * store answers like an empty one, and the cache computes from Postgres instead.
 */
export interface CacheStore {
  readonly backend: 'redis' | 'memory';
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string, ttlMs: number): Promise<void>;
  del(keys: readonly string[]): Promise<void>;
  /** Operations that failed or timed out (always 0 for memory). */
  failures(): number;
  /** True while the store is skipped because it stopped answering. */
  degraded(): boolean;
}
