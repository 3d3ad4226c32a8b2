import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { syncedTables } from '../db/enums.ts';
import { type AppDatabase, queryRows } from '../db/postgres/client.ts';
import { hashPassword } from '../db/passwords.ts';
import { generateKeySpec } from '../db/secrets.ts';
import { deferIndexes, restoreIndexes } from '../db/replica/deferred-indexes.ts';
import { type Database, openReplica } from '../db/replica/open.ts';
import { migrateReplica } from '../db/replica/migrate.ts';
import { SyncClient } from '../electron/core/sync/sync-client.ts';
import { type ServerProcess, startServer } from '../tests/support/server-process.ts';
import { freePort, waitReady } from './server.ts';
import {
  type BenchContext,
  type BenchResult,
  type Benchmark,
  fmt,
  median,
  percentile,
} from './harness.ts';
import { createTemporaryDatabase } from './temp-database.ts';

/**
 * The read path end to end, with the sync server as its own process (as deployed) on a real
 * PostgreSQL, and the official Electric client in the desktop's sync client:
 * 1. initial sync of one business (100k leads, 300k calls, 300k texts, 1,095 financial days) into
 *    an empty replica on disk, beside the raw better-sqlite3 insert rate of the same rows;
 * 2. the server's peak memory during that sync;
 * 3. live latency, commit → row in the replica, over single-row changes with 50 desktops connected;
 * 4. idle live subscriptions one server process holds, and its memory.
 */

const PASSWORD = 'bench-password-1';
export const sizes = {
  leads: Number(process.env.BENCH_SYNC_LEADS ?? 100_000),
  calls: Number(process.env.BENCH_SYNC_CALLS ?? 300_000),
  texts: Number(process.env.BENCH_SYNC_TEXTS ?? 300_000),
  days: 1_095,
};
const DESKTOPS = Number(process.env.BENCH_SYNC_DESKTOPS ?? 50);
const CHANGES = Number(process.env.BENCH_SYNC_CHANGES ?? 1_000);
const SUBSCRIPTIONS = Number(process.env.BENCH_SYNC_SUBSCRIPTIONS ?? 10_000);
/** How the live desktops listen: server-sent events (the client's default) or `long-poll`. */
const LIVE_SSE = (process.env.BENCH_SYNC_LIVE ?? 'sse') !== 'long-poll';

/** A business and its owner's login, made with SQL. */
export async function createBusiness(db: AppDatabase, email: string): Promise<string> {
  const hash = await hashPassword(PASSWORD);
  const [user] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO users (email, password_hash, business_name, owner_name, primary_phone, service_types)
        VALUES (${email}, ${hash}, 'Bench Plumbing', 'Bea Bench', '+15125550100', '{plumbing}')
        RETURNING id`,
  );
  await db.execute(sql`INSERT INTO members (user_id, email, password_hash, name, role)
                       VALUES (${user!.id}, ${email}, ${hash}, 'Bea Bench', 'owner')`);
  return user!.id;
}

/** Rows shaped like a busy shop's, generated inside PostgreSQL. */
export async function fillBusiness(
  db: AppDatabase,
  userId: string,
  size: typeof sizes,
): Promise<void> {
  await db.execute(sql`
    INSERT INTO leads (user_id, customer_phone, customer_name, customer_email, source, service_type,
                       urgency, description, status, quoted_amount, created_at)
    SELECT ${userId}, '+1512555' || lpad((g % 10000)::text, 4, '0'), 'Customer ' || g,
           'customer' || g || '@example.com',
           (ARRAY['missed_call','google_ads','referral','website'])[1 + g % 4], 'drain cleaning',
           (ARRAY['high','medium','low'])[1 + g % 3],
           'Water under the kitchen sink, asks for a morning visit; dog in the yard',
           (ARRAY['new','contacted','quoted','booked','completed','lost'])[1 + g % 6],
           (100 + g % 900)::numeric(10,2), now() - make_interval(mins => g)
      FROM generate_series(1, ${size.leads}) AS g`);
  await db.execute(sql`
    INSERT INTO call_logs (user_id, caller_phone, called_phone, call_status, call_direction,
                           call_duration, created_at)
    SELECT ${userId}, '+1512555' || lpad((g % 10000)::text, 4, '0'), '+15125550100',
           (ARRAY['answered','no_answer','busy','voicemail'])[1 + g % 4], 'inbound', g % 600,
           now() - make_interval(mins => g)
      FROM generate_series(1, ${size.calls}) AS g`);
  await db.execute(sql`
    INSERT INTO sms_logs (user_id, direction, from_phone, to_phone, message_text, status)
    SELECT ${userId}, 'outbound', '+15125550100', '+1512555' || lpad((g % 10000)::text, 4, '0'),
           'Sorry we missed your call! Reply with your address and we will send a plumber today.',
           'delivered'
      FROM generate_series(1, ${size.texts}) AS g`);
  await db.execute(sql`
    INSERT INTO financials (user_id, date, ad_spend, leads_generated, leads_booked, revenue)
    SELECT ${userId}, DATE '2024-01-01' + g, (g % 200)::numeric(10,2), g % 20, g % 7,
           (g % 3000)::numeric(10,2)
      FROM generate_series(0, ${size.days - 1}) AS g`);
  await db.execute(sql`ANALYZE`);
}

export async function login(url: string, email: string): Promise<string> {
  return (await loginSession(url, email)).accessToken;
}

/** The whole answer to a login: the token, and the member and business (a desktop's identity). */
export interface BenchSession {
  accessToken: string;
  member: { id: string };
  business: { id: string };
}

export async function loginSession(url: string, email: string): Promise<BenchSession> {
  const response = await fetch(`${url}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, deviceId: 'bench-desktop' }),
  });
  if (!response.ok) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as BenchSession;
}

/** The server process's memory, from /proc. */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

/** CPU seconds a process has used, from /proc (clock ticks of 1/100 s on Linux). */
export function cpuSecondsOf(pid: number, { withEndedChildren = false } = {}): number {
  try {
    // The fields after the command name, which is in parentheses and may hold spaces: utime and
    // stime are the 14th and 15th of the line, cutime and cstime (children waited for) after them.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat
      .slice(stat.lastIndexOf(')') + 2)
      .split(' ')
      .map(Number);
    const own = (fields[11] ?? 0) + (fields[12] ?? 0);
    const children = withEndedChildren ? (fields[13] ?? 0) + (fields[14] ?? 0) : 0;
    return (own + children) / 100;
  } catch {
    return 0; // the process ended
  }
}

/**
 * CPU seconds used so far by PostgreSQL on this machine: every postgres process's own, plus what
 * the ones that ended (connections closed) left in their parent's count of reaped children.
 */
export function postgresCpuSeconds(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') {
        total += cpuSecondsOf(Number(entry), { withEndedChildren: true });
      }
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

export async function startSyncServer(
  databaseUrl: string,
  dataDir: string,
  env: Record<string, string> = {},
): Promise<{ server: ServerProcess; url: string; pid: number }> {
  // Request logs (info) would cost the server time and this process memory: warn only, so the
  // port is chosen here and readiness is asked for.
  const port = await freePort();
  const server = startServer(
    {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dataDir,
      PORT: String(port),
      SEED_DEMO: 'false',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      SECRETS_KEYS: generateKeySpec('bench'),
      ...(process.env.BENCH_SHAPE_CHUNK_ROWS
        ? { SHAPE_CHUNK_ROWS: process.env.BENCH_SHAPE_CHUNK_ROWS }
        : {}),
      ...env,
    },
    { compiled: true },
  );
  const url = `http://127.0.0.1:${port}`;
  await waitReady(`${url}/ready`, server);
  return { server, url, pid: server.child.pid ?? 0 };
}

function openEmptyReplica(folder: string, name: string) {
  const replica = openReplica(join(folder, `${name}.sqlite`));
  migrateReplica(replica);
  return replica;
}

/**
 * Seconds to insert every row of the four big tables of `source` into `target` (closed after):
 * prepared statements, 10,000 rows per transaction, the rows read beforehand. `bulk` sets the
 * CHECKs and the secondary indexes aside (built again at the end, and counted).
 */
function rawInsertSeconds(source: Database, target: Database, bulk: boolean): number {
  let seconds = 0;
  const timed = (work: () => void) => {
    const t = performance.now();
    work();
    seconds += (performance.now() - t) / 1000;
  };
  for (const table of ['leads', 'call_logs', 'sms_logs', 'financials'] as const) {
    const columns = (source.pragma(`table_info(${table})`) as { name: string }[]).map(
      (c) => c.name,
    );
    const insert = target.prepare(
      `INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`,
    );
    const insertBatch = target.transaction((batch: unknown[][]) => {
      for (const row of batch) insert.run(row);
    });
    if (bulk) {
      timed(() => {
        target.pragma('ignore_check_constraints = ON');
        target.transaction(() => deferIndexes(target, table))();
      });
    }
    const rowsOf = source.prepare(`SELECT * FROM ${table} ORDER BY id`).raw().iterate();
    let batch: unknown[][] = [];
    for (const row of rowsOf) {
      batch.push(row as unknown[]);
      if (batch.length === 10_000) {
        timed(() => insertBatch(batch));
        batch = [];
      }
    }
    if (batch.length > 0) timed(() => insertBatch(batch));
    if (bulk) timed(() => restoreIndexes(target, table));
  }
  target.close();
  return seconds;
}

async function initialSync(
  context: BenchContext,
  url: string,
  token: string,
  pid: number,
  folder: string,
): Promise<{ lines: string[]; data: Record<string, unknown> }> {
  const replica = openEmptyReplica(folder, 'initial');
  const before = memoryMiB(pid);
  const client = new SyncClient({
    serverUrl: url,
    replica,
    getAccessToken: () => Promise.resolve(token),
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const serverCpuBefore = cpuSecondsOf(pid);
  const postgresCpuBefore = postgresCpuSeconds();
  client.start();
  await client.upToDate();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuSeconds = cpuSecondsOf(pid) - serverCpuBefore;
  const postgresCpu = postgresCpuSeconds() - postgresCpuBefore;
  const clientCpuSeconds = (cpu.user + cpu.system) / 1e6;
  await client.stop();
  const after = memoryMiB(pid);
  const rows = sizes.leads + sizes.calls + sizes.texts + sizes.days;
  context.log(`initial sync: ${fmt(rows)} rows in ${seconds.toFixed(2)} s`);

  // The same rows, inserted raw into fresh replicas: as migrated (row by row, every CHECK and
  // index kept up to date), and bulk loaded the way the sync client loads a large snapshot.
  const asMigrated = rawInsertSeconds(replica, openEmptyReplica(folder, 'raw'), false);
  const bulk = rawInsertSeconds(replica, openEmptyReplica(folder, 'raw-bulk'), true);
  replica.close();
  const syncRate = rows / seconds;
  const rawRate = rows / asMigrated;
  const bulkRate = rows / bulk;
  return {
    lines: [
      `initial sync, ${fmt(rows)} rows (100k leads, 300k calls, 300k texts, 1,095 days) into an empty replica on disk:`,
      `  end to end ${seconds.toFixed(2)} s = ${fmt(syncRate)} rows/s`,
      `  CPU used meanwhile: desktop ${clientCpuSeconds.toFixed(2)} s, sync server ${serverCpuSeconds.toFixed(2)} s, PostgreSQL ${postgresCpu.toFixed(2)} s (${(clientCpuSeconds + serverCpuSeconds + postgresCpu).toFixed(2)} s on ${availableParallelism()} cores)`,
      `  raw better-sqlite3 insert of the same rows into the replica as migrated ${asMigrated.toFixed(2)} s = ${fmt(rawRate)} rows/s; sync/raw = ${(syncRate / rawRate).toFixed(2)}`,
      `  raw bulk load (CHECKs off, secondary indexes built after) ${bulk.toFixed(2)} s = ${fmt(bulkRate)} rows/s; sync/bulk = ${(syncRate / bulkRate).toFixed(2)}`,
      `  server memory: RSS ${fmt(before.rss)} MiB before, peak (VmHWM) ${fmt(after.peak)} MiB`,
    ],
    data: {
      rows,
      seconds,
      clientCpuSeconds,
      serverCpuSeconds,
      postgresCpuSeconds: postgresCpu,
      syncRate,
      rawSeconds: asMigrated,
      rawRate,
      bulkSeconds: bulk,
      bulkRate,
      serverRssBefore: before.rss,
      serverPeak: after.peak,
    },
  };
}

async function liveLatency(
  context: BenchContext,
  db: AppDatabase,
  url: string,
  userId: string,
  token: string,
): Promise<{ lines: string[]; data: Record<string, unknown> }> {
  // Replicas of the desktops on tmpfs: 50 desktops are 50 machines with their own disks; here
  // they share one, and 50 fsyncs per change would measure that disk, not the sync.
  const folder = mkdtempSync(join('/dev/shm', 'fl-bench-'));
  const desktops: { client: SyncClient; has: (id: string) => boolean }[] = [];
  try {
    for (let i = 0; i < DESKTOPS; i++) {
      const replica = openEmptyReplica(folder, `desktop-${i}`);
      const client = new SyncClient({
        serverUrl: url,
        replica,
        getAccessToken: () => Promise.resolve(token),
        liveSse: LIVE_SSE,
      });
      const find = replica.prepare('SELECT 1 FROM leads WHERE id = ?');
      desktops.push({ client, has: (id) => find.get(id) !== undefined });
      client.start();
    }
    await Promise.all(desktops.map((d) => d.client.upToDate()));
    context.log(`${DESKTOPS} desktops up to date (${DESKTOPS * syncedTables.length} live shapes)`);

    const perDelivery: number[] = [];
    const allDesktops: number[] = [];
    for (let change = 0; change < CHANGES && Date.now() < context.deadline; change++) {
      const id = crypto.randomUUID();
      let pending = DESKTOPS;
      let lastArrival = 0;
      let started = 0;
      const arrived = new Promise<void>((resolve) => {
        const unsubscribes = desktops.map((desktop) => {
          let seen = false;
          return desktop.client.onApplied((event) => {
            if (seen || event.table !== 'leads' || !desktop.has(id)) return;
            seen = true;
            lastArrival = performance.now() - started;
            perDelivery.push(lastArrival);
            pending -= 1;
            if (pending === 0) {
              for (const unsubscribe of unsubscribes) unsubscribe();
              resolve();
            }
          });
        });
      });
      started = performance.now();
      await db.execute(sql`INSERT INTO leads (id, user_id, customer_phone, source)
                           VALUES (${id}, ${userId}, '+15125550111', 'missed_call')`);
      await arrived;
      allDesktops.push(lastArrival);
    }
    const p50 = percentile(perDelivery, 50);
    const p99 = percentile(perDelivery, 99);
    return {
      lines: [
        `live latency, commit → row in a replica, ${fmt(allDesktops.length)} single-row inserts × ${DESKTOPS} desktops (${LIVE_SSE ? 'server-sent events' : 'long-poll'}; replicas on tmpfs):`,
        `  per delivery p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms; until the last of the ${DESKTOPS} desktops p50 ${percentile(allDesktops, 50).toFixed(1)} ms, p99 ${percentile(allDesktops, 99).toFixed(1)} ms`,
      ],
      data: {
        desktops: DESKTOPS,
        changes: allDesktops.length,
        deliveryP50: p50,
        deliveryP99: p99,
        allP50: percentile(allDesktops, 50),
        allP99: percentile(allDesktops, 99),
        deliveryMedian: median(perDelivery),
      },
    };
  } finally {
    await Promise.all(desktops.map((d) => d.client.stop()));
    rmSync(folder, { recursive: true, force: true });
  }
}

/** Opens `count` idle long-polls (1 per desktop per table) and reads the server's memory. */
async function idleSubscriptions(
  context: BenchContext,
  url: string,
  token: string,
  pid: number,
): Promise<{ lines: string[]; data: Record<string, unknown> }> {
  const positions = new Map<string, { handle: string; offset: string }>();
  for (const table of syncedTables) {
    let offset = '-1';
    let handle: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ table, offset, ...(handle ? { handle } : {}) });
      const response = await fetch(`${url}/v1/shape?${query.toString()}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      await response.arrayBuffer();
      handle = response.headers.get('electric-handle') ?? '';
      offset = response.headers.get('electric-offset') ?? offset;
      if (response.headers.has('electric-up-to-date')) break;
    }
    positions.set(table, { handle: handle ?? '', offset });
  }
  const idle = memoryMiB(pid);
  const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
  const target = new URL(url);
  // Each subscription polls again when answered, as a desktop does: a long-poll that times out (or
  // fails) before the rest are open is replaced, not lost from the count.
  const requests = new Set<ReturnType<typeof request>>();
  let stopping = false;
  let reissued = 0;
  const poll = (table: (typeof syncedTables)[number]) => {
    const query = new URLSearchParams({
      table,
      live: 'true',
      cursor: '0',
      ...positions.get(table)!,
    });
    const req = request({
      agent,
      host: target.hostname,
      port: target.port,
      path: `/v1/shape?${query.toString()}`,
      headers: { authorization: `Bearer ${token}` },
    });
    const again = () => {
      requests.delete(req);
      if (stopping) return;
      reissued += 1;
      poll(table);
    };
    req.on('response', (response) => {
      response.resume();
      response.once('end', again);
    });
    req.once('error', again);
    req.end();
    requests.add(req);
  };
  for (let i = 0; i < SUBSCRIPTIONS; i++) poll(syncedTables[i % syncedTables.length] ?? 'leads');
  const started = performance.now();
  let waiting = 0;
  while (waiting < SUBSCRIPTIONS && Date.now() < context.deadline) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const health = (await (await fetch(`${url}/health`)).json()) as { live: { waiting: number } };
    waiting = health.live.waiting;
  }
  const held = memoryMiB(pid);
  const seconds = (performance.now() - started) / 1000;
  stopping = true;
  for (const req of requests) req.destroy();
  agent.destroy();
  const perSubscriptionKiB = ((held.rss - idle.rss) * 1024) / Math.max(1, waiting);
  return {
    lines: [
      `idle live subscriptions (long-polls) held by one server process: ${fmt(waiting)} of ${fmt(SUBSCRIPTIONS)} waiting, ${seconds.toFixed(1)} s after they were opened (${fmt(reissued)} polled again meanwhile)`,
      `  server RSS ${fmt(idle.rss)} MiB before, ${fmt(held.rss)} MiB holding them (${perSubscriptionKiB.toFixed(1)} KiB each), peak ${fmt(held.peak)} MiB`,
    ],
    data: {
      opened: SUBSCRIPTIONS,
      waiting,
      reissued,
      seconds,
      rssBefore: idle.rss,
      rssHolding: held.rss,
      peak: held.peak,
      perSubscriptionKiB,
    },
  };
}

async function run(context: BenchContext): Promise<BenchResult> {
  // The server runs compiled, as deployed (`npm run build`): tsx would add its own memory and time.
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const temp = await createTemporaryDatabase(context);
  const folder = mkdtempSync(join(tmpdir(), 'fl-bench-sync-'));
  const lines: string[] = [];
  const data: Record<string, unknown> = {};
  const servers: ServerProcess[] = [];
  try {
    const db = temp.handle.db;
    const big = await createBusiness(db, 'big@bench.example');
    const small = await createBusiness(db, 'small@bench.example');
    let started = performance.now();
    await fillBusiness(db, big, sizes);
    await fillBusiness(db, small, { leads: 200, calls: 200, texts: 200, days: 30 });
    context.log(`data generated in ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const first = await startSyncServer(temp.url, folder);
    servers.push(first.server);
    const bigToken = await login(first.url, 'big@bench.example');
    const initial = await initialSync(context, first.url, bigToken, first.pid, folder);
    lines.push(...initial.lines);
    data.initialSync = initial.data;

    const smallToken = await login(first.url, 'small@bench.example');
    started = performance.now();
    const live = await liveLatency(context, db, first.url, small, smallToken);
    lines.push(...live.lines);
    data.liveLatency = { ...live.data, seconds: (performance.now() - started) / 1000 };
    first.server.child.kill('SIGTERM');
    await first.server.exited;

    // A fresh process with long-polls that outlast the measurement.
    const second = await startSyncServer(temp.url, folder, { SHAPE_LONG_POLL_SECONDS: '120' });
    servers.push(second.server);
    const token = await login(second.url, 'small@bench.example');
    const held = await idleSubscriptions(context, second.url, token, second.pid);
    lines.push(...held.lines);
    data.idleSubscriptions = held.data;
  } finally {
    for (const server of servers) server.child.kill('SIGTERM');
    await Promise.all(servers.map((server) => server.exited));
    rmSync(folder, { recursive: true, force: true });
    await temp.drop();
  }
  return { lines, data };
}

export const benchmark: Benchmark = {
  name: 'sync',
  description:
    'read path: initial sync rows/s vs raw SQLite inserts, server memory, live latency with 50 desktops, idle subscriptions',
  run,
};
