import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../../db/replica/open.ts';
import type { DesktopHandlers } from '../api.ts';
import { dispatch } from '../dispatch.ts';
import { leadTimeline } from '../queries/timeline.ts';
import { BUSINESS, BUSINESS_PHONE, insertLead, replicaPerTest } from '../queries/test-rows.ts';
import { applyEffect, optedOutMessage } from './effects.ts';
import { Outbox } from './outbox.ts';

const open = replicaPerTest('outbox-effects');
const identity = { businessId: BUSINESS, memberId: BUSINESS, businessPhone: BUSINESS_PHONE };
/** When the customer texted STOP, in the replica's stored form (noon UTC: the same day nearly everywhere). */
const OPTED_OUT_AT = '2026-11-20T12:00:00.000000Z';

const outboxOf = (replica: Database) =>
  new Outbox({ replica, identity, syncedTables: ['leads', 'sms_logs', 'lead_notes'] });
const textArgs = (leadId: string, body = 'On our way') => ({
  id: randomUUID(),
  leadId,
  body,
  at: '2026-11-27T17:00:00.000Z',
});
const count = (replica: Database, table: string) =>
  (replica.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('text.queue and a customer who opted out of texts', () => {
  it('refuses a new text with RECIPIENT_OPTED_OUT and writes nothing: no text, no outbox entry', () => {
    const replica = open();
    const lead = insertLead(replica, {
      customer_name: 'Dana Ortiz',
      sms_opted_out_at: OPTED_OUT_AT,
    });
    const outbox = outboxOf(replica);

    let refused: unknown;
    try {
      outbox.record('text.queue', textArgs(lead));
    } catch (error) {
      refused = error;
    }
    expect(refused).toMatchObject({ code: 'RECIPIENT_OPTED_OUT' });
    const message = (refused as Error).message;
    expect(message).toMatch(
      /^Dana Ortiz opted out of texts on Nov (19|20|21), 2026\. They must text START/,
    );
    expect(message).toContain('START');

    expect(count(replica, 'sms_logs')).toBe(0);
    expect(count(replica, 'outbox_mutations')).toBe(0);
    expect(count(replica, 'outbox_rows')).toBe(0);
    expect(count(replica, 'outbox_base_rows')).toBe(0);
    expect(outbox.counts()).toEqual({ pending: 0, acknowledged: 0 });
    expect(leadTimeline(replica, lead).some((entry) => entry.kind === 'text')).toBe(false);

    // A note on the same lead still goes in, and the refusal used up no number.
    const note = outbox.record('lead.addNote', {
      id: randomUUID(),
      leadId: lead,
      body: 'Asked us to stop texting; call instead',
      at: '2026-11-27T17:01:00.000Z',
    });
    expect(note.mutationId).toBe(1);
  });

  it('still queues a text to a lead that has not opted out', () => {
    const replica = open();
    insertLead(replica, { customer_phone: '+15125550177', sms_opted_out_at: OPTED_OUT_AT });
    const lead = insertLead(replica, { customer_name: 'Omar Haddad' });
    const outbox = outboxOf(replica);
    const args = textArgs(lead);

    expect(outbox.record('text.queue', args).mutationId).toBe(1);
    expect(replica.prepare('SELECT * FROM sms_logs WHERE id = ?').get(args.id)).toMatchObject({
      lead_id: lead,
      direction: 'outbound',
      status: 'queued',
      to_phone: '+15125551234',
      message_text: 'On our way',
    });
    expect(replica.prepare('SELECT name, status FROM outbox_mutations').all()).toEqual([
      { name: 'text.queue', status: 'pending' },
    ]);
  });

  it('leaves a text already in the outbox to the server: replaying it still shows it queued', () => {
    const replica = open();
    const lead = insertLead(replica, { sms_opted_out_at: OPTED_OUT_AT });
    const args = textArgs(lead);

    expect(() => applyEffect(replica, identity, 'text.queue', args, 'new')).toThrowError(
      expect.objectContaining({ code: 'RECIPIENT_OPTED_OUT' }) as Error,
    );
    applyEffect(replica, identity, 'text.queue', args, 'replay');
    expect(replica.prepare('SELECT status FROM sms_logs WHERE id = ?').get(args.id)).toEqual({
      status: 'queued',
    });
  });

  it('answers the renderer with the code and the message, not an internal error', async () => {
    const replica = open();
    const lead = insertLead(replica, { sms_opted_out_at: OPTED_OUT_AT });
    const outbox = outboxOf(replica);
    const handlers = {
      'writes:record': (action: { name: 'text.queue'; args: unknown }) =>
        Promise.resolve(outbox.record(action.name, action.args)),
    } as unknown as DesktopHandlers;

    const answer = await dispatch(handlers, 'writes:record', [
      { name: 'text.queue', args: textArgs(lead) },
    ]);
    expect(answer).toEqual({
      ok: false,
      error: {
        code: 'RECIPIENT_OPTED_OUT',
        message: expect.stringMatching(/^\(512\) 555-1234 opted out of texts on /) as string,
      },
    });
  });
});

describe('optedOutMessage', () => {
  it('names the customer, or their phone, and the day the opt-out took effect', () => {
    const lead = { customer_name: '  ', customer_phone: '+15125551234' };
    expect(optedOutMessage(lead, '2026-11-21T03:00:00.000000Z', 'America/Chicago')).toBe(
      '(512) 555-1234 opted out of texts on Nov 20, 2026. ' +
        'They must text START to your number before you can text them.',
    );
    expect(
      optedOutMessage({ customer_name: 'Dana', customer_phone: '+447700900123' }, OPTED_OUT_AT),
    ).toMatch(/^Dana opted out of texts on Nov \d+, 2026/);
  });
});
