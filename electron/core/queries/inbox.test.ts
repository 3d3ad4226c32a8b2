import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import { inboxThread, inboxThreads, markThreadRead } from './inbox.ts';
import { at, BUSINESS_PHONE, insertLead, insertText, replicaPerTest } from './test-rows.ts';

const open = replicaPerTest('queries-inbox');
type Replica = ReturnType<typeof open>;

const inbound = (replica: Replica, lead: string, when: string, body = 'Hi') =>
  insertText(replica, {
    lead_id: lead,
    direction: 'inbound',
    message_text: body,
    created_at: when,
  });
const outbound = (replica: Replica, lead: string, when: string, body = 'Hello!') =>
  insertText(replica, {
    lead_id: lead,
    direction: 'outbound',
    from_phone: BUSINESS_PHONE,
    to_phone: '+15125551234',
    message_text: body,
    status: 'delivered',
    created_at: when,
  });
const threads = (replica: Replica, search?: string, limit = 200) =>
  desktopApi['inbox:threads'].result.parse(inboxThreads(replica, { search, limit }));

describe('inbox:threads', () => {
  it('has one thread per lead with texts, newest first, with its last message', () => {
    const replica = open();
    const dana = insertLead(replica, {
      customer_name: 'Dana Ortiz',
      customer_phone: '+15125551234',
    });
    const omar = insertLead(replica, {
      customer_name: 'Omar Haddad',
      customer_phone: '+17135550199',
      sms_opted_out_at: at(2026, 11, 2, 10),
    });
    insertLead(replica, { customer_name: 'No texts' });
    inbound(replica, dana, at(2026, 11, 1, 9));
    outbound(replica, dana, at(2026, 11, 3, 9), 'See you at 10');
    inbound(replica, omar, at(2026, 11, 2, 9), 'Is Tuesday ok?');
    insertText(replica, { lead_id: null, created_at: at(2026, 11, 4) }); // nobody's lead yet

    expect(threads(replica)).toEqual([
      {
        leadId: dana,
        customerName: 'Dana Ortiz',
        customerPhone: '+15125551234',
        lastBody: 'See you at 10',
        lastAt: at(2026, 11, 3, 9),
        lastDirection: 'outbound',
        lastStatus: 'delivered',
        unread: 0,
        smsOptedOutAt: null,
      },
      expect.objectContaining({
        leadId: omar,
        lastBody: 'Is Tuesday ok?',
        unread: 1,
        // Omar texted STOP: the thread says so, for its compose box.
        smsOptedOutAt: at(2026, 11, 2, 10),
      }),
    ]);
    expect(threads(replica, undefined, 1).map((thread) => thread.leadId)).toEqual([dana]);
  });

  it('counts inbound texts after both the read mark and the last reply as unread', () => {
    const replica = open();
    const lead = insertLead(replica);
    inbound(replica, lead, at(2026, 11, 1, 9));
    inbound(replica, lead, at(2026, 11, 1, 10));
    expect(threads(replica)[0]?.unread).toBe(2);
    outbound(replica, lead, at(2026, 11, 1, 11));
    expect(threads(replica)[0]?.unread).toBe(0);
    inbound(replica, lead, at(2026, 11, 1, 12));
    inbound(replica, lead, at(2026, 11, 1, 13));
    expect(threads(replica)[0]?.unread).toBe(2);

    expect(markThreadRead(replica, lead, () => new Date(2026, 10, 1, 12, 30))).toEqual({
      unread: 0,
    });
    // The mark covers the newest text even though "now" is earlier than it.
    expect(threads(replica)[0]?.unread).toBe(0);
    inbound(replica, lead, at(2026, 11, 1, 14));
    expect(threads(replica)[0]?.unread).toBe(1);
    // Marking again with an earlier clock never moves the mark back.
    markThreadRead(replica, lead, () => new Date(2026, 10, 1, 15));
    markThreadRead(replica, lead, () => new Date(2020, 0, 1));
    inbound(replica, lead, at(2026, 11, 1, 14, 30));
    expect(threads(replica)[0]?.unread).toBe(0);
  });

  it('narrows by name or phone, narrow and broad searches alike', () => {
    const replica = open();
    const leads: string[] = [];
    for (let i = 0; i < 40; i++) {
      const lead = insertLead(replica, {
        customer_name: i < 35 ? `Dana ${i}` : `Omar ${i}`,
        customer_phone: `+1512555${String(1000 + i)}`,
        description: 'omar',
      });
      inbound(replica, lead, at(2026, 11, 1, 0, i));
      leads.push(lead);
    }
    // Broad: most leads match; the newest matching threads come first.
    expect(threads(replica, 'dan', 3).map((t) => t.customerName)).toEqual([
      'Dana 34',
      'Dana 33',
      'Dana 32',
    ]);
    expect(threads(replica, 'dan')).toHaveLength(35);
    // Narrow, and by phone; a description is not searched here.
    expect(threads(replica, 'omar').map((t) => t.customerName)).toEqual([
      'Omar 39',
      'Omar 38',
      'Omar 37',
      'Omar 36',
      'Omar 35',
    ]);
    expect(threads(replica, '(512) 555-1007').map((t) => t.leadId)).toEqual([leads[7]]);
    expect(threads(replica, 'nobody')).toEqual([]);
    expect(threads(replica, '"*')).toHaveLength(40);
  });
});

describe('inbox:thread', () => {
  it('lists the conversation oldest first', () => {
    const replica = open();
    const lead = insertLead(replica);
    const first = inbound(replica, lead, at(2026, 11, 1, 9));
    const second = outbound(replica, lead, at(2026, 11, 1, 10));
    const messages = desktopApi['inbox:thread'].result.parse(inboxThread(replica, lead));
    expect(messages.map((message) => message.id)).toEqual([first, second]);
    expect(messages[1]).toMatchObject({
      direction: 'outbound',
      status: 'delivered',
      pending: false,
      deliveredAt: null,
    });
  });
});
