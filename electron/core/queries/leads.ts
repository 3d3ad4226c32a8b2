import { leadStatuses, type LeadStatus } from '../../../db/enums.ts';
import type { Database } from '../../../db/replica/open.ts';
import { urgencyRankSql } from '../../../db/replica/schema.ts';
import { prepared } from '../../../db/replica/statements.ts';
import {
  type Board,
  boardSchema,
  type LeadDetail,
  leadDetailSchema,
  type LeadFilter,
  type LeadPage,
  leadPageSchema,
  type LeadSort,
} from '../../../db/wire/desktop-views.ts';
import { leadSearchMatch } from './search.ts';
import { localDayStart, pendingSql, withPending } from './shared.ts';

/*
 * The pipeline's reads: a page of the filtered, sorted leads, the board (a page per status), one
 * lead, the service types. Each sort has an index (migration 0005), alone and after `status`, so a
 * page is read in index order and stops at its limit; a search first asks the FTS5 index which
 * leads match and narrows by rowid.
 */

const summaryColumns = `
  id, customer_name AS customerName, customer_phone AS customerPhone, source,
  service_type AS serviceType, urgency, status, quoted_amount AS quotedAmount, description,
  created_at AS createdAt, updated_at AS updatedAt, ${pendingSql('leads', 'leads.id')} AS pending`;

/** A WHERE clause (or nothing) and its parameters. */
interface Where {
  sql: string;
  params: unknown[];
}

/**
 * A search matching at most this many leads is served by looking each one up and sorting them;
 * a broader one by reading the sort's index in order and keeping the matches (`+rowid` stops
 * SQLite from driving the query by the match list), which stops at the page's end. Testing a
 * match needs only the index entry's rowid, hence a lower bar than for filters (below).
 */
const NARROW_SEARCH = 300;

/** The FTS5 side of a search: its MATCH expression and how many leads it matches. */
interface Search {
  match: string;
  matches: number;
}

function searchOf(replica: Database, filter: LeadFilter): Search | undefined {
  const match = filter.search === undefined ? undefined : leadSearchMatch(filter.search);
  if (match === undefined) return undefined;
  const { matches } = prepared(
    replica,
    'SELECT count(*) AS matches FROM leads_search WHERE leads_search MATCH ?',
  ).get(match) as { matches: number };
  return { match, matches };
}

/**
 * Which index SQLite may drive a query by (a `+` before a column keeps it off that column's
 * indexes). `filters`: the filters' own, then sort — cheap when few leads match. `sortIndex`: the
 * sort's index read in order, each lead tested against the filters — cheap when many match, since
 * the page is full after about (offset + limit) × all / matching leads. `count`: a status range or
 * a scan of idx_leads_status_filters, which holds every filtered column, so counting never reads
 * the table.
 */
type Drive = 'filters' | 'sortIndex' | 'count';

function whereOf(filter: LeadFilter, search: Search | undefined, drive: Drive = 'filters'): Where {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const byIndex = drive === 'filters';
  const oneOf = (column: string, values: readonly string[] | undefined, indexed = byIndex) => {
    // An empty selection in a filter means "any", as in the filter bar.
    if (values === undefined || values.length === 0) return;
    conditions.push(`${indexed ? '' : '+'}${column} IN (${values.map(() => '?').join(', ')})`);
    params.push(...values);
  };
  // A status leads the (status, …) indexes, which serve every drive, unless several statuses
  // would each need a sort of their own.
  oneOf('status', filter.statuses, drive !== 'sortIndex' || filter.statuses?.length === 1);
  oneOf('source', filter.sources);
  oneOf('urgency', filter.urgencies);
  oneOf('service_type', filter.serviceTypes);
  const createdAt = byIndex ? 'created_at' : '+created_at';
  if (filter.createdFrom !== undefined) {
    conditions.push(`${createdAt} >= ?`);
    params.push(localDayStart(filter.createdFrom));
  }
  if (filter.createdTo !== undefined) {
    conditions.push(`${createdAt} < ?`);
    params.push(localDayStart(filter.createdTo, 1));
  }
  if (search !== undefined) {
    const rowid = search.matches <= NARROW_SEARCH ? 'rowid' : '+rowid';
    conditions.push(`${rowid} IN (SELECT rowid FROM leads_search WHERE leads_search MATCH ?)`);
    params.push(search.match);
  }
  return { sql: conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`, params };
}

/** ORDER BY for a sort, spelled as the indexes are so SQLite reads them in order. */
function orderOf(sort: LeadSort): string {
  const dir = sort.dir === 'asc' ? 'ASC' : 'DESC';
  switch (sort.by) {
    case 'created_at':
      return `created_at ${dir}, rowid ${dir}`;
    case 'updated_at':
      return `updated_at ${dir}, rowid ${dir}`;
    case 'customer_name':
      return `customer_name COLLATE NOCASE ${dir}, rowid ${dir}`;
    case 'urgency':
      return `${urgencyRankSql} ${dir}, created_at ${dir}, rowid ${dir}`;
  }
}

export interface LeadListArgs {
  filter: LeadFilter;
  sort: LeadSort;
  offset: number;
  limit: number;
}

export function listLeads(replica: Database, args: LeadListArgs): LeadPage {
  const search = searchOf(replica, args.filter);
  if (search?.matches === 0) return { total: 0, rows: [] };
  const filtered = whereOf({ ...args.filter, search: undefined }, undefined).sql !== '';
  const counted = whereOf(args.filter, search, 'count');
  // A search alone: the FTS index's own count is the answer (it indexes every lead).
  const total =
    search !== undefined && !filtered
      ? search.matches
      : (
          prepared(replica, `SELECT count(*) AS total FROM leads ${counted.sql}`).get(
            ...counted.params,
          ) as { total: number }
        ).total;
  if (total === 0) return { total: 0, rows: [] };
  // Reading the sort's index pays once the page is found within a quarter of it or less; below
  // that, the filters' indexes find the few matches faster.
  const drive: Drive =
    filtered && total >= 4 * (args.offset + args.limit) ? 'sortIndex' : 'filters';
  const page = whereOf(args.filter, search, drive);
  const rows = prepared(
    replica,
    `SELECT ${summaryColumns} FROM leads ${page.sql} ORDER BY ${orderOf(args.sort)} LIMIT ? OFFSET ?`,
  ).all(...page.params, args.limit, args.offset) as { pending: unknown }[];
  return leadPageSchema.parse({ total, rows: rows.map(withPending) });
}

export interface BoardArgs {
  filter: LeadFilter;
  sort: LeadSort;
  perColumn: number;
}

/**
 * One column per status (the filter's statuses, or all six), each with how many leads match and
 * the first `perColumn` of them: one indexed page per column and one count grouped by status.
 */
export function leadBoard(replica: Database, args: BoardArgs): Board {
  const statuses: readonly LeadStatus[] =
    args.filter.statuses !== undefined && args.filter.statuses.length > 0
      ? leadStatuses.filter((status) => args.filter.statuses?.includes(status))
      : leadStatuses;
  const search = searchOf(replica, args.filter);
  const others = whereOf({ ...args.filter, statuses: undefined }, search, 'count');
  // Each column reads its (status, sort) index in order, testing the other filters on the way.
  const inColumn = whereOf({ ...args.filter, statuses: undefined }, search, 'sortIndex');
  const totals = new Map(
    (
      prepared(
        replica,
        `SELECT status, count(*) AS total FROM leads ${others.sql} GROUP BY status`,
      ).all(...others.params) as { status: string; total: number }[]
    ).map((row) => [row.status, row.total]),
  );
  const columnWhere = inColumn.sql === '' ? 'WHERE status = ?' : `${inColumn.sql} AND status = ?`;
  const page = prepared(
    replica,
    `SELECT ${summaryColumns} FROM leads ${columnWhere} ORDER BY ${orderOf(args.sort)} LIMIT ?`,
  );
  const columns = statuses.map((status) => ({
    status,
    total: totals.get(status) ?? 0,
    leads: (page.all(...inColumn.params, status, args.perColumn) as { pending: unknown }[]).map(
      withPending,
    ),
  }));
  return boardSchema.parse({ columns });
}

export function getLead(replica: Database, id: string): LeadDetail | null {
  const row = prepared(
    replica,
    `SELECT ${summaryColumns},
            customer_email AS customerEmail, customer_address AS customerAddress,
            pipeline_stage AS pipelineStage, actual_amount AS actualAmount,
            contacted_at AS contactedAt, quoted_at AS quotedAt, booked_at AS bookedAt,
            completed_at AS completedAt, lost_at AS lostAt, lost_reason AS lostReason,
            sms_opted_out_at AS smsOptedOutAt
       FROM leads WHERE id = ?`,
  ).get(id) as { pending: unknown } | undefined;
  return row === undefined ? null : leadDetailSchema.parse(withPending(row));
}

/** The distinct service types of the business's leads, A to Z (read from their index). */
export function leadServiceTypes(replica: Database): string[] {
  return (
    prepared(
      replica,
      `SELECT DISTINCT service_type AS serviceType FROM leads
        WHERE service_type IS NOT NULL ORDER BY service_type`,
    ).all() as { serviceType: string }[]
  ).map((row) => row.serviceType);
}
