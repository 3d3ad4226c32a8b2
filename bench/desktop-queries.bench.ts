import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { leadSources, leadStatuses, leadUrgencies } from '../db/enums.ts';
import { deferIndexes, restoreIndexes } from '../db/replica/deferred-indexes.ts';
import { migrateReplica } from '../db/replica/migrate.ts';
import { type Database, openReplica } from '../db/replica/open.ts';
import type { LeadSort } from '../db/wire/desktop-views.ts';
import { listCalls } from '../electron/core/queries/calls.ts';
import { inboxThreads } from '../electron/core/queries/inbox.ts';
import { getLead, leadBoard, listLeads } from '../electron/core/queries/leads.ts';
import { dashboard } from '../electron/core/queries/numbers.ts';
import { leadTimeline } from '../electron/core/queries/timeline.ts';
import { applyShapeBatch } from '../electron/core/sync/apply.ts';
import {
  type BenchContext,
  type BenchResult,
  type Benchmark,
  fmt,
  median,
  percentile,
} from './harness.ts';

/**
 * The local core's read queries behind the desktop screens (electron/core/queries), on a replica
 * file of one large business built directly with prepared inserts (not timed):
 * 1. search as you type: realistic queries typed a character at a time, each keystroke a
 *    `leads:list` page of 100 with its total, as the pipeline screen asks;
 * 2. the board (`leads:board`, every column, 50 per column, with totals);
 * 3. the list's first page under every sort; a lead's detail and timeline; the dashboard; the
 *    inbox and the call log;
 * 4. what the full-text index costs an initial sync: 100,000 leads through the sync client's
 *    apply path (bulk loaded as a large snapshot is), as shipped (FTS rebuilt once at the end),
 *    with the FTS triggers kept row by row, and without any FTS index.
 * Baseline in the same run: a bare `SELECT 1` and a primary-key lookup on the same connection.
 */

const LEADS = Number(process.env.BENCH_DESKTOP_LEADS ?? 100_000);
const RUNS = Number(process.env.BENCH_DESKTOP_RUNS ?? 30);
const BUSINESS = '0b7f3f7e-1a2b-4c3d-8e9f-001122334455';
/** The day the data ends (and the dashboard's clock). */
const TODAY = new Date(2026, 10, 27, 15, 0, 0);
const DAY_MS = 86_400_000;

/** A small deterministic generator (mulberry32): the same replica every run. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Ids that sort as they are made, so every table is inserted in key order. */
const idOf = (kind: number, n: number): string =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const stored = (ms: number): string => `${new Date(ms).toISOString().slice(0, 23)}000Z`;

const firstNames = [
  'Dana',
  'Maria',
  'James',
  'Robert',
  'Linda',
  'Michael',
  'Patricia',
  'David',
  'Jennifer',
  'William',
  'Elizabeth',
  'Richard',
  'Susan',
  'Joseph',
  'Jessica',
  'Thomas',
  'Sarah',
  'Charles',
  'Karen',
  'Christopher',
  'Nancy',
  'Daniel',
  'Lisa',
  'Matthew',
  'Betty',
  'Anthony',
  'Margaret',
  'Mark',
  'Sandra',
  'Donald',
  'Ashley',
  'Steven',
  'Kimberly',
  'Paul',
  'Emily',
  'Andrew',
  'Donna',
  'Joshua',
  'Michelle',
  'Kenneth',
  'José',
  'Zoë',
  'Chloé',
  'Renée',
  'Søren',
  'Björn',
  'Siobhan',
  'Nguyen',
  'Priya',
  'Ahmed',
];
const lastNames = [
  'Ortiz',
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'Garcia',
  'Miller',
  'Davis',
  'Rodriguez',
  'Martinez',
  'Hernandez',
  'Lopez',
  'Gonzalez',
  'Wilson',
  'Anderson',
  'Thomas',
  'Taylor',
  'Moore',
  'Jackson',
  'Martin',
  'Lee',
  'Perez',
  'Thompson',
  'White',
  'Harris',
  'Sanchez',
  'Clark',
  'Ramirez',
  'Lewis',
  'Robinson',
  'Walker',
  'Young',
  'Allen',
  'King',
  'Wright',
  'Scott',
  "O'Brien",
  'Torres',
  'Nguyen',
  'Hill',
  'Flores',
  'Green',
  'Adams',
  'Nelson',
  'Baker',
  'Hall',
  'Rivera',
  'Campbell',
  'Mitchell',
  'Carter',
  'Roberts',
  'Müller',
  'Kowalski',
];
const problems = [
  'Water heater leaking in the garage',
  'Kitchen sink clogged, water backing up',
  'No hot water since this morning',
  'Burst pipe under the bathroom floor',
  'AC not cooling, unit making noise',
  'Furnace will not ignite',
  'Toilet running constantly',
  'Sewer smell in the basement',
  'Low water pressure upstairs',
  'Garbage disposal jammed',
  'Thermostat replacement and install',
  'Tankless water heater estimate',
  'Outdoor spigot frozen and cracked',
  'Sump pump failed after the storm',
  'Gas line inspection before remodel',
];
const serviceTypes = ['plumbing', 'hvac', 'water_heater', 'drain', 'sewer', 'gas', 'electrical'];
const areaCodes = ['512', '737', '210', '214', '469', '713', '832', '281'];

interface Lead {
  id: string;
  createdAt: number;
  phone: string;
}

/** Builds a replica of one business of `leads` leads (and ~3 calls and ~3 texts per lead). */
export function buildReplica(replica: Database, leads: number): Lead[] {
  const rand = random(42);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(rand() * values.length)] as T;
  const start = TODAY.getTime() - 3 * 365 * DAY_MS;
  const made: Lead[] = [];
  const load = (table: Parameters<typeof deferIndexes>[1], work: () => void) =>
    replica.transaction(() => {
      deferIndexes(replica, table);
      work();
      restoreIndexes(replica, table);
    })();

  load('leads', () => {
    const insert = replica.prepare(
      `INSERT INTO leads (id, user_id, customer_phone, customer_name, customer_email, source,
         service_type, urgency, description, status, quoted_amount, actual_amount, created_at,
         updated_at, contacted_at, quoted_at, booked_at, completed_at, lost_at, lost_reason)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < leads; i++) {
      const createdAt = start + Math.floor(((i + rand()) / leads) * 3 * 365 * DAY_MS);
      const status = pick(leadStatuses);
      const rank = leadStatuses.indexOf(status);
      const at = (stage: number) =>
        rank >= stage && status !== 'lost' ? stored(createdAt + stage * 3_600_000) : null;
      const name = rand() < 0.1 ? null : `${pick(firstNames)} ${pick(lastNames)}`;
      const phone = `+1${pick(areaCodes)}${String(Math.floor(rand() * 10_000_000)).padStart(7, '0')}`;
      const quoted = rank >= 2 ? `${100 + Math.floor(rand() * 5000)}.00` : null;
      insert.run(
        idOf(1, i),
        BUSINESS,
        phone,
        name,
        name === null ? null : `${name.split(' ')[0]?.toLowerCase()}${i}@example.com`,
        pick(leadSources),
        pick(serviceTypes),
        rand() < 0.2 ? null : pick(leadUrgencies),
        rand() < 0.15 ? null : `${pick(problems)}. Call before ${8 + (i % 9)}am.`,
        status,
        quoted,
        status === 'completed' ? quoted : null,
        stored(createdAt),
        stored(createdAt + 5 * 3_600_000),
        at(1),
        at(2),
        at(3),
        at(4),
        status === 'lost' ? stored(createdAt + 7_200_000) : null,
        status === 'lost' ? 'went with another company' : null,
      );
      made.push({ id: idOf(1, i), createdAt, phone });
    }
  });

  load('call_logs', () => {
    const insert = replica.prepare(
      `INSERT INTO call_logs (id, user_id, lead_id, caller_phone, called_phone, call_status,
         call_direction, call_duration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let n = 0;
    for (const lead of made) {
      for (let k = 0; k < 3; k++) {
        const inbound = rand() < 0.7;
        const status =
          inbound && rand() < 0.25 ? pick(['no_answer', 'voicemail', 'busy']) : 'answered';
        insert.run(
          idOf(2, n++),
          BUSINESS,
          lead.id,
          inbound ? lead.phone : '+15125550100',
          inbound ? '+15125550100' : lead.phone,
          status,
          inbound ? 'inbound' : 'outbound',
          status === 'answered' ? 30 + Math.floor(rand() * 600) : 0,
          stored(lead.createdAt + k * 1_800_000),
        );
      }
    }
  });

  load('sms_logs', () => {
    const insert = replica.prepare(
      `INSERT INTO sms_logs (id, user_id, lead_id, direction, from_phone, to_phone, message_text,
         status, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    let n = 0;
    for (const lead of made) {
      for (let k = 0; k < 3; k++) {
        const inbound = k === 1;
        insert.run(
          idOf(3, n++),
          BUSINESS,
          lead.id,
          inbound ? 'inbound' : 'outbound',
          inbound ? lead.phone : '+15125550100',
          inbound ? '+15125550100' : lead.phone,
          inbound ? 'Yes please, tomorrow morning works' : 'Sorry we missed your call!',
          inbound ? 'received' : 'delivered',
          stored(lead.createdAt + 60_000 + k * 900_000),
        );
      }
    }
  });

  load('lead_notes', () => {
    const insert = replica.prepare(
      `INSERT INTO lead_notes (id, user_id, lead_id, body, created_at) VALUES (?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < made.length; i += 5) {
      const lead = made[i] as Lead;
      insert.run(
        idOf(4, i),
        BUSINESS,
        lead.id,
        'Gate code 4411',
        stored(lead.createdAt + 7_000_000),
      );
    }
  });

  load('financials', () => {
    const insert = replica.prepare(
      `INSERT INTO financials (id, user_id, date, ad_spend, leads_generated, leads_booked, revenue)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let d = 0; d < 3 * 365; d++) {
      const day = new Date(start + d * DAY_MS);
      const date = `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
      const spend = 5000 + Math.floor(rand() * 20000);
      insert.run(
        idOf(5, d),
        BUSINESS,
        date,
        `${Math.trunc(spend / 100)}.${String(spend % 100).padStart(2, '0')}`,
        Math.floor(rand() * 180),
        Math.floor(rand() * 40),
        `${Math.floor(rand() * 9000)}.${String(Math.floor(rand() * 100)).padStart(2, '0')}`,
      );
    }
  });

  load('campaigns', () => {
    const insert = replica.prepare(
      `INSERT INTO campaigns (id, user_id, campaign_id, campaign_name, daily_budget, status,
         total_spend, total_clicks, total_impressions, total_conversions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let c = 0; c < 24; c++) {
      insert.run(
        idOf(6, c),
        BUSINESS,
        String(9_000_000 + c),
        `Campaign ${c}`,
        '50.00',
        pick(['active', 'paused', 'ended']),
        `${Math.floor(rand() * 90_000)}.25`,
        Math.floor(rand() * 20_000),
        Math.floor(rand() * 400_000),
        Math.floor(rand() * 900),
      );
    }
  });
  return made;
}

const stats = (ms: number[]) => ({
  p50: percentile(ms, 50),
  p99: percentile(ms, 99),
  max: Math.max(...ms),
  runs: ms.length,
});
const show = (ms: number) => `${ms.toFixed(2)} ms`;

function timeRuns(runs: number, work: (run: number) => void): number[] {
  const times: number[] = [];
  for (let run = 0; run < runs; run++) {
    const started = performance.now();
    work(run);
    times.push(performance.now() - started);
  }
  return times;
}

/** What people type, a character at a time: names, phone digits (bare and formatted), words. */
const typed = [
  'dana ortiz',
  'maria gar',
  "o'brien",
  'josé',
  'zoe',
  'jennifer lopez',
  '5125',
  '(512) 555',
  '737-21',
  '+1 713 4',
  '832',
  'water heater',
  'leak',
  'sewer smell',
  'furnace',
  'garbage disp',
  'tankless',
  'sump pump',
  'kowalski',
  'müller',
];

/** `leads` rows in Postgres text format, for the sync client's apply path. */
function leadMessages(replica: Database): { key: string; headers: object; value: object }[] {
  const rows = replica
    .prepare(
      `SELECT id, user_id, customer_phone, customer_name, customer_email, customer_address,
              source, service_type, urgency, description, status, pipeline_stage, quoted_amount,
              actual_amount, ghl_contact_id, ghl_opportunity_id,
              replace(replace(created_at, 'T', ' '), 'Z', '+00') AS created_at,
              replace(replace(updated_at, 'T', ' '), 'Z', '+00') AS updated_at,
              replace(replace(contacted_at, 'T', ' '), 'Z', '+00') AS contacted_at,
              replace(replace(quoted_at, 'T', ' '), 'Z', '+00') AS quoted_at,
              replace(replace(booked_at, 'T', ' '), 'Z', '+00') AS booked_at,
              replace(replace(completed_at, 'T', ' '), 'Z', '+00') AS completed_at,
              replace(replace(lost_at, 'T', ' '), 'Z', '+00') AS lost_at, lost_reason
         FROM leads ORDER BY id`,
    )
    .all() as Record<string, string | null>[];
  return rows.map((value) => ({
    key: `"public"."leads"/"${String(value.id)}"`,
    headers: { operation: 'insert' },
    value,
  }));
}

type LoadVariant = 'shipped' | 'fts-row-by-row' | 'no-fts';

/**
 * 100,000 leads into an empty replica through applyShapeBatch, 20,000 per batch, announced as a
 * large snapshot (indexes set aside, built when up to date), as the sync client loads them.
 */
function timeInitialLoad(dir: string, variant: LoadVariant, messages: unknown[]): number {
  const path = join(dir, `load-${variant}-${Date.now()}.sqlite`);
  const replica = openReplica(path);
  try {
    migrateReplica(replica);
    if (variant === 'no-fts') {
      replica.exec(`DROP TRIGGER leads_search_insert; DROP TRIGGER leads_search_delete;
                    DROP TRIGGER leads_search_update; DROP TABLE leads_search;`);
    }
    const batch = 20_000;
    const started = performance.now();
    for (let from = 0; from < messages.length; from += batch) {
      const last = from + batch >= messages.length;
      applyShapeBatch(
        replica,
        'leads',
        messages.slice(from, from + batch),
        { handle: 'h', offset: `0_${from}`, snapshotRows: messages.length, upToDate: last },
        { replaces: from === 0 },
      );
      if (from === 0 && variant === 'fts-row-by-row') {
        // Put the triggers (and the index of the first batch) back at once: the rest row by row.
        replica.transaction(() => {
          const aside = replica
            .prepare(
              `SELECT index_name AS name, create_sql AS sql FROM sync_deferred_indexes
                WHERE index_name LIKE 'leads_search%'`,
            )
            .all() as { name: string; sql: string }[];
          for (const { name, sql } of aside) {
            replica.exec(sql);
            replica.prepare('DELETE FROM sync_deferred_indexes WHERE index_name = ?').run(name);
          }
        })();
      }
    }
    return performance.now() - started;
  } finally {
    replica.close();
    rmSync(path, { force: true });
    rmSync(`${path}-wal`, { force: true });
    rmSync(`${path}-shm`, { force: true });
  }
}

function measure(context: BenchContext): BenchResult {
  const dir = mkdtempSync(join(tmpdir(), 'fl-bench-desktop-'));
  const replica = openReplica(join(dir, 'replica.sqlite'));
  try {
    migrateReplica(replica);
    const building = performance.now();
    const leads = buildReplica(replica, LEADS);
    const counts = replica
      .prepare(
        `SELECT (SELECT count(*) FROM leads) AS leads, (SELECT count(*) FROM call_logs) AS calls,
                (SELECT count(*) FROM sms_logs) AS texts, (SELECT count(*) FROM lead_notes) AS notes,
                (SELECT count(*) FROM financials) AS days`,
      )
      .get() as Record<string, number>;
    context.log(
      `built ${fmt(counts.leads ?? 0)} leads, ${fmt(counts.calls ?? 0)} calls, ${fmt(counts.texts ?? 0)} texts, ` +
        `${fmt(counts.notes ?? 0)} notes, ${fmt(counts.days ?? 0)} days in ${((performance.now() - building) / 1000).toFixed(1)} s`,
    );
    const rand = random(7);
    const someLead = () => (leads[Math.floor(rand() * leads.length)] as Lead).id;
    const now = () => TODAY;

    // Baseline: the cheapest round trips on this connection.
    const selectOne = replica.prepare('SELECT 1');
    const byKey = replica.prepare('SELECT * FROM leads WHERE id = ?');
    const baseline = stats(timeRuns(2_000, () => selectOne.get()));
    const keyLookup = stats(timeRuns(2_000, () => byKey.get(someLead())));

    // 1. Search as you type.
    const keystrokes: number[] = [];
    const perQuery: { query: string; p50: number; max: number; total: number }[] = [];
    for (const query of typed) {
      const times: number[] = [];
      let total = 0;
      for (let length = 1; length <= query.length; length++) {
        const search = query.slice(0, length);
        const started = performance.now();
        const page = listLeads(replica, {
          filter: { search },
          sort: { by: 'created_at', dir: 'desc' },
          offset: 0,
          limit: 100,
        });
        times.push(performance.now() - started);
        total = page.total;
      }
      keystrokes.push(...times);
      perQuery.push({ query, p50: median(times), max: Math.max(...times), total });
    }
    const search = stats(keystrokes);
    context.log(
      `search: ${keystrokes.length} keystrokes, p50 ${show(search.p50)}, p99 ${show(search.p99)}`,
    );

    // 2. The board.
    const board = stats(
      timeRuns(RUNS, () =>
        leadBoard(replica, { filter: {}, sort: { by: 'created_at', dir: 'desc' }, perColumn: 50 }),
      ),
    );
    const boardSorted = stats(
      timeRuns(RUNS, () =>
        leadBoard(replica, { filter: {}, sort: { by: 'urgency', dir: 'desc' }, perColumn: 50 }),
      ),
    );

    // 3. The list under each sort, a lead's detail and timeline, the dashboard, inbox, calls.
    const sorts: LeadSort[] = (
      ['created_at', 'updated_at', 'customer_name', 'urgency'] as const
    ).flatMap((by) => (['desc', 'asc'] as const).map((dir) => ({ by, dir })));
    const lists = sorts.map((sort) => ({
      sort: `${sort.by} ${sort.dir}`,
      ...stats(
        timeRuns(RUNS, () => listLeads(replica, { filter: {}, sort, offset: 0, limit: 100 })),
      ),
    }));
    const filtered = stats(
      timeRuns(RUNS, () =>
        listLeads(replica, {
          filter: { statuses: ['quoted', 'booked'], urgencies: ['high'], sources: ['google_ads'] },
          sort: { by: 'updated_at', dir: 'desc' },
          offset: 0,
          limit: 100,
        }),
      ),
    );
    const detail = stats(
      timeRuns(200, () => {
        const id = someLead();
        getLead(replica, id);
        leadTimeline(replica, id);
      }),
    );
    const dashboardTimes = stats(timeRuns(RUNS, () => dashboard(replica, undefined, now)));
    const inbox = stats(timeRuns(RUNS, () => inboxThreads(replica, { limit: 200 })));
    const inboxSearch = stats(
      timeRuns(RUNS, (i) =>
        inboxThreads(replica, { search: ['dana', 'or', '512'][i % 3], limit: 200 }),
      ),
    );
    const calls = stats(
      timeRuns(RUNS, () => listCalls(replica, { missedOnly: false, offset: 0, limit: 100 })),
    );

    // 4. The initial load, with and without the full-text index.
    const messages = leadMessages(replica);
    const load: Record<LoadVariant, number> = { shipped: 0, 'fts-row-by-row': 0, 'no-fts': 0 };
    for (const variant of ['no-fts', 'shipped', 'fts-row-by-row'] as const) {
      load[variant] = timeInitialLoad(dir, variant, messages);
      context.log(
        `initial load of ${fmt(messages.length)} leads, ${variant}: ${(load[variant] / 1000).toFixed(2)} s`,
      );
    }

    const lines = [
      `replica: ${fmt(counts.leads ?? 0)} leads, ${fmt(counts.calls ?? 0)} calls, ${fmt(counts.texts ?? 0)} texts (file on ${dir})`,
      `baseline SELECT 1: p50 ${show(baseline.p50)}, p99 ${show(baseline.p99)}; lead by id: p50 ${show(keyLookup.p50)}, p99 ${show(keyLookup.p99)}`,
      `search as you type (${typed.length} queries, ${keystrokes.length} keystrokes, page of 100 + total): p50 ${show(search.p50)}, p99 ${show(search.p99)}, max ${show(search.max)}`,
      ...perQuery.map(
        (q) =>
          `  "${q.query}": p50 ${show(q.p50)}, max ${show(q.max)}, ${fmt(q.total)} matches at the end`,
      ),
      `board, 6 columns x 50 + totals, newest first: p50 ${show(board.p50)}, p99 ${show(board.p99)} (${board.runs} runs)`,
      `board, by urgency: p50 ${show(boardSorted.p50)}, p99 ${show(boardSorted.p99)}`,
      ...lists.map((l) => `list page of 100 by ${l.sort}: p50 ${show(l.p50)}, p99 ${show(l.p99)}`),
      `list, 3 filters combined, by updated_at: p50 ${show(filtered.p50)}, p99 ${show(filtered.p99)}`,
      `lead detail + timeline: p50 ${show(detail.p50)}, p99 ${show(detail.p99)} (${detail.runs} leads)`,
      `dashboard (month, daily series, funnel, campaigns): p50 ${show(dashboardTimes.p50)}, p99 ${show(dashboardTimes.p99)}`,
      `inbox, 200 threads: p50 ${show(inbox.p50)}, p99 ${show(inbox.p99)}; with a search: p50 ${show(inboxSearch.p50)}, p99 ${show(inboxSearch.p99)}`,
      `call log page of 100, missed first: p50 ${show(calls.p50)}, p99 ${show(calls.p99)}`,
      `initial load of ${fmt(messages.length)} leads (apply path, bulk): no FTS ${(load['no-fts'] / 1000).toFixed(2)} s, ` +
        `FTS rebuilt at the end ${(load.shipped / 1000).toFixed(2)} s (+${((load.shipped / load['no-fts'] - 1) * 100).toFixed(0)}%), ` +
        `FTS row by row ${(load['fts-row-by-row'] / 1000).toFixed(2)} s (+${((load['fts-row-by-row'] / load['no-fts'] - 1) * 100).toFixed(0)}%)`,
    ];
    return {
      lines,
      data: {
        counts,
        baseline,
        keyLookup,
        search,
        perQuery,
        board,
        boardSorted,
        lists,
        filtered,
        detail,
        dashboard: dashboardTimes,
        inbox,
        inboxSearch,
        calls,
        initialLoadMs: load,
      },
    };
  } finally {
    replica.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every query is synchronous (better-sqlite3): the whole benchmark runs in one go. */
const run = (context: BenchContext): Promise<BenchResult> => Promise.resolve(measure(context));

export const benchmark: Benchmark = {
  name: 'desktop-queries',
  description:
    'the desktop screens’ local queries on a 100,000-lead replica: search as you type, board, lists, timeline, dashboard; FTS cost of the initial load',
  run,
};
