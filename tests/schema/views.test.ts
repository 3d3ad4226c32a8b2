/**
 * The three analytics views against numbers worked out by hand. Dates are computed in SQL relative
 * to now() (in the business's zone where it matters), so the tests hold on any day of any month.
 */
import { sql, type SQL } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import { insertUser, insertValid, one, type Row, useFreshDatabase } from './fixtures.ts';

/**
 * The first day of the current month in `zone`, plus `days`. Offsets 0, 1 and 2 are in this month
 * whatever today is (every month has at least 28 days); -1 is the last day of the previous month.
 */
const monthDay = (zone: string, days: number): SQL =>
  sql`(date_trunc('month', now() AT TIME ZONE ${zone})::date + ${days}::int)`;

const ago = (interval: string): SQL => sql`now() - ${interval}::interval`;

interface DashboardRow extends Record<string, unknown> {
  business_name: string;
  status: string;
  plan_name: string | null;
  monthly_fee: string | null;
  subscription_status: string | null;
  monthly_ad_spend: string | null;
  monthly_leads: string | null;
  monthly_bookings: string | null;
  monthly_revenue: string | null;
  avg_cpl: string | null;
  avg_conversion_rate: string | null;
  avg_roi: string | null;
  active_campaigns: string;
  monthly_cpl: string | null;
  monthly_conversion_rate: string | null;
  monthly_roi: string | null;
}

/** The dashboard row of one business, every value as text (averages to 6 decimals). */
const dashboardOf = (db: AppDatabase, userId: string) =>
  one<DashboardRow>(
    db,
    sql`SELECT business_name, status::text, plan_name::text, monthly_fee::text,
               subscription_status::text, monthly_ad_spend::text, monthly_leads::text,
               monthly_bookings::text, monthly_revenue::text, round(avg_cpl, 6)::text AS avg_cpl,
               round(avg_conversion_rate, 6)::text AS avg_conversion_rate,
               round(avg_roi, 6)::text AS avg_roi, active_campaigns::text,
               monthly_cpl::text, monthly_conversion_rate::text, monthly_roi::text
        FROM user_dashboard WHERE user_id = ${userId}`,
  );

describe.each(backends)('analytics views on %s', (backend) => {
  const db = useFreshDatabase(backend);

  describe('user_dashboard', () => {
    it('sums this month’s days once, however many campaigns and subscriptions are active', async () => {
      const userId = await insertUser(db(), { business_name: 'Fan-out Plumbing' });
      const parents = { userId };
      for (const status of ['active', 'active', 'paused', 'ended']) {
        await insertValid(db(), 'campaigns', parents, { status });
      }
      // Two active subscriptions (the dashboard shows the latest one) and a cancelled one.
      const subscriptions: Row[] = [
        {
          plan_name: 'Basic',
          amount: '49.00',
          current_period_end: sql`now() + interval '10 days'`,
        },
        { plan_name: 'Pro', amount: '99.00', current_period_end: sql`now() + interval '30 days'` },
        {
          plan_name: 'Enterprise',
          amount: '499.00',
          status: 'cancelled',
          current_period_end: sql`now() + interval '60 days'`,
        },
      ];
      for (const subscription of subscriptions) {
        await insertValid(db(), 'subscriptions', parents, subscription);
      }
      // Three days this month (in America/Chicago, the default zone), one last month.
      //            spend   leads booked revenue  →  cpl    conversion  roi
      // day 1      100.00    4     1     300.00      25.00    25.00     200.00
      // day 2       50.00    2     2       0.00      25.00   100.00    -100.00
      // day 3       30.00    0     0      90.00       0.00     0.00     200.00
      // sums       180.00    6     3     390.00   averages: 16.666667  41.666667  100.000000
      // month's ratios: 180/6 = 30.00, 3/6 = 50.00 %, (390-180)/180 = 116.67 %
      const days: Row[] = [
        { date: monthDay('America/Chicago', 0), ad_spend: '100.00', leads_generated: 4 },
        { date: monthDay('America/Chicago', 1), ad_spend: '50.00', leads_generated: 2 },
        { date: monthDay('America/Chicago', 2), ad_spend: '30.00', leads_generated: 0 },
        { date: monthDay('America/Chicago', -1), ad_spend: '1000.00', leads_generated: 10 },
      ];
      const outcomes: Row[] = [
        { leads_booked: 1, revenue: '300.00' },
        { leads_booked: 2, revenue: '0.00' },
        { leads_booked: 0, revenue: '90.00' },
        { leads_booked: 10, revenue: '5000.00' },
      ];
      for (const [i, day] of days.entries()) {
        await insertValid(db(), 'financials', parents, { ...day, ...outcomes[i] });
      }

      expect(await dashboardOf(db(), userId)).toEqual({
        business_name: 'Fan-out Plumbing',
        status: 'active',
        plan_name: 'Pro',
        monthly_fee: '99.00',
        subscription_status: 'active',
        monthly_ad_spend: '180.00',
        monthly_leads: '6',
        monthly_bookings: '3',
        monthly_revenue: '390.00',
        avg_cpl: '16.666667',
        avg_conversion_rate: '41.666667',
        avg_roi: '100.000000',
        active_campaigns: '2',
        monthly_cpl: '30.00',
        monthly_conversion_rate: '50.00',
        monthly_roi: '116.67',
      });
    });

    it('has exactly one row per business, with empty months and zero divisors as NULL', async () => {
      const busy = await insertUser(db());
      const idle = await insertUser(db(), { business_name: 'Idle Electric' });
      const free = await insertUser(db(), { business_name: 'Free Heating' });
      for (let i = 0; i < 3; i++) {
        await insertValid(db(), 'campaigns', { userId: busy });
        await insertValid(db(), 'subscriptions', { userId: busy });
        await insertValid(
          db(),
          'financials',
          {
            userId: busy,
          },
          { date: monthDay('America/Chicago', i), leads_generated: 1 },
        );
      }
      // A month with a day on the books but no leads and no spend.
      await insertValid(
        db(),
        'financials',
        { userId: free },
        { date: monthDay('America/Chicago', 0), revenue: '75.00' },
      );

      const perUser = await queryRows<{ user_id: string; rows: number }>(
        db(),
        sql`SELECT user_id::text, count(*)::int AS rows FROM user_dashboard GROUP BY user_id`,
      );
      expect(perUser.sort((a, b) => (a.user_id < b.user_id ? -1 : 1))).toEqual(
        [busy, idle, free].sort().map((user_id) => ({ user_id, rows: 1 })),
      );

      expect(await dashboardOf(db(), idle)).toEqual({
        business_name: 'Idle Electric',
        status: 'active',
        plan_name: null,
        monthly_fee: null,
        subscription_status: null,
        monthly_ad_spend: null,
        monthly_leads: null,
        monthly_bookings: null,
        monthly_revenue: null,
        avg_cpl: null,
        avg_conversion_rate: null,
        avg_roi: null,
        active_campaigns: '0',
        monthly_cpl: null,
        monthly_conversion_rate: null,
        monthly_roi: null,
      });
      expect(await dashboardOf(db(), free)).toMatchObject({
        monthly_ad_spend: '0.00',
        monthly_leads: '0',
        monthly_revenue: '75.00',
        monthly_cpl: null,
        monthly_conversion_rate: null,
        monthly_roi: null,
      });
    });

    it('counts “this month” in the business’s own time zone', async () => {
      // UTC+14 and UTC−11: 25 hours apart, so their months start at different instants.
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        const userId = await insertUser(db(), { timezone: zone });
        await insertValid(
          db(),
          'financials',
          { userId },
          { date: monthDay(zone, 0), revenue: '100.00' },
        );
        await insertValid(
          db(),
          'financials',
          { userId },
          { date: monthDay(zone, -1), revenue: '1000.00' },
        );
        expect((await dashboardOf(db(), userId)).monthly_revenue, zone).toBe('100.00');
      }
      // The two zones agree on the month except near its boundaries, so also pin the definition:
      // the month starts at now() in the row's own zone, not at CURRENT_DATE in the session's.
      const definition = await one<{ sql: string }>(
        db(),
        sql`SELECT pg_get_viewdef('user_dashboard'::regclass) AS sql`,
      );
      expect(definition.sql).toMatch(/now\(\) AT TIME ZONE \(?u\.timezone/);
      expect(definition.sql).not.toMatch(/CURRENT_DATE/i);
    });
  });

  describe('lead_pipeline', () => {
    it('counts and sums the last 30 days per status, with the average days to close', async () => {
      const userId = await insertUser(db());
      const other = await insertUser(db());
      const lead = (row: Row) => insertValid(db(), 'leads', { userId }, row);
      // Inside the window.
      await lead({ status: 'new', created_at: ago('1 day') });
      await lead({ status: 'new', created_at: ago('2 days') });
      await lead({ status: 'contacted', created_at: ago('29 days 23 hours') });
      await lead({ status: 'quoted', quoted_amount: '100.00', created_at: ago('5 days') });
      await lead({ status: 'quoted', quoted_amount: '250.50', created_at: ago('6 days') });
      await lead({
        status: 'completed',
        quoted_amount: '400.00',
        actual_amount: '380.25',
        created_at: ago('10 days'),
        completed_at: sql`now() - interval '10 days' + interval '2 days'`,
      });
      await lead({
        status: 'completed',
        quoted_amount: '600.00',
        actual_amount: '650.00',
        created_at: ago('20 days'),
        completed_at: sql`now() - interval '20 days' + interval '4 days'`,
      });
      // Outside it: just over 30 days, and long ago.
      await lead({
        status: 'completed',
        actual_amount: '10000.00',
        created_at: ago('30 days 1 hour'),
        completed_at: ago('30 days'),
      });
      await lead({ status: 'lost', created_at: ago('40 days') });
      // Another business's lead is its own row.
      await insertValid(db(), 'leads', { userId: other }, { status: 'new' });

      const rows = await queryRows(
        db(),
        sql`SELECT user_id::text, status::text, count::int, total_quoted::text,
                   total_actual::text, round(avg_days_to_close, 6)::text AS avg_days_to_close
            FROM lead_pipeline ORDER BY user_id = ${userId} DESC, status`,
      );
      const row = (
        status: string,
        count: number,
        quoted: string | null,
        actual: string | null,
      ) => ({ user_id: userId, status, count, total_quoted: quoted, total_actual: actual });
      expect(rows).toEqual([
        { ...row('completed', 2, '1000.00', '1030.25'), avg_days_to_close: '3.000000' },
        { ...row('contacted', 1, null, null), avg_days_to_close: null },
        { ...row('new', 2, null, null), avg_days_to_close: null },
        { ...row('quoted', 2, '350.50', null), avg_days_to_close: null },
        {
          user_id: other,
          status: 'new',
          count: 1,
          total_quoted: null,
          total_actual: null,
          avg_days_to_close: null,
        },
      ]);
    });
  });

  describe('campaign_performance', () => {
    it('shows active campaigns only, with cpl and conversion rate (0 on a zero divisor)', async () => {
      const userId = await insertUser(db());
      const campaign = (
        name: string,
        status: string,
        spend: string,
        clicks: number,
        conv: number,
      ) =>
        insertValid(
          db(),
          'campaigns',
          { userId },
          {
            campaign_name: name,
            status,
            daily_budget: '40.00',
            total_spend: spend,
            total_clicks: clicks,
            total_conversions: conv,
          },
        );
      // name                 spend    clicks conv →  cpl          conversion rate
      // Steady              300.00     200    12     300/12 = 25  12/200 = 6 %
      // Thirds              100.00       3     1     100          1/3 = 33.333333 %
      // No clicks           100.00       0     0     0            0
      // No conversions       50.00      10     0     0            0
      const steady = await campaign('Steady', 'active', '300.00', 200, 12);
      const thirds = await campaign('Thirds', 'active', '100.00', 3, 1);
      const noClicks = await campaign('No clicks', 'active', '100.00', 0, 0);
      const noConversions = await campaign('No conversions', 'active', '50.00', 10, 0);
      await campaign('Paused', 'paused', '999.00', 100, 10);
      await campaign('Ended', 'ended', '999.00', 100, 10);

      const rows = await queryRows(
        db(),
        sql`SELECT id::text, user_id::text, campaign_name, daily_budget::text, total_spend::text,
                   total_clicks, total_conversions, round(cpl, 6)::text AS cpl,
                   round(conversion_rate, 6)::text AS conversion_rate
            FROM campaign_performance ORDER BY campaign_name`,
      );
      const expected = (
        id: string,
        campaign_name: string,
        total_spend: string,
        total_clicks: number,
        total_conversions: number,
        cpl: string,
        conversion_rate: string,
      ) => ({
        id,
        user_id: userId,
        campaign_name,
        daily_budget: '40.00',
        total_spend,
        total_clicks,
        total_conversions,
        cpl,
        conversion_rate,
      });
      expect(rows).toEqual([
        expected(noClicks, 'No clicks', '100.00', 0, 0, '0.000000', '0.000000'),
        expected(noConversions, 'No conversions', '50.00', 10, 0, '0.000000', '0.000000'),
        expected(steady, 'Steady', '300.00', 200, 12, '25.000000', '6.000000'),
        expected(thirds, 'Thirds', '100.00', 3, 1, '100.000000', '33.333333'),
      ]);
    });
  });
});
