/**
 * The browser shell as `npm start` starts it, but signed in from a session given in the
 * environment (BENCH_SESSION, JSON) and pointing at a server that is not there: a field laptop
 * opening offline on a year or more of data. Used by bench/desktop-launch.bench.ts.
 */
import { pino } from 'pino';
import { memoryVault, storedSessionSchema } from '../../electron/core/session-vault.ts';
import { startBrowserShell } from '../../electron/shell/browser-shell.ts';

const session = storedSessionSchema.parse(JSON.parse(process.env.BENCH_SESSION ?? 'null'));
const desktop = await startBrowserShell({
  dataDir: process.env.BENCH_DATA_DIR ?? '',
  rendererDir: process.env.BENCH_RENDERER_DIR ?? '',
  serverUrl: session.serverUrl,
  vault: memoryVault(session),
  port: 0,
  token: process.env.BENCH_TOKEN ?? '',
  log: pino({ name: 'bench-shell' }),
});
process.once('SIGTERM', () => {
  void desktop.close().then(() => process.exit(0));
});
