import { beforeAll, describe, expect, it } from 'vitest';
import {
  agentNames,
  callStatuses,
  campaignTypes,
  e164Pattern,
  leadSources,
  leadStatuses,
  workflowTypes,
} from '../enums.ts';
import { tryNormalizePhone } from '../phone.ts';
import { businessTemplates } from './catalog.ts';
import { PASSWORD_HASH_PLACEHOLDER, demoShape, generateDemoData } from './generate.ts';
import { maxTrackedBusinesses, trackingLines, trackingSources } from './tracking.ts';
import { type DemoData, type LeadRow, countRows, demoColumns, demoTables } from './types.ts';

const today = '2026-03-15';
const e164 = new RegExp(e164Pattern);
const cents = (money: string | null): number =>
  money === null ? 0 : Math.round(Number(money) * 100);
const ms = (timestamp: string | null): number | null =>
  timestamp === null ? null : Date.parse(timestamp);

/** The local calendar date of an instant, computed independently of the generator (Intl). */
const localDates = new Map<string, Intl.DateTimeFormat>();
function localDate(timestamp: string, timeZone: string): string {
  let format = localDates.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    });
    localDates.set(timeZone, format);
  }
  return format.format(new Date(timestamp));
}

/** 18:00 local on `today`, the instant the demo's clock stops, per business. */
function clockStops(data: DemoData): Map<string, number> {
  const stops = new Map<string, number>();
  for (const user of data.users) {
    // Scan the hours around the day for the one showing 18:00 local on `today`.
    for (let hour = 12; hour < 36; hour++) {
      const instant = Date.parse(`${today}T00:00:00Z`) + hour * 3_600_000;
      const local = new Intl.DateTimeFormat('en-CA', {
        timeZone: user.timezone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
      }).format(new Date(instant));
      if (local === `${today}, 18`) stops.set(user.id, instant);
    }
  }
  return stops;
}

describe('generateDemoData', () => {
  let data: DemoData;
  beforeAll(() => {
    data = generateDemoData({ today });
  });

  it('is deterministic: the same options give identical rows, another seed different ones', () => {
    const again = generateDemoData({ today });
    expect(JSON.stringify(again) === JSON.stringify(data)).toBe(true);
    const other = generateDemoData({ today, seed: 7 });
    expect(other.leads.length).not.toBe(data.leads.length);
    expect(other.users[0]?.id).not.toBe(data.users[0]?.id);
    expect(other.users[0]?.email).toBe('john@plumbing.com');
    // Tracking numbers do not depend on the seed (that keeps businesses apart); their ids do.
    expect(other.tracking_numbers.map((t) => t.phone_number)).toEqual(
      data.tracking_numbers.map((t) => t.phone_number),
    );
    expect(other.tracking_numbers[0]?.id).not.toBe(data.tracking_numbers[0]?.id);
  });

  it('keeps each business the same whatever the number of businesses', () => {
    const one = generateDemoData({ today, businesses: 1 });
    const john = data.users[0]?.id;
    expect(one.leads).toEqual(data.leads.filter((lead) => lead.user_id === john));
    expect(one.financials).toEqual(data.financials.filter((row) => row.user_id === john));
    expect(one.tracking_numbers).toEqual(
      data.tracking_numbers.filter((row) => row.user_id === john),
    );
  });

  it("starts with the seed document's John's Plumbing, then businesses of other trades and zones", () => {
    expect(data.users).toHaveLength(4);
    expect(data.users[0]).toMatchObject({
      email: 'john@plumbing.com',
      business_name: "John's Plumbing",
      owner_name: 'John Smith',
      primary_phone: '+15125551234',
      city: 'Austin',
      state: 'TX',
      timezone: 'America/Chicago',
      service_types: ['plumbing', 'drain_cleaning'],
      service_area: 'Austin, TX - 30 mile radius',
      password_hash: PASSWORD_HASH_PLACEHOLDER,
    });
    expect(new Set(data.users.map((u) => u.timezone)).size).toBe(4);
    const trades = data.users.flatMap((u) => u.service_types);
    expect(trades).toEqual(expect.arrayContaining(['plumbing', 'hvac', 'electrical']));
    expect(new Set(data.users.map((u) => u.email)).size).toBe(data.users.length);
    for (const user of data.users) expect(user.email).toBe(user.email.toLowerCase());
  });

  it("gives every business its owner as a login, and John's Plumbing a dispatcher and a technician", () => {
    expect(data.members).toHaveLength(data.users.length + 2);
    for (const user of data.users) {
      const owners = data.members.filter((m) => m.user_id === user.id && m.role === 'owner');
      expect(owners).toEqual([
        expect.objectContaining({
          email: user.email,
          name: user.owner_name,
          password_hash: user.password_hash,
          status: 'active',
        }),
      ]);
    }
    const john = data.users[0];
    expect(
      data.members.filter((m) => m.user_id === john?.id).map((m) => [m.email, m.role]),
    ).toEqual([
      ['john@plumbing.com', 'owner'],
      ['dispatch@plumbing.com', 'dispatcher'],
      ['tech@plumbing.com', 'technician'],
    ]);
    // Emails are unique across the product (members_email_key) and stored lower-cased.
    const emails = data.members.map((m) => m.email);
    expect(new Set(emails).size).toBe(emails.length);
    for (const email of emails) expect(email).toBe(email.toLowerCase());
    const userIds = new Set(data.users.map((u) => u.id));
    for (const member of data.members) expect(userIds).toContain(member.user_id);
  });

  it('writes exactly the Postgres columns of each table, never the generated ones', () => {
    for (const table of demoTables) {
      expect(data[table].length).toBeGreaterThan(0);
      for (const row of data[table]) {
        expect(Object.keys(row)).toEqual(demoColumns[table]);
      }
    }
    expect(demoColumns.financials).not.toContain('cpl');
    expect(demoColumns.financials).not.toContain('conversion_rate');
    expect(demoColumns.financials).not.toContain('roi');
  });

  it('gives every row a unique v4-shaped id and points only at rows that exist', () => {
    const ids = new Set<string>();
    for (const table of demoTables) {
      for (const row of data[table]) {
        expect(row.id).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        );
        ids.add(row.id);
      }
    }
    expect(ids.size).toBe(Object.values(countRows(data)).reduce((a, b) => a + b, 0));
    const leadOwner = new Map(data.leads.map((lead) => [lead.id, lead.user_id]));
    for (const call of data.call_logs) {
      if (call.lead_id !== null) expect(leadOwner.get(call.lead_id)).toBe(call.user_id);
    }
    for (const sms of data.sms_logs) {
      if (sms.lead_id !== null) expect(leadOwner.get(sms.lead_id)).toBe(sms.user_id);
    }
  });

  it('stamps every lead in pipeline order, consistent with its status, before the clock stops', () => {
    const stops = clockStops(data);
    const stageOf: Record<LeadRow['status'], string[]> = {
      new: ['lead'],
      contacted: ['opportunity'],
      quoted: ['proposal', 'negotiation'],
      booked: ['closed'],
      completed: ['closed'],
      lost: ['closed'],
    };
    for (const lead of data.leads) {
      const created = ms(lead.created_at) as number;
      const chain = [lead.contacted_at, lead.quoted_at, lead.booked_at, lead.completed_at].map(ms);
      let previous = created;
      let gap = false;
      for (const stamp of chain) {
        if (stamp === null) {
          gap = true;
          continue;
        }
        expect(gap, `${lead.id}: a stage stamped after a missing one`).toBe(false);
        expect(stamp).toBeGreaterThanOrEqual(previous);
        previous = stamp;
      }
      const reached = chain.filter((t) => t !== null).length;
      const lost = ms(lead.lost_at);
      if (lead.status === 'lost') {
        expect(lost).not.toBeNull();
        expect(lead.lost_reason).toBeTruthy();
        expect(lost as number).toBeGreaterThanOrEqual(previous);
        expect(lead.completed_at).toBeNull();
      } else {
        expect(lost).toBeNull();
        expect(lead.lost_reason).toBeNull();
        const expected = ['new', 'contacted', 'quoted', 'booked', 'completed'][reached];
        expect(lead.status).toBe(expected);
      }
      expect(stageOf[lead.status]).toContain(lead.pipeline_stage);
      expect(lead.quoted_amount !== null).toBe(lead.quoted_at !== null);
      expect(lead.actual_amount !== null).toBe(lead.completed_at !== null);
      expect(ms(lead.updated_at)).toBe(Math.max(created, ...chain.map((t) => t ?? 0), lost ?? 0));
      expect(ms(lead.updated_at) as number).toBeLessThanOrEqual(stops.get(lead.user_id) as number);
      expect(lead.urgency).toMatch(/^(high|medium|low)$/);
      expect(lead.service_type).toBeTruthy();
      expect(lead.description).toBeTruthy();
    }
  });

  it('stamps nothing after the clock stops (18:00 local on today)', () => {
    const stops = clockStops(data);
    for (const table of demoTables) {
      for (const row of data[table] as unknown as Record<string, unknown>[]) {
        const stop = stops.get(String(table === 'users' ? row.id : row.user_id));
        expect(stop).toBeDefined();
        for (const [column, value] of Object.entries(row)) {
          if (!column.endsWith('_at') || typeof value !== 'string') continue;
          expect(Date.parse(value), `${table}.${column}`).toBeLessThanOrEqual(stop as number);
        }
      }
    }
  });

  it('has leads from every source in every status, and calls of every outcome', () => {
    const combos = new Set(data.leads.map((lead) => `${lead.source}/${lead.status}`));
    for (const source of leadSources) {
      for (const status of leadStatuses) expect(combos).toContain(`${source}/${status}`);
    }
    expect(new Set(data.call_logs.map((c) => c.call_status))).toEqual(new Set(callStatuses));
    expect(new Set(data.call_logs.map((c) => c.call_direction))).toEqual(
      new Set(['inbound', 'outbound']),
    );
    expect(new Set(data.campaigns.map((c) => c.campaign_type))).toEqual(new Set(campaignTypes));
    expect(new Set(data.campaigns.map((c) => c.status))).toEqual(
      new Set(['active', 'paused', 'ended']),
    );
    expect(new Set(data.ai_agent_logs.map((l) => l.agent_name))).toEqual(new Set(agentNames));
    expect(new Set(data.ai_agent_logs.map((l) => l.result))).toEqual(
      new Set(['success', 'failed', 'pending']),
    );
  });

  it('writes E.164 phones only, all valid US numbers', () => {
    const phones = new Set<string>();
    for (const user of data.users) phones.add(user.primary_phone);
    for (const lead of data.leads) phones.add(lead.customer_phone);
    for (const call of data.call_logs) phones.add(call.caller_phone).add(call.called_phone);
    for (const sms of data.sms_logs) phones.add(sms.from_phone).add(sms.to_phone);
    for (const number of data.tracking_numbers) {
      phones.add(number.phone_number);
      if (number.forward_to !== null) phones.add(number.forward_to);
    }
    for (const phone of phones) {
      expect(phone).toMatch(e164);
      expect(tryNormalizePhone(phone), phone).toBe(phone);
    }
  });

  it('gives every business one tracking number per lead source, its own and local', () => {
    const campaigns = new Map(data.campaigns.map((c) => [c.id, c]));
    const stops = clockStops(data);
    for (const user of data.users) {
      const numbers = data.tracking_numbers.filter((t) => t.user_id === user.id);
      expect(numbers.map((t) => t.lead_source).sort()).toEqual([...leadSources].sort());
      for (const number of numbers) {
        expect(leadSources).toContain(number.lead_source);
        expect(number.active).toBe(true);
        expect(number.forward_to).toBeNull(); // rings users.primary_phone
        expect(number.label).toBeTruthy();
        // A local number in the range reserved for fiction: +1 <the business's area code> 555-01xx.
        expect(number.phone_number).toMatch(/^\+1\d{3}55501\d{2}$/);
        expect(number.phone_number.slice(0, 5)).toBe(user.primary_phone.slice(0, 5));
        expect(ms(number.updated_at) as number).toBeGreaterThanOrEqual(
          ms(number.created_at) as number,
        );
        expect(ms(number.updated_at) as number).toBeLessThanOrEqual(stops.get(user.id) as number);
        if (number.campaign_id !== null) {
          expect(campaigns.get(number.campaign_id)?.user_id).toBe(user.id);
        }
      }
      // The Google Ads number is the business's main search campaign's; the others have none.
      const ads = numbers.find((t) => t.lead_source === 'google_ads');
      const campaign = campaigns.get(ads?.campaign_id ?? '');
      expect(campaign).toMatchObject({ user_id: user.id, campaign_type: 'search' });
      expect(campaign?.campaign_name).toMatch(/Emergency/);
      expect(ms(ads?.updated_at ?? null)).toBeGreaterThanOrEqual(
        ms(campaign?.created_at ?? null) as number,
      );
      expect(numbers.filter((t) => t.campaign_id !== null)).toHaveLength(1);
    }
    // tracking_numbers_phone_number_key: unique across the product, and no other demo phone.
    const numbers = data.tracking_numbers.map((t) => t.phone_number);
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(numbers).toHaveLength(data.users.length * trackingSources.length);
    // Nobody's own phone: not an owner's, a customer's, a stranger's or the supply house's.
    const people = new Set([
      ...data.users.map((u) => u.primary_phone),
      ...data.leads.map((l) => l.customer_phone),
      ...data.call_logs.map((c) =>
        c.call_direction === 'inbound' ? c.caller_phone : c.called_phone,
      ),
      ...data.sms_logs.map((s) => (s.direction === 'inbound' ? s.from_phone : s.to_phone)),
    ]);
    for (const number of numbers) expect(people.has(number), number).toBe(false);
  });

  it("routes calls and texts through the business's tracking numbers: the one of the lead's source", () => {
    const numbers = new Map(data.tracking_numbers.map((t) => [t.phone_number, t]));
    const leads = new Map(data.leads.map((lead) => [lead.id, lead]));
    const users = new Map(data.users.map((user) => [user.id, user]));
    const used = new Set<string>();
    for (const call of data.call_logs) {
      if (call.call_direction === 'outbound') {
        // Outbound calls come from the office phone, as the server writes a desktop's call.
        expect(call.caller_phone).toBe(users.get(call.user_id)?.primary_phone);
        continue;
      }
      const number = numbers.get(call.called_phone);
      expect(number?.user_id, call.called_phone).toBe(call.user_id);
      expect(number?.active).toBe(true);
      // A lead's source is its number's; calls that are not leads ring the main line.
      const lead = call.lead_id === null ? undefined : leads.get(call.lead_id);
      expect(number?.lead_source).toBe(lead?.source ?? 'missed_call');
      used.add(call.called_phone);
    }
    for (const sms of data.sms_logs) {
      const ours = sms.direction === 'outbound' ? sms.from_phone : sms.to_phone;
      const number = numbers.get(ours);
      expect(number?.user_id, ours).toBe(sms.user_id);
      expect(number?.lead_source).toBe(leads.get(sms.lead_id ?? '')?.source);
    }
    // Every number is one the demo's customers really call: each source comes through a phone.
    expect([...used].sort()).toEqual([...numbers.keys()].sort());
  });

  it('numbers up to the most businesses it allows apart, past the fictional range only late', () => {
    const seen = new Set<string>();
    for (let index = 0; index < maxTrackedBusinesses; index++) {
      const lines = trackingLines(index);
      const template = businessTemplates[index % businessTemplates.length];
      for (const source of trackingSources) {
        const phone = lines[source];
        expect(phone.slice(0, 5)).toBe(`+1${template?.areaCode}`);
        expect(phone).toMatch(/^\+1\d{3}5550\d{3}$/);
        if (index < 25 * businessTemplates.length) expect(phone).toMatch(/55501\d{2}$/);
        seen.add(phone);
      }
    }
    expect(seen.size).toBe(maxTrackedBusinesses * trackingSources.length);
    for (const phone of [...seen].filter((_, i) => i % 97 === 0)) {
      expect(tryNormalizePhone(phone), phone).toBe(phone);
    }
    expect(maxTrackedBusinesses).toBe(4000);
    expect(() => trackingLines(maxTrackedBusinesses)).toThrow(RangeError);
    expect(demoShape({ today, businesses: maxTrackedBusinesses }).businessCount).toBe(4000);
  });

  it('rolls each local day up into one financials row per business, matching the leads', () => {
    const users = new Map(data.users.map((user) => [user.id, user]));
    type Day = {
      generated: number;
      contacted: number;
      quoted: number;
      booked: number;
      completed: number;
      lost: number;
      revenue: number;
    };
    const days = new Map<string, Day>();
    const day = (userId: string, timestamp: string): Day => {
      const key = `${userId}|${localDate(timestamp, users.get(userId)?.timezone ?? 'UTC')}`;
      let entry = days.get(key);
      if (!entry) {
        entry = {
          generated: 0,
          contacted: 0,
          quoted: 0,
          booked: 0,
          completed: 0,
          lost: 0,
          revenue: 0,
        };
        days.set(key, entry);
      }
      return entry;
    };
    for (const lead of data.leads) {
      day(lead.user_id, lead.created_at).generated++;
      if (lead.contacted_at) day(lead.user_id, lead.contacted_at).contacted++;
      if (lead.quoted_at) day(lead.user_id, lead.quoted_at).quoted++;
      if (lead.booked_at) day(lead.user_id, lead.booked_at).booked++;
      if (lead.lost_at) day(lead.user_id, lead.lost_at).lost++;
      if (lead.completed_at) {
        const entry = day(lead.user_id, lead.completed_at);
        entry.completed++;
        entry.revenue += cents(lead.actual_amount);
      }
    }
    // 365 consecutive days per business, ending today.
    const perUser = new Map<string, string[]>();
    for (const row of data.financials) {
      perUser.set(row.user_id, [...(perUser.get(row.user_id) ?? []), row.date]);
    }
    for (const dates of perUser.values()) {
      expect(dates).toHaveLength(365);
      expect(new Set(dates).size).toBe(365);
      expect(dates.at(-1)).toBe(today);
      expect(dates[0]).toBe('2025-03-16');
    }
    let matched = 0;
    for (const row of data.financials) {
      const expected = days.get(`${row.user_id}|${row.date}`);
      expect({
        generated: row.leads_generated,
        contacted: row.leads_contacted,
        quoted: row.leads_quoted,
        booked: row.leads_booked,
        completed: row.leads_completed,
        lost: row.leads_lost,
        revenue: cents(row.revenue),
      }).toEqual(
        expected ?? {
          generated: 0,
          contacted: 0,
          quoted: 0,
          booked: 0,
          completed: 0,
          lost: 0,
          revenue: 0,
        },
      );
      if (expected) matched++;
    }
    expect(matched).toBe(days.size);
  });

  it('adds campaign spend up into ad_spend, and campaign conversions are the google_ads leads', () => {
    for (const user of data.users) {
      const campaigns = data.campaigns.filter((c) => c.user_id === user.id);
      const spent = campaigns.reduce((sum, c) => sum + cents(c.total_spend), 0);
      const adSpend = data.financials
        .filter((f) => f.user_id === user.id)
        .reduce((sum, f) => sum + cents(f.ad_spend), 0);
      expect(adSpend).toBe(spent);
      const conversions = campaigns.reduce((sum, c) => sum + c.total_conversions, 0);
      const adLeads = data.leads.filter((l) => l.user_id === user.id && l.source === 'google_ads');
      expect(adLeads).toHaveLength(conversions);
    }
  });

  it("keeps keyword totals within their campaign's and the keyword on the campaign's business", () => {
    const campaigns = new Map(data.campaigns.map((c) => [c.id, c]));
    const sums = new Map<
      string,
      { spend: number; clicks: number; impressions: number; conversions: number }
    >();
    for (const keyword of data.keywords) {
      const campaign = campaigns.get(keyword.campaign_id);
      expect(campaign).toBeDefined();
      expect(keyword.user_id).toBe(campaign?.user_id);
      expect(keyword.quality_score).toBeGreaterThanOrEqual(1);
      expect(keyword.quality_score).toBeLessThanOrEqual(10);
      expect(['exact', 'phrase', 'broad']).toContain(keyword.match_type);
      expect(Number(keyword.max_cpc)).toBeGreaterThan(0);
      expect(keyword.total_conversions).toBeLessThanOrEqual(keyword.total_clicks);
      expect(keyword.total_clicks).toBeLessThanOrEqual(keyword.total_impressions);
      const sum = sums.get(keyword.campaign_id) ?? {
        spend: 0,
        clicks: 0,
        impressions: 0,
        conversions: 0,
      };
      sum.spend += cents(keyword.total_spend);
      sum.clicks += keyword.total_clicks;
      sum.impressions += keyword.total_impressions;
      sum.conversions += keyword.total_conversions;
      sums.set(keyword.campaign_id, sum);
    }
    for (const [id, sum] of sums) {
      const campaign = campaigns.get(id);
      if (!campaign) throw new Error(`no campaign ${id}`);
      expect(sum.spend).toBeLessThanOrEqual(cents(campaign.total_spend));
      expect(sum.clicks).toBeLessThanOrEqual(campaign.total_clicks);
      expect(sum.impressions).toBeLessThanOrEqual(campaign.total_impressions);
      expect(sum.conversions).toBeLessThanOrEqual(campaign.total_conversions);
    }
  });

  it('threads texts: replies point at the outbound text they answer, which is stamped replied', () => {
    const texts = new Map(data.sms_logs.map((sms) => [sms.id, sms]));
    let replies = 0;
    for (const sms of data.sms_logs) {
      expect(sms.provider).toBe('twilio');
      if (sms.direction === 'outbound') {
        expect(['delivered', 'failed', 'replied', 'sent']).toContain(sms.status);
        expect(sms.error_message !== null).toBe(sms.status === 'failed');
        if (sms.status === 'delivered' || sms.status === 'replied')
          expect(sms.delivered_at).not.toBeNull();
        expect(sms.replied_at !== null).toBe(sms.status === 'replied');
      } else {
        expect(sms.status).toBe('received');
      }
      if (sms.reply_to_sms_id === null) continue;
      replies++;
      const parent = texts.get(sms.reply_to_sms_id);
      expect(sms.direction).toBe('inbound');
      expect(parent?.direction).toBe('outbound');
      expect(parent?.lead_id).toBe(sms.lead_id);
      expect(parent?.status).toBe('replied');
      expect(parent?.replied_at).toBe(sms.created_at);
      expect(ms(parent?.created_at ?? null) as number).toBeLessThan(ms(sms.created_at) as number);
    }
    expect(replies).toBeGreaterThan(100);
    // Missed calls are texted back after the workflow's 60-second delay.
    const missed = data.sms_logs.filter((s) =>
      s.message_text.includes('Sorry we missed your call'),
    );
    expect(missed.length).toBeGreaterThan(100);
  });

  it('gives answered calls a recording and links calls to leads', () => {
    for (const call of data.call_logs) {
      expect(call.recording_url !== null).toBe(call.call_status === 'answered');
      expect(ms(call.ended_at) as number).toBeGreaterThanOrEqual(ms(call.created_at) as number);
      if (
        call.call_status === 'no_answer' ||
        call.call_status === 'busy' ||
        call.call_status === 'failed'
      ) {
        expect(call.call_duration).toBe(0);
      }
    }
    expect(data.call_logs.filter((c) => c.lead_id !== null).length).toBeGreaterThan(
      data.call_logs.length * 0.9,
    );
  });

  it('has one active subscription per business whose period contains the clock', () => {
    const stops = clockStops(data);
    expect(data.subscriptions).toHaveLength(data.users.length);
    for (const subscription of data.subscriptions) {
      expect(subscription.status).toBe('active');
      expect(subscription.stripe_subscription_id).toMatch(/^sub_demo_/);
      expect(['Basic', 'Pro', 'Enterprise']).toContain(subscription.plan_name);
      const stop = stops.get(subscription.user_id) as number;
      expect(ms(subscription.current_period_start) as number).toBeLessThanOrEqual(stop);
      expect(ms(subscription.current_period_end) as number).toBeGreaterThan(stop);
    }
  });

  it('configures all five workflows for every business', () => {
    for (const user of data.users) {
      const flows = data.workflows.filter((w) => w.user_id === user.id);
      expect(flows.map((w) => w.workflow_type).sort()).toEqual([...workflowTypes].sort());
      const missedCall = flows.find((w) => w.workflow_type === 'missed_call');
      const config = missedCall?.config ?? {};
      expect(config.delay_seconds).toBe(60);
      expect(config.message_template).toEqual(expect.stringContaining('{business_name}'));
      expect(config.message_template).toEqual(expect.stringContaining('{customer_name}'));
      expect(typeof config.after_hours_template).toBe('string');
      expect(config.business_hours).toMatchObject({ timezone: user.timezone });
      expect(Array.isArray(config.emergency_words)).toBe(true);
      for (const flow of flows)
        expect(flow.total_completed).toBeLessThanOrEqual(flow.total_triggered);
    }
    const johns = data.workflows.find(
      (w) => w.user_id === data.users[0]?.id && w.workflow_type === 'missed_call',
    );
    const textBacks = data.sms_logs.filter(
      (s) =>
        s.user_id === data.users[0]?.id &&
        s.direction === 'outbound' &&
        /Sorry we missed your call|We're closed right now/.test(s.message_text),
    );
    expect(johns?.total_triggered).toBe(textBacks.length);
  });

  it('writes agent actions as JSON objects, pending ones without completed_at', () => {
    for (const log of data.ai_agent_logs) {
      expect(typeof log.action_data).toBe('object');
      expect(Array.isArray(log.action_data)).toBe(false);
      expect(log.completed_at === null).toBe(log.result === 'pending');
      if (log.completed_at) {
        expect(ms(log.completed_at) as number).toBeGreaterThanOrEqual(ms(log.created_at) as number);
      }
    }
  });

  it('scales: more businesses above 1, fewer leads per business below 1', () => {
    const small = generateDemoData({ today, scale: 0.1, businesses: 2, months: 2 });
    expect(small.users).toHaveLength(2);
    const johnsSmall = small.leads.filter((l) => l.user_id === small.users[0]?.id).length;
    expect(johnsSmall).toBeLessThan(
      data.leads.filter((l) => l.user_id === data.users[0]?.id).length / 30,
    );
    expect(small.financials.filter((f) => f.user_id === small.users[0]?.id)).toHaveLength(59);

    const big = generateDemoData({ today, scale: 5, businesses: 4, months: 1 });
    expect(big.users).toHaveLength(20);
    expect(new Set(big.users.map((u) => u.email)).size).toBe(20);
    expect(new Set(big.subscriptions.map((s) => s.stripe_subscription_id)).size).toBe(20);
    // Businesses 16–19 share 0–3's area codes, not their numbers.
    expect(new Set(big.tracking_numbers.map((t) => t.phone_number)).size).toBe(80);
    expect(big.tracking_numbers.find((t) => t.user_id === big.users[16]?.id)?.phone_number).toBe(
      '+15125550104',
    );
  });

  it('refuses options it cannot honour', () => {
    expect(() => generateDemoData({ today: '2026-02-30' })).toThrow(/not a real calendar date/);
    expect(() => generateDemoData({ today: '15/03/2026' })).toThrow(/YYYY-MM-DD/);
    expect(() => generateDemoData({ today, scale: 0 })).toThrow(/scale/);
    expect(() => generateDemoData({ today, businesses: 0 })).toThrow(/businesses/);
    expect(() => generateDemoData({ today, seed: 1.5 })).toThrow(/seed/);
    expect(() => generateDemoData({ today, businesses: 4, scale: 1001 })).toThrow(
      /tracking numbers/,
    );
  });
});
