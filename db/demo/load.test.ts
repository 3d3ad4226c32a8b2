import { sql } from 'drizzle-orm';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { verifyPassword } from '../passwords.ts';
import { type AppDatabase, queryRows } from '../postgres/client.ts';
import { generateDemoData } from './generate.ts';
import { isDemoSeeded, loadDemoData, localToday, seedDemoIfEmpty } from './load.ts';
import { type DemoCounts, type DemoData, countRows, demoColumns, demoTables } from './types.ts';
import { businessTemplates } from './catalog.ts';
import { intlOffsetMinutes } from './time.ts';

const password = 'correct horse battery staple';
/** Small on purpose: two businesses, two months, a tenth of the volume (PGlite is slow to start). */
const small = { today: '2026-03-15', businesses: 2, scale: 0.1, months: 2 } as const;

async function countTables(db: AppDatabase): Promise<DemoCounts> {
  const counts = {} as Record<string, number>;
  for (const table of demoTables) {
    const [row] = await queryRows<{ n: number | string }>(
      db,
      sql`SELECT count(*)::int AS n FROM ${sql.identifier(table)}`,
    );
    counts[table] = Number(row?.n);
  }
  return counts as DemoCounts;
}

const zero = Object.fromEntries(demoTables.map((table) => [table, 0])) as DemoCounts;

describe.each(backends)('demo data on %s', (backend) => {
  let data: DemoData;
  let t: TestDatabase | undefined;
  beforeAll(() => {
    data = generateDemoData(small);
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('loads every row: the database holds exactly the generated counts', async () => {
    t = await createTestDatabase(backend);
    expect(await isDemoSeeded(t.db)).toBe(false);
    const counts = await loadDemoData(t.db, data, { password });
    expect(counts).toEqual(countRows(data));
    expect(await countTables(t.db)).toEqual(counts);
    expect(await isDemoSeeded(t.db)).toBe(true);

    // Postgres computed the generated columns from what was loaded.
    const [day] = await queryRows<{ cpl: string; expected: string }>(
      t.db,
      sql`SELECT cpl::text AS cpl, round(ad_spend / leads_generated, 2)::text AS expected
          FROM financials WHERE leads_generated > 0 ORDER BY date LIMIT 1`,
    );
    expect(day?.cpl).toBe(day?.expected);
    // Values survive the JSON round trip: arrays, JSON objects, money, timestamps.
    const [john] = await queryRows<{ service_types: string[]; created_at: string }>(
      t.db,
      sql`SELECT service_types, to_json(created_at)#>>'{}' AS created_at FROM users WHERE email = 'john@plumbing.com'`,
    );
    expect(john?.service_types).toEqual(['plumbing', 'drain_cleaning']);
    expect(Date.parse(john?.created_at ?? '')).toBe(Date.parse(data.users[0]?.created_at ?? ''));
    const [workflow] = await queryRows<{ delay: number }>(
      t.db,
      sql`SELECT (config->>'delay_seconds')::int AS delay FROM workflows WHERE workflow_type = 'missed_call' LIMIT 1`,
    );
    expect(workflow?.delay).toBe(60);
  });

  it("loads the tracking numbers the webhooks look a called number up in, on each business's campaign", async () => {
    t = await createTestDatabase(backend);
    await loadDemoData(t.db, data, { password });
    const john = data.users.find((u) => u.email === 'john@plumbing.com');
    const adsNumber = data.tracking_numbers.find(
      (n) => n.user_id === john?.id && n.lead_source === 'google_ads',
    );
    if (!john || !adsNumber) throw new Error("no Google Ads number for John's Plumbing");
    // What sync-server/telephony/tracking-numbers.ts asks when Twilio posts a call to a number.
    const lookup = (phone: string) =>
      queryRows<Record<string, string | null>>(
        t!.db,
        sql`SELECT t.user_id::text AS business_id, u.business_name, t.lead_source,
                   t.campaign_id::text AS campaign_id,
                   coalesce(t.forward_to, u.primary_phone) AS forward_to
              FROM tracking_numbers t JOIN users u ON u.id = t.user_id
             WHERE t.phone_number = ${phone} AND t.active AND u.status = 'active'`,
      );
    const campaign = data.campaigns.find((c) => c.id === adsNumber.campaign_id);
    expect(campaign?.user_id).toBe(john.id);
    expect(await lookup(adsNumber.phone_number)).toEqual([
      {
        business_id: john.id,
        business_name: "John's Plumbing",
        lead_source: 'google_ads',
        campaign_id: campaign?.id,
        forward_to: john.primary_phone,
      },
    ]);
    expect(await lookup('+15125550199')).toEqual([]);

    // Every demo call to a business, and every text between it and a customer, went through one
    // of its own active numbers: the webhooks would have accepted all of them.
    const [stray] = await queryRows<{ calls: number; texts: number }>(
      t.db,
      sql`SELECT
            (SELECT count(*)::int FROM call_logs c
              WHERE c.call_direction = 'inbound' AND NOT EXISTS (
                SELECT 1 FROM tracking_numbers n
                 WHERE n.phone_number = c.called_phone AND n.user_id = c.user_id AND n.active))
              AS calls,
            (SELECT count(*)::int FROM sms_logs s
              WHERE NOT EXISTS (
                SELECT 1 FROM tracking_numbers n
                 WHERE n.user_id = s.user_id AND n.active
                   AND n.phone_number = CASE s.direction WHEN 'inbound' THEN s.to_phone
                                                         ELSE s.from_phone END))
              AS texts`,
    );
    expect(stray).toEqual({ calls: 0, texts: 0 });
    const [numbers] = await queryRows<{ n: number }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM tracking_numbers t
            JOIN campaigns c ON c.id = t.campaign_id AND c.user_id = t.user_id`,
    );
    expect(numbers?.n).toBe(data.users.length);
  });

  it("refuses a tracking number on another business's campaign, and loads nothing", async () => {
    t = await createTestDatabase(backend);
    const corrupted = structuredClone(data);
    const [first, second] = corrupted.users;
    const number = corrupted.tracking_numbers.find(
      (n) => n.user_id === first?.id && n.lead_source === 'google_ads',
    );
    const theirs = corrupted.campaigns.find((c) => c.user_id === second?.id);
    if (!number || !theirs) throw new Error('need two businesses with campaigns');
    number.campaign_id = theirs.id;
    const failure = await loadDemoData(t.db, corrupted, { password }).catch((e: unknown) => e);
    // The tenant trigger, not the foreign key: the campaign exists, but is another business's.
    expect(failure).toMatchObject({ code: 'CHECK_VIOLATION' });
    expect((failure as Error).message).toMatch(/tracking_numbers/);
    expect((failure as Error).message).toMatch(/campaign_id/);
    expect(await countTables(t.db)).toEqual(zero);
  });

  it('writes only columns the table has and Postgres does not generate', async () => {
    t = await createTestDatabase(backend);
    const rows = await queryRows<{ table_name: string; column_name: string }>(
      t.db,
      sql`SELECT table_name, column_name FROM information_schema.columns
          WHERE table_schema = 'public' AND is_generated = 'NEVER'`,
    );
    for (const table of demoTables) {
      const insertable = rows.filter((r) => r.table_name === table).map((r) => r.column_name);
      expect(insertable).toEqual(expect.arrayContaining([...demoColumns[table]]));
    }
  });

  it("hashes the demo password with argon2id: every demo login's works", async () => {
    t = await createTestDatabase(backend);
    await loadDemoData(t.db, data, { password });
    const users = await queryRows<{ email: string; password_hash: string }>(
      t.db,
      sql`SELECT email, password_hash FROM users ORDER BY email`,
    );
    expect(users).toHaveLength(2);
    const john = users.find((u) => u.email === 'john@plumbing.com');
    expect(john?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(john?.password_hash ?? '', password)).toBe(true);
    expect(await verifyPassword(john?.password_hash ?? '', 'demo-plumbing-2025')).toBe(false);
    // One hash, used for every demo login: the businesses and their members.
    const logins = await queryRows<{ email: string; role: string; password_hash: string }>(
      t.db,
      sql`SELECT email, role, password_hash FROM members ORDER BY email`,
    );
    expect(logins).toHaveLength(data.members.length);
    expect(logins.filter((m) => m.role === 'owner').map((m) => m.email)).toEqual(
      users.map((u) => u.email),
    );
    expect(new Set([...users, ...logins].map((u) => u.password_hash))).toEqual(
      new Set([john?.password_hash]),
    );
  });

  it('seedDemoIfEmpty loads a fresh database once, then leaves it alone', async () => {
    t = await createTestDatabase(backend);
    const first = await seedDemoIfEmpty(t.db, { ...small, businesses: 1, password });
    expect(first?.users).toBe(1);
    const before = await countTables(t.db);
    expect(before).toEqual(first);
    expect(await seedDemoIfEmpty(t.db, { ...small, password })).toBeNull();
    expect(await countTables(t.db)).toEqual(before);
  });

  it('leaves the database empty when a row fails midway, and says where', async () => {
    t = await createTestDatabase(backend);
    const corrupted = structuredClone(data);
    const last = corrupted.sms_logs.at(-1);
    if (!last) throw new Error('no texts generated');
    last.to_phone = '555-0100';
    const failure = await loadDemoData(t.db, corrupted, { password }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'CHECK_VIOLATION' });
    expect((failure as Error).message).toMatch(/sms_logs/);
    expect((failure as Error).message).toMatch(/Nothing was loaded/);
    expect(await countTables(t.db)).toEqual(zero);
  });

  it('inserts texts after the texts they answer, whatever order they are given in', async () => {
    t = await createTestDatabase(backend);
    const shuffled = { ...data, sms_logs: [...data.sms_logs].reverse() };
    expect(shuffled.sms_logs.some((sms) => sms.reply_to_sms_id !== null)).toBe(true);
    const counts = await loadDemoData(t.db, shuffled, { password });
    expect(await countTables(t.db)).toEqual(counts);
    const [threads] = await queryRows<{ n: number | string }>(
      t.db,
      sql`SELECT count(*)::int AS n FROM sms_logs reply JOIN sms_logs parent ON parent.id = reply.reply_to_sms_id`,
    );
    expect(Number(threads?.n)).toBe(data.sms_logs.filter((s) => s.reply_to_sms_id !== null).length);
  });

  it('replaces existing data when asked, in the same transaction', async () => {
    t = await createTestDatabase(backend);
    await loadDemoData(t.db, data, { password });
    const again = await loadDemoData(t.db, data, { password, replaceExisting: true });
    expect(await countTables(t.db)).toEqual(again);
    // The old businesses' numbers went with them (TRUNCATE users CASCADE): no duplicate refused.
    expect(again.tracking_numbers).toBe(data.tracking_numbers.length);
    // Without replacing, the same rows again are refused and nothing changes.
    const refused = await loadDemoData(t.db, data, { password }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'UNIQUE_VIOLATION' });
    expect(await countTables(t.db)).toEqual(again);
  });
});

describe('localToday (the demo day when none is given)', () => {
  it('is the latest day whose clock-stop has passed in every demo time zone: nothing is in the future', () => {
    const stopUtc = (day: string, zone: string): number => {
      const wall = Date.parse(`${day}T18:00:00Z`);
      return wall - intlOffsetMinutes(zone, wall) * 60_000;
    };
    const zones = [...new Set(businessTemplates.map((template) => template.timezone))];
    const nextDay = (day: string) =>
      new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    for (const at of [
      '2026-11-28T01:00:00Z',
      '2026-11-28T07:50:00Z',
      '2026-11-29T02:30:00Z',
      '2026-03-08T12:00:00Z', // a DST change in the US
      '2026-07-01T02:00:00Z',
    ]) {
      const now = Date.parse(at);
      const day = localToday(new Date(now));
      expect(
        zones.every((zone) => stopUtc(day, zone) <= now),
        `${at} → ${day}`,
      ).toBe(true);
      expect(
        zones.every((zone) => stopUtc(nextDay(day), zone) <= now),
        `${at}: ${day} is the latest`,
      ).toBe(false);
    }
  });
});
