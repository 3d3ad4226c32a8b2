import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Statement } from 'better-sqlite3';
import { sql } from 'drizzle-orm';
import type { MutationName } from '../db/mutations/catalogue.ts';
import { queryRows } from '../db/postgres/client.ts';
import { type Database, openReplica } from '../db/replica/open.ts';
import { migrateReplica } from '../db/replica/migrate.ts';
import type { WriteStatus } from '../db/wire/desktop-api.ts';
import { DesktopCore } from '../electron/core/desktop-core.ts';
import {
  cpuSecondsOf,
  createBusiness,
  loginSession,
  postgresCpuSeconds,
  startSyncServer,
} from './sync.bench.ts';
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
 * The write path's desktop side, with the real local core (DesktopCore: replica, outbox, pusher,
 * sync client):
 * 1. local optimistic write latency, action → visible in a local query, offline (the server is
 *    unreachable, so nothing but the local transaction runs), on a replica file on local disk with
 *    the shipped `synchronous = FULL`, beside `synchronous = NORMAL` in the same run;
 * 2. a backlog of 10,000 mutations recorded offline, then pushed from the outbox to the sync server
 *    (compiled, its own process, real PostgreSQL) once back online: until every one is acknowledged,
 *    and until every outcome has come back through the shapes into the replica (`drained()`).
 */

const WRITES = Number(process.env.BENCH_OUTBOX_WRITES ?? 2_000);
const PREFILL = Number(process.env.BENCH_OUTBOX_LEADS ?? 10_000);
const BACKLOG = Number(process.env.BENCH_OUTBOX_BACKLOG ?? 10_000);
const ROUNDS = Number(process.env.BENCH_OUTBOX_ROUNDS ?? 3);
/** Actions per block of one `synchronous` setting; the two settings alternate block by block. */
const BLOCK = 200;
/** Nothing listens here: pushes fail at once (connection refused) and back off. */
const UNREACHABLE = 'http://127.0.0.1:9';
const BUSINESS_PHONE = '+15125550100';
const DRAIN_TIMEOUT_MS = 10 * 60_000;

type WriteTable = 'leads' | 'lead_notes' | 'call_logs' | 'sms_logs';

interface Action {
  name: MutationName;
  args: unknown;
  /** Where its effect shows in a local query, and what that query must read. */
  table: WriteTable;
  id: string;
  column: string;
  expected: string | number;
}

/**
 * The mix of mutations.bench.ts's `offlineWork`: a new lead, then edits, a note, a call and a text
 * about it, and a move along the pipeline — endlessly.
 */
function* workMix(): Generator<Action, never> {
  let lead = '';
  for (let i = 0; ; i++) {
    const at = new Date().toISOString();
    switch (i % 8) {
      case 0: {
        lead = crypto.randomUUID();
        const customerName = `Customer ${i}`;
        yield {
          name: 'lead.create',
          args: {
            id: lead,
            customerPhone: `+1512555${String(1000 + (i % 9000)).padStart(4, '0')}`,
            customerName,
            source: 'referral',
          },
          table: 'leads',
          id: lead,
          column: 'customer_name',
          expected: customerName,
        };
        break;
      }
      case 1:
      case 4: {
        const description = `Visit ${i}: leak under sink`;
        yield {
          name: 'lead.update',
          args: { id: lead, set: { urgency: i % 2 ? 'high' : 'medium', description } },
          table: 'leads',
          id: lead,
          column: 'description',
          expected: description,
        };
        break;
      }
      case 2: {
        const id = crypto.randomUUID();
        const body = `Note ${i}`;
        yield {
          name: 'lead.addNote',
          args: { id, leadId: lead, body, at },
          table: 'lead_notes',
          id,
          column: 'body',
          expected: body,
        };
        break;
      }
      case 3: {
        const id = crypto.randomUUID();
        const durationSeconds = 60 + (i % 300);
        yield {
          name: 'call.logOutbound',
          args: {
            id,
            leadId: lead,
            toPhone: '+15125550142',
            status: 'answered',
            durationSeconds,
            at,
          },
          table: 'call_logs',
          id,
          column: 'call_duration',
          expected: durationSeconds,
        };
        break;
      }
      case 5: {
        const amount = `${200 + (i % 500)}.00`;
        yield {
          name: 'lead.update',
          args: { id: lead, set: { quotedAmount: amount } },
          table: 'leads',
          id: lead,
          column: 'quoted_amount',
          expected: amount,
        };
        break;
      }
      case 6: {
        const id = crypto.randomUUID();
        yield {
          name: 'text.queue',
          args: { id, leadId: lead, body: `On our way! (${i})`, at },
          table: 'sms_logs',
          id,
          column: 'message_text',
          expected: `On our way! (${i})`,
        };
        break;
      }
      case 7:
        yield {
          name: 'lead.move',
          args: { id: lead, to: 'booked', at },
          table: 'leads',
          id: lead,
          column: 'status',
          expected: 'booked',
        };
        break;
    }
  }
}

const next = (work: Generator<Action, never>): Action => work.next().value;

/** Lets timers and I/O run between two actions, as between two clicks. */
const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Where `path` lives: the file system type of its mount (tmpfs would not measure a disk). */
function fileSystemOf(path: string): string {
  const types: Record<number, string> = {
    0x01021994: 'tmpfs',
    0xef53: 'ext2/3/4',
    0x58465342: 'xfs',
    0x9123683e: 'btrfs',
    0x794c7630: 'overlayfs',
  };
  const type = statfsSync(path).type;
  return types[type] ?? `0x${type.toString(16)}`;
}

function identityOf(businessId: string, memberId: string) {
  return { businessId, memberId, businessPhone: BUSINESS_PHONE };
}

const stats = (ms: number[]) => ({
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
  max: Math.max(...ms),
  mean: ms.reduce((sum, t) => sum + t, 0) / ms.length,
});
const showStats = (s: ReturnType<typeof stats>) =>
  `p50 ${s.p50.toFixed(3)} ms, p99 ${s.p99.toFixed(3)} ms, max ${s.max.toFixed(2)} ms, mean ${s.mean.toFixed(3)} ms`;

/** 1. action → visible in a local query, offline, FULL and NORMAL alternating block by block. */
async function localWrites(
  context: BenchContext,
  folder: string,
): Promise<{ lines: string[]; data: Record<string, unknown> }> {
  const replica = openReplica(join(folder, 'local.sqlite'));
  let core: DesktopCore | undefined;
  try {
    migrateReplica(replica);
    core = new DesktopCore({
      replica,
      serverUrl: UNREACHABLE,
      getAccessToken: () => Promise.resolve('offline'),
      identity: identityOf(crypto.randomUUID(), crypto.randomUUID()),
    });
    const work = workMix();

    // Untimed: a replica with PREFILL leads (created offline, so the outbox holds them too).
    let started = performance.now();
    replica.pragma('synchronous = NORMAL');
    for (let n = 0; n < PREFILL; n++) {
      core.act('lead.create', {
        id: crypto.randomUUID(),
        customerPhone: `+1512556${String(n % 10_000).padStart(4, '0')}`,
        customerName: `Prefilled ${n}`,
        source: 'website',
      });
      if (n % 1_000 === 999) await yieldToLoop();
    }
    replica.pragma('synchronous = FULL');
    replica.pragma('wal_checkpoint(TRUNCATE)');
    context.log(
      `prefilled ${fmt(PREFILL)} leads in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );

    const reads = new Map<string, Statement>();
    const readBack = (action: Action): Statement => {
      const key = `${action.table}.${action.column}`;
      let statement = reads.get(key);
      if (!statement) {
        statement = replica.prepare(
          `SELECT ${action.column} AS v FROM ${action.table} WHERE id = ?`,
        );
        reads.set(key, statement);
      }
      return statement;
    };
    const timed = (action: Action): number => {
      const read = readBack(action);
      const t0 = performance.now();
      core!.act(action.name, action.args);
      const row = read.get(action.id) as { v: unknown } | undefined;
      const ms = performance.now() - t0;
      if (row?.v !== action.expected) {
        throw new Error(
          `${action.name}: ${action.table}.${action.column} of ${action.id} reads ${String(row?.v)}, not ${action.expected}`,
        );
      }
      return ms;
    };

    // The floor: a one-row INSERT in its own transaction, on the same connection and file.
    replica.exec('CREATE TABLE bench_floor (id TEXT PRIMARY KEY, body TEXT NOT NULL)');
    const floorInsert = replica.prepare('INSERT INTO bench_floor (id, body) VALUES (?, ?)');
    const floorWrite = replica.transaction(() =>
      floorInsert.run(crypto.randomUUID(), 'x'.repeat(200)),
    );
    const floor = (): number => {
      const t0 = performance.now();
      floorWrite.immediate();
      return performance.now() - t0;
    };

    // Four series, alternating block by block so that the machine's noise falls on all alike.
    const series = [
      { synchronous: 'FULL', measure: () => timed(next(work)), ms: [] as number[] },
      { synchronous: 'NORMAL', measure: () => timed(next(work)), ms: [] as number[] },
      { synchronous: 'FULL', measure: floor, ms: [] as number[] },
      { synchronous: 'NORMAL', measure: floor, ms: [] as number[] },
    ];
    started = performance.now();
    for (let block = 0; series.some((s) => s.ms.length < WRITES); block++) {
      const s = series[block % series.length]!;
      replica.pragma(`synchronous = ${s.synchronous}`);
      for (let k = 0; k < BLOCK && s.ms.length < WRITES; k++) {
        s.ms.push(s.measure());
        await yieldToLoop();
      }
    }
    replica.pragma('synchronous = FULL');
    context.log(
      `${fmt(2 * WRITES)} timed actions and ${fmt(2 * WRITES)} floor writes in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    const [full, normal, floorFull, floorNormal] = series.map((s) => s.ms) as [
      number[],
      number[],
      number[],
      number[],
    ];
    const fullStats = stats(full);
    const normalStats = stats(normal);
    const floorFullStats = stats(floorFull);
    const floorNormalStats = stats(floorNormal);
    const counts = core.outbox.counts();
    return {
      lines: [
        `local optimistic write, action → read back in a local query, offline (server unreachable), ${fmt(WRITES)} actions per setting in the offlineWork mix, on a replica of ${fmt(PREFILL)} leads (${fileSystemOf(folder)} at ${folder}):`,
        `  synchronous = FULL (shipped):      ${showStats(fullStats)}`,
        `  synchronous = NORMAL (NOT shipped): ${showStats(normalStats)}`,
        `  floor, a one-row INSERT transaction on the same file: FULL ${showStats(floorFullStats)}`,
        `                                                    NORMAL ${showStats(floorNormalStats)}`,
        `  FULL/NORMAL: p50 ×${(fullStats.p50 / normalStats.p50).toFixed(1)}, p99 ×${(fullStats.p99 / normalStats.p99).toFixed(1)}; outbox afterwards: ${fmt(counts.pending)} pending`,
      ],
      data: {
        writes: WRITES,
        prefilledLeads: PREFILL,
        fileSystem: fileSystemOf(folder),
        full: fullStats,
        normal: normalStats,
        floorFull: floorFullStats,
        floorNormal: floorNormalStats,
        pendingAfter: counts.pending,
      },
    };
  } finally {
    await core?.stop();
    replica.close();
  }
}

interface PushRound {
  recordSeconds: number;
  ackSeconds: number;
  drainSeconds: number;
  desktopCpu: number;
  serverCpu: number;
  postgresCpu: number;
  creates: number;
}

/** Resolves with the first write status that `condition` accepts. */
function untilWrites(
  core: DesktopCore,
  condition: (status: WriteStatus) => boolean,
): Promise<WriteStatus> {
  return new Promise((resolve) => {
    if (condition(core.writeStatus())) {
      resolve(core.writeStatus());
      return;
    }
    const off = core.onWriteStatus((status) => {
      if (!condition(status)) return;
      off();
      resolve(status);
    });
  });
}

/** 2. One round: BACKLOG mutations recorded offline, then pushed once back online. */
async function pushRound(
  context: BenchContext,
  temp: Awaited<ReturnType<typeof createTemporaryDatabase>>,
  server: Awaited<ReturnType<typeof startSyncServer>>,
  folder: string,
  round: number,
): Promise<PushRound> {
  const email = `outbox-${round}@bench.example`;
  await createBusiness(temp.handle.db, email);
  const session = await loginSession(server.url, email);
  let offline = true;
  const isPush = (input: string | URL | Request) =>
    (input instanceof Request ? input.url : input.toString()).endsWith('/v1/mutations');
  const replica: Database = openReplica(join(folder, `backlog-${round}.sqlite`));
  let core: DesktopCore | undefined;
  try {
    migrateReplica(replica);
    core = new DesktopCore({
      replica,
      serverUrl: server.url,
      getAccessToken: () => Promise.resolve(session.accessToken),
      identity: identityOf(session.business.id, session.member.id),
      // Offline for pushing only: the shapes are up to date before the day's work starts.
      fetch: (input, init) =>
        offline && isPush(input)
          ? Promise.reject(new TypeError('fetch failed (offline)'))
          : fetch(input, init),
    });
    core.start();
    await core.sync.upToDate();

    // Untimed: the day's work, recorded while pushes fail (NORMAL while recording only).
    const work = workMix();
    let creates = 0;
    let started = performance.now();
    replica.pragma('synchronous = NORMAL');
    for (let n = 0; n < BACKLOG; n++) {
      const action = next(work);
      if (action.name === 'lead.create') creates += 1;
      core.act(action.name, action.args);
      if (n % 1_000 === 999) await yieldToLoop();
    }
    replica.pragma('synchronous = FULL');
    replica.pragma('wal_checkpoint(TRUNCATE)');
    const recordSeconds = (performance.now() - started) / 1000;
    // The pusher is waiting out a backoff delay, which going online cuts short.
    await untilWrites(core, (status) => status.push.state === 'retrying');
    const before = core.writeStatus();
    if (before.pending !== BACKLOG) throw new Error(`${before.pending} pending, not ${BACKLOG}`);

    const desktopCpu = process.cpuUsage();
    const serverCpu = cpuSecondsOf(server.pid);
    const postgresCpu = postgresCpuSeconds();
    const acknowledged = untilWrites(core, (status) => status.pending === 0);
    const drained = core.drained();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`not drained: ${JSON.stringify(core?.writeStatus())}`)),
        DRAIN_TIMEOUT_MS,
      );
    });
    started = performance.now();
    offline = false;
    core.pusher.retryNow();
    let ackSeconds = 0;
    try {
      await Promise.race([
        acknowledged.then(() => (ackSeconds = (performance.now() - started) / 1000)),
        timeout,
      ]);
      await Promise.race([drained, timeout]);
    } finally {
      clearTimeout(timer);
    }
    const drainSeconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(desktopCpu);
    const result: PushRound = {
      recordSeconds,
      ackSeconds,
      drainSeconds,
      desktopCpu: (cpu.user + cpu.system) / 1e6,
      serverCpu: cpuSecondsOf(server.pid) - serverCpu,
      postgresCpu: postgresCpuSeconds() - postgresCpu,
      creates,
    };

    // Every mutation applied once, and its outcome is in the replica.
    const status = core.writeStatus();
    if (status.pending !== 0 || status.acknowledged !== 0) {
      throw new Error(`write status after draining: ${JSON.stringify(status)}`);
    }
    const [onServer] = await queryRows<{ leads: number }>(
      temp.handle.db,
      sql`SELECT count(*)::int AS leads FROM leads WHERE user_id = ${session.business.id}`,
    );
    const [client] = await queryRows<{ last: number }>(
      temp.handle.db,
      sql`SELECT last_mutation_id AS last FROM mutation_clients WHERE client_id = ${core.outbox.clientId}`,
    );
    const local = replica.prepare('SELECT count(*) AS leads FROM leads').get() as {
      leads: number;
    };
    if (onServer?.leads !== creates || local.leads !== creates || client?.last !== BACKLOG) {
      throw new Error(
        `after the push: ${onServer?.leads} leads on the server, ${local.leads} in the replica, ` +
          `${creates} created; the server's last mutation ${client?.last}, of ${BACKLOG}`,
      );
    }
    context.log(
      `round ${round + 1}: recorded in ${recordSeconds.toFixed(1)} s; acknowledged ${ackSeconds.toFixed(2)} s, drained ${drainSeconds.toFixed(2)} s`,
    );
    return result;
  } finally {
    await core?.stop();
    replica.close();
  }
}

async function pushBacklog(
  context: BenchContext,
  folder: string,
): Promise<{ lines: string[]; data: Record<string, unknown> }> {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const temp = await createTemporaryDatabase(context);
  let server: Awaited<ReturnType<typeof startSyncServer>> | undefined;
  try {
    server = await startSyncServer(temp.url, folder);
    const rounds: PushRound[] = [];
    for (let round = 0; round < ROUNDS && (round === 0 || Date.now() < context.deadline); round++) {
      rounds.push(await pushRound(context, temp, server, folder, round));
    }
    const m = (pick: (r: PushRound) => number) => median(rounds.map(pick));
    const ack = m((r) => BACKLOG / r.ackSeconds);
    const drain = m((r) => BACKLOG / r.drainSeconds);
    const each = (pick: (r: PushRound) => number) => rounds.map((r) => fmt(pick(r))).join(', ');
    return {
      lines: [
        `a backlog of ${fmt(BACKLOG)} mutations recorded offline in a real outbox (${fmt(rounds[0]?.creates ?? 0)} leads), pushed once online (batches of 500), median of ${rounds.length}:`,
        `  until all acknowledged: ${m((r) => r.ackSeconds).toFixed(2)} s = ${fmt(ack)} mutations/s (rounds: ${each((r) => BACKLOG / r.ackSeconds)})`,
        `  until drained (every outcome back in the replica through the shapes): ${m((r) => r.drainSeconds).toFixed(2)} s = ${fmt(drain)} mutations/s (rounds: ${each((r) => BACKLOG / r.drainSeconds)})`,
        `  CPU until drained: desktop ${m((r) => r.desktopCpu).toFixed(2)} s, sync server ${m((r) => r.serverCpu).toFixed(2)} s, PostgreSQL ${m((r) => r.postgresCpu).toFixed(2)} s`,
      ],
      data: {
        backlog: BACKLOG,
        rounds,
        ackRate: ack,
        drainRate: drain,
        ackSeconds: m((r) => r.ackSeconds),
        drainSeconds: m((r) => r.drainSeconds),
        desktopCpu: m((r) => r.desktopCpu),
        serverCpu: m((r) => r.serverCpu),
        postgresCpu: m((r) => r.postgresCpu),
      },
    };
  } finally {
    if (server) {
      server.server.child.kill('SIGTERM');
      await server.server.exited;
    }
    await temp.drop();
  }
}

async function run(context: BenchContext): Promise<BenchResult> {
  const folder = mkdtempSync(join(tmpdir(), 'fl-bench-outbox-'));
  try {
    const local = await localWrites(context, folder);
    const pushed = await pushBacklog(context, folder);
    return {
      lines: [...local.lines, ...pushed.lines],
      data: { localWrites: local.data, pushBacklog: pushed.data },
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  name: 'outbox',
  description:
    'write path, desktop side: optimistic local write latency (FULL vs NORMAL); 10,000 offline mutations pushed from a real outbox until acknowledged and drained',
  run,
};
