import { sql } from 'drizzle-orm';
import { type DemoOptions, generateDemoData } from '../db/demo/generate.ts';
import { loadDemoData, seedDemoIfEmpty } from '../db/demo/load.ts';
import { countRows, totalRows } from '../db/demo/types.ts';
import { type AppDatabase, openDatabase, queryRows } from '../db/postgres/client.ts';
import { migratePostgres } from '../db/postgres/migrate.ts';
import { type BenchContext, type BenchResult, type Benchmark, fmt, median } from './harness.ts';
import { createTemporaryDatabase } from './temp-database.ts';

/**
 * Demo data: generation (pure CPU) and loading (one transaction of json_populate_recordset chunks)
 * into a real PostgreSQL, at the default size (median of several runs) and at about a million rows;
 * then what `npm start` does on first run (the default set into embedded PGlite), for reference.
 * Works in a temporary database on BENCH_DATABASE_URL's server (default: the local one, trust
 * auth), dropped afterwards — also on Ctrl-C.
 */

const today = '2026-03-15';

interface Size {
  label: string;
  options: DemoOptions;
  runs: number;
}

const runsFrom = (name: string, fallback: number): number => {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`${name} must be a whole number of runs (0 skips)`);
  }
  return value;
};

const sizes = (): Size[] => [
  {
    label: 'default, scale 1',
    options: { today, scale: 1 },
    runs: runsFrom('BENCH_SMALL_RUNS', 5),
  },
  {
    label: '~1M rows, scale 22',
    options: { today, scale: 22 },
    runs: runsFrom('BENCH_LARGE_RUNS', 1),
  },
];

interface Run {
  rows: number;
  generateSeconds: number;
  loadSeconds: number;
  /** Size of the database after the load, and WAL the load wrote (server-wide). */
  databaseMiB: number;
  walMiB: number;
}

async function walPosition(db: AppDatabase): Promise<string> {
  const [row] = await queryRows<{ lsn: string }>(db, sql`SELECT pg_current_wal_lsn()::text AS lsn`);
  return row?.lsn ?? '0/0';
}

const rate = (rows: number, seconds: number): string => `${fmt(rows / seconds)} rows/s`;

async function run(context: BenchContext): Promise<BenchResult> {
  const temp = await createTemporaryDatabase(context);
  const { handle, name } = temp;
  const url = new URL(temp.url);
  const lines: string[] = [];
  const data: Record<string, unknown> = {};
  try {
    const [server] = await queryRows<{ version: string }>(
      handle.db,
      sql`SELECT current_setting('server_version') AS version`,
    );
    lines.push(`PostgreSQL ${server?.version ?? '?'} at ${url.host}, temporary database ${name}`);
    data.postgres = server?.version;

    for (const size of sizes()) {
      const runs: Run[] = [];
      for (let i = 0; i < size.runs; i++) {
        if (Date.now() > context.deadline) {
          context.log(`deadline passed: ${size.label} stops after ${runs.length} run(s)`);
          break;
        }
        let started = performance.now();
        const demo = generateDemoData(size.options);
        const generateSeconds = (performance.now() - started) / 1000;
        const rows = totalRows(countRows(demo));
        const walBefore = await walPosition(handle.db);
        started = performance.now();
        await loadDemoData(handle.db, demo, { password: 'bench-password-1' });
        const loadSeconds = (performance.now() - started) / 1000;
        const [sizes] = await queryRows<{ database: string; wal: string }>(
          handle.db,
          sql`SELECT pg_database_size(current_database())::text AS database,
                     pg_wal_lsn_diff(pg_current_wal_lsn(), ${walBefore}::pg_lsn)::text AS wal`,
        );
        const databaseMiB = Number(sizes?.database ?? 0) / 2 ** 20;
        const walMiB = Number(sizes?.wal ?? 0) / 2 ** 20;
        runs.push({ rows, generateSeconds, loadSeconds, databaseMiB, walMiB });
        context.log(
          `${size.label} run ${i + 1}/${size.runs}: ${fmt(rows)} rows, generated in ` +
            `${generateSeconds.toFixed(2)} s (${rate(rows, generateSeconds)}), loaded in ` +
            `${loadSeconds.toFixed(2)} s (${rate(rows, loadSeconds)}); database ` +
            `${fmt(databaseMiB)} MiB, ${fmt(walMiB)} MiB of WAL`,
        );
        // Start every run from an empty database (not timed).
        await handle.db.execute(sql`TRUNCATE users CASCADE`);
      }
      if (runs.length === 0) continue;
      const rows = runs[0]?.rows ?? 0;
      const generateSeconds = median(runs.map((r) => r.generateSeconds));
      const loadSeconds = median(runs.map((r) => r.loadSeconds));
      const which = runs.length > 1 ? `median of ${runs.length} runs` : '1 run';
      lines.push(
        `${size.label}: ${fmt(rows)} rows (${which})`,
        `  generate ${generateSeconds.toFixed(2)} s  ${rate(rows, generateSeconds)}`,
        `  load     ${loadSeconds.toFixed(2)} s  ${rate(rows, loadSeconds)}  (incl. one argon2id hash, ~0.2 s)`,
        `  database ${fmt(median(runs.map((r) => r.databaseMiB)))} MiB after the load, ` +
          `${fmt(median(runs.map((r) => r.walMiB)))} MiB of WAL written`,
      );
      data[size.label] = { options: size.options, rows, generateSeconds, loadSeconds, runs };
    }
    await pgliteFirstRun(context, lines, data);
  } finally {
    await temp.drop();
  }
  return { lines, data };
}

/** What `npm start` does on a fresh install: the default data set into embedded PGlite. */
async function pgliteFirstRun(
  context: BenchContext,
  lines: string[],
  data: Record<string, unknown>,
): Promise<void> {
  const runs = runsFrom('BENCH_PGLITE_RUNS', 3);
  const seconds: number[] = [];
  let rows = 0;
  for (let i = 0; i < runs && Date.now() <= context.deadline; i++) {
    const lite = await openDatabase({ kind: 'pglite' });
    try {
      await migratePostgres(lite.db);
      const started = performance.now();
      const counts = await seedDemoIfEmpty(lite.db, { today, password: 'bench-password-1' });
      seconds.push((performance.now() - started) / 1000);
      rows = counts ? totalRows(counts) : 0;
      context.log(
        `PGlite first run ${i + 1}/${runs}: ${fmt(rows)} rows generated and loaded in ` +
          `${(seconds.at(-1) ?? 0).toFixed(2)} s`,
      );
    } finally {
      await lite.close();
    }
  }
  if (seconds.length === 0) return;
  const typical = median(seconds);
  lines.push(
    `PGlite (in memory), seedDemoIfEmpty at default size: ${fmt(rows)} rows ` +
      `(${seconds.length > 1 ? `median of ${seconds.length} runs` : '1 run'})`,
    `  generate + load ${typical.toFixed(2)} s  ${rate(rows, typical)}`,
  );
  data['pglite first run'] = { rows, seconds: typical, runs: seconds };
}

export const benchmark: Benchmark = {
  name: 'seed',
  description: 'demo data: generate and load into PostgreSQL',
  run,
};
