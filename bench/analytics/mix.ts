import type pg from 'pg';
import { dayInZone } from '../../db/analytics/figures.ts';
import { percentile } from '../harness.ts';
import { type Answer, KeepAliveClient } from './http.ts';

/**
 * A realistic read/write mix against the analytics API: `clients` concurrent loops, each with its
 * own keep-alive connection and its own database connection. Each operation picks a business by a
 * Zipf-like popularity (rank k is asked for ∝ 1/k^s: a few busy businesses, a long quiet tail),
 * then reads (dashboard 40%, pipeline 20%, campaigns 15%, today's or yesterday's metrics 15%,
 * profile 10%) or writes with plain SQL, each write a transaction of its own committed before
 * the loop's next read (a new lead, a lead moved one stage on, a campaign's budget or status, the
 * day's financials, now and then a business renamed). Only operations started inside the timed
 * window (after the warm-up) are counted.
 */

export const routes = ['dashboard', 'pipeline', 'campaigns', 'metrics', 'profile'] as const;
export type Route = (typeof routes)[number];
const routeWeights: Record<Route, number> = {
  dashboard: 40,
  pipeline: 20,
  campaigns: 15,
  metrics: 15,
  profile: 10,
};

export const writeKinds = ['lead', 'leadStage', 'campaign', 'financials', 'rename'] as const;
export type WriteKind = (typeof writeKinds)[number];
const writeWeights: Record<WriteKind, number> = {
  lead: 35,
  leadStage: 30,
  campaign: 15,
  financials: 15,
  rename: 5,
};

export interface MixBusiness {
  id: string;
  token: string;
  timezone: string;
}

export interface MixOptions {
  serverUrl: string;
  businesses: readonly MixBusiness[];
  pool: pg.Pool;
  clients: number;
  seconds: number;
  warmupSeconds: number;
  /** Zipf exponent s (1 = classic Zipf). */
  zipf: number;
  /** The share of operations that are writes (0.1). */
  writeShare: number;
  seed: number;
}

export interface LatencyFigures {
  count: number;
  p50: number;
  p99: number;
}

export interface RouteFigures {
  reads: number;
  hits: number;
  misses: number;
  /** Answers that were neither (an error, or no Cache-Status). */
  other: number;
  /** hits / (hits + misses); NaN when there was no read. */
  hitRatio: number;
  all: LatencyFigures;
  hit: LatencyFigures;
  miss: LatencyFigures;
}

export interface MixResult {
  windowSeconds: number;
  reads: number;
  writes: number;
  readsPerSecond: number;
  writesPerSecond: number;
  errors: number;
  errorSamples: string[];
  overall: RouteFigures;
  routes: Record<Route, RouteFigures>;
  writesByKind: Record<WriteKind, number>;
  write: LatencyFigures;
  writeByKind: Record<WriteKind, LatencyFigures>;
  /** The share of reads that went to the 10 most popular businesses. */
  top10Share: number;
}

/** mulberry32: a small seeded generator, so every round picks the same sequence. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function weighted<T extends string>(weights: Record<T, number>): (r: number) => T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (r) => {
    let left = r * total;
    for (const [name, w] of entries) {
      left -= w;
      if (left < 0) return name;
    }
    return entries[entries.length - 1]![0];
  };
}

/** Business index by popularity: rank k (1-based) ∝ 1/k^s; ranks shuffled over the businesses. */
function zipfPicker(count: number, s: number, random: () => number): (r: number) => number {
  const order = Array.from({ length: count }, (_, i) => i);
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const cdf = new Float64Array(count);
  let sum = 0;
  for (let k = 0; k < count; k++) {
    sum += 1 / (k + 1) ** s;
    cdf[k] = sum;
  }
  return (r) => {
    const target = r * sum;
    let lo = 0;
    let hi = count - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return order[lo]!;
  };
}

const previousDay = (day: string): string => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
};

function pathOf(route: Route, business: MixBusiness, r: number): string {
  switch (route) {
    case 'dashboard':
      return '/v1/analytics/dashboard';
    case 'pipeline':
      return '/v1/analytics/pipeline';
    case 'campaigns':
      return '/v1/analytics/campaigns';
    case 'metrics': {
      const today = dayInZone(new Date(), business.timezone);
      return `/v1/analytics/metrics/${r < 0.5 ? today : previousDay(today)}`;
    }
    case 'profile':
      return '/v1/business';
  }
}

let renames = 0;

/** One write, as plain SQL in a transaction of its own (autocommit: committed when it returns). */
async function write(db: pg.PoolClient, kind: WriteKind, business: MixBusiness, r: number) {
  switch (kind) {
    case 'lead':
      await db.query(
        `INSERT INTO leads (user_id, customer_phone, customer_name, source, service_type, urgency,
                            description)
         VALUES ($1, $2, 'New Caller', $3, 'leak repair', 'high', 'Water dripping from ceiling')`,
        [
          business.id,
          `+1737${String(Math.floor(r * 1e7)).padStart(7, '0')}`,
          r < 0.5 ? 'missed_call' : 'google_ads',
        ],
      );
      return;
    case 'leadStage':
      // The business's newest open lead moves one stage on (booked → completed, with its amount).
      await db.query(
        `UPDATE leads l SET
           status = CASE l.status WHEN 'new' THEN 'contacted' WHEN 'contacted' THEN 'quoted'
                                  WHEN 'quoted' THEN 'booked' ELSE 'completed' END,
           contacted_at = coalesce(l.contacted_at, now()),
           quoted_at = CASE WHEN l.status = 'contacted' THEN now() ELSE l.quoted_at END,
           quoted_amount = CASE WHEN l.status = 'contacted' THEN 350.00 ELSE l.quoted_amount END,
           booked_at = CASE WHEN l.status = 'quoted' THEN now() ELSE l.booked_at END,
           completed_at = CASE WHEN l.status = 'booked' THEN now() ELSE l.completed_at END,
           actual_amount = CASE WHEN l.status = 'booked' THEN l.quoted_amount ELSE l.actual_amount END
         WHERE l.id = (SELECT id FROM leads
                        WHERE user_id = $1 AND status IN ('new', 'contacted', 'quoted', 'booked')
                        ORDER BY created_at DESC LIMIT 1)`,
        [business.id],
      );
      return;
    case 'campaign':
      // One of its campaigns: a budget change, or now and then paused or resumed.
      await db.query(
        `UPDATE campaigns SET
           daily_budget = round(daily_budget * $2::numeric, 2),
           status = CASE WHEN $3::boolean AND status = 'active' THEN 'paused'
                         WHEN $3::boolean AND status = 'paused' THEN 'active' ELSE status END
         WHERE id = (SELECT id FROM campaigns WHERE user_id = $1 ORDER BY id
                     OFFSET $4 LIMIT 1)`,
        [business.id, (0.9 + r * 0.2).toFixed(3), r < 0.2, Math.floor(r * 8)],
      );
      return;
    case 'financials':
      // Today's row (the business's calendar day): more spend, one more lead.
      await db.query(
        `UPDATE financials f SET ad_spend = f.ad_spend + $2::numeric,
                                 leads_generated = f.leads_generated + 1
           FROM users u
          WHERE u.id = $1 AND f.user_id = u.id
            AND f.date = (now() AT TIME ZONE u.timezone)::date`,
        [business.id, (r * 10).toFixed(2)],
      );
      return;
    case 'rename':
      renames++;
      await db.query(
        `UPDATE users SET business_name = split_part(business_name, ' · ', 1) || ' · ' || $2
          WHERE id = $1`,
        [business.id, String(renames)],
      );
      return;
  }
}

function latencies(values: number[]): LatencyFigures {
  return { count: values.length, p50: percentile(values, 50), p99: percentile(values, 99) };
}

interface RouteSamples {
  hit: number[];
  miss: number[];
  other: number[];
}

function routeFigures(samples: RouteSamples): RouteFigures {
  const hits = samples.hit.length;
  const misses = samples.miss.length;
  return {
    reads: hits + misses + samples.other.length,
    hits,
    misses,
    other: samples.other.length,
    hitRatio: hits + misses === 0 ? NaN : hits / (hits + misses),
    all: latencies([...samples.hit, ...samples.miss, ...samples.other]),
    hit: latencies(samples.hit),
    miss: latencies(samples.miss),
  };
}

export async function runMix(options: MixOptions): Promise<MixResult> {
  const random = generator(options.seed);
  const pickBusiness = zipfPicker(options.businesses.length, options.zipf, random);
  const pickRoute = weighted(routeWeights);
  const pickWrite = weighted(writeWeights);
  const samples = Object.fromEntries(
    routes.map((route): [Route, RouteSamples] => [route, { hit: [], miss: [], other: [] }]),
  ) as Record<Route, RouteSamples>;
  const writeMs: number[] = [];
  const writeMsByKind = Object.fromEntries(
    writeKinds.map((kind): [WriteKind, number[]] => [kind, []]),
  ) as Record<WriteKind, number[]>;
  const writesByKind = Object.fromEntries(writeKinds.map((kind) => [kind, 0])) as Record<
    WriteKind,
    number
  >;
  const readsOf = new Map<number, number>();
  const errorSamples: string[] = [];
  let errors = 0;

  const startedAt = performance.now();
  const windowStart = startedAt + options.warmupSeconds * 1000;
  const windowEnd = windowStart + options.seconds * 1000;

  const loop = async (index: number) => {
    // Each loop its own generator, so the loops do not draw the same sequence.
    const own = generator(options.seed * 31 + index + 1);
    const http = new KeepAliveClient(options.serverUrl);
    const db = await options.pool.connect();
    // A connection that dies (the database dropped on Ctrl-C) fails its query; no crash besides.
    const ignore = () => undefined;
    db.on('error', ignore);
    try {
      for (;;) {
        const at = performance.now();
        if (at >= windowEnd) return;
        const timed = at >= windowStart;
        const which = pickBusiness(own());
        const business = options.businesses[which]!;
        if (own() < options.writeShare) {
          const kind = pickWrite(own());
          try {
            await write(db, kind, business, own());
            if (timed) {
              writeMs.push(performance.now() - at);
              writeMsByKind[kind].push(performance.now() - at);
              writesByKind[kind]++;
            }
          } catch (error) {
            errors++;
            if (errorSamples.length < 5) errorSamples.push(`${kind}: ${(error as Error).message}`);
          }
          continue;
        }
        const route = pickRoute(own());
        let answer: Answer;
        try {
          answer = await http.get(pathOf(route, business, own()), business.token);
        } catch (error) {
          errors++;
          if (errorSamples.length < 5) errorSamples.push(`${route}: ${(error as Error).message}`);
          if (errors > 100) throw new Error(`the mix stopped: ${errorSamples.join('; ')}`);
          continue;
        }
        if (answer.status !== 200) {
          errors++;
          if (errorSamples.length < 5) {
            errorSamples.push(`${route}: HTTP ${answer.status} ${answer.error ?? ''}`);
          }
        }
        if (!timed) continue;
        readsOf.set(which, (readsOf.get(which) ?? 0) + 1);
        const bucket =
          answer.status === 200 && (answer.cache === 'hit' || answer.cache === 'miss')
            ? answer.cache
            : 'other';
        samples[route][bucket].push(answer.ms);
      }
    } finally {
      db.off('error', ignore);
      db.release();
      http.close();
    }
  };
  await Promise.all(Array.from({ length: options.clients }, (_, i) => loop(i)));

  const windowSeconds = (Math.min(performance.now(), windowEnd) - windowStart) / 1000;
  const all: RouteSamples = { hit: [], miss: [], other: [] };
  for (const route of routes) {
    all.hit.push(...samples[route].hit);
    all.miss.push(...samples[route].miss);
    all.other.push(...samples[route].other);
  }
  const overall = routeFigures(all);
  const top10 = [...readsOf.values()]
    .sort((a, b) => b - a)
    .slice(0, 10)
    .reduce((sum, n) => sum + n, 0);
  return {
    windowSeconds,
    reads: overall.reads,
    writes: writeMs.length,
    readsPerSecond: overall.reads / windowSeconds,
    writesPerSecond: writeMs.length / windowSeconds,
    errors,
    errorSamples,
    overall,
    routes: Object.fromEntries(
      routes.map((route) => [route, routeFigures(samples[route])]),
    ) as Record<Route, RouteFigures>,
    writesByKind,
    write: latencies(writeMs),
    writeByKind: Object.fromEntries(
      writeKinds.map((kind) => [kind, latencies(writeMsByKind[kind])]),
    ) as Record<WriteKind, LatencyFigures>,
    top10Share: overall.reads === 0 ? NaN : top10 / overall.reads,
  };
}
