import pg from 'pg';
import { DUMMY_PASSWORD_HASH } from '../../sync-server/auth/accounts.ts';

/**
 * The analytics benchmark's data: N businesses with a year each, generated inside PostgreSQL with
 * set-based SQL (`INSERT … SELECT … FROM generate_series`), never row by row. Per business:
 * - the `users` row (a US time zone of five, city and state to match), its owner in `members` and
 *   a live `auth_sessions` row, so the bench can sign access tokens itself (no argon2 login);
 * - one active subscription (Basic, Pro or Enterprise);
 * - 8–12 campaigns, active, paused and ended, with a year's totals (keywords optional);
 * - 3–7 leads a day (5 on average) over 365 days, during business hours in the business's zone;
 *   the older a lead, the likelier it is finished (older than two weeks: 42% completed, 42% lost),
 *   with quoted amounts skewed as repairs and the odd install are ($120–$8,120, median ~$370),
 *   actual amounts within ±15% of the quote, and every stage's time stamp in order
 *   (contacted < quoted < booked < completed, none after now);
 * - 365 financials rows, one per day of the business's calendar up to its today, whose lead counts
 *   and revenue are the leads' own (counted by the day each was created, revenue by the day it
 *   was completed) and whose ad spend is the campaigns' budgets give or take;
 * - about one agent action a day (the five agents in turn; a few failed or pending).
 *
 * The leads are inserted a month at a time for all businesses at once, ordered by creation time,
 * so each business's rows are spread over the table as a year of real traffic leaves them (not
 * one business's year in a contiguous run of pages, which would flatter the uncached reads).
 * The change-capture triggers log every inserted row of the synced tables and of subscriptions, as
 * they do in production. VACUUM (ANALYZE) runs at the end (see there why VACUUM too).
 */

export interface LoadOptions {
  businesses: number;
  /** Days of history, today included (default 365). */
  days?: number;
  /** Keywords per campaign (default 0: the analytics read none). */
  keywordsPerCampaign?: number;
  /**
   * Connections that insert at once, each a share of the businesses (default 2). Their statements
   * touch disjoint businesses, so the capture triggers' sync_heads row locks never make one wait.
   */
  workers?: number;
  log?: (line: string) => void;
}

export interface BenchBusiness {
  /** 1…N, the order the businesses were made in. */
  n: number;
  id: string;
  memberId: string;
  sessionId: string;
  timezone: string;
}

export interface LoadedData {
  businesses: BenchBusiness[];
  /** Rows per table after the load (change_log and sync_heads included). */
  rows: Record<string, number>;
  /** Seconds per step, and `total`. */
  seconds: Record<string, number>;
  /** pg_database_size after ANALYZE, MiB. */
  databaseMiB: number;
}

/** The zones the businesses are in (weights by population, roughly), with a city and state each. */
const ZONES = [
  ['America/New_York', 'Atlanta', 'GA', 40],
  ['America/Chicago', 'Austin', 'TX', 30],
  ['America/Denver', 'Denver', 'CO', 10],
  ['America/Phoenix', 'Phoenix', 'AZ', 5],
  ['America/Los_Angeles', 'Sacramento', 'CA', 15],
] as const;

/** A SQL array literal of strings (the values are this file's constants, not input). */
const textArray = (values: readonly string[]) =>
  `ARRAY[${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ')}]::text[]`;

/** The zone of business n (1-based), by the weights above, as a SQL expression of `n`. */
function zoneExpression(column: 0 | 1 | 2, n: string): string {
  const expanded = ZONES.flatMap((zone) => Array<string>(zone[3]).fill(zone[column]));
  return `(${textArray(expanded)})[1 + (${n} * 37) % ${expanded.length}]`;
}

export async function loadAnalyticsData(url: string, options: LoadOptions): Promise<LoadedData> {
  const days = options.days ?? 365;
  const keywordsPerCampaign = options.keywordsPerCampaign ?? 0;
  const log = options.log ?? (() => undefined);
  const n = options.businesses;
  if (!Number.isInteger(n) || n < 1) throw new Error(`businesses must be ≥ 1, got ${n}`);
  if (!Number.isInteger(days) || days < 1) throw new Error(`days must be ≥ 1, got ${days}`);

  const workers = Math.max(1, Math.min(options.workers ?? 2, n));
  const clients = Array.from({ length: workers }, () => {
    const worker = new pg.Client({ connectionString: url });
    // A connection that dies (the database dropped on Ctrl-C) fails its query; no crash besides.
    worker.on('error', () => undefined);
    return worker;
  });
  const client = clients[0] as pg.Client;
  const seconds: Record<string, number> = {};
  const started = performance.now();
  const step = async (name: string, statements: () => Promise<unknown>) => {
    const t = performance.now();
    await statements();
    seconds[name] = (seconds[name] ?? 0) + (performance.now() - t) / 1000;
  };
  /**
   * One statement per worker at once, each over its share of the businesses: `share(alias)` is the
   * condition on `bench_business` AS alias that picks them (n % workers = the worker's number).
   */
  const everyWorker = (text: (share: (alias: string) => string) => string, params: unknown[]) =>
    Promise.all(
      clients.map((worker, w) =>
        worker.query(
          text((alias) => `${alias}.n % ${workers} = ${w}`),
          params,
        ),
      ),
    );
  try {
    await Promise.all(clients.map((worker) => worker.connect()));
    // Sorts for ORDER BY and for the capture trigger's array_agg stay in memory; no JIT (these
    // statements' estimates are large enough that each would be compiled for ~1 s, longer than it
    // runs at a small size); fixed randomness, per worker.
    await Promise.all(
      clients.map(async (worker, w) => {
        await worker.query(`SET jit = off`);
        await worker.query(`SET work_mem = '256MB'`);
        await worker.query(`SELECT setseed(${(0.42 + w / 100).toFixed(2)})`);
      }),
    );

    await step('users', async () => {
      await client.query(
        `INSERT INTO users (email, password_hash, business_name, owner_name, primary_phone,
                            business_address, city, state, zip_code, timezone, service_types,
                            service_area, years_in_business, onboarding_completed, onboarding_step,
                            created_at, updated_at)
         SELECT 'owner' || g || '@bench-analytics.example', $1,
                (ARRAY['Rapid', 'Reliable', 'Summit', 'Blue Line', 'Family', 'Precision'])[1 + g % 6]
                  || ' ' || (ARRAY['Plumbing', 'HVAC', 'Heating & Air', 'Electric', 'Rooter'])[1 + g % 5]
                  || ' #' || g,
                (ARRAY['Pat', 'Sam', 'Alex', 'Jordan', 'Casey'])[1 + g % 5] || ' Owner ' || g,
                '+1512' || lpad(g::text, 7, '0'),
                (100 + g) || ' Main St', ${zoneExpression(1, 'g')}, ${zoneExpression(2, 'g')},
                lpad((10000 + g % 89999)::text, 5, '0'), ${zoneExpression(0, 'g')},
                CASE g % 3 WHEN 0 THEN ARRAY['plumbing', 'drain_cleaning']
                           WHEN 1 THEN ARRAY['hvac', 'plumbing'] ELSE ARRAY['electrical', 'hvac'] END,
                ${zoneExpression(1, 'g')} || ' - 30 mile radius', 1 + g % 30, true, 5,
                now() - interval '400 days', now() - interval '400 days'
           FROM generate_series(1, $2::int) AS g`,
        [DUMMY_PASSWORD_HASH, n],
      );
      // The business number, zone and today (its own calendar day) for every statement below;
      // a table of the temporary database (every worker reads it), dropped at the end.
      await client.query(
        `CREATE UNLOGGED TABLE bench_business AS
           SELECT id, substring(email FROM '^owner(\\d+)@')::int AS n, timezone,
                  (now() AT TIME ZONE timezone)::date AS today
             FROM users WHERE email LIKE 'owner%@bench-analytics.example'`,
      );
      await client.query(`ALTER TABLE bench_business ADD PRIMARY KEY (n)`);
      await client.query(`CREATE UNIQUE INDEX ON bench_business (id)`);
      await client.query(`ANALYZE bench_business`);
      await client.query(
        `INSERT INTO members (user_id, email, password_hash, name, role, created_at)
         SELECT u.id, u.email, u.password_hash, u.owner_name, 'owner', u.created_at
           FROM users u JOIN bench_business b ON b.id = u.id`,
      );
      // A session that outlives any benchmark, as a signed-in desktop has.
      await client.query(
        `INSERT INTO auth_sessions (member_id, user_id, device_id, device_name, expires_at)
         SELECT m.id, m.user_id, 'bench-desktop', 'Office desktop', now() + interval '7 days'
           FROM members m JOIN bench_business b ON b.id = m.user_id`,
      );
    });

    await step('subscriptions', () =>
      client.query(
        `INSERT INTO subscriptions (user_id, stripe_subscription_id, stripe_price_id, plan_name,
                                    amount, status, current_period_start, current_period_end,
                                    created_at)
         SELECT b.id, 'sub_bench_' || b.n, 'price_' || lower(p.plan), p.plan, p.amount, 'active',
                now() - make_interval(days => b.n % 28),
                now() - make_interval(days => b.n % 28) + interval '1 month',
                now() - interval '365 days'
           FROM bench_business b
           CROSS JOIN LATERAL (
             SELECT (ARRAY['Pro', 'Pro', 'Pro', 'Pro', 'Pro', 'Basic', 'Basic', 'Basic',
                           'Enterprise', 'Enterprise'])[1 + b.n % 10] AS plan
           ) AS named
           CROSS JOIN LATERAL (
             SELECT named.plan,
                    CASE named.plan WHEN 'Basic' THEN 49.00 WHEN 'Pro' THEN 99.00 ELSE 249.00 END
                      AS amount
           ) AS p`,
      ),
    );

    await step('campaigns', async () => {
      await client.query(
        `INSERT INTO campaigns (user_id, campaign_id, campaign_name, campaign_type, daily_budget,
                                monthly_budget, status, total_spend, total_clicks,
                                total_impressions, total_conversions, created_at, updated_at,
                                last_synced_at)
         SELECT user_id, campaign_id, campaign_name, campaign_type, daily_budget,
                CASE WHEN c % 3 = 0 THEN NULL ELSE round(daily_budget * 30.4, 2) END, status,
                round((clicks * cpc)::numeric, 2), clicks, impressions, round(clicks * cvr)::int,
                now() - interval '380 days' + make_interval(days => c * 20), now(), now()
           FROM (
             SELECT chosen.*, round(impressions * ctr)::int AS clicks FROM (
             SELECT b.id AS user_id, c, 'bench-' || b.n || '-' || c AS campaign_id,
                    (ARRAY['Emergency', 'Water heater', 'Drain cleaning', 'AC repair',
                           'Furnace tune-up', 'Leak detection', 'Remodel', 'Brand'])[1 + (b.n + c) % 8]
                      || ' ' || (ARRAY['search', 'local', 'retargeting'])[1 + c % 3] || ' ' || c
                      AS campaign_name,
                    CASE WHEN c % 7 = 0 THEN 'video' WHEN c % 5 = 0 THEN 'display' ELSE 'search' END
                      AS campaign_type,
                    (20 + (b.n * 31 + c * 17) % 130)::numeric(10,2) AS daily_budget,
                    (ARRAY['active', 'active', 'paused', 'ended'])[1 + (b.n + c) % 4] AS status,
                    (5000 + random() * 200000)::int AS impressions, 0.02 + random() * 0.06 AS ctr,
                    1.5 + random() * 6.5 AS cpc, 0.05 + random() * 0.10 AS cvr
               FROM bench_business b
               CROSS JOIN LATERAL generate_series(1, 8 + (b.n * 3) % 5) AS c
             ) AS chosen
           ) AS made`,
      );
      if (keywordsPerCampaign > 0) {
        await client.query(
          `INSERT INTO keywords (user_id, campaign_id, keyword_text, match_type, max_cpc,
                                 quality_score, status, total_spend, total_clicks,
                                 total_impressions, total_conversions)
           SELECT c.user_id, c.id,
                  (ARRAY['emergency plumber', 'water heater repair', 'drain cleaning near me',
                         'ac repair', 'furnace repair', 'leak detection', 'plumber', 'hvac company'])
                    [1 + k % 8] || ' ' || k,
                  (ARRAY['exact', 'phrase', 'broad'])[1 + k % 3], (1 + k % 9)::numeric(10,2),
                  1 + k % 10, (ARRAY['active', 'active', 'paused', 'removed'])[1 + k % 4],
                  round(c.total_spend / $1::int, 2), c.total_clicks / $1::int,
                  c.total_impressions / $1::int, c.total_conversions / $1::int
             FROM campaigns c JOIN bench_business b ON b.id = c.user_id
             CROSS JOIN generate_series(1, $1::int) AS k`,
          [keywordsPerCampaign],
        );
      }
    });

    // Leads, a month of days at a time for every business, oldest first, in creation order.
    const chunkDays = 30;
    for (let newest = days - 1; newest >= 0; newest -= chunkDays) {
      const oldest = Math.max(0, newest - chunkDays + 1);
      await step('leads', () =>
        everyWorker(
          (share) => `INSERT INTO leads (user_id, customer_phone, customer_name, customer_email,
                              customer_address, source, service_type, urgency, description,
                              status, pipeline_stage, quoted_amount, actual_amount, created_at,
                              updated_at, contacted_at, quoted_at, booked_at, completed_at,
                              lost_at, lost_reason)
           SELECT user_id, customer_phone, customer_name, customer_email, customer_address,
                  source, service_type, urgency, description, status,
                  CASE status WHEN 'new' THEN 'lead' WHEN 'contacted' THEN 'opportunity'
                              WHEN 'quoted' THEN 'proposal' WHEN 'booked' THEN 'negotiation'
                              ELSE 'closed' END,
                  quoted_amount,
                  CASE WHEN status = 'completed'
                       THEN round(quoted_amount * (0.85 + r7 * 0.30)::numeric, 2) END,
                  created_at,
                  GREATEST(created_at, contacted_at, quoted_at, booked_at, completed_at, lost_at),
                  contacted_at, quoted_at, booked_at, completed_at, lost_at,
                  CASE WHEN status = 'lost'
                       THEN (ARRAY['Went with another company', 'Price too high', 'No answer',
                                   'Fixed it themselves', 'Out of service area'])[1 + (r4 * 5)::int % 5]
                  END
             FROM (
               SELECT s.*,
                      CASE WHEN status <> 'new'
                           THEN LEAST(now(), created_at + make_interval(mins => 5 + (r3 * 115)::int))
                      END AS contacted_at,
                      CASE WHEN status IN ('quoted', 'booked', 'completed')
                             OR (status = 'lost' AND r3 < 0.5)
                           THEN LEAST(now(), created_at + x_quoted) END AS quoted_at,
                      CASE WHEN status IN ('booked', 'completed')
                           THEN LEAST(now(), created_at + x_booked) END AS booked_at,
                      CASE WHEN status = 'completed'
                           THEN LEAST(now(), created_at + x_completed) END AS completed_at,
                      CASE WHEN status = 'lost'
                           THEN LEAST(now(), created_at + x_quoted + make_interval(hours => (r5 * 120)::int))
                      END AS lost_at,
                      CASE WHEN status IN ('quoted', 'booked', 'completed')
                             OR (status = 'lost' AND r3 < 0.5)
                           THEN round((120 + r6 ^ 5 * 8000)::numeric, 2) END AS quoted_amount
                 FROM (
                   SELECT t.*,
                          CASE
                            WHEN d >= 14 THEN
                              CASE WHEN r2 < 0.42 THEN 'completed' WHEN r2 < 0.84 THEN 'lost'
                                   WHEN r2 < 0.88 THEN 'booked' WHEN r2 < 0.95 THEN 'quoted'
                                   WHEN r2 < 0.99 THEN 'contacted' ELSE 'new' END
                            WHEN d >= 3 THEN
                              CASE WHEN r2 < 0.30 THEN 'completed' WHEN r2 < 0.50 THEN 'lost'
                                   WHEN r2 < 0.70 THEN 'booked' WHEN r2 < 0.85 THEN 'quoted'
                                   WHEN r2 < 0.95 THEN 'contacted' ELSE 'new' END
                            ELSE
                              CASE WHEN r2 < 0.05 THEN 'completed' WHEN r2 < 0.10 THEN 'lost'
                                   WHEN r2 < 0.25 THEN 'booked' WHEN r2 < 0.45 THEN 'quoted'
                                   WHEN r2 < 0.75 THEN 'contacted' ELSE 'new' END
                          END AS status,
                          make_interval(hours => 3 + (r4 * 45)::int,
                                        mins => 5 + (r3 * 115)::int) AS x_quoted,
                          make_interval(hours => 9 + (r4 * 45)::int + (r5 * 66)::int,
                                        mins => 5 + (r3 * 115)::int) AS x_booked,
                          make_interval(hours => 13 + (r4 * 45)::int + (r5 * 66)::int
                                                 + (r6 * 164)::int,
                                        mins => 5 + (r3 * 115)::int) AS x_completed
                     FROM (
                       SELECT b.id AS user_id, d,
                              '+1' || (ARRAY['512', '737', '210', '214', '303', '404', '602', '916'])
                                        [1 + (b.n + k) % 8]
                                   || lpad(((b.n * 7919 + d * 613 + k * 97) % 10000000)::text, 7, '0')
                                AS customer_phone,
                              CASE WHEN random() < 0.8
                                   THEN (ARRAY['Maria', 'James', 'Linda', 'Robert', 'Patricia',
                                               'Michael', 'Jennifer', 'David'])[1 + (d + k) % 8]
                                        || ' ' || (ARRAY['Garcia', 'Smith', 'Johnson', 'Brown',
                                                         'Jones', 'Miller', 'Davis', 'Wilson'])
                                                  [1 + (b.n + d * 3 + k) % 8]
                              END AS customer_name,
                              CASE WHEN random() < 0.4
                                   THEN 'customer' || b.n || '.' || d || '.' || k || '@example.com'
                              END AS customer_email,
                              CASE WHEN random() < 0.6 THEN (10 + (d * 31 + k) % 9000) || ' Oak Ave' END
                                AS customer_address,
                              (ARRAY['missed_call', 'missed_call', 'missed_call', 'missed_call',
                                     'missed_call', 'missed_call', 'missed_call', 'google_ads',
                                     'google_ads', 'google_ads', 'google_ads', 'google_ads',
                                     'google_ads', 'google_ads', 'website', 'website', 'website',
                                     'website', 'referral', 'referral'])[1 + (random() * 20)::int % 20]
                                AS source,
                              (ARRAY['drain cleaning', 'water heater', 'leak repair', 'ac repair',
                                     'furnace repair', 'toilet repair', 'sewer line',
                                     'panel upgrade'])[1 + (random() * 8)::int % 8] AS service_type,
                              (ARRAY['high', 'medium', 'medium', 'low'])[1 + (random() * 4)::int % 4]
                                AS urgency,
                              'Customer called about a problem at home; asks for a visit this week'
                                AS description,
                              LEAST(now() - make_interval(mins => k),
                                    ((b.today - d) + time '07:00'
                                       + make_interval(secs => (random() * 43200)::int))
                                      AT TIME ZONE b.timezone) AS created_at,
                              random() AS r2, random() AS r3, random() AS r4, random() AS r5,
                              random() AS r6, random() AS r7
                         FROM bench_business b
                         CROSS JOIN generate_series($1::int, $2::int) AS d
                         CROSS JOIN LATERAL generate_series(1, 3 + (b.n * 7 + d * 13) % 5) AS k
                        WHERE ${share('b')}
                     ) AS t
                 ) AS s
             ) AS finished
            ORDER BY created_at`,
          [oldest, newest],
        ),
      );
    }

    await step('financials', () =>
      everyWorker(
        (share) => `INSERT INTO financials (user_id, date, ad_spend, platform_fee, other_costs,
                                 leads_generated, leads_contacted, leads_quoted, leads_booked,
                                 leads_completed, leads_lost, revenue, created_at, updated_at)
         SELECT b.id, days.day, round(coalesce(budget.total, 50) * (0.55 + random() * 0.4)::numeric, 2),
                round(sub.amount / 30, 2), round((random() * 40)::numeric, 2),
                coalesce(made.generated, 0), coalesce(made.contacted, 0),
                coalesce(made.quoted, 0), coalesce(made.booked, 0), coalesce(made.completed, 0),
                coalesce(made.lost, 0), coalesce(paid.revenue, 0),
                days.day + time '23:55', now()
           FROM bench_business b
           CROSS JOIN LATERAL generate_series(0, $1::int - 1) AS d
           CROSS JOIN LATERAL (SELECT b.today - d AS day) AS days
           LEFT JOIN (
             SELECT user_id, sum(daily_budget) AS total
               FROM campaigns WHERE status = 'active' GROUP BY user_id
           ) AS budget ON budget.user_id = b.id
           JOIN subscriptions sub ON sub.user_id = b.id
           LEFT JOIN (
             SELECT l.user_id, (l.created_at AT TIME ZONE bb.timezone)::date AS day,
                    count(*) AS generated, count(contacted_at) AS contacted,
                    count(quoted_at) AS quoted, count(booked_at) AS booked,
                    count(completed_at) AS completed, count(lost_at) AS lost
               FROM leads l JOIN bench_business bb ON bb.id = l.user_id
              WHERE ${share('bb')}
              GROUP BY 1, 2
           ) AS made ON made.user_id = b.id AND made.day = days.day
           LEFT JOIN (
             SELECT l.user_id, (l.completed_at AT TIME ZONE bb.timezone)::date AS day,
                    sum(actual_amount) AS revenue
               FROM leads l JOIN bench_business bb ON bb.id = l.user_id
              WHERE l.completed_at IS NOT NULL AND ${share('bb')}
              GROUP BY 1, 2
           ) AS paid ON paid.user_id = b.id AND paid.day = days.day
          WHERE ${share('b')}
          ORDER BY days.day, b.n`,
        [days],
      ),
    );

    await step('ai_agent_logs', () =>
      everyWorker(
        (
          share,
        ) => `INSERT INTO ai_agent_logs (user_id, agent_name, action_type, action_data, result,
                                    result_message, estimated_impact, created_at, completed_at)
         SELECT user_id, agent, action_type, action_data, result,
                CASE result WHEN 'failed' THEN 'The provider did not answer; will retry'
                            WHEN 'success' THEN 'Done' END,
                impact, created_at,
                CASE WHEN result <> 'pending'
                     THEN LEAST(now(), created_at + make_interval(secs => 1 + (r * 8)::int)) END
           FROM (
             SELECT b.id AS user_id,
                    (ARRAY['monitor', 'cx', 'diagnostic', 'optimizing', 'retention'])[1 + (b.n + d) % 5]
                      AS agent,
                    (ARRAY['detect_anomaly', 'send_followup', 'diagnose_cpl', 'adjust_bids',
                           'churn_risk_check'])[1 + (b.n + d) % 5] AS action_type,
                    jsonb_build_object('day', (b.today - d)::text, 'metric', 'cpl',
                                       'value', round((20 + random() * 60)::numeric, 2)) AS action_data,
                    CASE WHEN random() < 0.9 THEN 'success'
                         WHEN random() < 0.5 THEN 'failed' ELSE 'pending' END AS result,
                    CASE WHEN (b.n + d) % 5 = 3
                         THEN jsonb_build_object('cpl_change', -round((random() * 8)::numeric, 2))
                         WHEN (b.n + d) % 5 = 4
                         THEN jsonb_build_object('monthly_savings', (random() * 300)::int)
                    END AS impact,
                    ((b.today - d) + time '06:05' + make_interval(secs => (random() * 600)::int))
                      AT TIME ZONE b.timezone AS created_at,
                    random() AS r
               FROM bench_business b
               CROSS JOIN generate_series(0, $1::int - 1) AS d
              WHERE ${share('b')}
           ) AS a
          WHERE created_at <= now()
          ORDER BY created_at`,
        [days],
      ),
    );

    const { rows: businessRows } = await client.query<{
      n: number;
      id: string;
      memberId: string;
      sessionId: string;
      timezone: string;
    }>(
      `SELECT b.n, b.id::text AS id, s.member_id::text AS "memberId", s.id::text AS "sessionId",
              b.timezone
         FROM bench_business b JOIN auth_sessions s ON s.user_id = b.id
        ORDER BY b.n`,
    );
    await client.query(`DROP TABLE bench_business`);
    // VACUUM as well as ANALYZE: a year-old table's pages are all-visible in production
    // (autovacuum has long been through them), so a business's leads by status is an index-only
    // scan of idx_leads_user_status. Straight after a bulk load none is, and the same query reads
    // one heap page per lead (~1,600 pages, 75 ms cold at 200 businesses) — until autovacuum
    // gets to the table at a moment of its choosing, in the middle of a measurement.
    await step('vacuum', () => client.query('VACUUM (ANALYZE)'));
    const rows: Record<string, number> = {};
    for (const table of [
      'users',
      'members',
      'auth_sessions',
      'subscriptions',
      'campaigns',
      'keywords',
      'leads',
      'financials',
      'ai_agent_logs',
      'change_log',
      'sync_heads',
    ]) {
      const { rows: counted } = await client.query<{ count: number }>(
        `SELECT count(*)::int AS count FROM ${table}`,
      );
      rows[table] = counted[0]?.count ?? 0;
    }
    const { rows: size } = await client.query<{ bytes: string }>(
      `SELECT pg_database_size(current_database())::text AS bytes`,
    );
    seconds.total = (performance.now() - started) / 1000;
    const databaseMiB = Number(size[0]?.bytes ?? 0) / 2 ** 20;
    log(
      `loaded ${n} businesses × ${days} days in ${seconds.total.toFixed(1)} s (${Object.entries(
        seconds,
      )
        .filter(([name]) => name !== 'total')
        .map(([name, s]) => `${name} ${s.toFixed(1)} s`)
        .join(', ')}); database ${databaseMiB.toFixed(0)} MiB`,
    );
    log(
      `rows: ${Object.entries(rows)
        .map(([table, count]) => `${table} ${count.toLocaleString('en-US')}`)
        .join(', ')}`,
    );
    return { businesses: businessRows, rows, seconds, databaseMiB };
  } finally {
    await Promise.all(clients.map((worker) => worker.end()));
  }
}
