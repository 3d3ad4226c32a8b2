import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { dayInZone, monthOf } from '../db/analytics/figures.ts';
import { generateKeySpec, parseKeyring } from '../db/secrets.ts';
import { signAccessToken } from '../sync-server/auth/tokens.ts';
import { type ServerProcess, startServer } from '../tests/support/server-process.ts';
import { freePort, waitReady } from './server.ts';
import { type LoadedData, loadAnalyticsData } from './analytics/data.ts';
import { type CacheState, KeepAliveClient } from './analytics/http.ts';
import {
  type MixBusiness,
  type MixResult,
  type Route,
  routes,
  runMix,
  type WriteKind,
  writeKinds,
} from './analytics/mix.ts';
import {
  type BenchContext,
  type BenchResult,
  type Benchmark,
  fmt,
  machine,
  median,
  percentile,
} from './harness.ts';
import { cpuSecondsOf, postgresCpuSeconds } from './sync.bench.ts';
import { createTemporaryDatabase, type TemporaryDatabase } from './temp-database.ts';

/**
 * Issue 7, item 5: the analytics API with 1,000 businesses and a year of data each — the
 * dashboard's p50/p99 uncached and cached, and the cache's hit ratio under a realistic read/write
 * mix — with the Redis cache and with the in-process one, beside a baseline measured in the same
 * round (GET /v1/me: authentication and one small tenant query, the floor any answer pays).
 * Every round starts a fresh server process (compiled, as deployed), so each backend starts empty.
 */

const env = process.env;
/** Settings that are not numbers as asked for; run() refuses to start with any (not on import). */
const badSettings: string[] = [];
const positive = (name: string, fallback: number, { whole = true } = {}): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value <= 0 || (whole && !Number.isInteger(value))) {
    badSettings.push(
      `${name} must be a positive ${whole ? 'whole ' : ''}number, got "${env[name]}"`,
    );
  }
  return value;
};
const atLeastZero = (name: string, fallback: number, { whole = true } = {}): number => {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0 || (whole && !Number.isInteger(value))) {
    badSettings.push(`${name} must be ≥ 0, got "${env[name]}"`);
  }
  return value;
};

const BUSINESSES = positive('BENCH_ANALYTICS_BUSINESSES', 1_000);
const ROUNDS = positive('BENCH_ANALYTICS_ROUNDS', 3);
const MIX_SECONDS = positive('BENCH_ANALYTICS_MIX_SECONDS', 30, { whole: false });
const MIX_WARMUP_SECONDS = atLeastZero('BENCH_ANALYTICS_MIX_WARMUP_SECONDS', 5, { whole: false });
const CLIENTS = positive('BENCH_ANALYTICS_CLIENTS', 8);
const ZIPF = positive('BENCH_ANALYTICS_ZIPF', 1, { whole: false });
const WRITE_SHARE = atLeastZero('BENCH_ANALYTICS_WRITE_SHARE', 0.1, { whole: false });
/** Requests of each kind (GET /v1/me, last month's dashboard) before the timed phases. */
const WARMUP = atLeastZero('BENCH_ANALYTICS_WARMUP', 200);
const LOAD_WORKERS = positive('BENCH_ANALYTICS_LOAD_WORKERS', 2);
const KEYWORDS = atLeastZero('BENCH_ANALYTICS_KEYWORDS', 0);
/** A Redis database of the bench's own; keys under a prefix of this run's own, deleted after. */
const REDIS_DB = atLeastZero('BENCH_ANALYTICS_REDIS_DB', 12);
const REDIS_BASE = env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const BACKENDS = (env.BENCH_ANALYTICS_BACKENDS ?? 'redis,memory')
  .split(',')
  .map((b) => b.trim())
  .filter((b): b is Backend => b === 'redis' || b === 'memory');
/** The goals of issue 7, item 5 (milliseconds, client side). */
const GOAL_CACHED_P99 = 5;
const GOAL_UNCACHED_P99 = 50;

type Backend = 'redis' | 'memory';

interface BenchBusiness extends MixBusiness {
  n: number;
}

interface Phase {
  count: number;
  p50: number;
  p99: number;
  max: number;
  /** Answers whose status or Cache-Status was not the one expected, and what they were. */
  unexpected: number;
  unexpectedKinds: Record<string, number>;
}

interface CacheStats {
  hits: number;
  misses: number;
  errors: number;
  degraded: boolean;
}

/** CPU used during the mix (warm-up included), as a share of one core. */
interface MixCpu {
  server: number;
  /** Every postgres process on the machine, this run's connections and any others'. */
  postgres: number;
  bench: number;
}

interface RoundResult {
  backend: Backend;
  round: number;
  baseline: Phase;
  uncached: Phase;
  cached: Phase;
  mix: MixResult;
  mixCpu: MixCpu;
  /** The server's own count (GET /health), over the whole round. */
  serverCache: CacheStats | undefined;
  /** Keys under the prefix after the round (Redis only). */
  redisKeys?: number;
  serverWarnings: number;
  serverWarningSamples: string[];
}

async function stopServer(server: ServerProcess): Promise<void> {
  server.kill('SIGTERM');
  await Promise.race([server.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
  server.kill('SIGKILL');
}

/** SCAN + UNLINK of every key under `prefix` (never FLUSHDB: other keys are not ours). */
async function deletePrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}

async function countPrefix(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let count = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== '0');
  return count;
}

async function serverCacheStats(url: string): Promise<CacheStats | undefined> {
  try {
    const response = await fetch(`${url}/health`);
    const body = (await response.json()) as { analyticsCache?: CacheStats };
    return body.analyticsCache;
  } catch {
    return undefined;
  }
}

const previousMonth = (month: string): string => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 7);
};

/**
 * `path(business)` for every business in order, one request at a time on one keep-alive
 * connection; every answer must be 200 with Cache-Status `expected` (or any, when undefined).
 */
async function sequential(
  url: string,
  businesses: readonly BenchBusiness[],
  path: (business: BenchBusiness) => string,
  expected: CacheState | undefined,
): Promise<Phase> {
  const client = new KeepAliveClient(url);
  const ms: number[] = [];
  const unexpectedKinds: Record<string, number> = {};
  try {
    for (const business of businesses) {
      const answer = await client.get(path(business), business.token);
      ms.push(answer.ms);
      const kind =
        answer.status !== 200
          ? `HTTP ${answer.status}: ${answer.error ?? ''}`.slice(0, 200)
          : expected !== undefined && answer.cache !== expected
            ? answer.cache
            : undefined;
      if (kind !== undefined) unexpectedKinds[kind] = (unexpectedKinds[kind] ?? 0) + 1;
    }
  } finally {
    client.close();
  }
  return {
    count: ms.length,
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
    unexpected: Object.values(unexpectedKinds).reduce((sum, n) => sum + n, 0),
    unexpectedKinds,
  };
}

const ms = (value: number) => (Number.isFinite(value) ? `${value.toFixed(1)} ms` : '—');
const pct = (value: number) => (Number.isFinite(value) ? `${(value * 100).toFixed(1)}%` : '—');
const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
const medianOf = (rounds: RoundResult[], pick: (r: RoundResult) => number): number => {
  const values = rounds.map(pick).filter((v) => Number.isFinite(v));
  return values.length === 0 ? NaN : median(values);
};

async function run(context: BenchContext): Promise<BenchResult> {
  if (WRITE_SHARE > 1) badSettings.push(`BENCH_ANALYTICS_WRITE_SHARE is a share (0–1)`);
  if (BACKENDS.length === 0)
    badSettings.push('BENCH_ANALYTICS_BACKENDS names neither redis nor memory');
  if (badSettings.length > 0) throw new Error(badSettings.join('; '));
  context.log('building the server (npm run build:server)');
  try {
    execFileSync('npm', ['run', 'build:server'], { stdio: 'pipe' });
  } catch (error) {
    const output = error as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `npm run build:server failed:\n${output.stdout?.toString() ?? ''}${output.stderr?.toString() ?? ''}`,
    );
  }

  const redisUrl = `${REDIS_BASE}/${REDIS_DB}`;
  const prefix = `fl-bench-analytics:${process.pid}-${randomBytes(3).toString('hex')}:`;
  const redis = BACKENDS.includes('redis')
    ? new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 })
    : undefined;
  // A failed command rejects where it is awaited; the client's own 'error' events add nothing.
  redis?.on('error', () => undefined);
  const keySpec = generateKeySpec('bench');
  const keyring = parseKeyring(keySpec);
  const dataDir = mkdtempSync(join(tmpdir(), 'fl-bench-analytics-'));
  let temp: TemporaryDatabase | undefined;
  let pool: pg.Pool | undefined;
  let server: ServerProcess | undefined;
  // The server runs in a process group of its own: Ctrl-C here must not leave it running. The
  // Redis keys go too, as far as they can while temp-database.ts drops the database and exits
  // (what is left expires with the keys' TTLs, an hour at most).
  const onSignal = () => {
    server?.kill('SIGKILL');
    if (redis?.status === 'ready') void deletePrefix(redis, prefix).catch(() => undefined);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    if (redis) {
      try {
        await redis.connect();
      } catch (error) {
        throw new Error(
          `Redis at ${redisUrl} is needed (BENCH_REDIS_URL, BENCH_ANALYTICS_REDIS_DB; or BENCH_ANALYTICS_BACKENDS=memory): ${(error as Error).message}`,
        );
      }
    }
    temp = await createTemporaryDatabase(context);
    context.log(
      `loading ${fmt(BUSINESSES)} businesses × 365 days into ${temp.name} (not timed as a result)`,
    );
    const loaded: LoadedData = await loadAnalyticsData(temp.url, {
      businesses: BUSINESSES,
      workers: LOAD_WORKERS,
      keywordsPerCampaign: KEYWORDS,
      log: (line) => context.log(line),
    });
    // Access tokens signed here with the server's keyring, for each business's live session.
    const businesses: BenchBusiness[] = await Promise.all(
      loaded.businesses.map(async (b) => ({
        n: b.n,
        id: b.id,
        timezone: b.timezone,
        token: (
          await signAccessToken(
            keyring,
            { memberId: b.memberId, tenantId: b.id, role: 'owner', sessionId: b.sessionId },
            { ttlSeconds: 6 * 3600 },
          )
        ).token,
      })),
    );
    pool = new pg.Pool({ connectionString: temp.url, max: CLIENTS });
    pool.on('error', () => undefined);

    const oneRound = async (backend: Backend, round: number): Promise<RoundResult> => {
      if (backend === 'redis' && redis) await deletePrefix(redis, prefix);
      const port = await freePort();
      const url = `http://127.0.0.1:${port}`;
      server = startServer(
        {
          DATABASE_URL: temp!.url,
          DATA_DIR: dataDir,
          PORT: String(port),
          SEED_DEMO: 'false',
          LOG_LEVEL: 'warn',
          NODE_ENV: 'production',
          SECRETS_KEYS: keySpec,
          CACHE_KEY_PREFIX: prefix,
          ...(backend === 'redis' ? { REDIS_URL: redisUrl } : {}),
          ...(env.BENCH_SERVER_NODE_OPTIONS ? { NODE_OPTIONS: env.BENCH_SERVER_NODE_OPTIONS } : {}),
        },
        { compiled: true },
      );
      const running = server;
      try {
        await waitReady(`${url}/ready`, running);
        // Warm-up (JIT, connection pool, Postgres buffers): the member lookup, and last month's
        // dashboard, which runs the same queries but is never cached (Cache-Status fwd=bypass).
        const warm = businesses.slice(0, Math.min(WARMUP, businesses.length));
        await sequential(url, warm, () => '/v1/me', undefined);
        const warmDashboards = await sequential(
          url,
          warm,
          (b) =>
            `/v1/analytics/dashboard?month=${previousMonth(monthOf(dayInZone(new Date(), b.timezone)))}`,
          'bypass',
        );
        if (warmDashboards.unexpected > 0) {
          throw new Error(`warm-up answers: ${JSON.stringify(warmDashboards.unexpectedKinds)}`);
        }

        const baseline = await sequential(url, businesses, () => '/v1/me', undefined);
        const uncached = await sequential(url, businesses, () => '/v1/analytics/dashboard', 'miss');
        const cached = await sequential(url, businesses, () => '/v1/analytics/dashboard', 'hit');
        context.log(
          `round ${round + 1} ${backend}: baseline p50 ${ms(baseline.p50)} p99 ${ms(baseline.p99)}; ` +
            `dashboard uncached p50 ${ms(uncached.p50)} p99 ${ms(uncached.p99)} (unexpected ${uncached.unexpected}); ` +
            `cached p50 ${ms(cached.p50)} p99 ${ms(cached.p99)} (unexpected ${cached.unexpected})`,
        );
        const serverPid = running.child.pid ?? 0;
        const cpuBefore = {
          server: cpuSecondsOf(serverPid),
          postgres: postgresCpuSeconds(),
          bench: process.cpuUsage(),
          at: performance.now(),
        };
        const mix = await runMix({
          serverUrl: url,
          businesses,
          pool: pool!,
          clients: CLIENTS,
          seconds: MIX_SECONDS,
          warmupSeconds: MIX_WARMUP_SECONDS,
          zipf: ZIPF,
          writeShare: WRITE_SHARE,
          seed: 7 + round,
        });
        context.log(
          `round ${round + 1} ${backend} mix: ${fmt(mix.readsPerSecond)} reads/s, ${fmt(mix.writesPerSecond)} writes/s, ` +
            `hit ratio ${pct(mix.overall.hitRatio)} (${routes.map((r) => `${r} ${pct(mix.routes[r].hitRatio)}`).join(', ')}), ` +
            `hit p50 ${ms(mix.overall.hit.p50)} p99 ${ms(mix.overall.hit.p99)}, miss p50 ${ms(mix.overall.miss.p50)} p99 ${ms(mix.overall.miss.p99)}, errors ${mix.errors}`,
        );
        const elapsed = (performance.now() - cpuBefore.at) / 1000;
        const benchCpu = process.cpuUsage(cpuBefore.bench);
        const mixCpu: MixCpu = {
          server: (cpuSecondsOf(serverPid) - cpuBefore.server) / elapsed,
          postgres: (postgresCpuSeconds() - cpuBefore.postgres) / elapsed,
          bench: (benchCpu.user + benchCpu.system) / 1e6 / elapsed,
        };
        const serverCache = await serverCacheStats(url);
        const warnings = running.logs.filter((line) => Number(line.level) >= 40);
        return {
          backend,
          round,
          baseline,
          uncached,
          cached,
          mix,
          mixCpu,
          serverCache,
          ...(backend === 'redis' && redis ? { redisKeys: await countPrefix(redis, prefix) } : {}),
          serverWarnings: warnings.length,
          serverWarningSamples: [...new Set(warnings.map((line) => String(line.msg)))].slice(0, 5),
        };
      } finally {
        await stopServer(running);
        server = undefined;
      }
    };

    const results: RoundResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      if (round > 0 && Date.now() > context.deadline) {
        context.log(`deadline reached after ${round} rounds`);
        break;
      }
      // Backends alternate within a round, so both see the same moment of a noisy machine.
      for (const backend of BACKENDS) results.push(await oneRound(backend, round));
    }

    return report(loaded, results);
  } finally {
    if (server) await stopServer(server);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await pool?.end();
    await temp?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    if (redis) {
      if (redis.status === 'ready') {
        const deleted = await deletePrefix(redis, prefix);
        context.log(`deleted ${fmt(deleted)} Redis keys under ${prefix} (db ${REDIS_DB})`);
      }
      redis.disconnect();
    }
  }
}

function report(loaded: LoadedData, results: RoundResult[]): BenchResult {
  const lines: string[] = [];
  const leads = loaded.rows.leads ?? 0;
  lines.push(
    `data: ${fmt(BUSINESSES)} businesses × 365 days — ${fmt(leads)} leads, ${fmt(loaded.rows.financials ?? 0)} financial days, ` +
      `${fmt(loaded.rows.campaigns ?? 0)} campaigns, ${fmt(loaded.rows.ai_agent_logs ?? 0)} agent actions, ` +
      `${fmt(loaded.rows.change_log ?? 0)} change-log rows; ${fmt(loaded.databaseMiB)} MiB; loaded in ${(loaded.seconds.total ?? 0).toFixed(1)} s (set-based SQL)`,
  );
  const summaries: Record<string, unknown> = {};
  for (const backend of BACKENDS) {
    const rounds = results.filter((r) => r.backend === backend);
    if (rounds.length === 0) continue;
    const m = (pick: (r: RoundResult) => number) => medianOf(rounds, pick);
    const summary = {
      rounds: rounds.length,
      baseline: { p50: m((r) => r.baseline.p50), p99: m((r) => r.baseline.p99) },
      uncached: {
        p50: m((r) => r.uncached.p50),
        p99: m((r) => r.uncached.p99),
        unexpected: rounds.reduce((n, r) => n + r.uncached.unexpected, 0),
      },
      cached: {
        p50: m((r) => r.cached.p50),
        p99: m((r) => r.cached.p99),
        unexpected: rounds.reduce((n, r) => n + r.cached.unexpected, 0),
      },
      mix: {
        readsPerSecond: m((r) => r.mix.readsPerSecond),
        writesPerSecond: m((r) => r.mix.writesPerSecond),
        hitRatio: m((r) => r.mix.overall.hitRatio),
        hitRatioByRoute: Object.fromEntries(
          routes.map((route) => [route, m((r) => r.mix.routes[route].hitRatio)]),
        ) as Record<Route, number>,
        hit: { p50: m((r) => r.mix.overall.hit.p50), p99: m((r) => r.mix.overall.hit.p99) },
        miss: { p50: m((r) => r.mix.overall.miss.p50), p99: m((r) => r.mix.overall.miss.p99) },
        all: { p50: m((r) => r.mix.overall.all.p50), p99: m((r) => r.mix.overall.all.p99) },
        write: { p50: m((r) => r.mix.write.p50), p99: m((r) => r.mix.write.p99) },
        writeByKind: Object.fromEntries(
          writeKinds.map((kind) => [
            kind,
            {
              p50: m((r) => r.mix.writeByKind[kind].p50),
              p99: m((r) => r.mix.writeByKind[kind].p99),
            },
          ]),
        ) as Record<WriteKind, { p50: number; p99: number }>,
        cpu: {
          server: m((r) => r.mixCpu.server),
          postgres: m((r) => r.mixCpu.postgres),
          bench: m((r) => r.mixCpu.bench),
        },
        top10Share: m((r) => r.mix.top10Share),
        errors: rounds.reduce((n, r) => n + r.mix.errors, 0),
      },
      serverWarnings: rounds.reduce((n, r) => n + r.serverWarnings, 0),
      serverCache: {
        hits: rounds.reduce((n, r) => n + (r.serverCache?.hits ?? 0), 0),
        misses: rounds.reduce((n, r) => n + (r.serverCache?.misses ?? 0), 0),
        errors: rounds.reduce((n, r) => n + (r.serverCache?.errors ?? 0), 0),
        degradedAtEnd: rounds.filter((r) => r.serverCache?.degraded).length,
      },
    };
    summaries[backend] = summary;
    const title =
      backend === 'redis'
        ? `Redis cache (${REDIS_BASE}/${REDIS_DB}, a prefix of this run's own)`
        : 'in-process cache (no REDIS_URL)';
    const allMiss = summary.uncached.unexpected === 0;
    const allHit = summary.cached.unexpected === 0;
    lines.push(
      `${title}, median of ${rounds.length} round${rounds.length === 1 ? '' : 's'} (each a fresh server process):`,
      `  baseline GET /v1/me (auth + one tenant query), ${fmt(BUSINESSES)} in a row on one connection: p50 ${ms(summary.baseline.p50)}, p99 ${ms(summary.baseline.p99)}`,
      `  dashboard uncached (empty cache, each business once): p50 ${ms(summary.uncached.p50)}, p99 ${ms(summary.uncached.p99)}; all fwd=miss: ${allMiss ? 'yes' : `NO (${summary.uncached.unexpected})`}; goal p99 ≤ ${GOAL_UNCACHED_P99} ms: ${verdict(allMiss && summary.uncached.p99 <= GOAL_UNCACHED_P99)}`,
      `  dashboard cached (the same again): p50 ${ms(summary.cached.p50)}, p99 ${ms(summary.cached.p99)}; all hit: ${allHit ? 'yes' : `NO (${summary.cached.unexpected})`}; goal p99 ≤ ${GOAL_CACHED_P99} ms: ${verdict(allHit && summary.cached.p99 <= GOAL_CACHED_P99)}`,
      `  mix, ${CLIENTS} clients, ${MIX_SECONDS} s after ${MIX_WARMUP_SECONDS} s warm-up, Zipf s=${ZIPF} (top 10 businesses ${pct(summary.mix.top10Share)} of reads), ${pct(WRITE_SHARE)} writes: ${fmt(summary.mix.readsPerSecond)} reads/s, ${fmt(summary.mix.writesPerSecond)} writes/s, errors ${summary.mix.errors}`,
      `    hit ratio ${pct(summary.mix.hitRatio)}: ${routes.map((r) => `${r} ${pct(summary.mix.hitRatioByRoute[r])}`).join(', ')}`,
      `    reads: hits p50 ${ms(summary.mix.hit.p50)} p99 ${ms(summary.mix.hit.p99)}; misses p50 ${ms(summary.mix.miss.p50)} p99 ${ms(summary.mix.miss.p99)}; all p50 ${ms(summary.mix.all.p50)} p99 ${ms(summary.mix.all.p99)}; writes p50 ${ms(summary.mix.write.p50)} p99 ${ms(summary.mix.write.p99)}`,
    );
    lines.push(
      `    writes by kind, p50/p99: ${writeKinds.map((k) => `${k} ${ms(summary.mix.writeByKind[k].p50)}/${ms(summary.mix.writeByKind[k].p99)}`).join(', ')}`,
      `    CPU during the mix, in cores (of ${availableParallelism()}): server ${summary.mix.cpu.server.toFixed(2)}, PostgreSQL ${summary.mix.cpu.postgres.toFixed(2)} (all of the machine's), this process ${summary.mix.cpu.bench.toFixed(2)}`,
      `  the server's own count (GET /health, all rounds): ${fmt(summary.serverCache.hits)} hits, ${fmt(summary.serverCache.misses)} misses, ${summary.serverCache.errors} store errors, degraded at the end of ${summary.serverCache.degradedAtEnd} round(s)`,
    );
    if (summary.serverWarnings > 0) {
      const samples = [...new Set(rounds.flatMap((r) => r.serverWarningSamples))].slice(0, 3);
      lines.push(`  server warnings: ${summary.serverWarnings} (${samples.join('; ')})`);
    }
    const errorSamples = [...new Set(rounds.flatMap((r) => r.mix.errorSamples))].slice(0, 3);
    if (errorSamples.length > 0) lines.push(`  mix errors: ${errorSamples.join('; ')}`);
    for (const phase of ['uncached', 'cached'] as const) {
      const kinds = rounds.flatMap((r) => Object.entries(r[phase].unexpectedKinds));
      if (kinds.length > 0) {
        lines.push(`  ${phase} unexpected answers: ${JSON.stringify(Object.fromEntries(kinds))}`);
      }
    }
  }
  return {
    lines,
    data: {
      machine: machine(),
      businesses: BUSINESSES,
      rounds: ROUNDS,
      clients: CLIENTS,
      mixSeconds: MIX_SECONDS,
      mixWarmupSeconds: MIX_WARMUP_SECONDS,
      zipf: ZIPF,
      writeShare: WRITE_SHARE,
      warmup: WARMUP,
      goals: { cachedP99: GOAL_CACHED_P99, uncachedP99: GOAL_UNCACHED_P99 },
      load: {
        rows: loaded.rows,
        seconds: loaded.seconds,
        databaseMiB: loaded.databaseMiB,
        workers: LOAD_WORKERS,
        keywordsPerCampaign: KEYWORDS,
      },
      summaries,
      runs: results,
    },
  };
}

export const benchmark: Benchmark = {
  name: 'analytics',
  description:
    'analytics API over 1,000 businesses × a year: dashboard p50/p99 uncached and cached, hit ratio under a read/write mix; Redis and in-process cache; /v1/me baseline',
  run,
};
