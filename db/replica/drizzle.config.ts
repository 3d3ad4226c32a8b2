import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` only diffs the schema against the committed snapshots: no database needed.
export default defineConfig({
  dialect: 'sqlite',
  schema: './db/replica/schema.ts',
  out: './db/replica/migrations',
  strict: true,
});
