import { parseArgs } from 'node:util';
import { z } from 'zod';
import { DEFAULT_SEED, demoShape, generateDemoData } from '../demo/generate.ts';
import { DEFAULT_DEMO_PASSWORD, isDemoSeeded, loadDemoData, localToday } from '../demo/load.ts';
import { type DemoCounts, countRows, demoTables, totalRows } from '../demo/types.ts';
import { databaseEnvSchema, databaseTargetFromEnv, openDatabase } from '../postgres/client.ts';
import { migratePostgres } from '../postgres/migrate.ts';

/**
 * `npm run db:seed [-- --scale N --businesses N --seed N --today YYYY-MM-DD --months N --reset]`:
 * migrates DATABASE_URL (or the embedded PGlite in DATA_DIR), then generates and loads the demo
 * data in one transaction. Every demo user's password is DEMO_PASSWORD.
 */

const usage = `Usage: npm run db:seed -- [options]

  --scale N          volume multiplier (default 1 ≈ 48k rows; 22 ≈ 1M rows).
                     N ≥ 1 multiplies the businesses, N < 1 shrinks each one.
  --businesses N     businesses at scale 1 (default 4)
  --seed N           PRNG seed, any integer (default ${DEFAULT_SEED})
  --today YYYY-MM-DD last day of the data (default: the latest day whose 18:00 has passed
                     in every demo business's time zone, so nothing is in the future)
  --months N         months of history (default 12)
  --reset            delete all existing users (and, by cascade, their data) first
  --help             this text

Environment: DATABASE_URL (PostgreSQL; else embedded PGlite in DATA_DIR, default ./.data),
DEMO_PASSWORD (every demo user's password, default ${DEFAULT_DEMO_PASSWORD}).`;

const dateString = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date written YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real calendar date');

/** Numbers arrive as text: the whole text must be the number ("2x" is refused, not read as 2). */
const numberText = z
  .string()
  .trim()
  .regex(/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i, 'must be a number')
  .transform(Number);

const flagsSchema = z.object({
  scale: numberText
    .pipe(
      z
        .number()
        .positive('must be greater than 0')
        // Every row is built in memory before loading: ~600 bytes each, ~2.9M rows at 60.
        .max(60, 'must be at most 60 (about 2.9 million rows: every row is held in memory)'),
    )
    .default(1),
  businesses: numberText
    .pipe(z.number().int('must be a whole number').min(1).max(10_000))
    .default(4),
  seed: numberText
    .pipe(z.number().int('must be a whole number').min(-2_147_483_648).max(4_294_967_295))
    .default(DEFAULT_SEED),
  today: dateString.optional(),
  months: numberText.pipe(z.number().int('must be a whole number').min(1).max(36)).default(12),
  reset: z.boolean().default(false),
  help: z.boolean().default(false),
});

const envSchema = databaseEnvSchema.extend({
  DEMO_PASSWORD: z.string().min(8, 'must be at least 8 characters').default(DEFAULT_DEMO_PASSWORD),
});

class UsageError extends Error {}

const describeIssues = (error: z.ZodError, prefix: string): string =>
  error.issues.map((issue) => `${prefix}${issue.path.join('.')} ${issue.message}`).join('\n');

function readFlags(argv: string[]) {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        scale: { type: 'string' },
        businesses: { type: 'string' },
        seed: { type: 'string' },
        today: { type: 'string' },
        months: { type: 'string' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const parsed = flagsSchema.safeParse(values);
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error, '--'));
  return parsed.data;
}

function readEnv(env: NodeJS.ProcessEnv) {
  const parsed = envSchema.safeParse({
    DATABASE_URL: env.DATABASE_URL || undefined,
    DATA_DIR: env.DATA_DIR || undefined,
    DEMO_PASSWORD: env.DEMO_PASSWORD || undefined,
  });
  if (!parsed.success) throw new UsageError(describeIssues(parsed.error, ''));
  return parsed.data;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
const perSecond = (rows: number, ms: number): string =>
  `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

function printCounts(counts: DemoCounts): void {
  for (const table of demoTables) {
    console.log(`  ${table.padEnd(15)} ${counts[table].toLocaleString('en-US').padStart(11)}`);
  }
  console.log(`  ${'total'.padEnd(15)} ${totalRows(counts).toLocaleString('en-US').padStart(11)}`);
}

async function main(): Promise<number> {
  let flags: ReturnType<typeof readFlags>;
  let env: ReturnType<typeof readEnv>;
  try {
    flags = readFlags(process.argv.slice(2));
    env = readEnv(process.env);
    if (flags.help) {
      console.log(usage);
      return 0;
    }
    // The generator's own checks (e.g. a scale that makes no business) speak the same language.
    demoShape({ ...flags, today: flags.today ?? localToday() });
  } catch (error) {
    if (error instanceof UsageError || error instanceof RangeError) {
      console.error(
        `db:seed: ${error.message}\nRun \`npm run db:seed -- --help\` for the options.`,
      );
      return 2;
    }
    throw error;
  }

  const options = {
    seed: flags.seed,
    today: flags.today ?? localToday(),
    businesses: flags.businesses,
    scale: flags.scale,
    months: flags.months,
  };
  const target = databaseTargetFromEnv(env);
  const where =
    target.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${target.dataDir}`;
  const started = performance.now();
  const database = await openDatabase(target);
  try {
    const migration = await migratePostgres(database.db);
    console.log(
      migration.applied.length > 0
        ? `Migrated ${where}: ${migration.applied.join(', ')}`
        : `${where} is up to date.`,
    );
    if (!flags.reset && (await isDemoSeeded(database.db))) {
      console.error(
        `${where} already holds data; nothing was loaded. ` +
          'Run with --reset to delete every existing user (and their data) and load afresh.',
      );
      return 1;
    }

    console.log(
      `Generating demo data: seed ${options.seed}, ${options.months} month${options.months === 1 ? '' : 's'} to ${options.today}, ` +
        `${options.businesses} businesses × scale ${options.scale}…`,
    );
    const generating = performance.now();
    const data = generateDemoData(options);
    const generatedIn = performance.now() - generating;
    const rows = totalRows(countRows(data));
    console.log(
      `Generated ${rows.toLocaleString('en-US')} rows in ${seconds(generatedIn)} ` +
        `(${perSecond(rows, generatedIn)}).`,
    );

    const loading = performance.now();
    const counts = await loadDemoData(database.db, data, {
      password: env.DEMO_PASSWORD,
      replaceExisting: flags.reset,
    });
    const loadedIn = performance.now() - loading;
    console.log(
      `Loaded into ${where} in ${seconds(loadedIn)} (${perSecond(rows, loadedIn)}, one transaction${flags.reset ? ', after deleting the existing data' : ''}):`,
    );
    printCounts(counts);
    console.log(`Done in ${seconds(performance.now() - started)}.`);
    console.log(
      `Sign in as john@plumbing.com (or any demo owner) with ${
        process.env.DEMO_PASSWORD
          ? 'the DEMO_PASSWORD you set'
          : `password ${DEFAULT_DEMO_PASSWORD}`
      }.`,
    );
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const code = (error as { code?: string }).code;
    console.error(`db:seed failed${code ? ` [${code}]` : ''}: ${(error as Error).message}`);
    process.exitCode = 1;
  },
);
