import { describe, expect, it } from 'vitest';
import type { Message } from '../../../../db/wire/desktop-views.ts';
import { deliveryOf, groupByDay, initials, smsSegments, withOutgoing } from './thread-logic.ts';

const message = (over: Partial<Message>): Message => ({
  id: '00000000-0000-4000-8000-000000000001',
  direction: 'outbound',
  body: 'On our way',
  status: 'sent',
  errorMessage: null,
  at: '2026-11-03T15:00:00.000Z',
  deliveredAt: null,
  pending: false,
  ...over,
});

describe('deliveryOf', () => {
  it('says a text written offline waits to be sent', () => {
    expect(deliveryOf(message({ status: 'queued', pending: true }))).toMatchObject({
      label: 'Queued — sends when online',
      tone: 'pending',
    });
  });
  it('gives a failure its reason', () => {
    expect(
      deliveryOf(message({ status: 'failed', errorMessage: 'Unreachable handset' })).label,
    ).toBe('Failed: Unreachable handset');
    expect(deliveryOf(message({ status: 'failed' })).label).toBe('Failed');
  });
  it('reads the other states', () => {
    expect(deliveryOf(message({ status: 'delivered' })).tone).toBe('success');
    expect(deliveryOf(message({ status: 'received', direction: 'inbound' })).label).toBe(
      'Received',
    );
  });
});

describe('groupByDay', () => {
  it('sorts oldest first and splits by day', () => {
    const day = (iso: string) => iso.slice(0, 10);
    const groups = groupByDay(
      [
        { id: 'c', at: '2026-11-04T09:00:00Z' },
        { id: 'a', at: '2026-11-03T08:00:00Z' },
        { id: 'b', at: '2026-11-03T18:00:00Z' },
      ],
      day,
    );
    expect(groups.map((g) => [g.day, g.items.map((i) => i.id)])).toEqual([
      ['2026-11-03', ['a', 'b']],
      ['2026-11-04', ['c']],
    ]);
    expect(groupByDay([], day)).toEqual([]);
  });
});

describe('withOutgoing', () => {
  it('shows a just-sent text until the thread has it', () => {
    const sent = message({ id: '00000000-0000-4000-8000-000000000002', status: 'queued' });
    expect(withOutgoing([message({})], [sent])).toHaveLength(2);
    expect(withOutgoing([message({}), sent], [sent])).toHaveLength(2);
  });
});

describe('smsSegments', () => {
  it('counts GSM-7 segments', () => {
    expect(smsSegments('')).toEqual({ count: 0, remaining: 160, encoding: 'GSM-7' });
    expect(smsSegments('a'.repeat(160)).count).toBe(1);
    expect(smsSegments('a'.repeat(161))).toEqual({ count: 2, remaining: 145, encoding: 'GSM-7' });
    expect(smsSegments('€').remaining).toBe(158);
  });
  it('switches to UCS-2 for other characters', () => {
    expect(smsSegments('Thanks 👍')).toMatchObject({ count: 1, encoding: 'UCS-2' });
    expect(smsSegments('ü'.repeat(10) + 'ł'.repeat(61)).count).toBe(2);
  });
});

describe('initials', () => {
  it('takes first and last initials', () => {
    expect(initials('Maria de la Lopez')).toBe('ML');
    expect(initials('cher')).toBe('C');
    expect(initials(null)).toBe('#');
  });
});
