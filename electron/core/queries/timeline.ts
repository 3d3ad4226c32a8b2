import type { LeadStatus } from '../../../db/enums.ts';
import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { type TimelineEntry, timelineEntrySchema } from '../../../db/wire/desktop-views.ts';
import { pendingSql, withPending } from './shared.ts';

/*
 * A lead's story, newest first: its calls, texts and notes (each read through its
 * (lead_id, created_at) index) and one entry per pipeline stage it reached, from the lead's own
 * stage timestamps.
 */

interface StageRow {
  id: string;
  createdAt: string;
  contactedAt: string | null;
  quotedAt: string | null;
  quotedAmount: string | null;
  bookedAt: string | null;
  completedAt: string | null;
  lostAt: string | null;
  lostReason: string | null;
}

function stageEntries(lead: StageRow): TimelineEntry[] {
  const stages: [LeadStatus, string | null, string | null][] = [
    ['new', lead.createdAt, null],
    ['contacted', lead.contactedAt, null],
    ['quoted', lead.quotedAt, lead.quotedAmount],
    ['booked', lead.bookedAt, null],
    ['completed', lead.completedAt, null],
    ['lost', lead.lostAt, lead.lostReason],
  ];
  return stages.flatMap(([status, at, detail]): TimelineEntry[] =>
    at === null ? [] : [{ kind: 'status', id: `${lead.id}:${status}`, at, status, detail }],
  );
}

/** Within one instant: the stage first (it explains the rest), then calls, texts, notes. */
const kindOrder: Record<TimelineEntry['kind'], number> = { status: 0, call: 1, text: 2, note: 3 };

const newestFirst = (a: TimelineEntry, b: TimelineEntry): number =>
  a.at !== b.at
    ? a.at < b.at
      ? 1
      : -1
    : kindOrder[a.kind] - kindOrder[b.kind] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function leadTimeline(replica: Database, leadId: string): TimelineEntry[] {
  const calls = prepared(
    replica,
    `SELECT 'call' AS kind, id, created_at AS at, call_direction AS direction,
            call_status AS status, call_duration AS durationSeconds, recording_url AS recordingUrl,
            ${pendingSql('call_logs', 'id')} AS pending
       FROM call_logs WHERE lead_id = ?`,
  ).all(leadId) as { pending: unknown }[];
  const texts = prepared(
    replica,
    `SELECT 'text' AS kind, id, created_at AS at, direction, message_text AS body, status,
            error_message AS errorMessage, ${pendingSql('sms_logs', 'id')} AS pending
       FROM sms_logs WHERE lead_id = ?`,
  ).all(leadId) as { pending: unknown }[];
  const notes = prepared(
    replica,
    `SELECT 'note' AS kind, id, created_at AS at, body, ${pendingSql('lead_notes', 'id')} AS pending
       FROM lead_notes WHERE lead_id = ?`,
  ).all(leadId) as { pending: unknown }[];
  const lead = prepared(
    replica,
    `SELECT id, created_at AS createdAt, contacted_at AS contactedAt, quoted_at AS quotedAt,
            quoted_amount AS quotedAmount, booked_at AS bookedAt, completed_at AS completedAt,
            lost_at AS lostAt, lost_reason AS lostReason
       FROM leads WHERE id = ?`,
  ).get(leadId) as StageRow | undefined;
  const entries = [
    ...[...calls, ...texts, ...notes].map((row) => timelineEntrySchema.parse(withPending(row))),
    ...(lead === undefined
      ? []
      : stageEntries(lead).map((entry) => timelineEntrySchema.parse(entry))),
  ];
  return entries.sort(newestFirst);
}
