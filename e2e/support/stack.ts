import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type ServerProcess, spawnLogged } from '../../tests/support/server-process.ts';
import { adminDatabaseUrl, databaseUrlFor } from '../../tests/support/env.ts';

/**
 * The whole product for an end-to-end test, as real as on a user's machine: a PostgreSQL database
 * of the test's own, the sync server migrating it and loading the demo data (John's Plumbing), and
 * browser shells (one per desktop) — each a separate process, so the test can stop the server
 * under a desktop and start it again on the same address.
 */

export const DEMO_PASSWORD = 'demo-plumbing-2026';

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminDatabaseUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface SyncServer {
  url: string;
  port: number;
  process: ServerProcess;
  stop(): Promise<void>;
}

export interface Desktop {
  /** The page to open (origin and token). */
  url: string;
  origin: string;
  process: ServerProcess;
  stop(): Promise<void>;
}

export interface Stack {
  databaseUrl: string;
  folder: string;
  /** SQL straight to PostgreSQL (a change "made on the server"). */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  startServer(port?: number): Promise<SyncServer>;
  startDesktop(name: string, serverUrl: string): Promise<Desktop>;
  close(): Promise<void>;
}

/** How long a process gets to stop on SIGTERM before its whole group is killed. */
const STOP_GRACE_MS = 5_000;

/**
 * SIGTERM, then SIGKILL to the process group if it has not exited within STOP_GRACE_MS (a process
 * that ignores SIGTERM must not hang the run or outlive it); says so on stderr when it had to.
 */
async function stopProcess(child: ServerProcess, label = 'process'): Promise<void> {
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const stopped = await Promise.race([
    child.exited.then(() => true),
    new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), STOP_GRACE_MS))),
  ]);
  clearTimeout(timer);
  if (stopped) return;
  child.kill('SIGKILL');
  process.stderr.write(
    `e2e: ${label} did not exit within ${STOP_GRACE_MS} ms of SIGTERM; killed it\n`,
  );
  await child.exited;
}

/** Set by e2e/global-setup.ts: a database migrated and loaded with the demo data once per run. */
export const TEMPLATE_ENV = 'FL_E2E_TEMPLATE';

/**
 * Migrates and seeds `name` by running the sync server on it once (as `npm start` would), then
 * stops it: copies of it (CREATE DATABASE … TEMPLATE) take a second, where seeding takes many.
 */
export async function prepareTemplate(name: string, folder: string): Promise<void> {
  await admin(`CREATE DATABASE "${name}"`);
  const child = spawnLogged('node_modules/.bin/tsx', ['sync-server/main.ts'], {
    DATABASE_URL: databaseUrlFor(name),
    SEED_DEMO: 'true',
    DEMO_PASSWORD,
    DATA_DIR: folder,
    PORT: '0',
  });
  try {
    await child.waitForLog((l) => typeof l.url === 'string');
  } finally {
    await stopProcess(child);
  }
}

export const dropDatabase = (name: string) =>
  admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);

export async function createStack(): Promise<Stack> {
  const name = `fl_e2e_${randomBytes(5).toString('hex')}`;
  const template = process.env[TEMPLATE_ENV];
  await admin(
    template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`,
  );
  const databaseUrl = databaseUrlFor(name);
  const folder = mkdtempSync(join(tmpdir(), 'fl-e2e-'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const running = new Set<ServerProcess>();
  const labels = new Map<ServerProcess, string>();

  const stack: Stack = {
    databaseUrl,
    folder,
    async query<T extends Record<string, unknown>>(sql: string, params: unknown[] = []) {
      return (await client.query<T>(sql, params)).rows;
    },
    async startServer(port = 0) {
      const child = spawnLogged('node_modules/.bin/tsx', ['sync-server/main.ts'], {
        DATABASE_URL: databaseUrl,
        SEED_DEMO: 'true',
        DEMO_PASSWORD,
        DATA_DIR: join(folder, 'server'),
        PORT: String(port),
        LOG_LEVEL: 'info',
      });
      running.add(child);
      labels.set(child, 'sync server');
      const line = await child.waitForLog(
        (l) => l.msg === 'sync server listening on ' + String(l.url),
      );
      const url = String(line.url);
      return {
        url,
        port: Number(new URL(url).port),
        process: child,
        stop: async () => {
          await stopProcess(child, `sync server on port ${new URL(url).port}`);
          running.delete(child);
        },
      };
    },
    async startDesktop(desktop, serverUrl) {
      const token = randomBytes(24).toString('base64url');
      const child = spawnLogged('node_modules/.bin/tsx', ['electron/shell/start.ts'], {
        FIELDLINE_SERVER_URL: serverUrl,
        FIELDLINE_SHELL: 'browser',
        DESKTOP_PORT: '0',
        DESKTOP_TOKEN: token,
        DATA_DIR: join(folder, desktop),
      });
      running.add(child);
      labels.set(child, `browser shell "${desktop}"`);
      const line = await child.waitForLog((l) => l.msg === 'browser shell listening');
      const origin = String(line.origin);
      return {
        url: `${origin}/#token=${token}`,
        origin,
        process: child,
        stop: async () => {
          await stopProcess(child, `browser shell "${desktop}"`);
          running.delete(child);
        },
      };
    },
    async close() {
      await Promise.all([...running].map((child) => stopProcess(child, labels.get(child))));
      await client.end();
      await dropDatabase(name);
      rmSync(folder, { recursive: true, force: true });
    },
  };
  return stack;
}
