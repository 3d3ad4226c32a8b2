/**
 * The browser shell as `npm start` starts it, but signed in from a session given in the
 * environment (BENCH_SESSION, JSON) and pointing at a server that is not there: a field laptop
 * opening offline on a year or more of data. Used by bench/desktop-launch.bench.ts.
 */
const importsStarted = performance.now();
const { pino } = await import('pino');
const { memoryVault, storedSessionSchema } = await import('../../electron/core/session-vault.ts');
const { startBrowserShell } = await import('../../electron/shell/browser-shell.ts');
const { readMigrationFiles } = await import('../../db/migration-files.ts');
const importsMs = performance.now() - importsStarted;

const session = storedSessionSchema.parse(JSON.parse(process.env.BENCH_SESSION ?? 'null'));
const desktop = await startBrowserShell({
  dataDir: process.env.BENCH_DATA_DIR ?? '',
  rendererDir: process.env.BENCH_RENDERER_DIR ?? '',
  serverUrl: session.serverUrl,
  vault: memoryVault(session),
  port: 0,
  token: process.env.BENCH_TOKEN ?? '',
  log: pino({ name: 'bench-shell' }),
  // Bundled (as Electron runs the core), the migrations are not next to the code.
  ...(process.env.BENCH_MIGRATIONS_DIR
    ? { replicaMigrations: readMigrationFiles(process.env.BENCH_MIGRATIONS_DIR) }
    : {}),
});
await desktop.host.ready;
pino({ name: 'bench-shell' }).info(
  { uptimeMs: Math.round(process.uptime() * 1000), importsMs: Math.round(importsMs) },
  'listening and the kept session open',
);
process.once('SIGTERM', () => {
  void desktop.close().then(() => process.exit(0));
});
