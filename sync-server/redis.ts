import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export type RedisStatus = 'disabled' | 'up' | 'down';

export interface RedisHandle {
  client: Redis | undefined;
  status(): RedisStatus;
  close(): Promise<void>;
}

/**
 * Redis is optional and never a point of failure: without REDIS_URL the server runs on in-process
 * fallbacks and says so once; with it, a connection that drops is reported (once per outage) and
 * retried in the background while requests carry on.
 */
export function connectRedis(url: string | undefined, logger: Logger): RedisHandle {
  if (!url) {
    logger.info('REDIS_URL is not set: caching in process, jobs on the database queue.');
    return { client: undefined, status: () => 'disabled', close: () => Promise.resolve() };
  }
  const client = new Redis(url, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 5_000),
  });
  let up = false;
  let warned = false;
  client.on('ready', () => {
    up = true;
    warned = false;
    logger.info('Redis connected.');
  });
  client.on('error', (error: Error) => {
    up = false;
    if (!warned) logger.warn({ err: error.message }, 'Redis unreachable; carrying on without it.');
    warned = true;
  });
  client.on('end', () => {
    up = false;
  });
  return {
    client,
    status: () => (up ? 'up' : 'down'),
    close: async () => {
      client.disconnect();
      return Promise.resolve();
    },
  };
}
