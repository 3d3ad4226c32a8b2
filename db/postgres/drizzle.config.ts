import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` only diffs schema files against the committed snapshots: no database needed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/postgres/schema/index.ts',
  out: './db/postgres/migrations',
  strict: true,
});
