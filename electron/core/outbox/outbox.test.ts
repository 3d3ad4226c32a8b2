import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { parseHlc } from '../../../db/hlc.ts';
import { migrateReplica } from '../../../db/replica/migrate.ts';
import type { Database } from '../../../db/replica/open.ts';
import { leadText } from '../../../tests/support/lead-text.ts';
import { replicaFiles } from '../../../tests/support/replica-files.ts';
import { refusedEdits } from '../queries/edits.ts';
import { applyShapeBatch } from '../sync/apply.ts';
import { Outbox } from './outbox.ts';

const openFile = replicaFiles('outbox');
const BUSINESS = '0b7f3f7e-1a2b-4c3d-8e9f-001122334455';
const MEMBER = '1c8f4f8e-2b3c-4d4e-9f0a-112233445566';
const identity = { businessId: BUSINESS, memberId: MEMBER, businessPhone: '+15125550100' };
const AT = '2026-11-27T17:00:00.000Z';

/** A whole leads row in Postgres text format, as the server sends it. */
const serverLead = (id: string, overrides: Record<string, string | null> = {}) =>
  leadText(id, BUSINESS, { customer_name: 'Dana Ortiz', urgency: 'low', ...overrides });

const change = (
  table: string,
  operation: 'insert' | 'update' | 'delete',
  value: Record<string, string | number | null>,
) => ({ key: `"public"."${table}"/"${String(value.id)}"`, headers: { operation }, value });

let replica: Database;
let outbox: Outbox;
beforeEach(() => {
  replica = openFile();
  migrateReplica(replica);
  outbox = new Outbox({ replica, identity, syncedTables: ['leads', 'mutation_rejections'] });
});

/** A shape batch from the server, applied with the outbox's overlay, as the sync client does. */
const serverBatch = (table: 'leads' | 'mutation_rejections', offset: string, messages: unknown[]) =>
  applyShapeBatch(replica, table, messages, { handle: 'h', offset }, { overlay: outbox.overlay });

const leadRow = (id: string) =>
  replica.prepare('SELECT * FROM leads WHERE id = ?').get(id) as
    Record<string, string | null> | undefined;
const outboxRows = () =>
  replica.prepare('SELECT mutation_id, name, status FROM outbox_mutations ORDER BY 1').all();
const baseRows = () =>
  (replica.prepare('SELECT count(*) AS n FROM outbox_base_rows').get() as { n: number }).n;

describe('Outbox.record', () => {
  it('writes the optimistic row and the numbered, clocked outbox entry together', () => {
    const id = randomUUID();
    const first = outbox.record('lead.create', {
      id,
      customerPhone: '(512) 555-0199',
      customerEmail: 'Dana@Example.com',
      source: 'referral',
    });
    expect(first.mutationId).toBe(1);
    expect(first.hlc).toMatch(new RegExp(`-${outbox.clientId}$`));
    expect(leadRow(id)).toMatchObject({
      customer_phone: '+15125550199',
      customer_email: 'dana@example.com',
      status: 'new',
      user_id: BUSINESS,
    });
    const second = outbox.record('lead.update', { id, set: { quotedAmount: '450' } });
    expect(second.mutationId).toBe(2);
    expect(second.hlc > first.hlc).toBe(true);
    expect(leadRow(id)?.quoted_amount).toBe('450.00');
    expect(outboxRows()).toEqual([
      { mutation_id: 1, name: 'lead.create', status: 'pending' },
      { mutation_id: 2, name: 'lead.update', status: 'pending' },
    ]);
    expect(outbox.nextBatch(10, 1 << 20).map((m) => m.mutationId)).toEqual([1, 2]);
  });

  it('refuses a bad action with a clear error and writes nothing', () => {
    const id = randomUUID();
    expect(() =>
      outbox.record('lead.create', { id, customerPhone: 'call me', source: 'referral' }),
    ).toThrowError(expect.objectContaining({ code: 'INVALID_PHONE' }) as Error);
    expect(() =>
      outbox.record('lead.update', { id: randomUUID(), set: { quotedAmount: '-5' } }),
    ).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }) as Error);
    expect(() =>
      outbox.record('lead.update', { id: randomUUID(), set: { urgency: 'high' } }),
    ).toThrowError(expect.objectContaining({ code: 'NOT_FOUND' }) as Error);
    outbox.record('lead.create', { id, customerPhone: '+15125550199', source: 'referral' });
    expect(() => outbox.record('lead.move', { id, to: 'new', at: AT })).toThrowError(
      expect.objectContaining({ code: 'PIPELINE_FORBIDS' }) as Error,
    );
    expect(outboxRows()).toHaveLength(1);
    // The refused actions used up no number.
    expect(outbox.record('lead.move', { id, to: 'contacted', at: AT }).mutationId).toBe(2);
    expect(leadRow(id)).toMatchObject({
      status: 'contacted',
      contacted_at: '2026-11-27T17:00:00.000000Z',
    });
  });

  it('keeps its client id, numbering and clock across a restart, even once the outbox is empty', () => {
    const id = randomUUID();
    const before = outbox.record('lead.create', {
      id,
      customerPhone: '+15125550199',
      source: 'referral',
    });
    replica.prepare('DELETE FROM outbox_mutations').run();
    const again = new Outbox({ replica, identity, syncedTables: ['leads'], now: () => 0 });
    expect(again.clientId).toBe(outbox.clientId);
    const after = again.record('lead.update', { id, set: { urgency: 'high' } });
    expect(after.mutationId).toBe(2);
    // The wall clock says 1970; the clock still moves forward.
    expect(after.hlc > before.hlc).toBe(true);
  });
});

describe('the optimistic overlay', () => {
  const id = '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f';
  beforeEach(() => {
    serverBatch('leads', '5_0', [change('leads', 'insert', serverLead(id))]);
  });

  it('re-applies pending edits on top of newer server rows, and drops them exactly when their effect arrives', () => {
    outbox.record('lead.update', { id, set: { urgency: 'high' } });
    expect(leadRow(id)?.urgency).toBe('high');

    // A colleague's edit of another field arrives first (a partial update): both show.
    serverBatch('leads', '7_0', [change('leads', 'update', { id, description: 'Burst pipe' })]);
    expect(leadRow(id)).toMatchObject({ urgency: 'high', description: 'Burst pipe' });

    const [mutation] = outbox.nextBatch(10, 1 << 20);
    const awaited = outbox.acknowledge({
      clientId: outbox.clientId,
      lastMutationId: 1,
      results: [{ mutationId: mutation?.mutationId ?? 0, status: 'applied' }],
      visibleAt: '9_0',
    });
    expect(awaited).toEqual(['leads']);
    expect(outbox.counts()).toEqual({ pending: 0, acknowledged: 1 });

    // A batch before the mutation's position: the overlay stays (no flicker back to "low").
    serverBatch('leads', '8_0', [change('leads', 'update', { id, customer_name: 'Dana O.' })]);
    expect(leadRow(id)).toMatchObject({ urgency: 'high', customer_name: 'Dana O.' });

    // The mutation's own effect arrives: the overlay goes, the row is the server's.
    serverBatch('leads', '9_0', [change('leads', 'update', { id, urgency: 'high' })]);
    expect(leadRow(id)).toMatchObject({ urgency: 'high', description: 'Burst pipe' });
    expect(outbox.counts()).toEqual({ pending: 0, acknowledged: 0 });
    expect(baseRows()).toBe(0);
  });

  it('orders an edit after the server write it saw, even when this clock runs behind', () => {
    const behind = new Outbox({ replica, identity, syncedTables: ['leads'], now: () => 0 });
    const { hlc } = behind.record('lead.update', { id, set: { urgency: 'high' } });
    // The row was written at 2026-11-27 11:37:41.123456-06 (serverLead).
    expect(parseHlc(hlc).wallMs).toBe(Date.parse('2026-11-27T17:37:41.123Z') + 1);
  });

  it('shows the server value once an edit that lost its conflict has arrived', () => {
    outbox.record('lead.update', { id, set: { urgency: 'high' } });
    outbox.acknowledge({
      clientId: outbox.clientId,
      lastMutationId: 1,
      results: [{ mutationId: 1, status: 'applied', conflicts: 1 }],
      visibleAt: '6_0',
    });
    serverBatch('leads', '6_0', [change('leads', 'update', { id, urgency: 'medium' })]);
    expect(leadRow(id)?.urgency).toBe('medium');
    expect(baseRows()).toBe(0);
  });

  it('drops an acknowledged mutation at once when the replica already has its effect', () => {
    outbox.record('lead.update', { id, set: { urgency: 'high' } });
    serverBatch('leads', '6_0', [change('leads', 'update', { id, urgency: 'high' })]);
    expect(outbox.counts()).toEqual({ pending: 1, acknowledged: 0 });
    const awaited = outbox.acknowledge({
      clientId: outbox.clientId,
      lastMutationId: 1,
      results: [{ mutationId: 1, status: 'applied' }],
      visibleAt: '6_0',
    });
    expect(awaited).toEqual([]);
    expect(outbox.counts()).toEqual({ pending: 0, acknowledged: 0 });
    expect(leadRow(id)?.urgency).toBe('high');
  });

  it('keeps a refused edit visible until its rejection arrives, then shows the server row', () => {
    outbox.record('lead.update', { id, set: { description: 'Water heater' } });
    outbox.acknowledge({
      clientId: outbox.clientId,
      lastMutationId: 1,
      results: [{ mutationId: 1, status: 'rejected', code: 'NOT_FOUND', reason: 'gone' }],
      visibleAt: '6_0',
    });
    serverBatch('leads', '6_0', []);
    expect(leadRow(id)?.description).toBe('Water heater');
    serverBatch('mutation_rejections', '6_0', [
      change('mutation_rejections', 'insert', {
        id: randomUUID(),
        user_id: BUSINESS,
        client_id: outbox.clientId,
        mutation_id: '1',
        member_id: MEMBER,
        name: 'lead.update',
        args: JSON.stringify({ id, set: { description: 'Water heater' } }),
        code: 'NOT_FOUND',
        reason: 'gone',
        created_at: '2026-11-27 17:00:00+00',
      }),
    ]);
    expect(leadRow(id)?.description).toBeNull();
    expect(refusedEdits(replica, outbox.clientId, 10)).toMatchObject([
      { mutationId: 1, code: 'NOT_FOUND', reason: 'gone', args: { id } },
    ]);
  });

  it('keeps a lead created offline when the server deletes nothing and a snapshot replaces the table', () => {
    const created = randomUUID();
    outbox.record('lead.create', {
      id: created,
      customerPhone: '+15125550199',
      source: 'referral',
    });
    applyShapeBatch(
      replica,
      'leads',
      [change('leads', 'insert', serverLead(id, { urgency: 'medium' }))],
      { handle: 'h2', offset: '20_0' },
      { overlay: outbox.overlay, replaces: true },
    );
    expect(leadRow(created)).toMatchObject({ customer_phone: '+15125550199' });
    expect(leadRow(id)?.urgency).toBe('medium');
  });
});

describe('Outbox.renumberFrom', () => {
  it('numbers what the server does not have from the number it expects', () => {
    const id = randomUUID();
    outbox.record('lead.create', { id, customerPhone: '+15125550199', source: 'referral' });
    outbox.record('lead.update', { id, set: { urgency: 'high' } });
    outbox.record('lead.update', { id, set: { urgency: 'low' } });
    outbox.acknowledge({
      clientId: outbox.clientId,
      lastMutationId: 1,
      results: [{ mutationId: 1, status: 'applied' }],
      visibleAt: '3_0',
    });
    replica.prepare('DELETE FROM outbox_mutations WHERE mutation_id = 1').run();
    // The server lost everything after number 0 (restored from a backup, say).
    outbox.renumberFrom(1);
    expect(outboxRows()).toEqual([
      { mutation_id: 1, name: 'lead.update', status: 'pending' },
      { mutation_id: 2, name: 'lead.update', status: 'pending' },
    ]);
    expect(replica.prepare('SELECT mutation_id FROM outbox_rows ORDER BY 1').all()).toEqual([
      { mutation_id: 1 },
      { mutation_id: 2 },
    ]);
    expect(outbox.record('lead.update', { id, set: { urgency: 'medium' } }).mutationId).toBe(3);
  });
});
