import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DatabaseHandle } from '../db/postgres/client.ts';
import type { Keyring } from '../db/secrets.ts';
import { createAuthenticator } from './auth/authenticate.ts';
import { registerAuthRoutes } from './auth/routes.ts';
import { registerMutationRoutes } from './mutations/routes.ts';
import type { ServerSettings } from './config.ts';
import { handleError, handleNotFound } from './errors.ts';
import { Router } from './http/router.ts';
import { createOperatorAuthenticator } from './platform/authenticate.ts';
import { registerPlatformRoutes } from './platform/routes.ts';
import type { RedisHandle, RedisStatus } from './redis.ts';
import { type AnalyticsCache, createAnalyticsCache } from './analytics/cache.ts';
import { registerAnalyticsRoutes } from './analytics/routes.ts';
import { ChangeHub } from './shapes/change-hub.ts';
import { liveReadCounts, registerShapeRoutes } from './shapes/routes.ts';
import {
  type FollowUpObserver,
  startMissedCallFollowUp,
} from './messaging/missed-call-follow-up.ts';
import { registerTelephonyRoutes } from './telephony/routes.ts';

export interface AppDependencies {
  database: DatabaseHandle;
  logger: FastifyBaseLogger;
  redisStatus: () => RedisStatus;
  /** Redis for the analytics cache; without it (or with no client) the cache is in process. */
  redis?: RedisHandle;
  /** The analytics cache itself (tests pass one to watch it); made from `redis` otherwise. */
  analyticsCache?: AnalyticsCache;
  keyring: Keyring;
  settings: ServerSettings;
  /** The clock of the missed-call follow-up (tests move it); the real one by default. */
  now?: () => Date;
  /** BullMQ's key prefix for the text queue (each test its own). */
  textQueuePrefix?: string;
  /** Watches the missed-call follow-up (tests wait on its decisions and deliveries). */
  observeFollowUp?: FollowUpObserver;
}

const healthSchema = z.object({
  status: z.literal('ok'),
  database: z.enum(['postgres', 'pglite']),
  redis: z.enum(['disabled', 'up', 'down']),
  analyticsCache: z.object({
    backend: z.enum(['redis', 'memory']),
    degraded: z.boolean().describe('Redis stopped answering: answers are computed, not cached'),
    hits: z.number().int(),
    misses: z.number().int(),
    errors: z.number().int(),
  }),
  live: z.object({
    subscribed: z.number().int().describe('Live shape requests this instance holds'),
    waiting: z.number().int().describe('Of those, waiting for a change right now'),
    reads: z
      .number()
      .int()
      .describe('Change-log reads run since start (requests at one position share one)'),
    sharedAnswers: z
      .number()
      .int()
      .describe('Requests answered by another request’s read instead of their own'),
  }),
});

/**
 * The sync server's HTTP surface: accounts (/v1/auth, /v1/members), the read path (/v1/shape),
 * health, and the OpenAPI document of the REST routes. Nothing here holds state between requests
 * except the change hub's waiting live requests, so any number of instances can serve one database.
 */
export function buildApp(deps: AppDependencies): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger,
    // Trust X-Forwarded-For for exactly that many proxy hops (the login rate limits key on the IP).
    trustProxy: (_address: string, hop: number) => hop < deps.settings.TRUST_PROXY_HOPS,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);

  const authenticate = createAuthenticator(deps);
  const router = new Router(app, authenticate, createOperatorAuthenticator(deps));
  const analyticsCache =
    deps.analyticsCache ??
    createAnalyticsCache({
      redis: deps.redis,
      logger: deps.logger,
      prefix: deps.settings.CACHE_KEY_PREFIX,
    });

  router.route(
    {
      method: 'GET',
      path: '/health',
      summary: 'Liveness: the process answers; reports the database kind and Redis state',
      tag: 'operations',
      auth: 'none',
      responses: { 200: { description: 'Alive', schema: healthSchema } },
    },
    async () => {
      await deps.database.db.execute(sql`SELECT 1`);
      return {
        status: 'ok',
        database: deps.database.kind,
        redis: deps.redisStatus(),
        analyticsCache: analyticsCache.stats(),
        live: {
          subscribed: hub.subscribed,
          waiting: hub.blocked,
          reads: liveReadCounts(app).started,
          sharedAnswers: liveReadCounts(app).joined,
        },
      };
    },
  );
  router.route(
    {
      method: 'GET',
      path: '/ready',
      summary: 'Readiness: the database answers and the server is not shutting down',
      tag: 'operations',
      auth: 'none',
      responses: {
        200: { description: 'Ready to serve', schema: z.object({ status: z.literal('ready') }) },
        503: { description: 'Not ready (database unreachable or shutting down)' },
      },
    },
    async ({ reply }) => {
      if (hub.closing) {
        return reply.status(503).send({ status: 'shutting down' });
      }
      try {
        await deps.database.db.execute(sql`SELECT 1`);
      } catch {
        return reply.status(503).send({ status: 'database unreachable' });
      }
      return { status: 'ready' };
    },
  );

  registerAuthRoutes(router, deps);
  registerPlatformRoutes(router, deps);
  registerAnalyticsRoutes(router, {
    database: deps.database,
    cache: analyticsCache,
    ...(deps.now ? { now: deps.now } : {}),
  });
  const followUp = startFollowUp(app, deps);
  registerMutationRoutes(
    router,
    deps,
    followUp ? (businessId, ids) => followUp.onTextsQueued(businessId, ids) : undefined,
  );
  registerTelephonyRoutes(app, router, {
    ...deps,
    ...(followUp ? { onCallRecorded: (call) => followUp.onCallRecorded(call) } : {}),
  });
  if (followUp) app.addHook('onClose', () => followUp.close());

  const hub = new ChangeHub(deps.database, deps.logger);
  registerShapeRoutes(app, router, { ...deps, hub, authenticate });
  // Watch for committed changes from the first request on; on shutdown, answer every waiting
  // live request (with up-to-date) before the server stops accepting and drains.
  app.addHook('onReady', () => hub.start());
  app.addHook('preClose', () => hub.close());

  app.get('/v1/openapi.json', () =>
    Promise.resolve(router.openApi({ title: 'Fieldline sync server', version: '1' })),
  );
  return app;
}

/** The missed-call text-back, where Twilio is configured. */
function startFollowUp(app: FastifyInstance, deps: AppDependencies) {
  const { settings } = deps;
  if (!settings.TWILIO_ACCOUNT_SID || !settings.TWILIO_AUTH_TOKEN) return undefined;
  return startMissedCallFollowUp({
    db: deps.database.db,
    log: deps.logger,
    credentials: { accountSid: settings.TWILIO_ACCOUNT_SID, authToken: settings.TWILIO_AUTH_TOKEN },
    apiOrigin: settings.TWILIO_API_BASE_URL,
    // Production names its public address (config requires it); in development, this server's.
    webhookOrigin: () => {
      if (settings.TWILIO_WEBHOOK_BASE_URL)
        return settings.TWILIO_WEBHOOK_BASE_URL.replace(/\/+$/, '');
      const address = app.server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      return `http://127.0.0.1:${port}`;
    },
    redisUrl: settings.REDIS_URL,
    ...(deps.textQueuePrefix ? { queuePrefix: deps.textQueuePrefix } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    ...(deps.observeFollowUp ? { observe: deps.observeFollowUp } : {}),
  });
}
