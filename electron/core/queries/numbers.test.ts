import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import { campaignPerformance, dashboard, keywordPerformance, leadPipeline } from './numbers.ts';
import {
  insertCampaign,
  insertFinancial,
  insertKeyword,
  insertLead,
  replicaPerTest,
} from './test-rows.ts';

const open = replicaPerTest('queries-numbers');
/** 15 November 2026, mid-afternoon, on this machine's clock. */
const november15 = () => new Date(2026, 10, 15, 15, 0);

describe('dashboard:get', () => {
  it('sums the month in exact cents and divides the sums', () => {
    const replica = open();
    // 0.10 + 0.20 is not 0.30 in binary floating point; in cents it is.
    insertFinancial(replica, {
      date: '2026-11-01',
      ad_spend: '0.10',
      platform_fee: '99.00',
      leads_generated: 2,
      leads_booked: 1,
      revenue: '100.05',
    });
    insertFinancial(replica, {
      date: '2026-11-14',
      ad_spend: '0.20',
      other_costs: '5.00',
      leads_generated: 1,
      leads_booked: 0,
      revenue: '0.00',
    });
    insertFinancial(replica, {
      date: '2026-10-31',
      ad_spend: '500.00',
      leads_generated: 9,
      revenue: '9.00',
    });
    insertFinancial(replica, { date: '2026-12-01', ad_spend: '700.00', leads_generated: 9 });
    for (const status of ['new', 'new', 'booked', 'lost'] as const) insertLead(replica, { status });

    const board = desktopApi['dashboard:get'].result.parse(
      dashboard(replica, undefined, november15),
    );
    expect(board).toMatchObject({
      month: '2026-11',
      spend: '0.30', // ad spend only, as the seed's user_dashboard counts it
      leads: 3,
      bookings: 1,
      revenue: '100.05',
      costPerLead: '0.10',
      conversionRate: 1 / 3,
    });
    expect(board.roi).toBeCloseTo((10005 - 30) / 30, 12);
    // Every day so far, zeros where nothing was recorded; none after today.
    expect(board.daily).toHaveLength(15);
    expect(board.daily[0]).toEqual({
      date: '2026-11-01',
      spend: '0.10',
      leads: 2,
      bookings: 1,
      revenue: '100.05',
    });
    expect(board.daily[1]).toEqual({
      date: '2026-11-02',
      spend: '0.00',
      leads: 0,
      bookings: 0,
      revenue: '0.00',
    });
    expect(board.funnel).toEqual([
      { status: 'new', count: 2 },
      { status: 'contacted', count: 0 },
      { status: 'quoted', count: 0 },
      { status: 'booked', count: 1 },
      { status: 'completed', count: 0 },
      { status: 'lost', count: 1 },
    ]);
  });

  it('rounds cost per lead to the cent and gives null ratios when nothing divides', () => {
    const replica = open();
    insertFinancial(replica, { date: '2026-10-03', ad_spend: '10.00', leads_generated: 3 });
    const october = dashboard(replica, '2026-10', november15);
    expect(october).toMatchObject({ costPerLead: '3.33', conversionRate: 0, roi: -1 });
    expect(october.daily).toHaveLength(31); // a past month: all of it

    const empty = desktopApi['dashboard:get'].result.parse(
      dashboard(replica, '2026-09', november15),
    );
    expect(empty).toMatchObject({
      spend: '0.00',
      leads: 0,
      costPerLead: null,
      conversionRate: null,
      roi: null,
    });
    expect(dashboard(replica, '2027-01', november15).daily).toEqual([]);
    // December rolls over into the next year's January.
    insertFinancial(replica, { date: '2026-12-31', ad_spend: '1.00' });
    insertFinancial(replica, { date: '2027-01-01', ad_spend: '2.00' });
    expect(dashboard(replica, '2026-12', november15).spend).toBe('1.00');
  });
});

describe('campaigns and keywords', () => {
  it('lists every campaign, active first, with its ratios (null when nothing divides)', () => {
    const replica = open();
    insertCampaign(replica, { campaign_name: 'B paused', status: 'paused' });
    const active = insertCampaign(replica, {
      campaign_name: 'Z active',
      total_spend: '100.00',
      total_clicks: 40,
      total_impressions: 1000,
      total_conversions: 3,
    });
    insertCampaign(replica, { campaign_name: 'A ended', status: 'ended' });
    const campaigns = desktopApi['campaigns:list'].result.parse(campaignPerformance(replica));
    expect(campaigns.map((c) => c.name)).toEqual(['Z active', 'B paused', 'A ended']);
    expect(campaigns[0]).toMatchObject({
      id: active,
      spend: '100.00',
      costPerLead: '33.33',
      conversionRate: 3 / 40,
      clickThroughRate: 40 / 1000,
    });
    expect(campaigns[1]).toMatchObject({
      costPerLead: null,
      conversionRate: null,
      clickThroughRate: null,
    });
  });

  it('lists keywords by spend with their campaign, narrowed to one campaign', () => {
    const replica = open();
    const one = insertCampaign(replica, { campaign_name: 'Drains' });
    const two = insertCampaign(replica, { campaign_name: 'Heaters' });
    insertKeyword(replica, {
      campaign_id: one,
      keyword_text: 'drain cleaning',
      total_spend: '9.50',
    });
    insertKeyword(replica, {
      campaign_id: one,
      keyword_text: 'clogged drain',
      total_spend: '10.00',
      total_conversions: 4,
      total_clicks: 8,
      quality_score: 7,
      max_cpc: '2.50',
    });
    insertKeyword(replica, {
      campaign_id: two,
      keyword_text: 'water heater',
      total_spend: '200.00',
    });
    const all = desktopApi['keywords:list'].result.parse(keywordPerformance(replica, undefined));
    expect(all.map((k) => k.text)).toEqual(['water heater', 'clogged drain', 'drain cleaning']);
    const drains = keywordPerformance(replica, one);
    expect(drains.map((k) => [k.text, k.campaignName])).toEqual([
      ['clogged drain', 'Drains'],
      ['drain cleaning', 'Drains'],
    ]);
    expect(drains[0]).toMatchObject({
      costPerLead: '2.50',
      conversionRate: 0.5,
      qualityScore: 7,
      maxCpc: '2.50',
    });
  });
});

describe('leadPipeline', () => {
  it('counts the leads created in the last days by status, in cents and exact days to close', () => {
    const replica = open();
    const now = () => new Date('2026-11-15T18:00:00Z');
    insertLead(replica, { status: 'new', created_at: '2026-11-10T10:00:00.000000Z' });
    insertLead(replica, {
      status: 'quoted',
      created_at: '2026-11-01T00:00:00.000000Z',
      quoted_amount: '0.10',
    });
    insertLead(replica, {
      status: 'quoted',
      created_at: '2026-11-02T00:00:00.000000Z',
      quoted_amount: '0.20',
    });
    // Closed in exactly 2 days.
    insertLead(replica, {
      status: 'completed',
      created_at: '2026-11-01T12:00:00.000000Z',
      completed_at: '2026-11-03T12:00:00.000000Z',
      quoted_amount: '300.00',
      actual_amount: '320.50',
    });
    // Closed in 12:14:24 = 44,064 s = 0.51 days, a microsecond past the second at both ends.
    insertLead(replica, {
      status: 'completed',
      created_at: '2026-11-02T00:00:00.000001Z',
      completed_at: '2026-11-02T12:14:24.000001Z',
      quoted_amount: '100.00',
      actual_amount: '99.99',
    });
    // 31 days ago: out of the window.
    insertLead(replica, {
      status: 'completed',
      created_at: '2026-10-15T18:00:00.000000Z',
      completed_at: '2026-10-16T18:00:00.000000Z',
      actual_amount: '1000.00',
    });
    // At the window's start exactly (in); a microsecond before it (out).
    insertLead(replica, { status: 'lost', created_at: '2026-10-16T18:00:00.000000Z' });
    insertLead(replica, { status: 'lost', created_at: '2026-10-16T17:59:59.999999Z' });

    const none = { totalQuoted: '0.00', totalActual: '0.00', avgDaysToClose: null };
    expect(leadPipeline(replica, 30, now)).toEqual({
      days: 30,
      since: '2026-10-16T18:00:00.000000Z', // now − 30 × 24 h
      stages: [
        { status: 'new', count: 1, ...none },
        { status: 'contacted', count: 0, ...none },
        // 0.10 + 0.20 in cents: 0.30, not 0.30000000000000004
        { status: 'quoted', count: 2, ...none, totalQuoted: '0.30' },
        { status: 'booked', count: 0, ...none },
        {
          status: 'completed',
          count: 2,
          totalQuoted: '400.00', // 300.00 + 100.00
          totalActual: '420.49', // 320.50 + 99.99
          avgDaysToClose: 1.26, // (2 + 0.51) / 2 = 1.255 → 1.26, half away from zero
        },
        { status: 'lost', count: 1, ...none },
      ],
    });
    // The last 7 days (since 8 November, 18:00 UTC): only the new lead.
    expect(leadPipeline(replica, 7, now).stages.map((stage) => stage.count)).toEqual([
      1, 0, 0, 0, 0, 0,
    ]);
  });
});
