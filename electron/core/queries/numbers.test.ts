import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import { campaignPerformance, dashboard, keywordPerformance } from './numbers.ts';
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
