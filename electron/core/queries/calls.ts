import type { Database } from '../../../db/replica/open.ts';
import { missedCallSql } from '../../../db/replica/schema.ts';
import { prepared } from '../../../db/replica/statements.ts';
import { type CallPage, callPageSchema } from '../../../db/wire/desktop-views.ts';
import { type Clock, laterInstant, storedInstant } from './shared.ts';

/*
 * The call log, missed calls first. `missedCallSql` is the expression of the index
 * idx_call_logs_missed_created_at (migration 0005); spelled identically here (and compared with
 * `= 1` in a WHERE), it lets SQLite read a page, the missed-only filter and the unseen count
 * straight from that index.
 */

/** `desktop_marks` key: missed calls up to this instant have been seen on this desktop. */
export const MISSED_SEEN_MARK = 'missed_calls_seen_up_to';

const seenMarkSql = `coalesce((SELECT value FROM desktop_marks WHERE key = '${MISSED_SEEN_MARK}'), '')`;

/** Inbound calls nobody answered since this desktop last marked them seen: the tray badge. */
export function missedUnseen(replica: Database): number {
  return (
    prepared(
      replica,
      `SELECT count(*) AS n FROM call_logs WHERE ${missedCallSql} = 1 AND created_at > ${seenMarkSql}`,
    ).get() as { n: number }
  ).n;
}

export function listCalls(
  replica: Database,
  args: { missedOnly: boolean; offset: number; limit: number },
): CallPage {
  const where = args.missedOnly ? `WHERE ${missedCallSql} = 1` : '';
  // The page is chosen from call_logs alone (in index order), then joined to its leads' names.
  const rows = (
    prepared(
      replica,
      `SELECT c.id, c.lead_id AS leadId, l.customer_name AS leadName,
              c.caller_phone AS callerPhone, c.called_phone AS calledPhone,
              c.call_direction AS direction, c.call_status AS status, c.missed,
              c.call_duration AS durationSeconds, c.recording_url AS recordingUrl, c.created_at AS at
         FROM (SELECT rowid AS callRowid, *, ${missedCallSql} AS missed FROM call_logs ${where}
                ORDER BY ${missedCallSql} DESC, created_at DESC, rowid DESC LIMIT ? OFFSET ?) c
         LEFT JOIN leads l ON l.id = c.lead_id
        ORDER BY c.missed DESC, c.created_at DESC, c.callRowid DESC`,
    ).all(args.limit, args.offset) as { missed: number }[]
  ).map((row) => ({ ...row, missed: row.missed === 1 }));
  const { total } = prepared(replica, `SELECT count(*) AS total FROM call_logs ${where}`).get() as {
    total: number;
  };
  return callPageSchema.parse({ total, missedUnseen: missedUnseen(replica), rows });
}

/**
 * Marks every missed call seen: up to the newest one, or now if that is later (a call the server
 * stamped ahead of this machine's clock is still covered).
 */
export function markMissedCallsSeen(replica: Database, now: Clock): { missedUnseen: 0 } {
  const newest = prepared(
    replica,
    `SELECT max(created_at) AS at FROM call_logs WHERE ${missedCallSql} = 1`,
  ).get() as { at: string | null };
  prepared(
    replica,
    `INSERT INTO desktop_marks (key, value) VALUES (?, ?)
       ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`,
  ).run(MISSED_SEEN_MARK, laterInstant(storedInstant(now()), newest.at));
  return { missedUnseen: 0 };
}
