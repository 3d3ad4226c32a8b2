import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { MigrationFile } from '../../db/migration-files.ts';
import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import { createDesktopHost, type DesktopHost } from '../core/host.ts';
import type { SessionVault } from '../core/session-vault.ts';
import { type LoopbackShell, startLoopbackShell } from './loopback-server.ts';

export interface BrowserShellOptions {
  /** The desktop's folder (replicas, device id). */
  dataDir: string;
  rendererDir: string;
  serverUrl: string;
  vault: SessionVault;
  /** The port to try first; a taken one falls back to a free one. */
  port: number;
  token?: string;
  log: Logger;
  /** The replica's migrations, when this code runs bundled away from db/replica/migrations. */
  replicaMigrations?: MigrationFile[];
}

export interface BrowserShell {
  host: DesktopHost;
  shell: LoopbackShell;
  close(): Promise<void>;
}

/** This installation's id, made once and kept in the desktop's folder (it is not a secret). */
function deviceId(folder: string): string {
  const file = join(folder, 'device-id');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const id = randomUUID();
  writeFileSync(file, id);
  return id;
}

/**
 * The desktop without Electron: the local core (a DesktopHost) in this process, and the renderer
 * with the typed API on loopback. `npm start` and the launch benchmark both start it here.
 */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const { log } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const listeners = new Set<(event: DesktopEvent) => void>();
  const host = createDesktopHost({
    dataDir: options.dataDir,
    serverUrl: options.serverUrl,
    deviceId: deviceId(options.dataDir),
    deviceName: `Browser shell on ${hostname()}`,
    vault: options.vault,
    ...(options.replicaMigrations ? { replicaMigrations: options.replicaMigrations } : {}),
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    log: {
      error: (message, error) => log.error({ err: error }, message),
      slow: (channel, ms) => log.warn({ channel, ms: Math.round(ms) }, 'slow desktop API call'),
      warn: (message) => log.warn(message),
    },
  });
  const serve = (port: number) =>
    startLoopbackShell({
      host,
      subscribe: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      rendererDir: options.rendererDir,
      port,
      ...(options.token ? { token: options.token } : {}),
    });
  let shell: LoopbackShell;
  try {
    shell = await serve(options.port);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    log.warn(`port ${options.port} is taken; picking a free one`);
    shell = await serve(0);
  }
  // The address without its token: the log is no place for the secret.
  log.info({ origin: shell.origin, serverUrl: options.serverUrl }, 'browser shell listening');
  return {
    host,
    shell,
    close: async () => {
      await shell.close();
      await host.close();
    },
  };
}
