import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHlc, type Hlc, tickHlc } from '../../db/hlc.ts';
import type { MutationName } from '../../db/mutations/catalogue.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends, createTestDatabase } from '../../tests/support/databases.ts';
import {
  type RunningServer,
  signedInBusiness,
  startShapeServer,
} from '../../tests/support/shape-harness.ts';
import { EXPECTED_MUTATION_HEADER } from '../errors.ts';
import type { PushResult } from './push.ts';

/** An hour ago: edits made offline, their clocks in the past but not ahead of the server's. */
const T0 = Date.now() - 3_600_000;

interface Outbox {
  clientId: string;
  next: number;
  /** A mutation numbered after the previous one, its clock `atMs` (default: now). */
  mutation(name: MutationName, args: unknown, atMs?: number): PushedForTest;
}
interface PushedForTest {
  clientId: string;
  mutationId: number;
  name: MutationName;
  args: unknown;
  hlc: string;
}

function outbox(clientId: string): Outbox {
  let last: Hlc | undefined;
  const box: Outbox = {
    clientId,
    next: 1,
    mutation: (name, args, atMs) => {
      // As a desktop's clock does: later than the last one, even within one millisecond.
      last =
        atMs === undefined
          ? tickHlc(last, Date.now(), clientId)
          : { wallMs: atMs, counter: 0, clientId };
      return { clientId, mutationId: box.next++, name, args, hlc: formatHlc(last) };
    },
  };
  return box;
}

async function push(server: RunningServer, token: string, mutations: PushedForTest[]) {
  const response = await server.app.inject({
    method: 'POST',
    url: '/v1/mutations',
    headers: { authorization: `Bearer ${token}` },
    payload: { mutations },
  });
  return {
    status: response.statusCode,
    headers: response.headers,
    body: response.json<unknown>(),
  };
}

async function pushOk(server: RunningServer, token: string, mutations: PushedForTest[]) {
  const response = await push(server, token, mutations);
  if (response.status !== 200)
    throw new Error(`push: ${response.status} ${JSON.stringify(response.body)}`);
  return response.body as PushResult;
}

const newLead = (id = crypto.randomUUID()) => ({
  id,
  customerPhone: '(512) 555-0142',
  customerName: 'Rosa Diaz',
  source: 'referral',
});

async function lead(db: AppDatabase, id: string) {
  const [row] = await queryRows<Record<string, string | null>>(
    db,
    sql`SELECT customer_phone, customer_name, urgency, status, quoted_amount::text, description,
               booked_at::text, lost_reason FROM leads WHERE id = ${id}`,
  );
  return row;
}

describe.each(backends)('POST /v1/mutations on %s', (backend) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()?.();
  });

  async function setup() {
    const database = await createTestDatabase(backend);
    cleanups.push(() => database.close());
    const server = await startShapeServer(database);
    cleanups.push(() => server.app.close());
    const a = await signedInBusiness(database.db, server.keyring);
    return { db: database.db, server, a };
  }

  it('applies each mutation of the catalogue in order and says from which offset they are visible', async () => {
    const { db, server, a } = await setup();
    const box = outbox('laptop-1');
    const leadId = crypto.randomUUID();
    const noteId = crypto.randomUUID();
    const callId = crypto.randomUUID();
    const textId = crypto.randomUUID();
    const at = '2026-11-28T09:30:00.000Z';
    const result = await pushOk(server, a.token, [
      box.mutation('lead.create', newLead(leadId)),
      box.mutation('lead.update', { id: leadId, set: { urgency: 'high', quotedAmount: '450' } }),
      box.mutation('lead.addNote', { id: noteId, leadId, body: 'Gate code 4411', at }),
      box.mutation('call.logOutbound', {
        id: callId,
        leadId,
        toPhone: '512-555-0142',
        status: 'answered',
        durationSeconds: 95,
        at,
      }),
      box.mutation('text.queue', { id: textId, leadId, body: 'On our way!', at }),
      box.mutation('lead.move', { id: leadId, to: 'booked', at }),
    ]);
    expect(result.results.map((r) => r.status)).toEqual(Array(6).fill('applied'));
    expect(result.lastMutationId).toBe(6);
    expect(await lead(db, leadId)).toMatchObject({
      customer_phone: '+15125550142',
      urgency: 'high',
      quoted_amount: '450.00',
      status: 'booked',
      booked_at: '2026-11-28 09:30:00+00',
    });
    const [counts] = await queryRows<{ notes: number; calls: number; texts: number }>(
      db,
      sql`SELECT (SELECT count(*)::int FROM lead_notes WHERE id = ${noteId} AND member_id = ${a.memberId}) AS notes,
                 (SELECT count(*)::int FROM call_logs WHERE id = ${callId} AND call_direction = 'outbound'
                     AND called_phone = '+15125550142') AS calls,
                 (SELECT count(*)::int FROM sms_logs WHERE id = ${textId} AND status = 'queued'
                     AND to_phone = '+15125550142') AS texts`,
    );
    expect(counts).toEqual({ notes: 1, calls: 1, texts: 1 });
    const [head] = await queryRows<{ seq: number }>(
      db,
      sql`SELECT seq::int FROM sync_heads WHERE user_id = ${a.userId}`,
    );
    expect(result.visibleAt).toBe(`${head!.seq}_0`);
  });

  it('applies nothing twice: the same batch again, and an overlapping one', async () => {
    const { db, server, a } = await setup();
    const box = outbox('laptop-1');
    const ids = [1, 2, 3, 4, 5].map(() => crypto.randomUUID());
    const batch = ids.map((id) => box.mutation('lead.create', newLead(id)));
    const first = await pushOk(server, a.token, batch.slice(0, 3));
    const again = await pushOk(server, a.token, batch.slice(0, 3));
    expect(again.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    expect(again.lastMutationId).toBe(first.lastMutationId);
    const overlapping = await pushOk(server, a.token, batch.slice(1));
    expect(overlapping.results.map((r) => r.status)).toEqual([
      'duplicate',
      'duplicate',
      'applied',
      'applied',
    ]);
    const [row] = await queryRows<{ n: number }>(
      db,
      sql`SELECT count(*)::int AS n FROM leads WHERE user_id = ${a.userId} AND customer_name = 'Rosa Diaz'`,
    );
    expect(row?.n).toBe(5);
  });

  it('refuses a batch that skips numbers with the number it expects, then takes them in order', async () => {
    const { server, a } = await setup();
    const box = outbox('laptop-1');
    const batch = [1, 2, 3, 4].map(() => box.mutation('lead.create', newLead()));
    const early = await push(server, a.token, batch.slice(2));
    expect(early.status).toBe(409);
    expect(early.body).toMatchObject({ code: 'MUTATION_GAP' });
    expect(early.headers[EXPECTED_MUTATION_HEADER]).toBe('1');
    expect((await pushOk(server, a.token, batch.slice(0, 2))).lastMutationId).toBe(2);
    expect((await pushOk(server, a.token, batch.slice(2))).lastMutationId).toBe(4);
    const gapped = await push(server, a.token, [{ ...batch[0]!, mutationId: 9 }]);
    expect(gapped.headers[EXPECTED_MUTATION_HEADER]).toBe('5');
  });

  it('applies a push as if one by one, whatever mutations of other leads come between', async () => {
    const { db, server, a } = await setup();
    const box = outbox('laptop-1');
    const [first, second] = [crypto.randomUUID(), crypto.randomUUID()];
    const noteId = crypto.randomUUID();
    const textId = crypto.randomUUID();
    const at = '2026-11-28T09:30:00.000Z';
    const result = await pushOk(server, a.token, [
      box.mutation('lead.update', { id: second, set: { urgency: 'low' } }), // not created yet
      box.mutation('lead.create', newLead(first)),
      box.mutation('lead.create', newLead(second)),
      box.mutation('lead.update', { id: first.toUpperCase(), set: { urgency: 'high' } }),
      box.mutation('lead.update', { id: first, set: { customerPhone: '512-555-0199' } }),
      box.mutation('text.queue', { id: textId, leadId: first, body: 'On our way!', at }),
      box.mutation('lead.addNote', { id: noteId, leadId: second.toUpperCase(), body: 'Hi', at }),
      box.mutation('lead.addNote', { id: noteId, leadId: first, body: 'Same id', at }), // taken
      box.mutation('lead.update', { id: second, set: { urgency: 'medium' } }),
      box.mutation('lead.move', { id: first, to: 'booked', at }),
      box.mutation('lead.move', { id: first, to: 'booked', at }), // already booked
    ]);
    expect(result.results.map((r) => [r.status, r.code ?? null])).toEqual([
      ['rejected', 'NOT_FOUND'],
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['applied', null],
      ['rejected', 'UNIQUE_VIOLATION'],
      ['applied', null],
      ['applied', null],
      ['rejected', 'PIPELINE_FORBIDS'],
    ]);
    expect(await lead(db, first)).toMatchObject({
      urgency: 'high',
      customer_phone: '+15125550199',
      status: 'booked',
    });
    expect(await lead(db, second)).toMatchObject({ urgency: 'medium', status: 'new' });
    // The text went to the number as edited before it, the note to the lead it was first written on.
    const [text] = await queryRows<{ to_phone: string }>(
      db,
      sql`SELECT to_phone FROM sms_logs WHERE id = ${textId}`,
    );
    expect(text?.to_phone).toBe('+15125550199');
    const [note] = await queryRows<{ lead_id: string; body: string }>(
      db,
      sql`SELECT lead_id, body FROM lead_notes WHERE id = ${noteId}`,
    );
    expect(note).toEqual({ lead_id: second, body: 'Hi' });
    const clocks = await queryRows<{ field: string; mutation_id: number }>(
      db,
      sql`SELECT field, mutation_id FROM field_clocks WHERE row_id = ${first} ORDER BY field`,
    );
    expect(clocks.map((c) => [c.field, c.mutation_id])).toEqual([
      ['booked_at', 10],
      ['customer_phone', 5],
      ['status', 10],
      ['urgency', 4],
    ]);
  });

  it('records a refused mutation with its reason and applies the ones after it', async () => {
    const { db, server, a } = await setup();
    const box = outbox('laptop-1');
    const leadId = crypto.randomUUID();
    const at = '2026-11-28T09:30:00.000Z';
    const result = await pushOk(server, a.token, [
      box.mutation('lead.create', newLead(leadId)),
      box.mutation('lead.move', { id: leadId, to: 'completed', at }),
      box.mutation('lead.move', { id: leadId, to: 'new', at }), // backwards: refused
      box.mutation('lead.update', { id: crypto.randomUUID(), set: { urgency: 'low' } }), // no such lead
      box.mutation('lead.create', { ...newLead(), customerPhone: 'call me maybe' }), // not a phone
      box.mutation('lead.update', { id: leadId, set: { quotedAmount: '-5' } }), // negative amount
      box.mutation('lead.addNote', { id: crypto.randomUUID(), leadId, body: 'Paid cash', at }),
    ]);
    expect(result.results.map((r) => [r.status, r.code ?? null])).toEqual([
      ['applied', null],
      ['applied', null],
      ['rejected', 'PIPELINE_FORBIDS'],
      ['rejected', 'NOT_FOUND'],
      ['rejected', 'INVALID_PHONE'],
      ['rejected', 'VALIDATION_FAILED'],
      ['applied', null],
    ]);
    expect(result.lastMutationId).toBe(7);
    const rejections = await queryRows<{ mutation_id: number; code: string; reason: string }>(
      db,
      sql`SELECT mutation_id, code, reason FROM mutation_rejections
           WHERE client_id = ${box.clientId} ORDER BY mutation_id`,
    );
    expect(rejections.map((r) => [r.mutation_id, r.code])).toEqual([
      [3, 'PIPELINE_FORBIDS'],
      [4, 'NOT_FOUND'],
      [5, 'INVALID_PHONE'],
      [6, 'VALIDATION_FAILED'],
    ]);
    expect(rejections[0]?.reason).toMatch(/completed job cannot move/);
    expect(rejections[3]?.reason).toMatch(/quotedAmount/);
    expect(await lead(db, leadId)).toMatchObject({ status: 'completed', quoted_amount: null });
  });

  it('turns a refusal only the database makes into a rejection, and still applies the rest', async () => {
    const { db, server, a } = await setup();
    // A rule the server's own checks know nothing of, as a constraint added later would be.
    await db.execute(
      sql`ALTER TABLE lead_notes ADD CONSTRAINT lead_notes_body_check_polite CHECK (body NOT LIKE '%darn%')`,
    );
    const box = outbox('laptop-1');
    const leadId = crypto.randomUUID();
    const at = '2026-11-28T09:30:00.000Z';
    const note = (body: string) =>
      box.mutation('lead.addNote', { id: crypto.randomUUID(), leadId, body, at });
    const result = await pushOk(server, a.token, [
      box.mutation('lead.create', newLead(leadId)),
      note('Arrived on time'),
      note('The darn pipe burst again'),
      note('Fixed'),
    ]);
    expect(result.results.map((r) => [r.status, r.code ?? null])).toEqual([
      ['applied', null],
      ['applied', null],
      ['rejected', 'CHECK_VIOLATION'],
      ['applied', null],
    ]);
    const notes = await queryRows<{ body: string }>(
      db,
      sql`SELECT body FROM lead_notes WHERE lead_id = ${leadId} ORDER BY body`,
    );
    expect(notes.map((n) => n.body)).toEqual(['Arrived on time', 'Fixed']);
  });

  it('gives every arrival order of three clients’ edits the same final lead', async () => {
    const { db, server, a } = await setup();
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const finals: unknown[] = [];
    for (const [n, order] of orders.entries()) {
      const creator = outbox(`creator-${n}`);
      const leadId = crypto.randomUUID();
      await pushOk(server, a.token, [creator.mutation('lead.create', newLead(leadId))]);
      // Three desktops edit the same lead at T0 + 1, 2, 3 s, overlapping on two fields each.
      const edits = [
        { set: { urgency: 'low', description: 'Drip under sink' }, atMs: T0 + 1000 },
        { set: { urgency: 'medium', quotedAmount: '300' }, atMs: T0 + 2000 },
        { set: { description: 'Pipe burst', quotedAmount: '475.5' }, atMs: T0 + 3000 },
      ].map(({ set, atMs }, i) => {
        const box = outbox(`desk-${n}-${i}`);
        // Each desktop saw the new lead, with none of these fields set.
        const base = Object.fromEntries(Object.keys(set).map((field) => [field, null]));
        return box.mutation('lead.update', { id: leadId, set, base }, atMs);
      });
      for (const i of order ?? []) await pushOk(server, a.token, [edits[i]!]);
      finals.push(await lead(db, leadId));
      const conflicts = await queryRows<{ field: string; superseded_value: string }>(
        db,
        sql`SELECT field, superseded_value FROM field_conflicts WHERE row_id = ${leadId}`,
      );
      // Every losing value is on record, whichever order the edits came in.
      const lost = conflicts.map((c) => `${c.field}=${c.superseded_value}`).sort();
      expect(lost).toEqual(
        expect.arrayContaining([
          'description=Drip under sink',
          'quoted_amount=300.00',
          'urgency=low',
        ]),
      );
    }
    expect(finals[0]).toMatchObject({
      urgency: 'medium',
      description: 'Pipe burst',
      quoted_amount: '475.50',
    });
    for (const final of finals) expect(final).toEqual(finals[0]);
  });

  it('pulls a clock from the future back to the server’s time, so it does not win forever', async () => {
    const { db, server, a } = await setup();
    const creator = outbox('creator');
    const leadId = crypto.randomUUID();
    await pushOk(server, a.token, [creator.mutation('lead.create', newLead(leadId))]);
    const skewed = outbox('laptop-2099');
    const future = Date.UTC(2099, 0, 1);
    const result = await pushOk(server, a.token, [
      skewed.mutation('lead.update', { id: leadId, set: { urgency: 'high' } }, future),
    ]);
    expect(result.results[0]).toMatchObject({ status: 'applied', clamped: true });
    const [clock] = await queryRows<{ hlc: string }>(
      db,
      sql`SELECT hlc FROM field_clocks WHERE row_id = ${leadId} AND field = 'urgency'`,
    );
    expect(Number(clock!.hlc.slice(0, 15))).toBeLessThanOrEqual(Date.now());
    // An edit made a moment later, by a desktop with a correct clock, wins.
    const office = outbox('office');
    await pushOk(server, a.token, [
      office.mutation('lead.update', { id: leadId, set: { urgency: 'low' } }, Date.now() + 5),
    ]);
    expect(await lead(db, leadId)).toMatchObject({ urgency: 'low' });
  });

  it('orders desktop edits against server writes: an older edit arriving later is overtaken', async () => {
    const { db, server, a } = await setup();
    const box = outbox('laptop-1');
    const leadId = crypto.randomUUID();
    await pushOk(server, a.token, [box.mutation('lead.create', newLead(leadId), T0)]);
    const editedOffline = Date.now() - 60_000; // a minute ago, on a laptop in a basement
    await db.execute(sql`UPDATE leads SET urgency = 'high' WHERE id = ${leadId}`); // a webhook, now
    const result = await pushOk(server, a.token, [
      box.mutation(
        'lead.update',
        { id: leadId, set: { urgency: 'low' }, base: { urgency: null } },
        editedOffline,
      ),
    ]);
    expect(result.results[0]).toMatchObject({ status: 'applied', conflicts: 1 });
    expect(await lead(db, leadId)).toMatchObject({ urgency: 'high' });
    const [conflict] = await queryRows<Record<string, string | number | null>>(
      db,
      sql`SELECT field, kept_value, superseded_value, kept_by, superseded_by, superseded_client_id,
                 superseded_mutation_id, outcome FROM field_conflicts WHERE row_id = ${leadId}`,
    );
    expect(conflict).toMatchObject({
      field: 'urgency',
      kept_value: 'high',
      superseded_value: 'low',
      kept_by: 'server',
      superseded_client_id: 'laptop-1',
      superseded_mutation_id: 2,
      outcome: 'overtaken',
    });
    expect(conflict?.superseded_by).toMatch(/\(owner\)$/);
  });

  it('records a later edit that replaced a value its author had not seen as overwritten', async () => {
    const { db, server, a } = await setup();
    const office = outbox('office');
    const laptop = outbox('laptop');
    const leadId = crypto.randomUUID();
    await pushOk(server, a.token, [office.mutation('lead.create', newLead(leadId), T0)]);
    await pushOk(server, a.token, [
      office.mutation('lead.update', { id: leadId, set: { urgency: 'medium' } }, T0 + 1000),
    ]);
    // The laptop saw no urgency, edited after the office did, and arrives second: it wins.
    const result = await pushOk(server, a.token, [
      laptop.mutation(
        'lead.update',
        { id: leadId, set: { urgency: 'high' }, base: { urgency: null } },
        T0 + 2000,
      ),
    ]);
    expect(result.results[0]).toMatchObject({ status: 'applied', conflicts: 1 });
    expect(await lead(db, leadId)).toMatchObject({ urgency: 'high' });
    const conflicts = await queryRows<Record<string, string | number | null>>(
      db,
      sql`SELECT kept_value, superseded_value, superseded_client_id, outcome FROM field_conflicts`,
    );
    expect(conflicts).toEqual([
      {
        kept_value: 'high',
        superseded_value: 'medium',
        superseded_client_id: 'office',
        outcome: 'overwritten',
      },
    ]);
    // An edit made after seeing the current value is no conflict at all.
    await pushOk(server, a.token, [
      office.mutation(
        'lead.update',
        { id: leadId, set: { urgency: 'low' }, base: { urgency: 'high' } },
        T0 + 3000,
      ),
    ]);
    expect(await queryRows(db, sql`SELECT 1 FROM field_conflicts`)).toHaveLength(1);
  });

  it('keeps one business out of another’s leads and client ids', async () => {
    const { db, server, a } = await setup();
    const b = await signedInBusiness(db, server.keyring);
    const leadId = crypto.randomUUID();
    await pushOk(server, a.token, [outbox('a-laptop').mutation('lead.create', newLead(leadId))]);
    const intruder = outbox('b-laptop');
    const result = await pushOk(server, b.token, [
      intruder.mutation('lead.update', { id: leadId, set: { customerName: 'Mallory' } }),
      intruder.mutation('lead.addNote', {
        id: crypto.randomUUID(),
        leadId,
        body: 'hi',
        at: '2026-11-28T09:30:00Z',
      }),
      intruder.mutation('lead.create', newLead(leadId)), // the same id: taken, not overwritten
    ]);
    expect(result.results.map((r) => r.code)).toEqual([
      'NOT_FOUND',
      'NOT_FOUND',
      'UNIQUE_VIOLATION',
    ]);
    expect(await lead(db, leadId)).toMatchObject({ customer_name: 'Rosa Diaz' });
    const stolen = await push(server, b.token, [
      outbox('a-laptop').mutation('lead.create', newLead()),
    ]);
    expect(stolen.status).toBe(403);
  });

  it('refuses a malformed batch as a whole with a message naming the problem', async () => {
    const { server, a } = await setup();
    const box = outbox('laptop-1');
    const first = box.mutation('lead.create', newLead());
    const response = await push(server, a.token, [first, { ...first, mutationId: 3 }]);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect((response.body as { message: string }).message).toMatch(/consecutive: expected 2/);
    const forged = await push(server, a.token, [
      { ...first, hlc: formatHlc({ wallMs: T0, counter: 0, clientId: 'someone-else' }) },
    ]);
    expect((forged.body as PushResult).results[0]).toMatchObject({
      status: 'rejected',
      code: 'VALIDATION_FAILED',
    });
  });
});
