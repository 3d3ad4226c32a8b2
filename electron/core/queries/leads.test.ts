import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import type { LeadFilter, LeadSort } from '../../../db/wire/desktop-views.ts';
import { Outbox } from '../outbox/outbox.ts';
import { getLead, leadBoard, leadServiceTypes, listLeads } from './leads.ts';
import { at, BUSINESS, BUSINESS_PHONE, insertLead, replicaPerTest } from './test-rows.ts';

const open = replicaPerTest('queries-leads');

/** What the channel's handler receives: the arguments as the API's schema parses them. */
const listArgs = (input: { filter?: LeadFilter; sort?: Partial<LeadSort>; limit?: number } = {}) =>
  desktopApi['leads:list'].args.parse([{ limit: 100, ...input }])[0];
const list = (replica: ReturnType<typeof open>, input: Parameters<typeof listArgs>[0] = {}) =>
  desktopApi['leads:list'].result.parse(listLeads(replica, listArgs(input)));
const names = (page: { rows: { customerName: string | null }[] }) =>
  page.rows.map((row) => row.customerName);

describe('leads:list', () => {
  it('combines filters with AND and counts every match, not just the page', () => {
    const replica = open();
    insertLead(replica, {
      customer_name: 'A',
      status: 'new',
      source: 'google_ads',
      urgency: 'high',
    });
    insertLead(replica, { customer_name: 'B', status: 'new', source: 'referral', urgency: 'high' });
    insertLead(replica, {
      customer_name: 'C',
      status: 'quoted',
      source: 'google_ads',
      urgency: 'high',
    });
    insertLead(replica, {
      customer_name: 'D',
      status: 'new',
      source: 'google_ads',
      urgency: 'low',
    });
    insertLead(replica, {
      customer_name: 'E',
      status: 'booked',
      source: 'google_ads',
      urgency: 'high',
    });

    const page = list(replica, {
      filter: { statuses: ['new', 'quoted'], sources: ['google_ads'], urgencies: ['high'] },
      sort: { by: 'customer_name', dir: 'asc' },
    });
    expect(page.total).toBe(2);
    expect(names(page)).toEqual(['A', 'C']);
    expect(list(replica, { filter: { statuses: [] } }).total).toBe(5); // empty means any

    const first = list(replica, { sort: { by: 'customer_name', dir: 'asc' }, limit: 2 });
    expect(first).toMatchObject({ total: 5 });
    expect(names(first)).toEqual(['A', 'B']);
  });

  it('filters by service type and by local creation days, inclusive', () => {
    const replica = open();
    insertLead(replica, { customer_name: 'Before', created_at: at(2026, 11, 4, 23, 59) });
    insertLead(replica, {
      customer_name: 'First day',
      created_at: at(2026, 11, 5, 0, 0),
      service_type: 'hvac',
    });
    insertLead(replica, { customer_name: 'Last day', created_at: at(2026, 11, 7, 23, 59) });
    insertLead(replica, { customer_name: 'After', created_at: at(2026, 11, 8, 0, 0) });
    const page = list(replica, {
      filter: { createdFrom: '2026-11-05', createdTo: '2026-11-07' },
      sort: { by: 'created_at', dir: 'asc' },
    });
    expect(names(page)).toEqual(['First day', 'Last day']);
    expect(names(list(replica, { filter: { serviceTypes: ['hvac'] } }))).toEqual(['First day']);
  });

  it('sorts by each field in both directions, urgency by severity', () => {
    const replica = open();
    insertLead(replica, {
      customer_name: 'bob',
      urgency: 'low',
      created_at: at(2026, 11, 1),
      updated_at: at(2026, 11, 9),
    });
    insertLead(replica, {
      customer_name: 'Alice',
      urgency: 'high',
      created_at: at(2026, 11, 2),
      updated_at: at(2026, 11, 8),
    });
    insertLead(replica, {
      customer_name: 'carol',
      urgency: 'medium',
      created_at: at(2026, 11, 3),
      updated_at: at(2026, 11, 7),
    });
    insertLead(replica, {
      customer_name: 'Dan',
      created_at: at(2026, 11, 4),
      updated_at: at(2026, 11, 6),
    });
    const sorted = (by: LeadSort['by'], dir: LeadSort['dir']) =>
      names(list(replica, { sort: { by, dir } }));
    expect(sorted('created_at', 'desc')).toEqual(['Dan', 'carol', 'Alice', 'bob']);
    expect(sorted('created_at', 'asc')).toEqual(['bob', 'Alice', 'carol', 'Dan']);
    expect(sorted('updated_at', 'desc')).toEqual(['bob', 'Alice', 'carol', 'Dan']);
    expect(sorted('customer_name', 'asc')).toEqual(['Alice', 'bob', 'carol', 'Dan']);
    expect(sorted('customer_name', 'desc')).toEqual(['Dan', 'carol', 'bob', 'Alice']);
    expect(sorted('urgency', 'desc')).toEqual(['Alice', 'carol', 'bob', 'Dan']);
    expect(sorted('urgency', 'asc')).toEqual(['Dan', 'bob', 'carol', 'Alice']);
  });

  it('pages through a broad filter read in index order, the same rows as one big page', () => {
    const replica = open();
    for (let i = 0; i < 60; i++) {
      insertLead(replica, {
        customer_name: `Lead ${String(i).padStart(2, '0')}`,
        source: i % 3 === 0 ? 'referral' : 'google_ads',
        created_at: at(2026, 10, 1 + (i % 28), i % 24),
      });
    }
    const filter: LeadFilter = { sources: ['google_ads'] };
    const sort = { by: 'created_at', dir: 'desc' } as const;
    const whole = listLeads(replica, { filter, sort, offset: 0, limit: 100 });
    expect(whole.total).toBe(40);
    const pages = [0, 7, 14, 21, 28, 35].flatMap(
      (offset) => listLeads(replica, { filter, sort, offset, limit: 7 }).rows,
    );
    expect(pages.map((row) => row.id)).toEqual(whole.rows.map((row) => row.id));
  });
});

describe('search', () => {
  const seed = (replica: ReturnType<typeof open>) => {
    insertLead(replica, {
      customer_name: 'Dana Ortiz',
      customer_phone: '+15125551234',
      description: 'Water heater leaking in the garage',
    });
    insertLead(replica, {
      customer_name: 'José Müller',
      customer_phone: '+17135550199',
      description: 'Toilet running constantly',
    });
    insertLead(replica, {
      customer_name: "Siobhan O'Brien",
      customer_phone: '+15559995120',
      description: 'NEAR the kitchen: AND/OR "drain" * -leak',
    });
  };
  const found = (replica: ReturnType<typeof open>, search: string) =>
    names(list(replica, { filter: { search }, sort: { by: 'customer_name', dir: 'asc' } }));

  it('finds by word prefix of name or description, any case, accents folded', () => {
    const replica = open();
    seed(replica);
    expect(found(replica, 'da')).toEqual(['Dana Ortiz']);
    expect(found(replica, 'ORT')).toEqual(['Dana Ortiz']);
    expect(found(replica, 'dana ort')).toEqual(['Dana Ortiz']);
    expect(found(replica, 'heat')).toEqual(['Dana Ortiz']);
    expect(found(replica, 'jose')).toEqual(['José Müller']);
    expect(found(replica, 'MÜLL')).toEqual(['José Müller']);
    expect(found(replica, "o'brien")).toEqual(["Siobhan O'Brien"]);
    expect(found(replica, 'eater')).toEqual([]); // a prefix of a word, not any substring
    expect(found(replica, 'dana toilet')).toEqual([]); // every word must match
  });

  it('finds any run of digits of a phone, however it is typed', () => {
    const replica = open();
    seed(replica);
    expect(found(replica, '5125')).toEqual(['Dana Ortiz']);
    expect(found(replica, '(512) 555')).toEqual(['Dana Ortiz']);
    expect(found(replica, '555-1234')).toEqual(['Dana Ortiz']);
    expect(found(replica, '+1 713 555')).toEqual(['José Müller']);
    expect(found(replica, '0199')).toEqual(['José Müller']);
    expect(found(replica, '555')).toEqual(['Dana Ortiz', 'José Müller', "Siobhan O'Brien"]);
    // Its groups are one number: 512 and 555 apart (in +15559995120) do not match.
    expect(found(replica, '512 555')).toEqual(['Dana Ortiz']);
  });

  it('never fails on FTS syntax, whatever is typed', () => {
    const replica = open();
    seed(replica);
    for (const nasty of [
      '"',
      '""',
      '*',
      '-',
      '(',
      ')',
      'NEAR',
      'NEAR(',
      'AND',
      'OR',
      'NOT',
      '^',
      ':',
      '{',
      'drain"*',
      'a:b',
      '-leak',
      '"drain',
      'a OR',
      '\\',
      "'",
      '🔧',
      '👩‍🔧 leak',
      '\u0000',
      'x'.repeat(200),
    ]) {
      expect(() => list(replica, { filter: { search: nasty } }), nasty).not.toThrow();
    }
    expect(found(replica, 'NEAR')).toEqual(["Siobhan O'Brien"]);
    expect(found(replica, '"drain"*')).toEqual(["Siobhan O'Brien"]);
    expect(found(replica, '-leak')).toEqual(['Dana Ortiz', "Siobhan O'Brien"]);
    expect(found(replica, 'AND/OR')).toEqual(["Siobhan O'Brien"]);
    // Nothing searchable (punctuation, emoji): the search narrows nothing.
    expect(found(replica, '🔧 * -')).toHaveLength(3);
  });

  it('follows edits: a renamed or deleted lead is found by what it is now', () => {
    const replica = open();
    seed(replica);
    replica
      .prepare(
        `UPDATE leads SET customer_name = 'Dana Whitaker' WHERE customer_name = 'Dana Ortiz'`,
      )
      .run();
    expect(found(replica, 'ortiz')).toEqual([]);
    expect(found(replica, 'whit')).toEqual(['Dana Whitaker']);
    replica.prepare(`DELETE FROM leads WHERE customer_name LIKE 'José%'`).run();
    expect(found(replica, 'jose')).toEqual([]);
    expect(found(replica, '713')).toEqual([]);
  });

  it('combines with the filters, and counts matches', () => {
    const replica = open();
    for (let i = 0; i < 12; i++) {
      insertLead(replica, { customer_name: `Dana ${i}`, status: i % 2 === 0 ? 'new' : 'lost' });
    }
    insertLead(replica, { customer_name: 'Other', status: 'new' });
    expect(list(replica, { filter: { search: 'dan' } }).total).toBe(12);
    const page = list(replica, { filter: { search: 'dan', statuses: ['new'] }, limit: 4 });
    expect(page.total).toBe(6);
    expect(page.rows).toHaveLength(4);
    expect(page.rows.every((row) => row.status === 'new')).toBe(true);
  });
});

describe('leads:board', () => {
  it('has every status with its total and at most perColumn leads of it, sorted', () => {
    const replica = open();
    for (let i = 0; i < 7; i++) {
      insertLead(replica, { customer_name: `New ${i}`, created_at: at(2026, 11, 1 + i) });
    }
    insertLead(replica, { customer_name: 'Quoted', status: 'quoted', source: 'referral' });
    insertLead(replica, { customer_name: 'Lost', status: 'lost' });
    const args = desktopApi['leads:board'].args.parse([{ perColumn: 3 }])[0];
    const board = desktopApi['leads:board'].result.parse(leadBoard(replica, args));
    expect(
      board.columns.map((column) => [column.status, column.total, column.leads.length]),
    ).toEqual([
      ['new', 7, 3],
      ['contacted', 0, 0],
      ['quoted', 1, 1],
      ['booked', 0, 0],
      ['completed', 0, 0],
      ['lost', 1, 1],
    ]);
    expect(board.columns[0]?.leads.map((lead) => lead.customerName)).toEqual([
      'New 6',
      'New 5',
      'New 4',
    ]);

    const filtered = leadBoard(replica, {
      ...args,
      filter: { statuses: ['quoted', 'new'], sources: ['missed_call'], search: 'new' },
    });
    expect(filtered.columns.map((column) => [column.status, column.total])).toEqual([
      ['new', 7],
      ['quoted', 0],
    ]);
  });
});

describe('leads:get and pending', () => {
  it('marks a lead pending while an edit of it waits in the outbox', () => {
    const replica = open();
    const id = insertLead(replica, {
      customer_name: 'Dana Ortiz',
      customer_email: 'dana@example.com',
      status: 'lost',
      lost_at: at(2026, 11, 3),
      lost_reason: 'too expensive',
    });
    const other = insertLead(replica, { customer_name: 'Other' });
    expect(getLead(replica, id)).toMatchObject({ pending: false, lostReason: 'too expensive' });
    const outbox = new Outbox({
      replica,
      identity: { businessId: BUSINESS, memberId: BUSINESS, businessPhone: BUSINESS_PHONE },
      syncedTables: ['leads'],
    });
    outbox.record('lead.update', { id, set: { urgency: 'high', description: 'burst pipe' } });

    const detail = desktopApi['leads:get'].result.parse(getLead(replica, id));
    expect(detail).toMatchObject({
      id,
      urgency: 'high',
      pending: true,
      customerEmail: 'dana@example.com',
    });
    const rows = list(replica).rows;
    expect(rows.find((row) => row.id === id)?.pending).toBe(true);
    expect(rows.find((row) => row.id === other)?.pending).toBe(false);
    // The optimistic description is searchable at once.
    expect(names(list(replica, { filter: { search: 'burst' } }))).toEqual(['Dana Ortiz']);
    expect(getLead(replica, '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f')).toBeNull();
  });

  it('says when the customer opted out of texts, and null while texts are allowed', () => {
    const replica = open();
    const optedOut = insertLead(replica, {
      customer_phone: '+15125550177',
      sms_opted_out_at: '2026-11-20T12:00:00.123456Z',
    });
    const allowed = insertLead(replica);
    const get = (id: string) => desktopApi['leads:get'].result.parse(getLead(replica, id));
    expect(get(optedOut)?.smsOptedOutAt).toBe('2026-11-20T12:00:00.123456Z');
    expect(get(allowed)?.smsOptedOutAt).toBeNull();
  });
});

describe('leads:serviceTypes', () => {
  it('lists each service type once, A to Z', () => {
    const replica = open();
    for (const type of ['plumbing', 'hvac', null, 'plumbing', 'drain']) {
      insertLead(replica, { service_type: type });
    }
    expect(leadServiceTypes(replica)).toEqual(['drain', 'hvac', 'plumbing']);
  });
});
