import { sql } from 'drizzle-orm';
import { AppError } from '../errors.ts';
import { hashPassword } from '../passwords.ts';
import { type AppDatabase, queryRows } from '../postgres/client.ts';
import { fromDatabaseError } from '../postgres/errors.ts';
import { AS_OF_HOUR } from './business.ts';
import { businessTemplates } from './catalog.ts';
import { type DemoOptions, generateDemoData } from './generate.ts';
import { DAY, formatDay, HOUR, intlOffsetMinutes, MINUTE } from './time.ts';
import {
  type DemoCounts,
  type DemoData,
  type DemoTable,
  type SmsLogRow,
  demoColumns,
  demoTables,
  emptyCounts,
} from './types.ts';

/**
 * Loads generated demo rows into Postgres or PGlite: tables in foreign-key order, each in chunks
 * sent as one JSON parameter and expanded by `json_populate_recordset` (one round trip per few
 * thousand rows, no per-row statements, no parameter limit), all in ONE transaction so a failure
 * leaves nothing half-written. Generated columns are never listed, so Postgres computes them.
 */

/** Every demo login's password unless DEMO_PASSWORD says otherwise; README.md documents it. */
export const DEFAULT_DEMO_PASSWORD = 'demo-plumbing-2026';

/** A chunk holds at most this many rows, and about this many bytes of JSON. */
const CHUNK_ROWS = 5_000;
const CHUNK_BYTES = 4 * 1024 * 1024;

/** Serialises first loads of several server processes starting at once. Any constant will do. */
const DEMO_SEED_LOCK = 727_002;

export interface LoadOptions {
  /** Every demo login's password (users and members); hashed once with argon2id. */
  password: string;
  /**
   * Empty `users` and everything that references it first, in the same transaction. This is
   * `TRUNCATE users CASCADE`, which ends where `DELETE FROM users` and its cascades would, minus
   * their cost: a DELETE runs the foreign-key actions and triggers row by row. Server-only tables
   * go too (`tracking_numbers` among them), so the new demo's numbers are free to load.
   */
  replaceExisting?: boolean;
}

type Executor = Pick<AppDatabase, 'execute'>;

async function insertTable(tx: Executor, table: DemoTable, rows: readonly object[]): Promise<void> {
  const columns: readonly string[] = demoColumns[table];
  const columnList = sql.raw(columns.map((column) => `"${column}"`).join(', '));
  let parts: string[] = [];
  let bytes = 0;
  let first = 0;
  const flush = async (end: number) => {
    if (parts.length === 0) return;
    const json = `[${parts.join(',')}]`;
    try {
      await tx.execute(sql`
        INSERT INTO ${sql.identifier(table)} (${columnList})
        SELECT ${columnList} FROM json_populate_recordset(NULL::${sql.identifier(table)}, ${json}::json)`);
    } catch (error) {
      const reason = fromDatabaseError(error);
      throw new AppError(
        reason.code,
        `Loading the demo data failed in ${table}, rows ${first + 1}–${end} of ${rows.length}: ` +
          `${reason.message}. Nothing was loaded.`,
        { cause: error, ...(reason.details ? { details: reason.details } : {}) },
      );
    }
    parts = [];
    bytes = 0;
    first = end;
  };
  for (const [index, row] of rows.entries()) {
    const text = JSON.stringify(row);
    parts.push(text);
    bytes += text.length + 1;
    if (parts.length >= CHUNK_ROWS || bytes >= CHUNK_BYTES) await flush(index + 1);
  }
  await flush(rows.length);
}

/**
 * A reply must reach the database after the text it answers: the tenant trigger on
 * sms_logs.reply_to_sms_id looks the parent up and refuses a reply to a text it cannot find. The
 * generator already writes texts in that order; any other order is sorted by thread depth (stable).
 */
export function parentsFirst(rows: readonly SmsLogRow[]): readonly SmsLogRow[] {
  const position = new Map<string, number>();
  for (const [index, row] of rows.entries()) position.set(row.id, index);
  const ordered = rows.every(
    (row, index) =>
      row.reply_to_sms_id === null || (position.get(row.reply_to_sms_id) ?? -1) < index,
  );
  if (ordered) return rows;
  const depth = (row: SmsLogRow): number => {
    let steps = 0;
    for (let parent = row.reply_to_sms_id; parent !== null && steps <= rows.length; steps++) {
      const index = position.get(parent);
      if (index === undefined) break; // not part of this load: the database decides
      parent = (rows[index] as SmsLogRow).reply_to_sms_id;
    }
    return steps;
  };
  return rows
    .map((row, index) => ({ row, index, depth: depth(row) }))
    .sort((a, b) => a.depth - b.depth || a.index - b.index)
    .map(({ row }) => row);
}

/**
 * Every table in `demoTables` order: users before everything, campaigns before the keywords and
 * tracking numbers that point at them, leads before their calls and texts.
 */
async function insertAll(tx: Executor, data: DemoData, passwordHash: string): Promise<DemoCounts> {
  const counts = emptyCounts();
  for (const table of demoTables) {
    const rows: readonly object[] =
      table === 'users' || table === 'members'
        ? data[table].map((login) => ({ ...login, password_hash: passwordHash }))
        : table === 'sms_logs'
          ? parentsFirst(data.sms_logs)
          : data[table];
    await insertTable(tx, table, rows);
    counts[table] = rows.length;
  }
  return counts;
}

/** Inserts the rows in one transaction and returns how many went into each table. */
export async function loadDemoData(
  db: AppDatabase,
  data: DemoData,
  options: LoadOptions,
): Promise<DemoCounts> {
  const passwordHash = await hashPassword(options.password);
  return db.transaction(async (tx) => {
    if (options.replaceExisting) await tx.execute(sql`TRUNCATE users CASCADE`);
    return insertAll(tx, data, passwordHash);
  });
}

/** True once any business exists: the database is not a fresh one. */
export async function isDemoSeeded(db: Executor): Promise<boolean> {
  const [row] = await queryRows<{ seeded: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM users) AS seeded`,
  );
  return row?.seeded === true;
}

export type SeedDemoOptions = Partial<DemoOptions> & {
  password: string;
};

/** The machine's calendar date, YYYY-MM-DD. */
/**
 * The demo's last day when none is given: the latest day whose 18:00 (AS_OF_HOUR, when the
 * simulated clock stops) has already passed in every demo business's time zone. With the machine's
 * own date, a server started in the morning held calls and leads stamped hours in the future: the
 * desktop sorted them above what really just happened and counted them as the newest seen.
 */
export function localToday(now: Date = new Date()): string {
  const zones = [...new Set(businessTemplates.map((template) => template.timezone))];
  for (let back = 0; back <= 2; back++) {
    const day = Math.floor(now.getTime() / DAY) - back;
    const stopsUtc = (zone: string) => {
      const wall = day * DAY + AS_OF_HOUR * HOUR;
      return wall - intlOffsetMinutes(zone, wall) * MINUTE;
    };
    if (zones.every((zone) => stopsUtc(zone) <= now.getTime())) return formatDay(day);
  }
  return formatDay(Math.floor(now.getTime() / DAY) - 3);
}

/**
 * First run: generates and loads the demo data only if the database has no business yet
 * (`today` defaults to the machine's date). Returns the counts, or null when it loaded nothing.
 * Several processes starting together are serialised: only the first one loads.
 */
export async function seedDemoIfEmpty(
  db: AppDatabase,
  options: SeedDemoOptions,
): Promise<DemoCounts | null> {
  if (await isDemoSeeded(db)) return null;
  const { password, ...generation } = options;
  const data = generateDemoData({ ...generation, today: generation.today ?? localToday() });
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${DEMO_SEED_LOCK})`);
    if (await isDemoSeeded(tx)) return null;
    return insertAll(tx, data, passwordHash);
  });
}
