import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHlc } from '../../db/hlc.ts';
import { queryRows } from '../../db/postgres/client.ts';
import type { BusinessDashboard, BusinessProfile, LeadPipeline } from '../../db/wire/analytics.ts';
import type { CampaignPerformance } from '../../db/wire/desktop-views.ts';
import {
  bearer,
  buildTestApp,
  loginAs,
  signupBusiness,
  TEST_PASSWORD,
  testKeyring,
} from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import {
  inboundSmsParams,
  signedTwilioPost,
  twilioSid,
} from '../../tests/support/twilio-webhooks.ts';
import { connectRedis } from '../redis.ts';
import { TWILIO_WEBHOOKS } from '../telephony/routes.ts';
import { createAnalyticsCache } from './cache.ts';
import { capturedLogger, REDIS_URL } from './testing.ts';

const ACCOUNT_SID = twilioSid('AC');
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const TRACKING = '+15125550100';

type CacheState = 'hit' | 'miss' | 'bypass' | null;

interface Answer<T> {
  status: number;
  cache: CacheState;
  body: T;
}

const cacheState = (header: string | string[] | number | undefined): CacheState => {
  if (header === 'fieldline; hit') return 'hit';
  if (header === 'fieldline; fwd=miss') return 'miss';
  if (header === 'fieldline; fwd=bypass') return 'bypass';
  return null;
};

/** Everything a test opened, closed after it (last opened, first closed) whatever happened. */
let cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  const opened = cleanups.reverse();
  cleanups = [];
  for (const cleanup of opened) await cleanup();
});

async function get<T>(app: FastifyInstance, token: string, url: string): Promise<Answer<T>> {
  const response = await app.inject({ method: 'GET', url, headers: bearer(token) });
  return {
    status: response.statusCode,
    cache: cacheState(response.headers['cache-status']),
    body: response.json<T>(),
  };
}

const funnelCount = (dashboard: BusinessDashboard, status: string) =>
  dashboard.funnel.find((stage) => stage.status === status)?.count;
const stageCount = (pipeline: LeadPipeline, status: string) =>
  pipeline.stages.find((stage) => stage.status === status)?.count;

/** A desktop's push of one mutation, as the write path receives it. */
async function pushMutation(app: FastifyInstance, token: string, name: string, args: unknown) {
  const clientId = randomUUID();
  const response = await app.inject({
    method: 'POST',
    url: '/v1/mutations',
    headers: bearer(token),
    payload: {
      mutations: [
        {
          clientId,
          mutationId: 1,
          name,
          args,
          hlc: formatHlc({ wallMs: Date.now(), counter: 0, clientId }),
        },
      ],
    },
  });
  if (response.statusCode !== 200) throw new Error(`push: ${response.statusCode} ${response.body}`);
}

describe.each(backends)('analytics routes on %s', (backend) => {
  let t: TestDatabase;

  async function start(extra: Parameters<typeof buildTestApp>[3] = {}) {
    t = await createTestDatabase(backend);
    cleanups.push(() => t.close());
    const app = buildTestApp(
      t,
      { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN },
      undefined,
      extra,
    );
    cleanups.push(() => app.close());
    const owner = await signupBusiness(app, { businessName: 'Ace Drains' });
    const businessId = owner.business.id;
    await t.db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source, label)
          VALUES (${businessId}, ${TRACKING}, 'website', 'Website')`,
    );
    await t.db.execute(
      sql`INSERT INTO campaigns (user_id, campaign_id, campaign_name, daily_budget, total_spend,
                                 total_clicks, total_conversions)
          VALUES (${businessId}, 'g-1', 'Drain emergencies', 50.00, 300.00, 120, 6)`,
    );
    return { app, owner, businessId, token: owner.accessToken };
  }

  it('serves each answer from the cache until a table it reads changes, whichever path changed it', async () => {
    const { app, owner, businessId, token } = await start();
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const today = new Date().toISOString().slice(0, 10);
    const dashboard = () => get<BusinessDashboard>(app, token, '/v1/analytics/dashboard');
    const pipeline = () => get<LeadPipeline>(app, token, '/v1/analytics/pipeline');
    const campaigns = () => get<CampaignPerformance[]>(app, token, '/v1/analytics/campaigns');
    const profile = () => get<BusinessProfile>(app, token, '/v1/business');
    const metrics = () => get<{ spend: string }>(app, token, `/v1/analytics/metrics/${today}`);

    // First reads compute, second reads are served from the cache.
    for (const read of [dashboard, pipeline, campaigns, profile, metrics]) {
      expect((await read()).cache).toBe('miss');
      expect((await read()).cache).toBe('hit');
    }
    expect(funnelCount((await dashboard()).body, 'new')).toBe(0);

    // A webhook: a text from a stranger makes a lead. What reads leads misses; the rest hit.
    const texted = await signedTwilioPost(
      `${origin}${TWILIO_WEBHOOKS}/sms`,
      inboundSmsParams({
        messageSid: twilioSid('SM'),
        from: '+15125557001',
        to: TRACKING,
        accountSid: ACCOUNT_SID,
        body: 'Is anyone free to look at a leaking water heater today?',
      }),
      AUTH_TOKEN,
    );
    expect(texted.status).toBe(200);
    let d = await dashboard();
    expect([d.cache, funnelCount(d.body, 'new')]).toEqual(['miss', 1]);
    let p = await pipeline();
    expect([p.cache, stageCount(p.body, 'new')]).toEqual(['miss', 1]);
    expect((await campaigns()).cache).toBe('hit');
    expect((await profile()).cache).toBe('hit');
    expect((await metrics()).cache).toBe('hit');

    // A desktop's mutation: the lead is contacted.
    const [lead] = await queryRows<{ id: string }>(t.db, sql`SELECT id::text FROM leads`);
    await pushMutation(app, token, 'lead.move', {
      id: lead?.id,
      to: 'contacted',
      at: new Date().toISOString(),
    });
    p = await pipeline();
    expect([p.cache, stageCount(p.body, 'new'), stageCount(p.body, 'contacted')]).toEqual([
      'miss',
      0,
      1,
    ]);
    d = await dashboard();
    expect([d.cache, funnelCount(d.body, 'contacted')]).toEqual(['miss', 1]);
    expect((await campaigns()).cache).toBe('hit');

    // SQL run directly (an agent, an operator in psql): a campaign paused.
    await t.db.execute(sql`UPDATE campaigns SET status = 'paused' WHERE user_id = ${businessId}`);
    const c = await campaigns();
    expect([c.cache, c.body[0]?.status]).toEqual(['miss', 'paused']);
    d = await dashboard();
    expect([d.cache, d.body.activeCampaigns]).toEqual(['miss', 0]);
    expect((await pipeline()).cache).toBe('hit');

    // A sign-in stamps the business row's last_login_at: not a change of the profile.
    await loginAs(app, owner.email, TEST_PASSWORD);
    expect((await profile()).cache).toBe('hit');
    // A rename is.
    await t.db.execute(
      sql`UPDATE users SET business_name = 'Ace Drains & Sewer' WHERE id = ${businessId}`,
    );
    const renamed = await profile();
    expect([renamed.cache, renamed.body.businessName]).toEqual(['miss', 'Ace Drains & Sewer']);
    d = await dashboard();
    expect([d.cache, d.body.business.name]).toEqual(['miss', 'Ace Drains & Sewer']);

    // Billing: a subscription starts.
    expect((await dashboard()).body.subscription).toBeNull();
    await t.db.execute(
      sql`INSERT INTO subscriptions (user_id, stripe_subscription_id, stripe_price_id, plan_name,
                                     amount, current_period_start, current_period_end)
          VALUES (${businessId}, 'sub_analytics', 'price_pro', 'Pro', 199.00, now(),
                  now() + interval '1 month')`,
    );
    d = await dashboard();
    expect([d.cache, d.body.subscription?.monthlyFee]).toEqual(['miss', '199.00']);

    // The day's financials.
    await t.db.execute(
      sql`INSERT INTO financials (user_id, date, ad_spend, revenue)
          VALUES (${businessId}, ${today}, 42.50, 900.00)`,
    );
    const m = await metrics();
    expect([m.cache, m.body.spend]).toEqual(['miss', '42.50']);
    expect((await metrics()).cache).toBe('hit');
  });

  it('never serves an answer older than a committed change, while other requests keep the cache warm', async () => {
    const { app, businessId, token } = await start();
    let writing = true;
    // Readers keep computing and storing answers the whole time (some at versions about to go
    // stale), so a missing version check would show as an old count below.
    const warm = (async () => {
      let reads = 0;
      while (writing) {
        await get(app, token, '/v1/analytics/pipeline');
        reads++;
      }
      return reads;
    })();
    for (let committed = 1; committed <= 25; committed++) {
      await t.db.execute(
        sql`INSERT INTO leads (user_id, customer_phone, source)
            VALUES (${businessId}, ${`+1512555${String(1000 + committed)}`}, 'referral')`,
      );
      const answer = await get<LeadPipeline>(app, token, '/v1/analytics/pipeline');
      expect(stageCount(answer.body, 'new'), `after ${committed} commits`).toBe(committed);
    }
    writing = false;
    expect(await warm).toBeGreaterThan(0);
    expect((await get(app, token, '/v1/analytics/pipeline')).cache).toBe('hit');
  });

  it('keeps each business’s answers to itself', async () => {
    const { app, token } = await start();
    const other = await signupBusiness(app, { businessName: 'Bolt Electric' });
    expect((await get(app, token, '/v1/analytics/campaigns')).body).toHaveLength(1);
    expect((await get(app, token, '/v1/business')).cache).toBe('miss');
    const theirs = await get<CampaignPerformance[]>(
      app,
      other.accessToken,
      '/v1/analytics/campaigns',
    );
    expect([theirs.cache, theirs.body]).toEqual(['miss', []]);
    const profile = await get<BusinessProfile>(app, other.accessToken, '/v1/business');
    expect([profile.cache, profile.body.businessName]).toEqual(['miss', 'Bolt Electric']);
  });

  it('computes other months and windows without caching them, and the seed’s recent AI actions', async () => {
    const { app, businessId, token } = await start();
    await t.db.execute(
      sql`INSERT INTO financials (user_id, date, ad_spend, leads_generated, revenue)
          VALUES (${businessId}, '2025-06-10', 100.00, 4, 500.00)`,
    );
    for (const i of [1, 2, 3]) {
      await t.db.execute(
        sql`INSERT INTO ai_agent_logs (user_id, agent_name, action_type, action_data, result,
                                       created_at)
            VALUES (${businessId}, 'monitor', ${`step-${i}`}, '{}', 'success',
                    now() - ${`${i} minutes`}::interval)`,
      );
    }
    for (let round = 1; round <= 2; round++) {
      const june = await get<BusinessDashboard>(
        app,
        token,
        '/v1/analytics/dashboard?month=2025-06',
      );
      expect([june.cache, june.body.month, june.body.spend, june.body.leads]).toEqual([
        'bypass',
        '2025-06',
        '100.00',
        4,
      ]);
      expect((await get(app, token, '/v1/analytics/pipeline?days=7')).cache).toBe('bypass');
    }
    const actions = await get<{ actionType: string }[]>(
      app,
      token,
      '/v1/analytics/agent-actions?limit=2',
    );
    expect(actions.body.map((action) => action.actionType)).toEqual(['step-1', 'step-2']);
  });

  it('refuses bad parameters with an error naming them, and requests without a member token', async () => {
    const { app, token } = await start();
    for (const [url, names] of [
      ['/v1/analytics/dashboard?month=2026-13', 'month'],
      ['/v1/analytics/pipeline?days=0', 'days'],
      ['/v1/analytics/pipeline?days=ten', 'days'],
      ['/v1/analytics/agent-actions?limit=101', 'limit'],
      ['/v1/analytics/metrics/2026-02-30', 'date'],
    ] as const) {
      const answer = await get<{ code: string; message: string }>(app, token, url);
      expect(answer.status, url).toBe(400);
      expect(answer.body.code, url).toBe('VALIDATION_FAILED');
      expect(answer.body.message, url).toContain(names);
    }
    const anonymous = await app.inject({ method: 'GET', url: '/v1/analytics/dashboard' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('documents every analytics route in the OpenAPI document, behind the member token', async () => {
    const { app } = await start();
    const document = (await app.inject({ method: 'GET', url: '/v1/openapi.json' })).json<{
      paths: Record<string, { get?: { security?: unknown[]; parameters?: { name: string }[] } }>;
    }>();
    for (const [path, parameters] of [
      ['/v1/analytics/dashboard', ['month']],
      ['/v1/analytics/pipeline', ['days']],
      ['/v1/analytics/campaigns', []],
      ['/v1/analytics/metrics/{date}', ['date']],
      ['/v1/analytics/agent-actions', ['limit']],
      ['/v1/business', []],
    ] as const) {
      const operation = document.paths[path]?.get;
      expect(operation?.security, path).toEqual([{ bearerAuth: [] }]);
      expect(
        (operation?.parameters ?? []).map((p) => p.name),
        path,
      ).toEqual(parameters);
    }
  });

  it('does not serve yesterday’s dashboard today, though no row changed', async () => {
    let clock = new Date('2026-03-10T23:58:00Z');
    const { app, businessId, token } = await start({ now: () => clock });
    await t.db.execute(sql`UPDATE users SET timezone = 'UTC' WHERE id = ${businessId}`);
    const before = await get<BusinessDashboard>(app, token, '/v1/analytics/dashboard');
    expect(before.body.daily.at(-1)?.date).toBe('2026-03-10');
    expect((await get(app, token, '/v1/analytics/dashboard')).cache).toBe('hit');
    clock = new Date('2026-03-11T00:02:00Z');
    const after = await get<BusinessDashboard>(app, token, '/v1/analytics/dashboard');
    expect([after.cache, after.body.daily.at(-1)?.date]).toEqual(['miss', '2026-03-11']);
    clock = new Date('2026-04-01T00:02:00Z');
    const april = await get<BusinessDashboard>(app, token, '/v1/analytics/dashboard');
    expect([april.cache, april.body.month, april.body.daily]).toEqual([
      'miss',
      '2026-04',
      [{ date: '2026-04-01', spend: '0.00', leads: 0, bookings: 0, revenue: '0.00' }],
    ]);
  });
});

describe('analytics routes with Redis', () => {
  function prefix(): string {
    const name = `fl-test-routes-${randomBytes(6).toString('hex')}:`;
    cleanups.push(async () => {
      const direct = new Redis(REDIS_URL);
      const keys = await direct.keys(`${name}*`);
      if (keys.length > 0) await direct.del(...keys);
      direct.disconnect();
    });
    return name;
  }

  function redisCache(url: string, keyPrefix: string, logger = pino({ level: 'silent' })) {
    const redis = connectRedis(url, logger);
    cleanups.push(() => redis.close());
    return createAnalyticsCache({ redis, logger, prefix: keyPrefix });
  }

  it('two server instances on one Redis: a write through one is never hidden by the other’s cache', async () => {
    const t = await createTestDatabase('postgres');
    cleanups.push(() => t.close());
    const shared = prefix();
    // Two instances of one deployment: one keyring, one Redis prefix.
    const keyring = testKeyring();
    const first = buildTestApp(t, {}, keyring, { analyticsCache: redisCache(REDIS_URL, shared) });
    const second = buildTestApp(t, {}, keyring, { analyticsCache: redisCache(REDIS_URL, shared) });
    cleanups.push(
      () => first.close(),
      () => second.close(),
    );
    const owner = await signupBusiness(first);
    const token = owner.accessToken;

    expect((await get(first, token, '/v1/analytics/pipeline')).cache).toBe('miss');
    // The other instance is served the first one's answer from Redis.
    const served = await get(second, token, '/v1/analytics/pipeline');
    expect([served.status, served.cache], JSON.stringify(served.body)).toEqual([200, 'hit']);
    const id = randomUUID();
    await pushMutation(second, token, 'lead.create', {
      id,
      customerPhone: '(512) 555-0199',
      source: 'referral',
    });
    const fresh = await get<LeadPipeline>(first, token, '/v1/analytics/pipeline');
    expect([fresh.cache, stageCount(fresh.body, 'new')]).toEqual(['miss', 1]);
    expect((await get(second, token, '/v1/analytics/pipeline')).cache).toBe('hit');
  });

  it('answers from Postgres while Redis is unreachable, and says so once', async () => {
    const t = await createTestDatabase('postgres');
    cleanups.push(() => t.close());
    const { logger, count } = capturedLogger();
    // Nothing listens on port 1: every Redis call fails at once.
    const cache = redisCache('redis://127.0.0.1:1', prefix(), logger);
    const app = buildTestApp(t, {}, undefined, { analyticsCache: cache });
    cleanups.push(() => app.close());
    const owner = await signupBusiness(app);
    for (let round = 1; round <= 3; round++) {
      const answer = await get<BusinessDashboard>(
        app,
        owner.accessToken,
        '/v1/analytics/dashboard',
      );
      expect([answer.status, answer.cache, answer.body.business.id]).toEqual([
        200,
        'miss',
        owner.business.id,
      ]);
    }
    expect(count('warn', 'Redis is not answering')).toBe(1);
    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(
      health.json<{ analyticsCache: { backend: string; degraded: boolean } }>().analyticsCache,
    ).toEqual(expect.objectContaining({ backend: 'redis', degraded: true }));
  });
});
