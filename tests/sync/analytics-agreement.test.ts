import { describe, expect, it } from 'vitest';
import { campaignStatuses, campaignTypes, leadStatuses } from '../../db/enums.ts';
import { fromCents } from '../../db/money.ts';
import type { AppDatabase } from '../../db/postgres/client.ts';
import { agentActivity } from '../../electron/core/queries/activity.ts';
import {
  campaignPerformance as desktopCampaigns,
  dashboard as desktopDashboard,
  leadPipeline as desktopPipeline,
} from '../../electron/core/queries/numbers.ts';
import {
  agentActions,
  businessDashboard,
  campaignPerformance,
  dayMetrics,
  leadPipeline,
} from '../../sync-server/analytics/queries.ts';
import { withTenant } from '../../sync-server/tenancy.ts';
import { createHarness, type PgSession, signUpAt } from './harness.ts';

/*
 * Issue 7: the server and the desktop never disagree about a business's numbers. One business's
 * varied rows are written to Postgres, a desktop replica is synced from the real server, and every
 * analytics answer the server computes from Postgres deep-equals what the desktop computes from
 * its replica for the same clock. The business's time zone is this process's, which the desktop
 * takes as its own, so "today" is the same day on both sides.
 */

/** The clock both sides are given. */
const NOW = new Date('2026-11-15T18:00:00Z');
const DAY_US = 86_400_000_000;

/** A deterministic pseudo-random sequence (mulberry32), so a failure can be replayed. */
function random(seed: number): (below: number) => number {
  let state = seed >>> 0;
  return (below) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * below);
  };
}

/** Microseconds since 1970 as an ISO 8601 instant with all six fractional digits. */
const microsInstant = (micros: number): string => {
  const millis = Math.floor(micros / 1000);
  const fraction = String(((micros % 1_000_000) + 1_000_000) % 1_000_000).padStart(6, '0');
  return `${new Date(millis).toISOString().slice(0, 19)}.${fraction}Z`;
};

type Query = Parameters<Parameters<PgSession['asBusiness']>[1]>[0];

async function insert(
  query: Query,
  table: string,
  row: Record<string, string | number | null>,
): Promise<void> {
  const columns = Object.keys(row);
  await query(
    `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
     VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    columns.map((c) => row[c]),
  );
}

/** Financials over two months, leads in every status, campaigns, agent actions. */
async function writeFixture(query: Query, businessId: string): Promise<void> {
  const next = random(7);
  const money = (maxCents: number) => fromCents(next(maxCents));

  // Three days in four of October, 1–20 November (days after "today" too) but the 5th.
  const days = [
    ...Array.from({ length: 31 }, (_, i) => `2026-10-${String(i + 1).padStart(2, '0')}`).filter(
      (_, i) => i % 4 !== 3,
    ),
    ...Array.from({ length: 20 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`).filter(
      (day) => day !== '2026-11-05',
    ),
  ];
  for (const date of days) {
    const generated = next(13);
    const zero = date === '2026-11-07'; // a day of zeros: nothing divides
    await insert(query, 'financials', {
      user_id: businessId,
      date,
      ad_spend: zero ? '0.00' : money(50_000),
      platform_fee: money(10_000),
      other_costs: money(5_000),
      leads_generated: zero ? 0 : generated,
      leads_contacted: next(generated + 1),
      leads_quoted: next(generated + 1),
      leads_booked: zero ? 0 : next(generated + 1),
      leads_completed: next(generated + 1),
      leads_lost: next(3),
      revenue: zero ? '0.00' : money(300_000),
    });
  }

  // Leads created over the last 40 days, every status, microsecond instants; and the 7- and
  // 30-day windows' edges exactly and a microsecond before.
  const nowMicros = NOW.getTime() * 1000;
  const created = [
    ...Array.from({ length: 90 }, () => nowMicros - next(40 * DAY_US)),
    nowMicros - 7 * DAY_US,
    nowMicros - 7 * DAY_US - 1,
    nowMicros - 30 * DAY_US,
    nowMicros - 30 * DAY_US - 1,
  ];
  for (const [i, createdAt] of created.entries()) {
    const status = leadStatuses[i % leadStatuses.length]!;
    const closes = status === 'completed' || (status === 'lost' && i % 4 === 1);
    await insert(query, 'leads', {
      user_id: businessId,
      customer_phone: `+1512555${String(1000 + i)}`,
      source: 'google_ads',
      status,
      quoted_amount: i % 7 === 0 ? null : money(2_000_000),
      actual_amount: status === 'completed' || i % 5 === 0 ? money(2_500_000) : null,
      created_at: microsInstant(createdAt),
      completed_at: closes ? microsInstant(createdAt + next(12 * DAY_US)) : null,
    });
  }

  // Campaigns in every status and type, names that differ only in case (ASCII and not).
  const names = ['Drains', 'drains', 'DRAINS', 'Émergency', 'émergency', 'boilers', 'Boilers'];
  for (const [i, name] of [...names, ...names].entries()) {
    const clicks = i % 4 === 0 ? 0 : next(500);
    await insert(query, 'campaigns', {
      user_id: businessId,
      campaign_id: `ads-${i}`,
      campaign_name: name,
      campaign_type: campaignTypes[i % campaignTypes.length]!,
      status: campaignStatuses[i % campaignStatuses.length]!,
      daily_budget: money(20_000),
      total_spend: money(1_000_000),
      total_clicks: clicks,
      total_impressions: i % 5 === 0 ? 0 : clicks + next(20_000),
      total_conversions: i % 3 === 0 ? 0 : next(clicks + 1),
    });
  }

  // Agent actions, five of them at the same instant.
  const impacts = [
    null,
    '{"cpl_change": -5.25, "note": "é☺"}',
    '{"monthly_savings": 120, "nested": {"list": [1, 2.50, null, "a,b"]}, "big": 12345678901234567890}',
  ];
  for (let i = 0; i < 14; i += 1) {
    const at = i < 5 ? nowMicros - DAY_US : nowMicros - next(20 * DAY_US);
    await insert(query, 'ai_agent_logs', {
      user_id: businessId,
      agent_name: ['monitor', 'cx', 'diagnostic', 'optimizing', 'retention'][i % 5]!,
      action_type: `action_${i}`,
      action_data: '{}',
      result: ['success', 'failed', 'pending'][i % 3]!,
      result_message: i % 2 === 0 ? `Message ${i}` : null,
      estimated_impact: impacts[i % impacts.length]!,
      created_at: microsInstant(at),
      completed_at: i % 3 === 0 ? microsInstant(at + next(DAY_US)) : null,
    });
  }
}

describe('analytics agreement', () => {
  it('the server computes from Postgres exactly what the desktop computes from its replica', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Agreeing Plumbing');
    const businessId = account.tenantId;
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    await harness.pg.query('UPDATE users SET timezone = $1 WHERE id = $2', [zone, businessId]);
    await harness.pg.asBusiness(businessId, (query) => writeFixture(query, businessId));

    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    client.start();
    await client.upToDate();

    const onServer = <T>(work: (tx: AppDatabase) => Promise<T>) =>
      withTenant(harness.database.db, businessId, work);
    const clock = () => NOW;

    // The dashboard of the current month and of the one before.
    for (const month of [undefined, '2026-10']) {
      const desktop = desktopDashboard(replica, month, clock);
      const { business, subscription, activeCampaigns, ...numbers } = await onServer((tx) =>
        businessDashboard(tx, businessId, { month }, NOW),
      );
      expect(numbers).toEqual(desktop);
      expect(business).toMatchObject({ id: businessId, timezone: zone });
      expect(subscription).toBeNull();
      expect(activeCampaigns).toBe(desktop.campaigns.filter((c) => c.status === 'active').length);
      // Not a vacuous agreement: the month has numbers, and nothing divides on 7 November.
      expect(desktop.leads).toBeGreaterThan(0);
      expect(desktop.roi).not.toBeNull();
    }

    // The pipeline over 30 and 7 days.
    for (const days of [30, 7]) {
      const desktop = desktopPipeline(replica, days, clock);
      expect(await onServer((tx) => leadPipeline(tx, businessId, { days }, NOW))).toEqual(desktop);
      expect(desktop.stages.reduce((total, stage) => total + stage.count, 0)).toBeGreaterThan(1);
    }
    const closed = desktopPipeline(replica, 30, clock).stages.find((s) => s.status === 'completed');
    expect(closed?.avgDaysToClose).not.toBeNull();

    // Campaigns, in the same order though their names differ only in case.
    const campaigns = desktopCampaigns(replica);
    expect(campaigns).toHaveLength(14);
    expect(await onServer((tx) => campaignPerformance(tx, businessId))).toEqual(campaigns);

    // Agent actions, all and cut in the middle of the five made at the same instant.
    for (const limit of [100, 3]) {
      expect(await onServer((tx) => agentActions(tx, businessId, limit))).toEqual(
        agentActivity(replica, limit),
      );
    }

    // A day's metrics are the dashboard's daily entry for that day (with a row, without, zeros).
    const november = desktopDashboard(replica, undefined, clock);
    for (const date of ['2026-11-01', '2026-11-05', '2026-11-07', '2026-11-14']) {
      const day = await onServer((tx) => dayMetrics(tx, businessId, date));
      expect({
        date: day.date,
        spend: day.spend,
        leads: day.leadsGenerated,
        bookings: day.leadsBooked,
        revenue: day.revenue,
      }).toEqual(november.daily.find((entry) => entry.date === date));
    }
  });
});
