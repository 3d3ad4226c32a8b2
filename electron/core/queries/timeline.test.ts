import { describe, expect, it } from 'vitest';
import { desktopApi } from '../../../db/wire/desktop-api.ts';
import { Outbox } from '../outbox/outbox.ts';
import {
  at,
  BUSINESS,
  BUSINESS_PHONE,
  insertCall,
  insertLead,
  insertNote,
  insertText,
  replicaPerTest,
} from './test-rows.ts';
import { leadTimeline } from './timeline.ts';

const open = replicaPerTest('queries-timeline');

describe('leads:timeline', () => {
  it('merges calls, texts, notes and stages, newest first, only this lead’s', () => {
    const replica = open();
    const lead = insertLead(replica, {
      status: 'lost',
      created_at: at(2026, 11, 1, 9),
      contacted_at: at(2026, 11, 1, 10),
      quoted_at: at(2026, 11, 2, 9),
      quoted_amount: '450.00',
      lost_at: at(2026, 11, 4, 9),
      lost_reason: 'went with another company',
    });
    const other = insertLead(replica);
    const call = insertCall(replica, {
      lead_id: lead,
      call_status: 'no_answer',
      created_at: at(2026, 11, 1, 9, 1),
      recording_url: 'https://example.com/r.mp3',
    });
    const text = insertText(replica, {
      lead_id: lead,
      direction: 'outbound',
      from_phone: BUSINESS_PHONE,
      to_phone: '+15125551234',
      message_text: 'Sorry we missed your call!',
      status: 'delivered',
      created_at: at(2026, 11, 1, 9, 2),
    });
    const note = insertNote(replica, {
      lead_id: lead,
      body: 'Gate code 4411',
      created_at: at(2026, 11, 3),
    });
    insertCall(replica, { lead_id: other, created_at: at(2026, 11, 5) });
    insertNote(replica, { lead_id: other, created_at: at(2026, 11, 5) });

    const timeline = desktopApi['leads:timeline'].result.parse(leadTimeline(replica, lead));
    expect(timeline.map((entry) => [entry.kind, entry.id])).toEqual([
      ['status', `${lead}:lost`],
      ['note', note],
      ['status', `${lead}:quoted`],
      ['status', `${lead}:contacted`],
      ['text', text],
      ['call', call],
      ['status', `${lead}:new`],
    ]);
    expect(timeline[0]).toMatchObject({ detail: 'went with another company' });
    expect(timeline[2]).toMatchObject({ detail: '450.00' });
    expect(timeline[5]).toMatchObject({
      direction: 'inbound',
      status: 'no_answer',
      durationSeconds: 0,
      recordingUrl: 'https://example.com/r.mp3',
      pending: false,
    });
  });

  it('shows a text and a note written offline as pending, the text queued', () => {
    const replica = open();
    const lead = insertLead(replica, { created_at: at(2026, 11, 1) });
    const outbox = new Outbox({
      replica,
      identity: { businessId: BUSINESS, memberId: BUSINESS, businessPhone: BUSINESS_PHONE },
      syncedTables: ['sms_logs', 'lead_notes'],
    });
    const textId = crypto.randomUUID();
    const noteId = crypto.randomUUID();
    outbox.record('text.queue', {
      id: textId,
      leadId: lead,
      body: 'On our way',
      at: '2026-11-02T10:00:00.000Z',
    });
    outbox.record('lead.addNote', {
      id: noteId,
      leadId: lead,
      body: 'Bring a ladder',
      at: '2026-11-02T11:00:00.000Z',
    });
    const timeline = leadTimeline(replica, lead);
    expect(timeline.find((entry) => entry.id === textId)).toMatchObject({
      kind: 'text',
      status: 'queued',
      pending: true,
    });
    expect(timeline.find((entry) => entry.id === noteId)).toMatchObject({
      kind: 'note',
      pending: true,
    });
  });

  it('is empty for an unknown lead', () => {
    expect(leadTimeline(open(), '6f1c2a1e-8d0b-4c4a-9a57-2b1e3c4d5e6f')).toEqual([]);
  });
});
