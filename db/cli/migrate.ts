import { databaseEnvSchema, databaseTargetFromEnv, openDatabase } from '../postgres/client.ts';
import { migratePostgres } from '../postgres/migrate.ts';

/** `npm run db:migrate`: brings DATABASE_URL (or the embedded database in DATA_DIR) up to date. */
const env = databaseEnvSchema.safeParse(process.env);
if (!env.success) {
  const problems = env.error.issues.map((issue) => `${issue.path.join('.')} ${issue.message}`);
  console.error(`Invalid environment [CONFIG_INVALID]: ${problems.join('; ')}`);
  process.exit(2);
}
const target = databaseTargetFromEnv(env.data);
const where =
  target.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${target.dataDir}`;
try {
  const database = await openDatabase(target);
  try {
    const { applied, alreadyApplied } = await migratePostgres(database.db);
    console.log(
      applied.length
        ? `Applied ${applied.length} migration(s) to ${where}: ${applied.join(', ')}`
        : `${where} is up to date (${alreadyApplied} migrations applied earlier).`,
    );
  } finally {
    await database.close();
  }
} catch (error) {
  const code = (error as { code?: string }).code;
  console.error(
    `Migration of ${where} failed${code ? ` [${code}]` : ''}: ${(error as Error).message}`,
  );
  process.exitCode = 1;
}
