import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { businessDashboardSchema } from '../../db/wire/analytics.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { withTenant } from '../tenancy.ts';
import {
  agentActions,
  businessDashboard,
  businessProfile,
  campaignPerformance,
  dayMetrics,
  leadPipeline,
} from './queries.ts';

/*
 * The analytics queries against numbers worked out by hand (the arithmetic is in the comments),
 * over two businesses written with plain SQL: Austin (America/Chicago), with three active
 * campaigns and several days of financials in the month, and Pasadena (America/Los_Angeles), whose
 * rows must never show up in Austin's numbers. Every query runs as the business (withTenant).
 */

type Value = string | number | boolean | null;

async function insert(db: AppDatabase, table: string, row: Record<string, Value>): Promise<string> {
  const columns = Object.keys(row);
  const [inserted] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO ${sql.identifier(table)} (${sql.join(
      columns.map((column) => sql.identifier(column)),
      sql`, `,
    )}) VALUES (${sql.join(
      columns.map((column) => sql`${row[column]}`),
      sql`, `,
    )}) RETURNING id::text AS id`,
  );
  return inserted!.id;
}

const business = (db: AppDatabase, row: Record<string, Value>) =>
  insert(db, 'users', {
    email: `owner-${randomUUID()}@example.com`,
    password_hash: '$argon2id$v=19$m=65536,t=3,p=4$not-a-real-hash',
    owner_name: 'Pat Owner',
    primary_phone: '+15125551234',
    service_types: '{plumbing}',
    ...row,
  });

const financial = (db: AppDatabase, userId: string, row: Record<string, Value>) =>
  insert(db, 'financials', { user_id: userId, ...row });

const lead = (db: AppDatabase, userId: string, row: Record<string, Value>) =>
  insert(db, 'leads', {
    user_id: userId,
    customer_phone: '+15125557777',
    source: 'missed_call',
    ...row,
  });

const campaign = (db: AppDatabase, userId: string, row: Record<string, Value>) =>
  insert(db, 'campaigns', { user_id: userId, daily_budget: '50.00', ...row });

const agentLog = (db: AppDatabase, userId: string, row: Record<string, Value>) =>
  insert(db, 'ai_agent_logs', {
    user_id: userId,
    agent_name: 'monitor',
    action_type: 'detect_anomaly',
    action_data: '{}',
    result: 'success',
    ...row,
  });

/** Austin's clock: 15 November 2026, noon in Chicago (UTC−6). */
const AUSTIN_NOW = new Date('2026-11-15T18:00:00Z');
/** Pasadena's clock: 1 March 05:00 UTC is still 28 February, 21:00, in Los Angeles (UTC−8). */
const PASADENA_NOW = new Date('2026-03-01T05:00:00Z');

/** Ids that sort A3 before A2 (agent actions made at the same instant are listed by id). */
const ACTION_2 = '00000000-0000-4000-8000-000000000002';
const ACTION_3 = '00000000-0000-4000-8000-000000000001';

async function writeFixture(db: AppDatabase) {
  const austin = await business(db, {
    business_name: 'Austin Plumbing',
    email: 'austin@example.com',
    city: 'Austin',
    state: 'TX',
    timezone: 'America/Chicago',
    service_types: '{plumbing,"drain cleaning"}',
    service_area: 'Austin, TX - 30 mile radius',
    onboarding_completed: true,
    ghl_access_token: 'enc:v1:sealed-secret',
    created_at: '2026-01-02T03:04:05.123456Z',
    updated_at: '2026-01-02T03:04:05.123456Z',
  });
  const pasadena = await business(db, {
    business_name: 'Pasadena Heating',
    timezone: 'America/Los_Angeles',
  });

  // Subscriptions: the active one ending last is Pro; the cancelled one is not active.
  const subscription = (userId: string, row: Record<string, Value>) =>
    insert(db, 'subscriptions', {
      user_id: userId,
      stripe_subscription_id: `sub_${randomUUID()}`,
      stripe_price_id: 'price_1',
      current_period_start: '2026-10-01T00:00:00Z',
      ...row,
    });
  await subscription(austin, {
    plan_name: 'Basic',
    amount: '99.00',
    status: 'active',
    current_period_end: '2026-11-01T00:00:00Z',
  });
  await subscription(austin, {
    plan_name: 'Pro',
    amount: '199.00',
    status: 'active',
    current_period_end: '2026-12-01T00:00:00Z',
  });
  await subscription(austin, {
    plan_name: 'Enterprise',
    amount: '999.00',
    status: 'cancelled',
    current_period_end: '2027-01-01T00:00:00Z',
  });

  // Campaigns: three active (the seed's view would multiply every sum by 3), one paused, one
  // ended; names whose case-insensitive order differs from their byte order.
  const campaigns = {
    emergency: await campaign(db, austin, {
      campaign_id: 'ads-1',
      campaign_name: 'Emergency plumbing',
      total_spend: '100.00',
      total_clicks: 40,
      total_impressions: 1000,
      total_conversions: 3,
    }),
    drains: await campaign(db, austin, {
      campaign_id: 'ads-2',
      campaign_name: 'drain cleaning',
      campaign_type: 'display',
      daily_budget: '25.00',
    }),
    boilers: await campaign(db, austin, {
      campaign_id: 'ads-3',
      campaign_name: 'Boilers',
      daily_budget: '40.00',
      total_spend: '55.55',
      total_clicks: 10,
      total_impressions: 200,
      total_conversions: 2,
    }),
    awnings: await campaign(db, austin, {
      campaign_id: 'ads-4',
      campaign_name: 'Awnings',
      status: 'paused',
      total_spend: '10.00',
      total_clicks: 5,
    }),
    zebra: await campaign(db, austin, {
      campaign_id: 'ads-5',
      campaign_name: 'Zebra',
      status: 'ended',
    }),
  };

  // Austin's financials: three days of November, two of October, one of December.
  await financial(db, austin, {
    date: '2026-11-01',
    ad_spend: '0.10',
    platform_fee: '99.00',
    other_costs: '5.00',
    leads_generated: 2,
    leads_contacted: 2,
    leads_quoted: 1,
    leads_booked: 1,
    revenue: '100.05',
  });
  await financial(db, austin, {
    date: '2026-11-02',
    ad_spend: '0.20',
    leads_generated: 1,
    revenue: '0.00',
  });
  await financial(db, austin, {
    date: '2026-11-14',
    ad_spend: '30.00',
    leads_generated: 4,
    leads_booked: 2,
    leads_completed: 1,
    leads_lost: 1,
    revenue: '450.00',
  });
  await financial(db, austin, {
    date: '2026-10-03',
    ad_spend: '10.00',
    leads_generated: 3,
  });
  await financial(db, austin, {
    date: '2026-10-31',
    ad_spend: '500.00',
    leads_generated: 9,
    leads_booked: 3,
    revenue: '1200.00',
  });
  await financial(db, austin, { date: '2026-12-01', ad_spend: '700.00', leads_generated: 9 });

  // Austin's leads. The 30-day window starts at 2026-10-16T18:00:00Z.
  await lead(db, austin, { status: 'new', created_at: '2026-11-10T10:00:00Z' });
  await lead(db, austin, { status: 'new', created_at: '2026-11-14T10:00:00Z' });
  await lead(db, austin, { status: 'contacted', created_at: '2026-11-12T10:00:00Z' });
  await lead(db, austin, {
    status: 'quoted',
    created_at: '2026-11-01T00:00:00Z',
    quoted_amount: '450.00',
  });
  await lead(db, austin, {
    status: 'booked',
    created_at: '2026-11-05T12:00:00Z',
    quoted_amount: '200.00',
  });
  // Closed in exactly 2 days.
  await lead(db, austin, {
    status: 'completed',
    created_at: '2026-11-01T12:00:00Z',
    completed_at: '2026-11-03T12:00:00Z',
    quoted_amount: '300.00',
    actual_amount: '320.50',
  });
  // Closed in 12:14:24 = 44,064 s = 0.51 days, both instants a microsecond past the second.
  await lead(db, austin, {
    status: 'completed',
    created_at: '2026-11-02T00:00:00.000001Z',
    completed_at: '2026-11-02T12:14:24.000001Z',
    quoted_amount: '100.00',
    actual_amount: '99.99',
  });
  // 31 days before now: outside the 30-day window (in the funnel all the same).
  await lead(db, austin, {
    status: 'completed',
    created_at: '2026-10-15T18:00:00Z',
    completed_at: '2026-10-20T18:00:00Z',
    quoted_amount: '1000.00',
    actual_amount: '1000.00',
  });
  // Exactly at the window's start (in), and a microsecond before it (out).
  await lead(db, austin, { status: 'lost', created_at: '2026-10-16T18:00:00Z' });
  await lead(db, austin, { status: 'lost', created_at: '2026-10-16T17:59:59.999999Z' });

  // Austin's agents: A2 and A3 at the same instant.
  await agentLog(db, austin, {
    agent_name: 'monitor',
    action_type: 'detect_anomaly',
    result: 'success',
    result_message: 'Cost per lead rose 40%',
    estimated_impact: '{"cpl_change": -5.25, "note": "é☺"}',
    created_at: '2026-11-14T09:00:00.123456Z',
    completed_at: '2026-11-14T09:00:01Z',
  });
  await agentLog(db, austin, {
    id: ACTION_2,
    agent_name: 'cx',
    action_type: 'send_review_request',
    result: 'pending',
    created_at: '2026-11-15T08:00:00Z',
  });
  await agentLog(db, austin, {
    id: ACTION_3,
    agent_name: 'optimizing',
    action_type: 'optimize_bid',
    result: 'failed',
    result_message: 'Google Ads refused the bid',
    created_at: '2026-11-15T08:00:00Z',
  });

  // Pasadena: rows in Austin's month and windows, none of which Austin may count.
  await campaign(db, pasadena, {
    campaign_id: 'ads-9',
    campaign_name: 'Emergency plumbing',
    total_spend: '999.00',
    total_clicks: 9,
    total_conversions: 9,
  });
  await financial(db, pasadena, {
    date: '2026-11-01',
    ad_spend: '1000.00',
    leads_generated: 10,
    leads_booked: 10,
    revenue: '5000.00',
  });
  await lead(db, pasadena, { status: 'new', created_at: '2026-11-14T10:00:00Z' });
  await lead(db, pasadena, {
    status: 'completed',
    created_at: '2026-11-10T00:00:00Z',
    completed_at: '2026-11-11T00:00:00Z',
    quoted_amount: '5000.00',
    actual_amount: '5000.00',
  });
  await agentLog(db, pasadena, { created_at: '2026-11-15T09:00:00Z' });
  // Pasadena's February, and 1 March (tomorrow, locally, at PASADENA_NOW).
  await financial(db, pasadena, {
    date: '2026-02-27',
    ad_spend: '20.00',
    leads_generated: 2,
    leads_booked: 1,
    revenue: '300.00',
  });
  await financial(db, pasadena, {
    date: '2026-02-28',
    ad_spend: '10.00',
    leads_generated: 1,
    leads_booked: 1,
    revenue: '0.00',
  });
  await financial(db, pasadena, { date: '2026-03-01', ad_spend: '99.00', leads_generated: 9 });

  return { austin, pasadena, campaigns };
}

const zeroDay = (date: string) => ({
  date,
  spend: '0.00',
  leads: 0,
  bookings: 0,
  revenue: '0.00',
});

describe.each(backends)('analytics queries on %s', (backend) => {
  let t: TestDatabase | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  const start = async () => {
    t = await createTestDatabase(backend);
    const db = t.db;
    const fixture = await writeFixture(db);
    const as = <T>(businessId: string, work: (tx: AppDatabase) => Promise<T>) =>
      withTenant(db, businessId, work);
    return { db, as, ...fixture };
  };

  it('the dashboard sums the month once, whatever the number of active campaigns', async () => {
    const { as, austin, campaigns } = await start();
    const board = await as(austin, (tx) => businessDashboard(tx, austin, {}, AUSTIN_NOW));
    expect(businessDashboardSchema.parse(board)).toEqual(board);
    expect(board).toMatchObject({
      month: '2026-11',
      // 0.10 + 0.20 + 30.00 (the seed's view, joined to 3 active campaigns, would say 90.90)
      spend: '30.30',
      leads: 7, // 2 + 1 + 4
      bookings: 3, // 1 + 0 + 2
      revenue: '550.05', // 100.05 + 0.00 + 450.00
      costPerLead: '4.33', // 3030 ¢ / 7 = 432.86 ¢ → 433 ¢
      conversionRate: 3 / 7,
      roi: (55005 - 3030) / 3030, // (revenue − spend) / spend in cents
      business: {
        id: austin,
        name: 'Austin Plumbing',
        status: 'active',
        timezone: 'America/Chicago',
      },
      // The active subscription ending last (Pro, 1 Dec), not Basic (1 Nov) nor the cancelled one.
      subscription: { planName: 'Pro', monthlyFee: '199.00', status: 'active' },
      activeCampaigns: 3,
    });
    // 1 to 15 November (today in Chicago), zeros on days without a row.
    expect(board.daily).toHaveLength(15);
    expect(board.daily.slice(0, 3)).toEqual([
      { date: '2026-11-01', spend: '0.10', leads: 2, bookings: 1, revenue: '100.05' },
      { date: '2026-11-02', spend: '0.20', leads: 1, bookings: 0, revenue: '0.00' },
      zeroDay('2026-11-03'),
    ]);
    expect(board.daily.slice(13)).toEqual([
      { date: '2026-11-14', spend: '30.00', leads: 4, bookings: 2, revenue: '450.00' },
      zeroDay('2026-11-15'),
    ]);
    // All of Austin's leads, whenever created (Pasadena's two are not counted).
    expect(board.funnel).toEqual([
      { status: 'new', count: 2 },
      { status: 'contacted', count: 1 },
      { status: 'quoted', count: 1 },
      { status: 'booked', count: 1 },
      { status: 'completed', count: 3 },
      { status: 'lost', count: 2 },
    ]);
    expect(board.campaigns.map((c) => c.id)).toEqual([
      campaigns.boilers,
      campaigns.drains,
      campaigns.emergency,
      campaigns.awnings,
      campaigns.zebra,
    ]);
  });

  it('gives another month when asked, all of its days', async () => {
    const { as, austin } = await start();
    const october = await as(austin, (tx) =>
      businessDashboard(tx, austin, { month: '2026-10' }, AUSTIN_NOW),
    );
    expect(october).toMatchObject({
      month: '2026-10',
      spend: '510.00', // 10.00 + 500.00
      leads: 12, // 3 + 9
      bookings: 3,
      revenue: '1200.00',
      costPerLead: '42.50', // 51000 ¢ / 12 = 4250 ¢
      conversionRate: 0.25, // 3 / 12
      roi: 69000 / 51000, // (120000 − 51000) ¢ / 51000 ¢
    });
    expect(october.daily).toHaveLength(31);
    expect(october.daily[2]).toEqual({
      date: '2026-10-03',
      spend: '10.00',
      leads: 3,
      bookings: 0,
      revenue: '0.00',
    });
    // December has not begun: its row counts, but no day of it has happened yet.
    const december = await as(austin, (tx) =>
      businessDashboard(tx, austin, { month: '2026-12' }, AUSTIN_NOW),
    );
    expect(december).toMatchObject({ spend: '700.00', leads: 9, costPerLead: '77.78' }); // 70000/9
    expect(december.daily).toEqual([
      { date: '2026-12-01', spend: '700.00', leads: 9, bookings: 0, revenue: '0.00' },
    ]);
    await expect(
      as(austin, (tx) => businessDashboard(tx, austin, { month: '2026-13' }, AUSTIN_NOW)),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it("takes today and the month in the business's own time zone", async () => {
    const { as, pasadena } = await start();
    // 2026-03-01T05:00Z is 28 February, 21:00, in Los Angeles: the month is February.
    const board = await as(pasadena, (tx) => businessDashboard(tx, pasadena, {}, PASADENA_NOW));
    expect(board).toMatchObject({
      month: '2026-02',
      spend: '30.00', // 20.00 + 10.00; 1 March's 99.00 is next month
      leads: 3,
      bookings: 2,
      revenue: '300.00',
      costPerLead: '10.00', // 3000 ¢ / 3
      conversionRate: 2 / 3,
      roi: 9, // (30000 − 3000) / 3000
      business: { id: pasadena, timezone: 'America/Los_Angeles' },
      subscription: null,
      activeCampaigns: 1,
    });
    expect(board.daily).toHaveLength(28);
    expect(board.daily.at(-1)).toEqual({
      date: '2026-02-28',
      spend: '10.00',
      leads: 1,
      bookings: 1,
      revenue: '0.00',
    });
    expect(await as(pasadena, (tx) => dayMetrics(tx, pasadena, '2026-02-28'))).toMatchObject({
      spend: '10.00',
      costPerLead: '10.00',
      conversionRate: 1,
      roi: -1, // (0 − 1000) / 1000
    });
  });

  it('the pipeline counts the leads created in the window, by status', async () => {
    const { as, austin } = await start();
    const pipeline = await as(austin, (tx) => leadPipeline(tx, austin, { days: 30 }, AUSTIN_NOW));
    expect(pipeline).toEqual({
      days: 30,
      since: '2026-10-16T18:00:00.000000Z', // 2026-11-15T18:00Z − 30 × 24 h
      stages: [
        { status: 'new', count: 2, totalQuoted: '0.00', totalActual: '0.00', avgDaysToClose: null },
        {
          status: 'contacted',
          count: 1,
          totalQuoted: '0.00',
          totalActual: '0.00',
          avgDaysToClose: null,
        },
        {
          status: 'quoted',
          count: 1,
          totalQuoted: '450.00',
          totalActual: '0.00',
          avgDaysToClose: null,
        },
        {
          status: 'booked',
          count: 1,
          totalQuoted: '200.00',
          totalActual: '0.00',
          avgDaysToClose: null,
        },
        // The lead created 31 days ago is not in; of the two that are:
        {
          status: 'completed',
          count: 2,
          totalQuoted: '400.00', // 300.00 + 100.00
          totalActual: '420.49', // 320.50 + 99.99
          // (2 days + 0.51 days) / 2 = 1.255 → 1.26, half away from zero (a binary float of
          // 1.255 × 100 is 125.49999…, which would round to 1.25)
          avgDaysToClose: 1.26,
        },
        // The lead created at the window's start exactly; not the one a microsecond before.
        {
          status: 'lost',
          count: 1,
          totalQuoted: '0.00',
          totalActual: '0.00',
          avgDaysToClose: null,
        },
      ],
    });

    const week = await as(austin, (tx) => leadPipeline(tx, austin, { days: 7 }, AUSTIN_NOW));
    expect(week.since).toBe('2026-11-08T18:00:00.000000Z');
    // Created 10, 12 and 14 November: two new, one contacted.
    expect(week.stages.map((stage) => [stage.status, stage.count])).toEqual([
      ['new', 2],
      ['contacted', 1],
      ['quoted', 0],
      ['booked', 0],
      ['completed', 0],
      ['lost', 0],
    ]);
    await expect(
      as(austin, (tx) => leadPipeline(tx, austin, { days: 0 }, AUSTIN_NOW)),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('lists every campaign: active, paused, ended, then by name ignoring case', async () => {
    const { as, austin, campaigns } = await start();
    expect(await as(austin, (tx) => campaignPerformance(tx, austin))).toEqual([
      {
        id: campaigns.boilers,
        campaignId: 'ads-3',
        name: 'Boilers',
        type: 'search',
        status: 'active',
        dailyBudget: '40.00',
        spend: '55.55',
        clicks: 10,
        impressions: 200,
        conversions: 2,
        costPerLead: '27.78', // 5555 ¢ / 2 = 2777.5 ¢ → 2778 ¢, half away from zero
        conversionRate: 0.2, // 2 / 10
        clickThroughRate: 0.05, // 10 / 200
      },
      {
        id: campaigns.drains,
        campaignId: 'ads-2',
        name: 'drain cleaning', // "d" after "B", before "E", ignoring case
        type: 'display',
        status: 'active',
        dailyBudget: '25.00',
        spend: '0.00',
        clicks: 0,
        impressions: 0,
        conversions: 0,
        costPerLead: null,
        conversionRate: null,
        clickThroughRate: null,
      },
      {
        id: campaigns.emergency,
        campaignId: 'ads-1',
        name: 'Emergency plumbing',
        type: 'search',
        status: 'active',
        dailyBudget: '50.00',
        spend: '100.00',
        clicks: 40,
        impressions: 1000,
        conversions: 3,
        costPerLead: '33.33', // 10000 ¢ / 3 = 3333.3 ¢
        conversionRate: 0.075, // 3 / 40
        clickThroughRate: 0.04, // 40 / 1000
      },
      {
        id: campaigns.awnings,
        campaignId: 'ads-4',
        name: 'Awnings',
        type: 'search',
        status: 'paused',
        dailyBudget: '50.00',
        spend: '10.00',
        clicks: 5,
        impressions: 0,
        conversions: 0,
        costPerLead: null, // no conversion
        conversionRate: 0, // 0 / 5
        clickThroughRate: null, // no impression
      },
      {
        id: campaigns.zebra,
        campaignId: 'ads-5',
        name: 'Zebra',
        type: 'search',
        status: 'ended',
        dailyBudget: '50.00',
        spend: '0.00',
        clicks: 0,
        impressions: 0,
        conversions: 0,
        costPerLead: null,
        conversionRate: null,
        clickThroughRate: null,
      },
    ]);
  });

  it('lists the latest agent actions, newest first, ties by id', async () => {
    const { as, austin } = await start();
    const actions = await as(austin, (tx) => agentActions(tx, austin, 10));
    expect(actions).toEqual([
      {
        id: ACTION_3,
        agent: 'optimizing',
        actionType: 'optimize_bid',
        result: 'failed',
        message: 'Google Ads refused the bid',
        estimatedImpact: null,
        at: '2026-11-15T08:00:00.000000Z',
        completedAt: null,
      },
      {
        id: ACTION_2,
        agent: 'cx',
        actionType: 'send_review_request',
        result: 'pending',
        message: null,
        estimatedImpact: null,
        at: '2026-11-15T08:00:00.000000Z',
        completedAt: null,
      },
      {
        id: expect.any(String) as string,
        agent: 'monitor',
        actionType: 'detect_anomaly',
        result: 'success',
        message: 'Cost per lead rose 40%',
        estimatedImpact: { cpl_change: -5.25, note: 'é☺' },
        at: '2026-11-14T09:00:00.123456Z',
        completedAt: '2026-11-14T09:00:01.000000Z',
      },
    ]);
    expect(await as(austin, (tx) => agentActions(tx, austin, 2))).toEqual(actions.slice(0, 2));
    await expect(as(austin, (tx) => agentActions(tx, austin, 0))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it("gives a day's metrics, zeros on a day without a row", async () => {
    const { as, austin } = await start();
    expect(await as(austin, (tx) => dayMetrics(tx, austin, '2026-11-01'))).toEqual({
      date: '2026-11-01',
      spend: '0.10',
      platformFee: '99.00',
      otherCosts: '5.00',
      leadsGenerated: 2,
      leadsContacted: 2,
      leadsQuoted: 1,
      leadsBooked: 1,
      leadsCompleted: 0,
      leadsLost: 0,
      revenue: '100.05',
      costPerLead: '0.05', // 10 ¢ / 2
      conversionRate: 0.5, // 1 / 2
      roi: 999.5, // (10005 − 10) ¢ / 10 ¢
    });
    expect(await as(austin, (tx) => dayMetrics(tx, austin, '2026-11-14'))).toMatchObject({
      leadsCompleted: 1,
      leadsLost: 1,
      costPerLead: '7.50', // 3000 ¢ / 4
      roi: 14, // (45000 − 3000) / 3000
    });
    expect(await as(austin, (tx) => dayMetrics(tx, austin, '2026-11-03'))).toEqual({
      date: '2026-11-03',
      spend: '0.00',
      platformFee: '0.00',
      otherCosts: '0.00',
      leadsGenerated: 0,
      leadsContacted: 0,
      leadsQuoted: 0,
      leadsBooked: 0,
      leadsCompleted: 0,
      leadsLost: 0,
      revenue: '0.00',
      costPerLead: null,
      conversionRate: null,
      roi: null,
    });
    await expect(as(austin, (tx) => dayMetrics(tx, austin, '2026-02-30'))).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
  });

  it('gives the profile without a secret', async () => {
    const { as, austin } = await start();
    const profile = await as(austin, (tx) => businessProfile(tx, austin));
    expect(profile).toEqual({
      id: austin,
      businessName: 'Austin Plumbing',
      ownerName: 'Pat Owner',
      email: 'austin@example.com',
      primaryPhone: '+15125551234',
      city: 'Austin',
      state: 'TX',
      timezone: 'America/Chicago',
      serviceTypes: ['plumbing', 'drain cleaning'],
      serviceArea: 'Austin, TX - 30 mile radius',
      status: 'active',
      onboardingCompleted: true,
      createdAt: '2026-01-02T03:04:05.123456Z',
    });
    expect(JSON.stringify(profile)).not.toMatch(/argon2|enc:v1/);
  });

  it("never counts another business's rows, and cannot read another business", async () => {
    const { db, as, austin, pasadena } = await start();
    // Pasadena's November rows (1000.00 spent, two leads, a campaign, an agent action) are in
    // Austin's month and windows: none of them shows. Without row-level security (the owner's
    // connection), the queries' own user_id filters give the same answers.
    for (const run of [
      <T>(work: (tx: AppDatabase) => Promise<T>) => as(austin, work),
      <T>(work: (tx: AppDatabase) => Promise<T>) => work(db),
    ]) {
      const board = await run((tx) => businessDashboard(tx, austin, {}, AUSTIN_NOW));
      expect(board).toMatchObject({ spend: '30.30', leads: 7, activeCampaigns: 3 });
      expect(board.funnel.reduce((total, stage) => total + stage.count, 0)).toBe(10);
      expect(board.campaigns).toHaveLength(5);
      const pipeline = await run((tx) => leadPipeline(tx, austin, { days: 30 }, AUSTIN_NOW));
      expect(pipeline.stages.map((stage) => stage.count)).toEqual([2, 1, 1, 1, 2, 1]);
      expect(await run((tx) => agentActions(tx, austin, 10))).toHaveLength(3);
      expect(await run((tx) => dayMetrics(tx, austin, '2026-11-01'))).toMatchObject({
        spend: '0.10',
      });
    }
    // As Austin, Pasadena does not exist.
    await expect(
      as(austin, (tx) => businessDashboard(tx, pasadena, {}, AUSTIN_NOW)),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(as(austin, (tx) => businessProfile(tx, pasadena))).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await as(austin, (tx) => campaignPerformance(tx, pasadena))).toEqual([]);
  });

  it('an empty business: zeros, nulls, empty lists', async () => {
    const { db, as } = await start();
    const empty = await business(db, { business_name: 'Brand New HVAC' }); // America/Chicago
    const board = await as(empty, (tx) => businessDashboard(tx, empty, {}, AUSTIN_NOW));
    expect(board).toEqual({
      month: '2026-11',
      spend: '0.00',
      leads: 0,
      bookings: 0,
      revenue: '0.00',
      costPerLead: null,
      conversionRate: null,
      roi: null,
      daily: Array.from({ length: 15 }, (_, i) =>
        zeroDay(`2026-11-${String(i + 1).padStart(2, '0')}`),
      ),
      funnel: ['new', 'contacted', 'quoted', 'booked', 'completed', 'lost'].map((status) => ({
        status,
        count: 0,
      })),
      campaigns: [],
      business: {
        id: empty,
        name: 'Brand New HVAC',
        status: 'active',
        timezone: 'America/Chicago',
      },
      subscription: null,
      activeCampaigns: 0,
    });
    const pipeline = await as(empty, (tx) => leadPipeline(tx, empty, { days: 30 }, AUSTIN_NOW));
    expect(pipeline.stages).toEqual(
      ['new', 'contacted', 'quoted', 'booked', 'completed', 'lost'].map((status) => ({
        status,
        count: 0,
        totalQuoted: '0.00',
        totalActual: '0.00',
        avgDaysToClose: null,
      })),
    );
    expect(await as(empty, (tx) => campaignPerformance(tx, empty))).toEqual([]);
    expect(await as(empty, (tx) => agentActions(tx, empty, 10))).toEqual([]);
    expect(await as(empty, (tx) => dayMetrics(tx, empty, '2026-11-15'))).toMatchObject({
      spend: '0.00',
      leadsGenerated: 0,
      costPerLead: null,
      conversionRate: null,
      roi: null,
    });
    expect(await as(empty, (tx) => businessProfile(tx, empty))).toMatchObject({
      city: null,
      state: null,
      serviceArea: null,
      serviceTypes: ['plumbing'],
      onboardingCompleted: false,
    });
  });
});
