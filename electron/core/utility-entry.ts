/**
 * The local core's process: Electron starts this file with `utilityProcess.fork` (see
 * electron/main/main-app.ts). It is plain Node — no `electron` import — and talks to main over
 * `process.parentPort` and to each renderer over the MessagePort main hands it (the renderer's
 * calls never pass through main's JavaScript). All of the logic is in electron/main/core-runtime.ts,
 * tested under Node; this file only wires it to the real process and host.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readMigrationFiles } from '../../db/migration-files.ts';
import { runCore, type ParentPort } from '../main/core-runtime.ts';
import { createLog } from '../main/log.ts';
import { createDesktopHost } from './host.ts';

const log = createLog('core');
const parentPort = (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort;

if (!parentPort) {
  log.error('electron/core/utility-entry runs in an Electron utility process only');
  process.exit(1);
} else {
  // The built app carries the replica's migrations next to this file (electron.vite.config.ts
  // copies them); run from the sources, the host finds them in db/replica itself.
  const bundledMigrations = join(dirname(fileURLToPath(import.meta.url)), 'replica-migrations');
  const replicaMigrations = existsSync(bundledMigrations)
    ? readMigrationFiles(bundledMigrations)
    : undefined;

  runCore(parentPort, {
    log,
    exit: (code) => process.exit(code),
    createHost: ({ dataDir, serverUrl, deviceId, vault, emit }) =>
      createDesktopHost({
        dataDir,
        serverUrl,
        deviceId,
        vault,
        emit,
        ...(replicaMigrations ? { replicaMigrations } : {}),
        log: {
          warn: (message) => log.warn(message),
          error: (message, error) =>
            log.error(
              `${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
            ),
          slow: (channel, ms) => log.info(`slow call ${channel}: ${Math.round(ms)} ms`),
        },
      }),
  });
}
