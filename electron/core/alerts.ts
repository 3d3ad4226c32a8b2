import type { SyncedTable } from '../../db/enums.ts';
import type { Database } from '../../db/replica/open.ts';
import type { Alert } from '../../db/wire/desktop-api.ts';
import { missedCallStatuses } from '../../db/wire/desktop-views.ts';
import type { AppliedBatchEvent } from './sync/sync-client.ts';

const watched = ['leads', 'call_logs', 'sms_logs'] as const;
type Watched = (typeof watched)[number];
const isWatched = (table: SyncedTable): table is Watched =>
  (watched as readonly string[]).includes(table);

/** A burst (a technician's laptop waking up) tells about the newest few, not every one. */
const MAX_ALERTS_PER_BATCH = 5;
/** Older than this, a row is history, not news: the badge and the lists show it. */
const FRESH_FOR_MS = 15 * 60_000;

const missedList = missedCallStatuses.map((status) => `'${status}'`).join(', ');

const newRowsSql: Record<Watched, string> = {
  leads: `SELECT id, customer_name AS name, customer_phone AS phone, source, service_type AS detail,
                 created_at AS at
            FROM leads WHERE created_at > ? ORDER BY created_at DESC LIMIT ${MAX_ALERTS_PER_BATCH}`,
  call_logs: `SELECT c.lead_id AS id, l.customer_name AS name, c.caller_phone AS phone,
                     c.call_status AS detail, c.created_at AS at
                FROM call_logs c LEFT JOIN leads l ON l.id = c.lead_id
               WHERE c.created_at > ? AND c.call_direction = 'inbound'
                 AND c.call_status IN (${missedList})
               ORDER BY c.created_at DESC LIMIT ${MAX_ALERTS_PER_BATCH}`,
  sms_logs: `SELECT s.lead_id AS id, l.customer_name AS name, s.from_phone AS phone,
                    s.message_text AS detail, s.created_at AS at
               FROM sms_logs s LEFT JOIN leads l ON l.id = s.lead_id
              WHERE s.created_at > ? AND s.direction = 'inbound'
              ORDER BY s.created_at DESC LIMIT ${MAX_ALERTS_PER_BATCH}`,
};

interface NewRow {
  id: string | null;
  name: string | null;
  phone: string;
  source?: string;
  detail: string | null;
  at: string;
}

/**
 * Turns rows that arrive live from the server into desktop notices: a missed call, a new lead, an
 * inbound text. What a table brings while it first fills or catches up after a restart is not
 * news (the lists and the missed-call badge show it); once the table is live, rows newer than the
 * last seen are. Leads this desktop made itself are not announced to it.
 */
export class AlertWatch {
  readonly #marks = new Map<Watched, string>();
  readonly #live = new Set<Watched>();
  readonly #ownLeads = new Set<string>();

  constructor(
    private readonly replica: Database,
    private readonly now: () => number = Date.now,
  ) {
    for (const table of watched) this.#marks.set(table, this.#newest(table));
  }

  /** A lead created on this desktop: its arrival from the server is not news here. */
  ownLead(id: string): void {
    this.#ownLeads.add(id);
  }

  observe(event: AppliedBatchEvent): Alert[] {
    const table = event.table;
    if (!isWatched(table)) return [];
    if (!this.#live.has(table)) {
      if (event.upToDate) {
        this.#live.add(table);
        this.#marks.set(table, this.#newest(table));
      }
      return [];
    }
    if (event.reset) {
      this.#marks.set(table, this.#newest(table));
      return [];
    }
    const mark = this.#marks.get(table) ?? '';
    const rows = this.replica.prepare<[string], NewRow>(newRowsSql[table]).all(mark);
    const newest = rows[0];
    if (newest) this.#marks.set(table, newest.at);
    const freshAfter = this.now() - FRESH_FOR_MS;
    return rows
      .filter((row) => Date.parse(row.at) >= freshAfter)
      .flatMap((row) => this.#alertOf(table, row))
      .reverse();
  }

  #alertOf(table: Watched, row: NewRow): Alert[] {
    const who = row.name ?? row.phone;
    switch (table) {
      case 'call_logs':
        return [
          {
            kind: 'missed_call',
            leadId: row.id,
            title: `Missed call from ${who}`,
            body: `${row.phone} · ${(row.detail ?? '').replace('_', ' ')} — call back now`,
            at: row.at,
          },
        ];
      case 'leads':
        // A missed call's lead is announced by the missed-call notice itself.
        if ((row.id && this.#ownLeads.has(row.id)) || row.source === 'missed_call') return [];
        return [
          {
            kind: 'new_lead',
            leadId: row.id,
            title: `New lead: ${who}`,
            body: [row.detail, row.source?.replace('_', ' ')].filter(Boolean).join(' · '),
            at: row.at,
          },
        ];
      case 'sms_logs':
        return [
          {
            kind: 'inbound_text',
            leadId: row.id,
            title: `Text from ${who}`,
            body: (row.detail ?? '').slice(0, 200),
            at: row.at,
          },
        ];
    }
  }

  #newest(table: Watched): string {
    const row = this.replica
      .prepare<[], { at: string | null }>(`SELECT max(created_at) AS at FROM ${table}`)
      .get();
    return row?.at ?? '';
  }
}
