import { generateAds } from './ads.ts';
import { generateAgentLogs } from './agents.ts';
import { AS_OF_HOUR, Business, businessProfile, centsToMoney } from './business.ts';
import { planPrices } from './catalog.ts';
import { LeadSimulator, emptyLedger, type Ledger } from './leads.ts';
import { memberRows } from './members.ts';
import { Random, weightTable } from './random.ts';
import {
  DAY,
  HOUR,
  MINUTE,
  Zone,
  addMonths,
  daysInMonthOf,
  formatDay,
  iso,
  parseDay,
  weekday,
} from './time.ts';
import { maxTrackedBusinesses, trackingLines, trackingNumberRows } from './tracking.ts';
import type { DemoData, FinancialRow, SubscriptionRow, UserRow } from './types.ts';
import { workflowRows } from './workflows.ts';

/**
 * The demo data set: a few home-service businesses — John's Plumbing from the seed document first —
 * and a year of their leads, calls, texts, Google Ads, daily financials, agent actions, billing,
 * workflows and Twilio tracking numbers, as plain rows keyed by Postgres column names.
 *
 * Pure and synchronous: the same options always give the same rows (a seeded PRNG, no clock, no
 * Math.random). Internally consistent: every financials row is the roll-up of that local day's
 * leads and ad spend, campaign totals are the sums of their daily spend, keyword totals stay within
 * their campaign's, and nothing is stamped after the clock stops (18:00 local on `today`).
 *
 * Volume: about 11,900 rows per business at scale 1 (4 businesses ≈ 47.6k rows). `scale` ≥ 1
 * multiplies the number of businesses (each a full year); `scale` < 1 keeps the businesses and
 * shrinks each one's leads and ad budgets (financials stay one row per day). `scale: 22`
 * (88 businesses) gives about one million rows (1,011,822 with the default seed and today
 * 2026-03-15). See README.md.
 */

export interface DemoOptions {
  /** PRNG seed (any integer; default 20251206, the seed document's date). */
  seed?: number;
  /** The last day of the data, YYYY-MM-DD: the clock stops at 18:00 local time that day. */
  today: string;
  /** Businesses at scale 1 (default 4). */
  businesses?: number;
  /** Volume multiplier (default 1). */
  scale?: number;
  /** Months of history back from `today` (default 12). */
  months?: number;
}

export const DEFAULT_SEED = 20251206;

/** Stands in for users.password_hash and members.password_hash until loadDemoData hashes the demo
 * password (and fails the tables' argon2id CHECK if it ever reached the database). */
export const PASSWORD_HASH_PLACEHOLDER = 'pending:set-by-loadDemoData';

export interface DemoShape {
  seed: number;
  startDay: number;
  endDay: number;
  businessCount: number;
  /** Lead and ad volume of each business, 0–1. */
  volume: number;
}

export function demoShape(options: DemoOptions): DemoShape {
  const seed = options.seed ?? DEFAULT_SEED;
  const businesses = options.businesses ?? 4;
  const scale = options.scale ?? 1;
  const months = options.months ?? 12;
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, got ${seed}`);
  if (!Number.isInteger(businesses) || businesses < 1) {
    throw new RangeError(`businesses must be a positive integer, got ${businesses}`);
  }
  if (!Number.isFinite(scale) || scale <= 0 || scale > 10_000) {
    throw new RangeError(`scale must be a number in (0, 10000], got ${scale}`);
  }
  if (!Number.isInteger(months) || months < 1 || months > 36) {
    throw new RangeError(`months must be an integer from 1 to 36, got ${months}`);
  }
  const endDay = parseDay(options.today);
  const businessCount = Math.max(1, Math.round(businesses * Math.max(1, scale)));
  if (businessCount > maxTrackedBusinesses) {
    throw new RangeError(
      `businesses × scale gives ${businessCount} businesses; the demo has tracking numbers ` +
        `(555-0xxx lines of its area codes) for at most ${maxTrackedBusinesses}`,
    );
  }
  return {
    seed,
    startDay: addMonths(endDay, -months) + 1,
    endDay,
    businessCount,
    volume: Math.min(1, scale),
  };
}

export const emptyDemoData = (): DemoData => ({
  users: [],
  members: [],
  leads: [],
  call_logs: [],
  sms_logs: [],
  campaigns: [],
  keywords: [],
  tracking_numbers: [],
  financials: [],
  ai_agent_logs: [],
  subscriptions: [],
  workflows: [],
});

const otherSources = weightTable([
  ['missed_call', 45],
  ['website', 30],
  ['referral', 25],
] as const);

/** Zones are pure functions of their name and window; computing one costs ~700 Intl calls. */
const zoneCache = new Map<string, Zone>();

export function generateDemoData(options: DemoOptions): DemoData {
  const shape = demoShape(options);
  const data = emptyDemoData();
  const zones = new Map<string, Zone>();
  for (let index = 0; index < shape.businessCount; index++) {
    generateBusiness(index, shape, zones, data);
  }
  return data;
}

function generateBusiness(
  index: number,
  shape: DemoShape,
  zones: Map<string, Zone>,
  data: DemoData,
): void {
  // Each business draws from its own stream: adding businesses never changes the earlier ones.
  const rng = new Random(shape.seed, index);
  const profile = businessProfile(index, rng);
  let zone = zones.get(profile.timezone);
  if (!zone) {
    const key = `${profile.timezone}|${shape.startDay}|${shape.endDay}`;
    zone =
      zoneCache.get(key) ??
      new Zone(profile.timezone, (shape.startDay - 70) * DAY, (shape.endDay + 2) * DAY);
    zoneCache.set(key, zone);
    zones.set(profile.timezone, zone);
  }
  const { startDay, endDay } = shape;
  const asOf = zone.at(endDay, AS_OF_HOUR * HOUR);
  const userId = rng.uuid();
  const business = new Business(
    index,
    rng,
    profile,
    zone,
    userId,
    startDay,
    endDay,
    asOf,
    shape.volume,
  );
  const signedUp = zone.at(startDay - rng.int(5, 40), 10 * HOUR + rng.int(0, 300) * MINUTE);

  const user: UserRow = {
    id: userId,
    email: profile.email,
    password_hash: PASSWORD_HASH_PLACEHOLDER,
    business_name: profile.businessName,
    owner_name: profile.ownerName,
    primary_phone: profile.primaryPhone,
    business_address: profile.address,
    city: profile.city,
    state: profile.state,
    zip_code: profile.zipCode,
    country: 'US',
    timezone: profile.timezone,
    service_types: [...profile.serviceTypes],
    service_area: profile.serviceArea,
    years_in_business: profile.yearsInBusiness,
    license_number: profile.licenseNumber,
    ghl_location_id: rng.alnum(20),
    // OAuth tokens must be sealed with the server's key (enc:v1:…): the demo has none to seal.
    ghl_access_token: null,
    ghl_refresh_token: null,
    ghl_token_expires_at: null,
    google_ads_customer_id: `${rng.int(100, 999)}-${rng.digits(3)}-${rng.digits(4)}`,
    google_ads_refresh_token: null,
    stripe_customer_id: `cus_demo_${rng.alnum(14)}`,
    status: 'active',
    onboarding_completed: true,
    onboarding_step: 5,
    created_at: iso(signedUp),
    updated_at: iso(signedUp + 2 * HOUR),
    last_login_at: iso(asOf - rng.int(5, 600) * MINUTE),
  };
  data.users.push(user);

  const ads = generateAds(business);
  const ledger = emptyLedger(business.dayCount);
  // The numbers customers call and text; their rows are drawn last (tracking.ts).
  const lines = trackingLines(index);
  const simulator = new LeadSimulator(business, data, ledger, lines);
  for (let day = startDay; day <= endDay; day++) {
    const adLeads = ads.conversions[day - startDay] ?? 0;
    for (let i = 0; i < adLeads; i++) simulator.simulate(day, 'google_ads');
    const others = rng.poisson(2.4 * profile.size * business.demand(day) * shape.volume);
    for (let i = 0; i < others; i++) simulator.simulate(day, rng.weighted(otherSources));
    simulator.noise(day);
  }
  for (const campaign of ads.campaigns) {
    data.campaigns.push(campaign.row);
    for (const keyword of campaign.keywords) data.keywords.push(keyword.row);
  }

  const subscription = subscriptionRow(business, signedUp + DAY);
  data.subscriptions.push(subscription);
  pushFinancials(business, ledger, ads.spend, data);
  data.workflows.push(
    ...workflowRows(
      business,
      ledger.workflows,
      iso(signedUp + HOUR),
      iso(asOf - rng.int(1, 120) * MINUTE),
    ),
  );
  generateAgentLogs(business, ledger, ads, data);
  data.members.push(...memberRows(business, user));
  data.tracking_numbers.push(
    ...trackingNumberRows(
      business,
      lines,
      signedUp,
      ads.campaigns.map((campaign) => campaign.row),
    ),
  );
}

/** One active monthly subscription, its current period running through `today`. */
function subscriptionRow(business: Business, startedAt: number): SubscriptionRow {
  const { rng, zone, profile, asOf } = business;
  const firstDay = zone.localDay(startedAt);
  const timeOfDay = zone.toLocal(startedAt) - firstDay * DAY;
  let months = 0;
  while (zone.at(addMonths(firstDay, months + 1), timeOfDay) <= asOf) months++;
  const periodStart = zone.at(addMonths(firstDay, months), timeOfDay);
  const periodEnd = zone.at(addMonths(firstDay, months + 1), timeOfDay);
  return {
    id: rng.uuid(),
    user_id: business.userId,
    stripe_subscription_id: `sub_demo_${rng.alnum(16)}`,
    stripe_price_id: `price_demo_${profile.plan.toLowerCase()}_monthly`,
    plan_name: profile.plan,
    amount: centsToMoney(planPrices[profile.plan] * 100),
    currency: 'USD',
    status: 'active',
    current_period_start: iso(periodStart),
    current_period_end: iso(periodEnd),
    cancel_at_period_end: false,
    created_at: iso(startedAt),
    updated_at: iso(periodStart),
    cancelled_at: null,
  };
}

/** One row per local day: the roll-up of that day's leads, jobs and ad spend. */
function pushFinancials(business: Business, ledger: Ledger, spend: number[], data: DemoData): void {
  const { rng, zone, asOf, startDay, profile } = business;
  const materials = rng.range(0.28, 0.38);
  const planCents = planPrices[profile.plan] * 100;
  for (let i = 0; i < business.dayCount; i++) {
    const day = startDay + i;
    const revenue = ledger.revenue[i] ?? 0;
    // Parts and materials for the day's jobs, plus fuel and dump fees on working days.
    const otherCosts =
      Math.round(revenue * materials) +
      (weekday(day) === 0 ? 0 : Math.round(rng.int(1500, 4500) * business.volume));
    // The nightly roll-up writes each day just after local midnight; today's row is live.
    const written = Math.min(asOf, zone.at(day + 1, 5 * MINUTE));
    const row: FinancialRow = {
      id: rng.uuid(),
      user_id: business.userId,
      date: formatDay(day),
      ad_spend: centsToMoney(spend[i] ?? 0),
      platform_fee: centsToMoney(Math.round(planCents / daysInMonthOf(day))),
      other_costs: centsToMoney(otherCosts),
      leads_generated: ledger.generated[i] ?? 0,
      leads_contacted: ledger.contacted[i] ?? 0,
      leads_quoted: ledger.quoted[i] ?? 0,
      leads_booked: ledger.booked[i] ?? 0,
      leads_completed: ledger.completed[i] ?? 0,
      leads_lost: ledger.lost[i] ?? 0,
      revenue: centsToMoney(revenue),
      created_at: iso(written),
      updated_at: iso(written),
    };
    data.financials.push(row);
  }
}
