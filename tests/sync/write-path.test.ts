import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SyncedTable } from '../../db/enums.ts';
import { createDesktopHandlers } from '../../electron/core/api.ts';
import { refusedEdits, supersededEdits } from '../../electron/core/queries/edits.ts';
import type { DesktopCore } from '../../electron/core/desktop-core.ts';
import { startDesktop, untilWrites } from './desktops.ts';
import {
  bothSides,
  createHarness,
  replicaRows,
  serverRows,
  signUpAt,
  type TextRow,
  until,
} from './harness.ts';

const WRITE_TABLES: SyncedTable[] = ['leads', 'lead_notes', 'sms_logs', 'call_logs'];
const AT = () => new Date().toISOString();
const isPush = (input: string | URL | Request) =>
  (input instanceof Request ? input.url : input.toString()).endsWith('/v1/mutations');

/** A fetch that holds every push until released (the desktop is, for pushing, offline). */
function gatedPushes(): { fetch: typeof fetch; release(): void } {
  let open = false;
  const waiting: (() => void)[] = [];
  return {
    fetch: async (input, init) => {
      if (isPush(input) && !open) await new Promise<void>((resolve) => waiting.push(resolve));
      return fetch(input, init);
    },
    release() {
      open = true;
      for (const resume of waiting.splice(0)) resume();
    },
  };
}

/**
 * Waits until every desktop has pushed everything and its replica equals the server on the tables
 * the write path changes (checked after every batch it applies); returns the first one's sides.
 */
async function converged(
  harness: Awaited<ReturnType<typeof createHarness>>,
  tenantId: string,
  ...desktops: DesktopCore[]
) {
  for (const desktop of desktops) await desktop.drained();
  const server = await serverSide(harness, tenantId);
  for (const desktop of desktops) {
    await until(desktop.sync, () =>
      isDeepStrictEqual(
        Object.fromEntries(WRITE_TABLES.map((t) => [t, replicaRows(desktop.replica, t)])),
        server,
      ),
    );
  }
  return bothSides(harness.pg, desktops[0]!.replica, tenantId, WRITE_TABLES);
}

async function serverSide(harness: Awaited<ReturnType<typeof createHarness>>, tenantId: string) {
  const rows: Record<string, TextRow[]> = {};
  for (const table of WRITE_TABLES) rows[table] = await serverRows(harness.pg, table, tenantId);
  return rows;
}

describe('the write path, desktop to server and back', () => {
  it('shows an action at once, applies it exactly once, and every replica converges', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Write Plumbing');
    const van = startDesktop(harness, { server, account, name: 'van.sqlite' });
    const office = startDesktop(harness, { server, account, name: 'office.sqlite' });
    await Promise.all([van.sync.upToDate(), office.sync.upToDate()]);

    const lead = randomUUID();
    const handlers = createDesktopHandlers(van);
    await handlers['writes:record']({
      name: 'lead.create',
      args: {
        id: lead,
        customerPhone: '(512) 555-0142',
        customerName: 'Ana Ruiz',
        source: 'referral',
      },
    });
    // Visible in a local query before any network round trip.
    expect(replicaRows(van.replica, 'leads').map((row) => row.id)).toContain(lead);
    van.act('lead.update', { id: lead, set: { quotedAmount: '450', urgency: 'high' } });
    van.act('lead.addNote', {
      id: randomUUID(),
      leadId: lead,
      body: 'Water heater, basement',
      at: AT(),
    });
    van.act('text.queue', { id: randomUUID(), leadId: lead, body: 'On our way', at: AT() });
    van.act('call.logOutbound', {
      id: randomUUID(),
      leadId: lead,
      toPhone: '(512) 555-0142',
      status: 'answered',
      durationSeconds: 95,
      at: AT(),
    });
    van.act('lead.move', { id: lead, to: 'booked', at: AT() });
    expect(await handlers['writes:status']()).toMatchObject({
      pending: expect.any(Number) as number,
    });

    const sides = await converged(harness, account.tenantId, van, office);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.leads).toEqual([
      expect.objectContaining({
        id: lead,
        customer_phone: '+15125550142',
        quoted_amount: '450.00',
        urgency: 'high',
        status: 'booked',
      }),
    ]);
    expect(sides.server.lead_notes).toHaveLength(1);
    expect(sides.server.sms_logs).toEqual([
      expect.objectContaining({ status: 'queued', to_phone: '+15125550142' }),
    ]);
    expect(sides.server.call_logs).toHaveLength(1);
    const [client] = await harness.pg.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM mutation_clients WHERE client_id = $1',
      [van.outbox.clientId],
    );
    expect(client?.last_mutation_id).toBe(6);
    expect(van.writeStatus()).toMatchObject({
      pending: 0,
      acknowledged: 0,
      push: { state: 'idle' },
    });
  });

  it('records a refused edit between two good ones: they apply, the refusal reaches the desktop', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Refused Plumbing');
    const gate = gatedPushes();
    // The van's clock runs a minute ahead (within the server's tolerance): its move is the later
    // edit of the status, so the clocks let it through to the pipeline's rules, which refuse it.
    const van = startDesktop(harness, {
      server,
      account,
      options: { fetch: gate.fetch, clock: () => Date.now() + 60_000 },
    });
    await van.sync.upToDate();
    const lead = randomUUID();
    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(
        `INSERT INTO leads (id, user_id, customer_phone, source) VALUES ($1, $2, '+15125550177', 'referral')`,
        [lead, account.tenantId],
      ),
    );
    await until(van.sync, () => replicaRows(van.replica, 'leads').length === 1);

    van.act('lead.addNote', { id: randomUUID(), leadId: lead, body: 'First visit', at: AT() });
    const move = van.act('lead.move', { id: lead, to: 'booked', at: AT() });
    van.act('lead.addNote', { id: randomUUID(), leadId: lead, body: 'Second visit', at: AT() });
    // Meanwhile the office finished the job: the van's move can no longer be made.
    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(`UPDATE leads SET status = 'completed', completed_at = now() WHERE id = $1`, [lead]),
    );
    await until(van.sync, () => replicaRows(van.replica, 'leads')[0]?.status === 'completed');
    gate.release();

    const sides = await converged(harness, account.tenantId, van);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.lead_notes?.map((note) => note.body).sort()).toEqual([
      'First visit',
      'Second visit',
    ]);
    expect(sides.server.leads?.[0]?.status).toBe('completed');
    await until(van.sync, () => refusedEdits(van.replica, van.outbox.clientId, 10).length > 0);
    const refused = await createDesktopHandlers(van)['writes:refused']({ limit: 10 });
    expect(refused).toEqual([
      expect.objectContaining({
        mutationId: move.mutationId,
        name: 'lead.move',
        code: 'PIPELINE_FORBIDS',
        reason: expect.stringContaining('completed') as string,
      }),
    ]);
  });

  it('queues edits while the server is down and pushes them when it is back', async () => {
    const harness = await createHarness();
    const first = await harness.startServer();
    const account = await signUpAt(first.url, 'Offline Plumbing');
    const van = startDesktop(harness, { server: first, account });
    await van.sync.upToDate();
    await first.app.close();

    const lead = randomUUID();
    van.act('lead.create', { id: lead, customerPhone: '+15125550190', source: 'referral' });
    van.act('lead.update', { id: lead, set: { description: 'No hot water' } });
    await untilWrites(van, (status) => status.push.state === 'retrying');
    expect(van.writeStatus().pending).toBe(2);
    expect(replicaRows(van.replica, 'leads')[0]).toMatchObject({ description: 'No hot water' });

    await harness.startServer({ port: first.port });
    const sides = await converged(harness, account.tenantId, van);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.leads).toEqual([expect.objectContaining({ description: 'No hot water' })]);
  });

  it('retries a push whose answer was lost after the commit: nothing is applied twice', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Lossy Plumbing');
    let lost = 0;
    const van = startDesktop(harness, {
      server,
      account,
      options: {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (isPush(input) && lost === 0) {
            lost += 1;
            await response.arrayBuffer();
            throw new TypeError('fetch failed: socket hang up');
          }
          return response;
        },
      },
    });
    await van.sync.upToDate();
    const lead = randomUUID();
    van.act('lead.create', { id: lead, customerPhone: '+15125550191', source: 'referral' });
    van.act('lead.addNote', { id: randomUUID(), leadId: lead, body: 'Once only', at: AT() });
    const sides = await converged(harness, account.tenantId, van);
    expect(lost).toBe(1);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.lead_notes).toHaveLength(1);
    expect(sides.server.leads).toHaveLength(1);
  });

  it('stops pushing when signed out, keeps the edits, and pushes them once signed in again', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Signed-out Plumbing');
    let token = 'not-a-token';
    const signedOut: string[] = [];
    const van = startDesktop(harness, {
      server,
      account,
      options: {
        getAccessToken: () => Promise.resolve(token),
        onAuthFailure: (error) => signedOut.push(error.code),
      },
    });
    const lead = randomUUID();
    van.act('lead.create', { id: lead, customerPhone: '+15125550194', source: 'referral' });
    await untilWrites(van, (status) => status.push.state === 'error');
    // The read path is refused too (sign in again is the app's answer to both).
    await expect(van.sync.upToDate()).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(van.writeStatus()).toMatchObject({ pending: 1, push: { code: 'UNAUTHENTICATED' } });
    expect(signedOut).toContain('UNAUTHENTICATED');

    token = account.accessToken;
    van.start();
    const sides = await converged(harness, account.tenantId, van);
    expect(sides.server.leads).toEqual([expect.objectContaining({ id: lead })]);
  });

  it('retries after a 503 and after a push that times out, and applies each edit once', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Flaky Plumbing');
    const seen: string[] = [];
    const van = startDesktop(harness, {
      server,
      account,
      options: {
        push: { timeoutMs: 200 },
        fetch: async (input, init) => {
          if (!isPush(input)) return fetch(input, init);
          seen.push(`push ${seen.length + 1}`);
          if (seen.length === 1) {
            // A gateway in front of the server, while the server restarts.
            return new Response(JSON.stringify({ code: 'SHUTTING_DOWN', message: 'restarting' }), {
              status: 503,
              headers: { 'content-type': 'application/json' },
            });
          }
          if (seen.length === 2) {
            // The request lands and the server applies it, but no answer comes back in time.
            const response = await fetch(input, init);
            await response.arrayBuffer();
            return new Promise<Response>((_, reject) => {
              const signal = init?.signal;
              if (signal?.aborted) reject(signal.reason as Error);
              signal?.addEventListener('abort', () => reject(signal.reason as Error));
            });
          }
          return fetch(input, init);
        },
      },
    });
    await van.sync.upToDate();
    const lead = randomUUID();
    van.act('lead.create', { id: lead, customerPhone: '+15125550195', source: 'referral' });
    van.act('lead.addNote', { id: randomUUID(), leadId: lead, body: 'Only once', at: AT() });
    const sides = await converged(harness, account.tenantId, van);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.lead_notes).toHaveLength(1);
  });

  it('stops pushing, with the reason, when it cannot take an answer in', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Garbled Plumbing');
    const van = startDesktop(harness, {
      server,
      account,
      options: {
        fetch: async (input, init) => {
          const response = await fetch(input, init);
          if (!isPush(input)) return response;
          // An answer meant for another desktop (a misrouting proxy, say).
          const body = (await response.json()) as Record<string, unknown>;
          return Response.json({ ...body, clientId: 'another-desktop' });
        },
      },
    });
    van.act('lead.create', { id: randomUUID(), customerPhone: '+15125550196', source: 'referral' });
    const status = await untilWrites(van, (s) => s.push.state === 'error');
    expect(status).toMatchObject({
      pending: 1,
      push: { code: 'INTERNAL', message: expect.stringContaining('another-desktop') as string },
    });
  });

  it('renumbers its outbox when the server expects an earlier number (MUTATION_GAP)', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Gap Plumbing');
    const van = startDesktop(harness, { server, account });
    await van.sync.upToDate();
    const lead = randomUUID();
    van.act('lead.create', { id: lead, customerPhone: '+15125550192', source: 'referral' });
    van.act('lead.update', { id: lead, set: { urgency: 'low' } });
    await van.drained();
    // The server forgets the second (a restore from backup, say): it now expects number 2.
    await harness.pg.query(
      'UPDATE mutation_clients SET last_mutation_id = 1 WHERE client_id = $1',
      [van.outbox.clientId],
    );
    van.act('lead.update', { id: lead, set: { urgency: 'high' } });
    const sides = await converged(harness, account.tenantId, van);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.leads?.[0]?.urgency).toBe('high');
    const [client] = await harness.pg.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM mutation_clients WHERE client_id = $1',
      [van.outbox.clientId],
    );
    expect(client?.last_mutation_id).toBe(2);
  });

  it('shows the desktop whose edit lost a conflict what superseded it', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Conflict Plumbing');
    const gate = gatedPushes();
    let vanClock = Date.now();
    const van = startDesktop(harness, {
      server,
      account,
      name: 'van.sqlite',
      options: { fetch: gate.fetch, clock: () => vanClock },
    });
    const office = startDesktop(harness, { server, account, name: 'office.sqlite' });
    await Promise.all([van.sync.upToDate(), office.sync.upToDate()]);
    const lead = randomUUID();
    office.act('lead.create', { id: lead, customerPhone: '+15125550193', source: 'referral' });
    await office.drained();
    await until(van.sync, () => replicaRows(van.replica, 'leads').length === 1);

    // The van edits first (by the clock) but pushes last; the office's later edit wins.
    vanClock = Date.now() - 60_000;
    van.act('lead.update', { id: lead, set: { urgency: 'low' } });
    expect(replicaRows(van.replica, 'leads')[0]?.urgency).toBe('low');
    office.act('lead.update', { id: lead, set: { urgency: 'high' } });
    await office.drained();
    gate.release();

    const sides = await converged(harness, account.tenantId, van, office);
    expect(sides.replica).toEqual(sides.server);
    expect(sides.server.leads?.[0]?.urgency).toBe('high');
    await until(van.sync, () => supersededEdits(van.replica, van.outbox.clientId, 10).length > 0);
    const superseded = await createDesktopHandlers(van)['writes:superseded']({ limit: 10 });
    expect(superseded).toEqual([
      expect.objectContaining({
        table: 'leads',
        rowId: lead,
        field: 'urgency',
        outcome: 'overtaken',
        keptValue: 'high',
        supersededValue: 'low',
        keptBy: expect.stringContaining('Pat Owner') as string,
      }),
    ]);

    // The van applies its value again: a new edit, later than the office's, which now wins.
    const again = await createDesktopHandlers(van)['writes:applyAgain']({
      conflictId: superseded[0]?.id ?? '',
    });
    expect(replicaRows(van.replica, 'leads')[0]?.urgency).toBe('low');
    const after = await converged(harness, account.tenantId, van, office);
    expect(after.server.leads?.[0]?.urgency).toBe('low');
    const [stamped] = await harness.pg.query<{ mutation_id: number }>(
      `SELECT mutation_id FROM field_clocks WHERE row_id = $1 AND field = 'urgency'`,
      [lead],
    );
    expect(stamped?.mutation_id).toBe(again.mutationId);
  });
});
