import type { Database } from '../../../db/replica/open.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type Message,
  messageSchema,
  type ThreadSummary,
  threadSummarySchema,
} from '../../../db/wire/desktop-views.ts';
import { leadSearchMatch } from './search.ts';
import { type Clock, laterInstant, pendingSql, storedInstant, withPending } from './shared.ts';

/*
 * The inbox: one thread per lead that has texts, the most recently active first. Read marks are
 * this desktop's own (`inbox_reads`, migration 0005): an inbound text is unread when it is newer
 * than both the thread's read mark and the business's last reply in it.
 */

/** A guess of how many texts a thread has, to choose how a search is served. */
const TEXTS_PER_LEAD = 3;

/** Leads whose texts are walked newest first; a search keeps those it matches. */
const recentTextsSql = (search: boolean) =>
  search
    ? `SELECT s.lead_id AS leadId FROM sms_logs s JOIN leads l ON l.id = s.lead_id
        WHERE +l.rowid IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ?)
        ORDER BY s.created_at DESC`
    : `SELECT lead_id AS leadId FROM sms_logs WHERE lead_id IS NOT NULL ORDER BY created_at DESC`;

/** The `limit` leads whose last text is newest, walking texts newest first (index order). */
function recentThreadLeads(replica: Database, limit: number, match?: string): string[] {
  const leads = new Set<string>();
  const statement = prepared(replica, recentTextsSql(match !== undefined));
  const texts = (
    match === undefined ? statement.iterate() : statement.iterate(match)
  ) as IterableIterator<{ leadId: string }>;
  for (const { leadId } of texts) {
    leads.add(leadId);
    if (leads.size >= limit) break; // ends the iteration, which resets the statement
  }
  return [...leads];
}

/**
 * The threads' leads, newest activity first. A narrow search looks up each matching lead's last
 * text; a broad one walks the texts newest first and keeps the matching leads', which fills the
 * page after about limit × texts per lead × all / matching leads texts.
 */
function threadLeads(replica: Database, search: string | undefined, limit: number): string[] {
  const match = search === undefined ? undefined : leadSearchMatch(search, 'nameAndPhone');
  if (match === undefined) return recentThreadLeads(replica, limit);
  const { matches } = prepared(
    replica,
    'SELECT count(*) AS matches FROM leads_search WHERE leads_search MATCH ?',
  ).get(match) as { matches: number };
  if (matches === 0) return [];
  const { all } = prepared(replica, 'SELECT count(*) AS "all" FROM leads').get() as {
    all: number;
  };
  if (matches * matches > limit * TEXTS_PER_LEAD * all) {
    return recentThreadLeads(replica, limit, match);
  }
  return (
    prepared(
      replica,
      `SELECT lead_id AS leadId, max(created_at) AS lastAt FROM sms_logs
        WHERE lead_id IN (SELECT id FROM leads WHERE rowid IN
                           (SELECT rowid FROM leads_search WHERE leads_search MATCH ?))
        GROUP BY lead_id ORDER BY lastAt DESC, lead_id LIMIT ?`,
    ).all(match, limit) as { leadId: string }[]
  ).map((row) => row.leadId);
}

const threadSql = `
  SELECT s.lead_id AS leadId, l.customer_name AS customerName,
         coalesce(l.customer_phone,
                  CASE s.direction WHEN 'inbound' THEN s.from_phone ELSE s.to_phone END)
           AS customerPhone,
         s.message_text AS lastBody, s.created_at AS lastAt, s.direction AS lastDirection,
         s.status AS lastStatus, l.sms_opted_out_at AS smsOptedOutAt,
         (SELECT count(*) FROM sms_logs i
           WHERE i.lead_id = s.lead_id AND i.direction = 'inbound'
             AND i.created_at > coalesce((SELECT read_at FROM inbox_reads r
                                           WHERE r.lead_id = s.lead_id), '')
             AND i.created_at > coalesce((SELECT max(o.created_at) FROM sms_logs o
                                           WHERE o.lead_id = s.lead_id
                                             AND o.direction = 'outbound'), '')) AS unread
    FROM sms_logs s LEFT JOIN leads l ON l.id = s.lead_id
   WHERE s.lead_id = ?
   ORDER BY s.created_at DESC, s.id DESC LIMIT 1`;

export function inboxThreads(
  replica: Database,
  args: { search?: string | undefined; limit: number },
): ThreadSummary[] {
  const thread = prepared(replica, threadSql);
  return threadLeads(replica, args.search, args.limit).flatMap((leadId) => {
    const row = thread.get(leadId);
    return row === undefined ? [] : [threadSummarySchema.parse(row)];
  });
}

/** A thread's texts, oldest first, as a conversation reads. */
export function inboxThread(replica: Database, leadId: string): Message[] {
  return (
    prepared(
      replica,
      `SELECT id, direction, message_text AS body, status, error_message AS errorMessage,
              created_at AS at, delivered_at AS deliveredAt, ${pendingSql('sms_logs', 'id')} AS pending
         FROM sms_logs WHERE lead_id = ? ORDER BY created_at, id`,
    ).all(leadId) as { pending: unknown }[]
  ).map((row) => messageSchema.parse(withPending(row)));
}

/**
 * Marks the thread read up to its newest text, or now if that is later: a text stamped by a
 * server whose clock runs ahead of this machine's is still covered.
 */
export function markThreadRead(replica: Database, leadId: string, now: Clock): { unread: 0 } {
  const newest = prepared(
    replica,
    'SELECT max(created_at) AS at FROM sms_logs WHERE lead_id = ?',
  ).get(leadId) as { at: string | null };
  prepared(
    replica,
    `INSERT INTO inbox_reads (lead_id, read_at) VALUES (?, ?)
       ON CONFLICT (lead_id) DO UPDATE SET read_at = max(read_at, excluded.read_at)`,
  ).run(leadId, laterInstant(storedInstant(now()), newest.at));
  return { unread: 0 };
}
