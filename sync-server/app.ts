import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { DatabaseHandle } from '../db/postgres/client.ts';
import { handleError, handleNotFound } from './errors.ts';
import type { RedisStatus } from './redis.ts';

export interface AppDependencies {
  database: DatabaseHandle;
  logger: FastifyBaseLogger;
  redisStatus: () => RedisStatus;
}

/** The sync server's HTTP surface. Routes are added per feature as later issues land. */
export function buildApp({ database, logger, redisStatus }: AppDependencies): FastifyInstance {
  const app = Fastify({
    loggerInstance: logger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  app.get('/health', async () => {
    await database.db.execute(sql`SELECT 1`);
    return { status: 'ok', database: database.kind, redis: redisStatus() };
  });

  return app;
}
