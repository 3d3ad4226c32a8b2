import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['{db,sync-server,agents,electron,renderer,tests}/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    // PGlite starts in ~1.5 s and a migrated template copy takes a moment: generous, not racy.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
