/**
 * The write path's randomised simulation: several desktops (real DesktopCores on their own replica
 * files) and the real sync server on PostgreSQL, driven by a schedule fast-check generates — edits,
 * offline and online periods, dropped requests and responses, duplicated deliveries, desktop and
 * server restarts, and edits made on the server by another writer. After quiescence every replica
 * must equal the server, and every edit recorded on a desktop must be accounted for: applied,
 * rejected with a reason, or superseded — none may vanish, none may apply twice.
 */
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import type { SyncedTable } from '../../db/enums.ts';
import { leadFieldColumns } from '../../db/mutations/catalogue.ts';
import type { Database } from '../../db/replica/open.ts';
import { DesktopCore } from '../../electron/core/desktop-core.ts';
import {
  type Account,
  type Harness,
  replicaRows,
  type RunningServer,
  serverRows,
  quickAccount,
  type TextRow,
  until,
} from './harness.ts';

export const SIMULATED_TABLES: SyncedTable[] = [
  'leads',
  'lead_notes',
  'sms_logs',
  'call_logs',
  'mutation_rejections',
  'field_conflicts',
];

const URGENCIES = ['high', 'medium', 'low'] as const;
const STATUSES = ['contacted', 'quoted', 'booked', 'completed', 'lost', 'new'] as const;
const DESCRIPTIONS = ['Leak under sink', 'No hot water', 'Burst pipe', 'Clogged drain'] as const;
const AMOUNTS = ['120', '450', '450.00', '1999.99'] as const;

type ActionKind =
  'create' | 'urgency' | 'description' | 'amount' | 'move' | 'note' | 'text' | 'call';
type Fault = 'drop-request' | 'drop-response' | 'duplicate';

export type Command =
  | { kind: 'act'; desktop: number; action: ActionKind; lead: number; choice: number }
  | { kind: 'offline' | 'online' | 'restart-desktop' | 'drain'; desktop: number }
  | { kind: 'fault'; desktop: number; fault: Fault }
  | { kind: 'restart-server' }
  | { kind: 'server-edit'; lead: number; choice: number }
  | { kind: 'run'; turns: number };

export interface Schedule {
  desktops: number;
  commands: Command[];
}

export function scheduleArbitrary(): fc.Arbitrary<Schedule> {
  return fc.integer({ min: 2, max: 3 }).chain((desktops) => {
    const desktop = fc.integer({ min: 0, max: desktops - 1 });
    const command: fc.Arbitrary<Command> = fc.oneof(
      {
        weight: 8,
        arbitrary: fc.record({
          kind: fc.constant('act' as const),
          desktop,
          action: fc.constantFrom<ActionKind>(
            'create',
            'urgency',
            'description',
            'amount',
            'move',
            'note',
            'text',
            'call',
          ),
          lead: fc.nat(5),
          choice: fc.nat(20),
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constantFrom('offline' as const, 'online' as const),
          desktop,
        }),
      },
      {
        weight: 2,
        arbitrary: fc.record({
          kind: fc.constant('fault' as const),
          desktop,
          fault: fc.constantFrom<Fault>('drop-request', 'drop-response', 'duplicate'),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({ kind: fc.constant('restart-desktop' as const), desktop }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('drain' as const), desktop }) },
      { weight: 1, arbitrary: fc.constant({ kind: 'restart-server' as const }) },
      {
        weight: 1,
        arbitrary: fc.record({
          kind: fc.constant('server-edit' as const),
          lead: fc.nat(5),
          choice: fc.nat(20),
        }),
      },
      {
        weight: 3,
        arbitrary: fc.record({
          kind: fc.constant('run' as const),
          turns: fc.integer({ min: 1, max: 30 }),
        }),
      },
    );
    return fc.record({
      desktops: fc.constant(desktops),
      commands: fc.array(command, { minLength: 4, maxLength: 24 }),
    });
  });
}

/** A desktop's network: offline, or with faults waiting for its next pushes. */
class Network {
  offline = false;
  readonly faults: Fault[] = [];
  readonly #open = new Set<AbortController>();

  goOffline(): void {
    this.offline = true;
    // Connections drop: open streams end, requests under way fail.
    for (const controller of this.#open) controller.abort(new TypeError('network lost'));
  }

  readonly fetch: typeof fetch = async (input, init) => {
    if (this.offline) throw new TypeError('fetch failed: offline (simulated)');
    const controller = new AbortController();
    this.#open.add(controller);
    const signal = init?.signal
      ? AbortSignal.any([init.signal, controller.signal])
      : controller.signal;
    try {
      const url = input instanceof Request ? input.url : input.toString();
      if (!url.endsWith('/v1/mutations')) return await fetch(input, { ...init, signal });
      const fault = this.faults.shift();
      if (fault === 'drop-request')
        throw new TypeError('fetch failed: request dropped (simulated)');
      if (fault === 'duplicate') {
        const [first, second] = await Promise.all([
          fetch(input, { ...init, signal }),
          fetch(input, { ...init, signal }),
        ]);
        await second.arrayBuffer();
        return first;
      }
      const response = await fetch(input, { ...init, signal });
      if (fault === 'drop-response') {
        await response.arrayBuffer();
        throw new TypeError('fetch failed: response dropped (simulated)');
      }
      return response;
    } finally {
      this.#open.delete(controller);
    }
  };
}

interface SimDesktop {
  name: string;
  network: Network;
  core: DesktopCore;
  replica: Database;
}

interface RecordedEdit {
  clientId: string;
  mutationId: number;
  hlc: string;
  name: string;
  args: Record<string, unknown>;
}

export interface SimulationWorld {
  harness: Harness;
  server: RunningServer;
  /** A number for this schedule's files. */
  run: number;
}

/** Runs one schedule to quiescence and checks the invariants; throws what failed. */
export async function runSchedule(world: SimulationWorld, schedule: Schedule): Promise<void> {
  const { harness } = world;
  let server = world.server;
  const account = await quickAccount(harness, `Simulated Plumbing ${world.run}`);
  const recorded: RecordedEdit[] = [];
  const desktops: SimDesktop[] = [];
  const open = (name: string, network: Network): SimDesktop => {
    const replica = harness.openReplica(name);
    const core = new DesktopCore({
      replica,
      serverUrl: server.url,
      getAccessToken: () => Promise.resolve(account.accessToken),
      identity: identityOf(account),
      tables: SIMULATED_TABLES,
      fetch: network.fetch,
      backoff: { initialDelayMs: 5, maxDelayMs: 50 },
      outcomeGraceMs: 20,
      push: { batchMutations: 4 },
    });
    core.start();
    return { name, network, core, replica };
  };
  for (let d = 0; d < schedule.desktops; d++) {
    desktops.push(open(`sim-${world.run}-${d}.sqlite`, new Network()));
  }
  try {
    for (const command of schedule.commands) {
      switch (command.kind) {
        case 'act': {
          const desktop = desktops[command.desktop]!;
          const edit = act(desktop, command);
          if (edit) recorded.push(edit);
          break;
        }
        case 'offline':
          desktops[command.desktop]!.network.goOffline();
          break;
        case 'online':
          desktops[command.desktop]!.network.offline = false;
          break;
        case 'fault':
          desktops[command.desktop]!.network.faults.push(command.fault);
          break;
        case 'restart-desktop': {
          const old = desktops[command.desktop]!;
          await old.core.stop();
          old.replica.close();
          desktops[command.desktop] = open(old.name, old.network);
          break;
        }
        case 'drain': {
          const desktop = desktops[command.desktop]!;
          if (!desktop.network.offline && server)
            await bounded(desktop.core.drained(), `${desktop.name} drain`).catch(
              (error: unknown) => {
                throw new Error(`${String(error)}; ${diagnose(desktop)}`);
              },
            );
          break;
        }
        case 'restart-server': {
          await server.app.close();
          server = await harness.startServer({ port: server.port });
          break;
        }
        case 'server-edit':
          await serverEdit(harness, account, command);
          break;
        case 'run':
          for (let i = 0; i < command.turns; i++) await new Promise((r) => setImmediate(r));
          break;
      }
    }
    // Quiescence: everyone online, no more faults.
    for (const desktop of desktops) {
      desktop.network.offline = false;
      desktop.network.faults.length = 0;
      desktop.core.pusher.retryNow();
      desktop.core.pusher.kick();
    }
    for (const desktop of desktops) {
      await bounded(desktop.core.drained(), `${desktop.name} drained`).catch((error: unknown) => {
        throw new Error(`${String(error)}; ${diagnose(desktop)}`);
      });
    }
    const serverSide: Record<string, TextRow[]> = {};
    for (const table of SIMULATED_TABLES) {
      serverSide[table] = await serverRows(harness.pg, table, account.tenantId);
    }
    for (const desktop of desktops) {
      await bounded(
        until(desktop.core.sync, () => isDeepStrictEqual(replicaSide(desktop.replica), serverSide)),
        `${desktop.name} converged`,
      ).catch((error: unknown) => {
        const local = replicaSide(desktop.replica);
        const differing = SIMULATED_TABLES.filter(
          (t) => !isDeepStrictEqual(local[t], serverSide[t]),
        );
        throw new Error(
          `${String(error)}; tables differing: ${differing.join(', ')}; ` +
            `replica ${JSON.stringify(differing.map((t) => local[t]))} ` +
            `server ${JSON.stringify(differing.map((t) => serverSide[t]))}`,
        );
      });
    }
    await checkEveryEditAccountedFor(harness, account, recorded, serverSide);
  } finally {
    for (const desktop of desktops) {
      await desktop.core.stop();
      desktop.replica.close();
    }
    world.server = server;
  }
}

const identityOf = (account: Account) => ({
  businessId: account.tenantId,
  memberId: account.member.id,
  businessPhone: account.business.primaryPhone,
});

/** What a desktop's write path is waiting for, for a failure message. */
function diagnose(desktop: SimDesktop): string {
  const outbox = desktop.replica
    .prepare('SELECT mutation_id, name, status, wait_table, visible_seq FROM outbox_mutations')
    .all();
  const shapes = desktop.replica.prepare('SELECT table_name, "offset" FROM sync_shapes').all();
  return (
    `write status ${JSON.stringify(desktop.core.writeStatus())}; ` +
    `sync ${JSON.stringify(desktop.core.sync.status().overall)}; ` +
    `outbox ${JSON.stringify(outbox)}; shapes ${JSON.stringify(shapes)}`
  );
}

function replicaSide(replica: Database): Record<string, TextRow[]> {
  return Object.fromEntries(SIMULATED_TABLES.map((t) => [t, replicaRows(replica, t)]));
}

/** Fails instead of hanging when quiescence never comes (a real bug: the schedule is printed). */
function bounded<T>(work: Promise<T>, what: string, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not reached within ${ms} ms`)), ms);
  });
  return Promise.race([work, limit]).finally(() => clearTimeout(timer));
}

function leadsOf(replica: Database): { id: string; status: string }[] {
  return replica.prepare('SELECT id, status FROM leads ORDER BY id').all() as {
    id: string;
    status: string;
  }[];
}

/** Records the action on the desktop; undefined when the desktop itself refused it. */
function act(
  desktop: SimDesktop,
  command: Extract<Command, { kind: 'act' }>,
): RecordedEdit | undefined {
  const leads = leadsOf(desktop.replica);
  const lead = leads.length === 0 ? undefined : leads[command.lead % leads.length];
  const at = new Date().toISOString();
  const pick = <T>(values: readonly T[]): T => values[command.choice % values.length] as T;
  let name: string;
  let args: Record<string, unknown>;
  if (command.action === 'create' || lead === undefined) {
    name = 'lead.create';
    args = {
      id: randomUUID(),
      customerPhone: `+1512555${2000 + command.choice}`,
      source: 'referral',
    };
  } else {
    switch (command.action) {
      case 'urgency':
        name = 'lead.update';
        args = { id: lead.id, set: { urgency: pick(URGENCIES) } };
        break;
      case 'description':
        name = 'lead.update';
        args = { id: lead.id, set: { description: pick(DESCRIPTIONS) } };
        break;
      case 'amount':
        name = 'lead.update';
        args = { id: lead.id, set: { quotedAmount: pick(AMOUNTS) } };
        break;
      case 'move': {
        const to = pick(STATUSES);
        name = 'lead.move';
        args = { id: lead.id, to, at, ...(to === 'lost' ? { lostReason: 'Went elsewhere' } : {}) };
        break;
      }
      case 'note':
        name = 'lead.addNote';
        args = { id: randomUUID(), leadId: lead.id, body: `Note ${command.choice}`, at };
        break;
      case 'text':
        name = 'text.queue';
        args = { id: randomUUID(), leadId: lead.id, body: `Text ${command.choice}`, at };
        break;
      case 'call':
        name = 'call.logOutbound';
        args = {
          id: randomUUID(),
          leadId: lead.id,
          toPhone: '+15125550142',
          status: 'answered',
          durationSeconds: command.choice,
          at,
        };
        break;
    }
  }
  try {
    const done = desktop.core.act(name as 'lead.create', args);
    return { clientId: desktop.core.outbox.clientId, ...done, name, args };
  } catch (error) {
    // The desktop refuses what its own view forbids (a move back, a lead it no longer has).
    const code = (error as { code?: string }).code;
    if (code === 'PIPELINE_FORBIDS' || code === 'NOT_FOUND') return undefined;
    throw error;
  }
}

/** Another writer (a webhook, an agent) changes a lead's urgency on the server. */
async function serverEdit(
  harness: Harness,
  account: Account,
  command: Extract<Command, { kind: 'server-edit' }>,
): Promise<void> {
  await harness.pg.asBusiness(account.tenantId, async (query) => {
    const leads = await query<{ id: string }>('SELECT id FROM leads ORDER BY id');
    const lead = leads.length === 0 ? undefined : leads[command.lead % leads.length];
    if (!lead) return;
    await query('UPDATE leads SET urgency = $1 WHERE id = $2', [
      URGENCIES[command.choice % URGENCIES.length],
      lead.id,
    ]);
  });
}

/**
 * Every recorded edit is on the server exactly once: its client's count covers it, and it is
 * rejected with a reason, or its row exists, or its field holds its value — unless a later edit of
 * that field replaced it, or it lost to one (a recorded conflict).
 */
async function checkEveryEditAccountedFor(
  harness: Harness,
  account: Account,
  recorded: readonly RecordedEdit[],
  server: Record<string, TextRow[]>,
): Promise<void> {
  const clients = await harness.pg.query<{ client_id: string; last_mutation_id: number }>(
    'SELECT client_id, last_mutation_id FROM mutation_clients WHERE user_id = $1',
    [account.tenantId],
  );
  const clocks = await harness.pg.query<{ row_id: string; field: string; hlc: string }>(
    `SELECT row_id::text, field, hlc FROM field_clocks WHERE user_id = $1`,
    [account.tenantId],
  );
  const lastBy = new Map(clients.map((c) => [c.client_id, c.last_mutation_id]));
  const clockOf = new Map(clocks.map((c) => [`${c.row_id}/${c.field}`, c.hlc]));
  const rejected = new Set(
    (server.mutation_rejections ?? []).map((r) => `${r.client_id}/${r.mutation_id}`),
  );
  const superseded = new Set(
    (server.field_conflicts ?? []).map(
      (c) => `${c.superseded_client_id}/${c.superseded_mutation_id}/${c.field}`,
    ),
  );
  const byId = (table: string) => new Map((server[table] ?? []).map((row) => [row.id, row]));
  const rows = {
    leads: byId('leads'),
    lead_notes: byId('lead_notes'),
    sms_logs: byId('sms_logs'),
    call_logs: byId('call_logs'),
  };
  for (const edit of recorded) {
    const label = `${edit.name} #${edit.mutationId} ${JSON.stringify(edit.args)}`;
    if ((lastBy.get(edit.clientId) ?? 0) < edit.mutationId)
      throw new Error(`never applied: ${label}`);
    const key = `${edit.clientId}/${edit.mutationId}`;
    if (rejected.has(key)) continue;
    const id = edit.args.id as string;
    const insertTable = {
      'lead.create': 'leads',
      'lead.addNote': 'lead_notes',
      'text.queue': 'sms_logs',
      'call.logOutbound': 'call_logs',
    }[edit.name] as keyof typeof rows | undefined;
    if (insertTable) {
      if (!rows[insertTable].has(id)) throw new Error(`vanished: ${label}`);
      continue;
    }
    const lead = rows.leads.get(id);
    if (!lead) throw new Error(`lead gone for ${label}`);
    const fields: [string, string | null][] =
      edit.name === 'lead.move'
        ? [['status', edit.args.to as string]]
        : Object.entries(edit.args.set as Record<string, string>).map(([field, value]) => [
            leadFieldColumns[field as keyof typeof leadFieldColumns],
            field === 'quotedAmount' ? Number(value).toFixed(2) : value,
          ]);
    for (const [field, value] of fields) {
      if (lead[field] === value) continue;
      if (superseded.has(`${key}/${field}`)) continue;
      const clock = clockOf.get(`${id}/${field}`);
      if (clock !== undefined && clock > edit.hlc) continue; // a later edit replaced it
      throw new Error(`lost without a trace: ${label} (${field} is ${String(lead[field])})`);
    }
  }
  // Inserts are applied once: as many rows as recorded, not rejected, inserts.
  for (const [name, table] of [
    ['lead.addNote', 'lead_notes'],
    ['text.queue', 'sms_logs'],
    ['call.logOutbound', 'call_logs'],
  ] as const) {
    const expected = recorded.filter(
      (e) => e.name === name && !rejected.has(`${e.clientId}/${e.mutationId}`),
    ).length;
    if (rows[table].size !== expected) {
      throw new Error(`${table}: ${rows[table].size} rows for ${expected} recorded inserts`);
    }
  }
}
