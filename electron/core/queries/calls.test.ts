import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import { listCalls, markMissedCallsSeen, missedUnseen } from './calls.ts';
import { at, BUSINESS_PHONE, insertCall, insertLead, replicaPerTest } from './test-rows.ts';

const open = replicaPerTest('queries-calls');
type Replica = ReturnType<typeof open>;

const page = (
  replica: Replica,
  args: { missedOnly?: boolean; offset?: number; limit?: number } = {},
) =>
  desktopApi['calls:list'].result.parse(
    listCalls(replica, desktopApi['calls:list'].args.parse([{ limit: 100, ...args }])[0]),
  );

describe('calls:list', () => {
  it('puts missed inbound calls first, newest first within each part, with the lead’s name', () => {
    const replica = open();
    const dana = insertLead(replica, { customer_name: 'Dana Ortiz' });
    const answered = insertCall(replica, {
      lead_id: dana,
      created_at: at(2026, 11, 5),
      call_duration: 95,
    });
    const oldMissed = insertCall(replica, {
      call_status: 'voicemail',
      created_at: at(2026, 11, 1),
    });
    const newMissed = insertCall(replica, {
      lead_id: dana,
      call_status: 'no_answer',
      created_at: at(2026, 11, 3),
    });
    const busy = insertCall(replica, { call_status: 'busy', created_at: at(2026, 11, 2) });
    // An outbound call nobody picked up is not a missed call.
    const outboundUnanswered = insertCall(replica, {
      call_direction: 'outbound',
      caller_phone: BUSINESS_PHONE,
      called_phone: '+15125551234',
      call_status: 'no_answer',
      created_at: at(2026, 11, 4),
    });

    const calls = page(replica);
    expect(calls.rows.map((row) => row.id)).toEqual([
      newMissed,
      busy,
      oldMissed,
      answered,
      outboundUnanswered,
    ]);
    expect(calls.rows.map((row) => row.missed)).toEqual([true, true, true, false, false]);
    expect(calls).toMatchObject({ total: 5, missedUnseen: 3 });
    expect(calls.rows[0]).toMatchObject({
      leadId: dana,
      leadName: 'Dana Ortiz',
      status: 'no_answer',
    });
    expect(calls.rows[3]).toMatchObject({ durationSeconds: 95, direction: 'inbound' });
    expect(calls.rows[1]).toMatchObject({ leadId: null, leadName: null });

    const missed = page(replica, { missedOnly: true });
    expect(missed.total).toBe(3);
    expect(missed.rows.map((row) => row.id)).toEqual([newMissed, busy, oldMissed]);
    expect(page(replica, { offset: 2, limit: 2 }).rows.map((row) => row.id)).toEqual([
      oldMissed,
      answered,
    ]);
  });

  it('counts missed calls after the seen mark, which markSeen moves to the newest', () => {
    const replica = open();
    insertCall(replica, { call_status: 'no_answer', created_at: at(2026, 11, 1) });
    insertCall(replica, { call_status: 'failed', created_at: at(2026, 11, 2) });
    expect(missedUnseen(replica)).toBe(2);
    // A clock behind the newest missed call still covers it.
    expect(markMissedCallsSeen(replica, () => new Date(2026, 9, 1))).toEqual({ missedUnseen: 0 });
    expect(page(replica).missedUnseen).toBe(0);
    insertCall(replica, { call_status: 'busy', created_at: at(2026, 11, 3) });
    insertCall(replica, { created_at: at(2026, 11, 4) }); // answered
    expect(page(replica).missedUnseen).toBe(1);
    markMissedCallsSeen(replica, () => new Date(2026, 10, 10));
    expect(missedUnseen(replica)).toBe(0);
    insertCall(replica, { call_status: 'busy', created_at: at(2026, 11, 9) }); // before the mark
    expect(missedUnseen(replica)).toBe(0);
  });
});
