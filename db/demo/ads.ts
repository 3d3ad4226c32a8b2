import type { CampaignStatus, CampaignType, KeywordStatus, MatchType } from '../enums.ts';
import { AS_OF_HOUR, type Business, centsToMoney } from './business.ts';
import { type Trade, displayKeywords, searchKeywords } from './catalog.ts';
import { weightTable } from './random.ts';
import { DAY, HOUR, MINUTE, iso } from './time.ts';
import type { CampaignRow, KeywordRow } from './types.ts';

/**
 * Google Ads for one business: campaigns with a simulated daily spend, clicks, impressions and
 * conversions. Each day's conversions become that day's google_ads leads and each day's spend that
 * day's financials.ad_spend, so the campaigns' cached totals, the leads and the financials agree.
 */

interface CampaignSpec {
  name: string;
  type: CampaignType;
  /** Daily budget in whole dollars, before the business's size. */
  budget: readonly [number, number];
  cpc: readonly [number, number];
  ctr: readonly [number, number];
  cvr: readonly [number, number];
  statuses: readonly (readonly [CampaignStatus, number])[];
  /** Days after the window opens on which the campaign starts. */
  start: readonly [number, number];
  keywordCount: readonly [number, number];
  keywords: 'search' | 'brand' | 'display';
}

const noun: Record<Trade, string> = {
  plumbing: 'Plumber',
  hvac: 'AC & Heating Repair',
  electrical: 'Electrician',
};
const serviceCampaign: Record<Trade, string> = {
  plumbing: 'Water Heaters',
  hvac: 'System Replacement',
  electrical: 'EV Chargers & Panels',
};

function campaignSpecs(business: Business): CampaignSpec[] {
  const { profile, trade, rng } = business;
  const specs: CampaignSpec[] = [
    {
      name: `${profile.city} Emergency ${noun[trade]} - Search`,
      type: 'search',
      budget: [70, 110],
      cpc: [11, 24],
      ctr: [0.05, 0.09],
      cvr: [0.12, 0.18],
      statuses: [['active', 1]],
      start: [0, 3],
      keywordCount: [10, 16],
      keywords: 'search',
    },
    {
      name: `${profile.businessName} - Brand Search`,
      type: 'search',
      budget: [10, 20],
      cpc: [1.5, 3.5],
      ctr: [0.18, 0.32],
      cvr: [0.22, 0.32],
      statuses: [['active', 1]],
      start: [0, 3],
      keywordCount: [3, 4],
      keywords: 'brand',
    },
    {
      name: `${serviceCampaign[trade]} - Search`,
      type: 'search',
      budget: [35, 60],
      cpc: [9, 20],
      ctr: [0.04, 0.07],
      cvr: [0.08, 0.13],
      statuses: [
        ['active', 65],
        ['paused', 35],
      ],
      start: [20, 120],
      keywordCount: [6, 10],
      keywords: 'search',
    },
    {
      name: 'Remarketing - Display',
      type: 'display',
      budget: [12, 25],
      cpc: [0.6, 1.6],
      ctr: [0.003, 0.008],
      cvr: [0.01, 0.025],
      statuses: [
        ['ended', 40],
        ['active', 45],
        ['paused', 15],
      ],
      start: [0, 60],
      keywordCount: [2, 4],
      keywords: 'display',
    },
  ];
  if (business.index % 2 === 1 || rng.chance(0.5)) {
    specs.push({
      name: `${profile.city} Local Awareness - YouTube`,
      type: 'video',
      budget: [15, 30],
      cpc: [1.5, 4],
      ctr: [0.006, 0.012],
      cvr: [0.005, 0.015],
      statuses: [
        ['ended', 50],
        ['active', 50],
      ],
      start: [60, 200],
      keywordCount: [0, 0],
      keywords: 'display',
    });
  }
  return specs;
}

export interface CampaignPlan {
  row: CampaignRow;
  spec: CampaignSpec;
  /** Average cost per click in dollars. */
  cpc: number;
  startDay: number;
  /** First day without spend (paused or ended), if any. */
  stopDay: number | undefined;
  stoppedAt: number | undefined;
  keywords: KeywordPlan[];
}

export interface KeywordPlan {
  row: KeywordRow;
  /** When the optimizing agent paused it (paused keywords only). */
  pausedAt: number | undefined;
}

export interface AdsOutcome {
  campaigns: CampaignPlan[];
  /** Per window day: spend in cents, clicks, and conversions (= that day's google_ads leads). */
  spend: number[];
  clicks: number[];
  conversions: number[];
}

const matchTypes = weightTable<MatchType>([
  ['exact', 35],
  ['phrase', 40],
  ['broad', 25],
]);
const keywordStatuses = weightTable<KeywordStatus>([
  ['active', 78],
  ['paused', 15],
  ['removed', 7],
]);
const qualityScores = weightTable([
  [3, 2],
  [4, 4],
  [5, 8],
  [6, 12],
  [7, 14],
  [8, 10],
  [9, 5],
  [10, 2],
] as const);

const clamp = (value: number, low: number, high: number): number =>
  Math.min(high, Math.max(low, value));

/** Whole units of `total × coverage` split by weight, rounded down: the parts never exceed it. */
function allocate(total: number, weights: readonly number[], coverage: number): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) return weights.map(() => 0);
  return weights.map((w) => Math.floor((total * coverage * w) / sum));
}

export function generateAds(business: Business): AdsOutcome {
  const { rng, zone } = business;
  const days = business.dayCount;
  const spend = new Array<number>(days).fill(0);
  const clicks = new Array<number>(days).fill(0);
  const conversions = new Array<number>(days).fill(0);
  const campaigns: CampaignPlan[] = [];

  for (const spec of campaignSpecs(business)) {
    const budgetCents = Math.max(
      500,
      Math.round(
        rng.range(spec.budget[0], spec.budget[1]) * business.profile.size * business.volume,
      ) * 100,
    );
    const cpc = rng.range(spec.cpc[0], spec.cpc[1]);
    const ctr = rng.range(spec.ctr[0], spec.ctr[1]);
    const cvr = rng.range(spec.cvr[0], spec.cvr[1]);
    const startDay = Math.min(business.endDay, business.startDay + rng.int(...spec.start));
    let status = rng.weighted(weightTable(spec.statuses));
    let stopDay: number | undefined;
    if (status !== 'active') {
      const earliest = startDay + 30;
      const latest = business.endDay - 7;
      if (earliest > latest) status = 'active';
      else stopDay = rng.int(earliest, latest);
    }
    const createdAt = zone.at(startDay, 9 * HOUR + rng.int(0, 120) * MINUTE);
    const stoppedAt =
      stopDay === undefined ? undefined : zone.at(stopDay, 7 * HOUR + rng.int(0, 60) * MINUTE);

    let totalSpend = 0;
    let totalClicks = 0;
    let totalImpressions = 0;
    let totalConversions = 0;
    const lastSpendDay = stopDay === undefined ? business.endDay : stopDay - 1;
    for (let day = startDay; day <= lastSpendDay; day++) {
      const index = day - business.startDay;
      const demand = business.demand(day);
      const utilisation = clamp(0.62 + 0.25 * (demand - 1) + 0.1 * rng.normal(), 0.35, 1);
      // The first day runs from mid-morning; today's spend stops with the clock.
      const part = day === startDay ? 0.6 : day === business.endDay ? AS_OF_HOUR / 24 : 1;
      const daySpend = Math.floor(budgetCents * utilisation * part);
      const dayClicks = Math.round(daySpend / 100 / (cpc * rng.range(0.85, 1.15)));
      const dayImpressions = Math.round(daySpend / 100 / cpc / (ctr * rng.range(0.8, 1.2)));
      const dayConversions = Math.min(
        dayClicks,
        rng.poisson(dayClicks * cvr * (0.85 + 0.15 * demand)),
      );
      totalSpend += daySpend;
      totalClicks += dayClicks;
      totalImpressions += Math.max(dayImpressions, dayClicks);
      totalConversions += dayConversions;
      spend[index] = (spend[index] ?? 0) + daySpend;
      clicks[index] = (clicks[index] ?? 0) + dayClicks;
      conversions[index] = (conversions[index] ?? 0) + dayConversions;
    }

    const syncedAt = business.asOf - rng.int(3, 55) * MINUTE;
    const row: CampaignRow = {
      id: rng.uuid(),
      user_id: business.userId,
      campaign_id: `${rng.int(1, 9)}${rng.digits(10)}`,
      campaign_name: spec.name,
      campaign_type: spec.type,
      daily_budget: centsToMoney(budgetCents),
      monthly_budget: centsToMoney(Math.round((budgetCents * 30.4) / 100) * 100),
      status,
      total_spend: centsToMoney(totalSpend),
      total_clicks: totalClicks,
      total_impressions: totalImpressions,
      total_conversions: totalConversions,
      created_at: iso(createdAt),
      updated_at: iso(syncedAt),
      last_synced_at: iso(syncedAt),
    };
    const plan: CampaignPlan = {
      row,
      spec,
      cpc,
      startDay,
      stopDay,
      stoppedAt,
      keywords: [],
    };
    plan.keywords = keywordsFor(business, plan, createdAt, syncedAt);
    campaigns.push(plan);
  }
  return { campaigns, spend, clicks, conversions };
}

function keywordTexts(business: Business, spec: CampaignSpec): string[] {
  const city = business.profile.city.toLowerCase();
  switch (spec.keywords) {
    case 'brand': {
      const name = business.profile.businessName.toLowerCase().replace(/[^a-z0-9& ]/g, '');
      return [name, `${name} reviews`, `${name} phone number`, `${name} ${city}`];
    }
    case 'display':
      return [...displayKeywords];
    case 'search': {
      const base = searchKeywords[business.trade];
      return [...base, ...base.map((k) => `${k} ${city}`)];
    }
  }
}

function keywordsFor(
  business: Business,
  campaign: CampaignPlan,
  campaignCreatedAt: number,
  syncedAt: number,
): KeywordPlan[] {
  const { rng } = business;
  const { spec, row } = campaign;
  const count = rng.int(spec.keywordCount[0], spec.keywordCount[1]);
  if (count === 0) return [];
  const texts = rng.shuffle(keywordTexts(business, spec)).slice(0, count);
  const brand = spec.keywords === 'brand';
  const lastDay = Math.min(campaign.stoppedAt ?? syncedAt, syncedAt);

  const drafts = texts.map((text) => {
    const status = rng.weighted(keywordStatuses);
    const quality = brand ? rng.int(8, 10) : rng.weighted(qualityScores);
    const share =
      Math.exp(rng.normal() * 0.8) * (status === 'active' ? 1 : status === 'paused' ? 0.3 : 0.1);
    return {
      text,
      status,
      quality,
      clickWeight: share * (0.6 + quality / 10),
      // A better quality score buys the same click for less.
      spendWeight: share * (0.6 + quality / 10) * (1.3 - quality * 0.05),
      impressionWeight: share * rng.range(0.7, 1.4),
      conversionWeight: share * (0.5 + quality / 10) * rng.range(0.7, 1.3),
    };
  });
  // Keywords carry most of a search campaign's traffic (the rest: removed terms, partners);
  // display traffic is mostly audience targeting, so its keywords see only part of it.
  const coverage = spec.type === 'search' ? rng.range(0.86, 0.99) : rng.range(0.3, 0.6);
  const totalSpendCents = Math.round(Number(row.total_spend) * 100);
  const clicks = allocate(
    row.total_clicks,
    drafts.map((d) => d.clickWeight),
    coverage,
  );
  const spends = allocate(
    totalSpendCents,
    drafts.map((d) => d.spendWeight),
    coverage,
  );
  const impressions = allocate(
    row.total_impressions,
    drafts.map((d) => d.impressionWeight),
    coverage,
  );
  const conversions = allocate(
    row.total_conversions,
    drafts.map((d) => d.conversionWeight),
    coverage,
  );
  // Per keyword: conversions ≤ clicks ≤ impressions, and no spend without a click.
  for (let i = 0; i < drafts.length; i++) {
    const c = clicks[i] ?? 0;
    conversions[i] = Math.min(conversions[i] ?? 0, c);
    if (c === 0) spends[i] = 0;
    impressions[i] = Math.max(impressions[i] ?? 0, c);
  }
  let excess = impressions.reduce((a, b) => a + b, 0) - row.total_impressions;
  for (let i = 0; excess > 0 && i < drafts.length; i++) {
    const slack = (impressions[i] ?? 0) - (clicks[i] ?? 0);
    const cut = Math.min(slack, excess);
    impressions[i] = (impressions[i] ?? 0) - cut;
    excess -= cut;
  }

  const matchUsed = new Set<string>();
  return drafts.map((draft, i) => {
    let match = rng.weighted(matchTypes);
    if (matchUsed.has(`${draft.text}|${match}`)) match = 'exact';
    matchUsed.add(`${draft.text}|${match}`);
    const createdAt = rng.chance(0.8)
      ? campaignCreatedAt
      : Math.min(lastDay, campaignCreatedAt + rng.int(5, 90) * DAY + rng.int(0, 600) * MINUTE);
    const maxCpc = Math.round(
      campaign.cpc * rng.range(1.15, 1.9) * (1.3 - draft.quality * 0.04) * 100,
    );
    const pausedAt =
      draft.status === 'paused'
        ? createdAt + Math.floor(rng.float() * Math.max(0, lastDay - createdAt))
        : undefined;
    const keyword: KeywordRow = {
      id: rng.uuid(),
      user_id: business.userId,
      campaign_id: row.id,
      keyword_text: draft.text,
      match_type: match,
      max_cpc: centsToMoney(Math.max(5, maxCpc)),
      quality_score: draft.quality,
      status: draft.status,
      total_spend: centsToMoney(spends[i] ?? 0),
      total_clicks: clicks[i] ?? 0,
      total_impressions: impressions[i] ?? 0,
      total_conversions: conversions[i] ?? 0,
      created_at: iso(createdAt),
      updated_at: iso(syncedAt),
      last_synced_at: iso(syncedAt),
    };
    return { row: keyword, pausedAt };
  });
}
