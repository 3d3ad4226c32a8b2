import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { bearer, buildTestApp, signupBusiness } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { addTestOperator, operatorToken } from './testing.ts';

let stripeIds = 0;

async function subscribe(
  db: AppDatabase,
  businessId: string,
  amount: string,
  currency: string,
  status: string,
): Promise<void> {
  stripeIds += 1;
  const plan = Number(amount) < 150 ? 'Basic' : Number(amount) < 300 ? 'Pro' : 'Enterprise';
  await db.execute(sql`
    INSERT INTO subscriptions (user_id, stripe_subscription_id, stripe_price_id, plan_name, amount,
                               currency, status, current_period_start, current_period_end)
    VALUES (${businessId}, ${`sub_test_${stripeIds}`}, ${`price_${plan.toLowerCase()}`}, ${plan},
            ${amount}, ${currency}, ${status}, now() - interval '10 days', now() + interval '20 days')`);
}

describe.each(backends)('MRR across businesses on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  it('sums the active subscriptions of every business per currency, with the counts', async () => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t);
    const { db } = t;
    const operator = await addTestOperator(db);
    const token = await operatorToken(app, operator.email);
    const getMrr = async () => {
      const response = await (app as FastifyInstance).inject({
        method: 'GET',
        url: '/v1/platform/mrr',
        headers: bearer(token),
      });
      expect(response.statusCode).toBe(200);
      return response.json<{ asOf: string }>();
    };

    // Nothing subscribed yet: zero, no currency, and still an instant.
    const before = Date.now();
    const empty = await getMrr();
    expect(empty).toEqual({
      asOf: expect.any(String) as unknown,
      activeSubscriptions: 0,
      byCurrency: [],
    });
    expect(empty.asOf).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(Math.abs(Date.parse(empty.asOf) - before)).toBeLessThan(60_000);

    const plumbing = await signupBusiness(app, { businessName: 'Pipes (Austin)' });
    const heating = await signupBusiness(app, { businessName: 'Heat (Buffalo)' });
    const toronto = await signupBusiness(app, { businessName: 'Drains (Toronto)' });
    // Active USD: 99.00 + 199.50 + 249.99 = 548.49 (3); active CAD: 129.00 + 329.75 = 458.75 (2).
    await subscribe(db, plumbing.business.id, '99.00', 'USD', 'active');
    await subscribe(db, plumbing.business.id, '199.50', 'USD', 'active');
    await subscribe(db, plumbing.business.id, '499.00', 'USD', 'cancelled');
    await subscribe(db, heating.business.id, '249.99', 'USD', 'active');
    await subscribe(db, heating.business.id, '99.00', 'USD', 'past_due');
    await subscribe(db, heating.business.id, '79.00', 'CAD', 'unpaid');
    await subscribe(db, toronto.business.id, '129.00', 'CAD', 'active');
    await subscribe(db, toronto.business.id, '329.75', 'CAD', 'active');
    await subscribe(db, toronto.business.id, '129.00', 'CAD', 'cancelled');
    await subscribe(db, toronto.business.id, '50.00', 'CAD', 'past_due');

    const mrr = await getMrr();
    expect(mrr).toEqual({
      asOf: expect.any(String) as unknown,
      activeSubscriptions: 5,
      byCurrency: [
        { currency: 'CAD', mrr: '458.75', activeSubscriptions: 2 },
        { currency: 'USD', mrr: '548.49', activeSubscriptions: 3 },
      ],
    });

    // A cancellation takes a subscription out at once; whole amounts keep their two decimals.
    await db.execute(sql`UPDATE subscriptions SET status = 'cancelled' WHERE amount = 329.75`);
    await subscribe(db, toronto.business.id, '1000.00', 'CAD', 'active');
    expect(await getMrr()).toMatchObject({
      activeSubscriptions: 5,
      byCurrency: [
        { currency: 'CAD', mrr: '1129.00', activeSubscriptions: 2 },
        { currency: 'USD', mrr: '548.49', activeSubscriptions: 3 },
      ],
    });
  });
});
