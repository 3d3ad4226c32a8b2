import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatHlc, type Hlc, tickHlc } from '../db/hlc.ts';
import type { MutationName } from '../db/mutations/catalogue.ts';
import {
  cpuSecondsOf,
  createBusiness,
  login,
  postgresCpuSeconds,
  startSyncServer,
} from './sync.bench.ts';
import { type BenchContext, type BenchResult, type Benchmark, fmt, percentile } from './harness.ts';
import { createTemporaryDatabase } from './temp-database.ts';

/**
 * The write path's server side, with the sync server compiled in its own process on a real
 * PostgreSQL: one desktop's backlog of offline mutations pushed and acknowledged, and many desktops
 * pushing at once. The desktops are plain HTTP clients here (the desktop outbox joins the benchmark
 * when it lands); what is timed is POST /v1/mutations, from the first request to the last answer.
 */

const BACKLOG = Number(process.env.BENCH_MUTATIONS ?? 10_000);
const BATCH = Number(process.env.BENCH_MUTATION_BATCH ?? 500);
const DESKTOPS = Number(process.env.BENCH_MUTATION_DESKTOPS ?? 50);
const PER_DESKTOP = Number(process.env.BENCH_MUTATIONS_PER_DESKTOP ?? 200);
const DESKTOP_BATCH = 10;

interface Pushed {
  clientId: string;
  mutationId: number;
  name: MutationName;
  args: unknown;
  hlc: string;
}

/**
 * What a day offline produces: new leads, then edits, notes, a call and a text about them, and a
 * move along the pipeline — in that mix, numbered as a desktop numbers its outbox.
 */
function offlineWork(clientId: string, count: number): Pushed[] {
  let clock: Hlc | undefined;
  const at = new Date().toISOString();
  const out: Pushed[] = [];
  let lead = '';
  const add = (name: MutationName, args: unknown) => {
    clock = tickHlc(clock, Date.now(), clientId);
    out.push({ clientId, mutationId: out.length + 1, name, args, hlc: formatHlc(clock) });
  };
  for (let i = 0; out.length < count; i++) {
    switch (i % 8) {
      case 0:
        lead = crypto.randomUUID();
        add('lead.create', {
          id: lead,
          customerPhone: `+1512555${String(1000 + (i % 9000)).padStart(4, '0')}`,
          customerName: `Customer ${i}`,
          source: 'referral',
        });
        break;
      case 1:
      case 4:
        add('lead.update', {
          id: lead,
          set: { urgency: i % 2 ? 'high' : 'medium', description: `Visit ${i}: leak under sink` },
        });
        break;
      case 2:
        add('lead.addNote', { id: crypto.randomUUID(), leadId: lead, body: `Note ${i}`, at });
        break;
      case 3:
        add('call.logOutbound', {
          id: crypto.randomUUID(),
          leadId: lead,
          toPhone: '+15125550142',
          status: 'answered',
          durationSeconds: 60 + (i % 300),
          at,
        });
        break;
      case 5:
        add('lead.update', { id: lead, set: { quotedAmount: `${200 + (i % 500)}.00` } });
        break;
      case 6:
        add('text.queue', { id: crypto.randomUUID(), leadId: lead, body: 'On our way!', at });
        break;
      case 7:
        add('lead.move', { id: lead, to: 'booked', at });
        break;
    }
  }
  return out;
}

async function push(url: string, token: string, mutations: Pushed[]): Promise<void> {
  const response = await fetch(`${url}/v1/mutations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ mutations }),
  });
  const body = (await response.json()) as { results?: { status: string }[] };
  if (!response.ok || body.results?.some((r) => r.status !== 'applied')) {
    throw new Error(`push failed: ${response.status} ${JSON.stringify(body).slice(0, 300)}`);
  }
}

async function run(context: BenchContext): Promise<BenchResult> {
  execFileSync('npm', ['run', 'build'], { stdio: 'ignore' });
  const temp = await createTemporaryDatabase(context);
  const folder = mkdtempSync(join(tmpdir(), 'fl-bench-mutations-'));
  let server: Awaited<ReturnType<typeof startSyncServer>> | undefined;
  try {
    await createBusiness(temp.handle.db, 'backlog@bench.example');
    await createBusiness(temp.handle.db, 'office@bench.example');
    server = await startSyncServer(temp.url, folder);
    const { url, pid } = server;

    // 1. One desktop's backlog, in batches as the outbox sends them.
    const backlogToken = await login(url, 'backlog@bench.example');
    const backlog = offlineWork('backlog-laptop', BACKLOG);
    const serverCpu = cpuSecondsOf(pid);
    const postgresCpu = postgresCpuSeconds();
    let started = performance.now();
    for (let i = 0; i < backlog.length; i += BATCH) {
      await push(url, backlogToken, backlog.slice(i, i + BATCH));
    }
    const backlogSeconds = (performance.now() - started) / 1000;
    const backlogServerCpu = cpuSecondsOf(pid) - serverCpu;
    const backlogPostgresCpu = postgresCpuSeconds() - postgresCpu;
    context.log(`backlog of ${fmt(BACKLOG)} in ${backlogSeconds.toFixed(2)} s`);

    // 2. Many desktops of one business pushing at once, a few mutations per push.
    const officeToken = await login(url, 'office@bench.example');
    const latencies: number[] = [];
    started = performance.now();
    await Promise.all(
      Array.from({ length: DESKTOPS }, async (_, d) => {
        const work = offlineWork(`desk-${d}`, PER_DESKTOP);
        for (let i = 0; i < work.length; i += DESKTOP_BATCH) {
          const sent = performance.now();
          await push(url, officeToken, work.slice(i, i + DESKTOP_BATCH));
          latencies.push(performance.now() - sent);
        }
      }),
    );
    const concurrentSeconds = (performance.now() - started) / 1000;
    const total = DESKTOPS * PER_DESKTOP;
    return {
      lines: [
        `one desktop's backlog of ${fmt(BACKLOG)} offline mutations, pushed ${BATCH} at a time and acknowledged:`,
        `  ${backlogSeconds.toFixed(2)} s = ${fmt(BACKLOG / backlogSeconds)} mutations/s; CPU: sync server ${backlogServerCpu.toFixed(2)} s, PostgreSQL ${backlogPostgresCpu.toFixed(2)} s`,
        `${DESKTOPS} desktops of one business pushing at once, ${fmt(PER_DESKTOP)} mutations each, ${DESKTOP_BATCH} per push:`,
        `  ${fmt(total / concurrentSeconds)} mutations/s in all; acknowledgement p50 ${percentile(latencies, 50).toFixed(1)} ms, p99 ${percentile(latencies, 99).toFixed(1)} ms`,
      ],
      data: {
        backlog: BACKLOG,
        batch: BATCH,
        backlogSeconds,
        backlogRate: BACKLOG / backlogSeconds,
        backlogServerCpu,
        backlogPostgresCpu,
        desktops: DESKTOPS,
        perDesktop: PER_DESKTOP,
        concurrentRate: total / concurrentSeconds,
        ackP50: percentile(latencies, 50),
        ackP99: percentile(latencies, 99),
      },
    };
  } finally {
    if (server) {
      server.server.child.kill('SIGTERM');
      await server.server.exited;
    }
    rmSync(folder, { recursive: true, force: true });
    await temp.drop();
  }
}

export const benchmark: Benchmark = {
  name: 'mutations',
  description:
    'write path: one desktop’s backlog of 10,000 mutations pushed and acknowledged; 50 desktops pushing at once',
  run,
};
