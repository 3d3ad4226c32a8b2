/**
 * `npm start`: the whole product on this machine. Starts the sync server (embedded PostgreSQL and
 * demo data unless DATABASE_URL says otherwise) — or uses one already answering — then opens the
 * desktop: the Electron window where the Electron binary is installed, otherwise the browser shell,
 * which serves the same renderer and typed API on 127.0.0.1 and prints the address to open.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { pino } from 'pino';
import { z } from 'zod';
import { memoryVault } from '../core/session-vault.ts';
import { installedElectron } from './electron-binary.ts';
import { startBrowserShell } from './browser-shell.ts';
import { buildRendererIfStale } from './renderer-build.ts';

const root = resolve(import.meta.dirname, '../..');

const envSchema = z.object({
  /** Use this sync server instead of starting one. */
  FIELDLINE_SERVER_URL: z.url().optional(),
  PORT: z.coerce.number().int().min(1).max(65_535).default(8787),
  /** The browser shell's port; 0 picks a free one. */
  DESKTOP_PORT: z.coerce.number().int().min(0).max(65_535).default(8788),
  DATA_DIR: z.string().min(1).default('.data'),
  /** `browser` forces the browser shell where Electron is installed too. */
  FIELDLINE_SHELL: z.enum(['auto', 'browser', 'electron']).default('auto'),
  LOG_LEVEL: z.string().default('info'),
  /** The loopback token, instead of a fresh random one (end-to-end tests open the page with it). */
  DESKTOP_TOKEN: z.string().min(24).optional(),
});

const log = pino({ name: 'desktop' });

/** How long Ctrl-C waits for the desktop and the sync server to close. */
const CLOSE_GRACE_MS = 10_000;

function env(): z.infer<typeof envSchema> {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    log.fatal(`npm start: ${z.prettifyError(parsed.error)}`);
    process.exit(1);
  }
  return parsed.data;
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/health`, { signal: AbortSignal.timeout(1_000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts `sync-server/main.ts` as a child and resolves with its address once it listens. */
function startSyncServer(port: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'sync-server/main.ts')], {
    cwd: root,
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolvePromise, reject) => {
    child.once('exit', (code) => reject(new Error(`the sync server exited (${code ?? 'signal'})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      const match = /sync server listening on (http:\/\/\S+?)"/.exec(line);
      if (match?.[1]) resolvePromise({ url: match[1], child });
    });
  });
}

/** The sync server this process started (stopped with it, on any exit). */
let server: ChildProcess | undefined;

async function main(): Promise<void> {
  const settings = env();
  let serverUrl = settings.FIELDLINE_SERVER_URL ?? `http://127.0.0.1:${settings.PORT}`;
  if (!settings.FIELDLINE_SERVER_URL) {
    if (await answers(serverUrl)) {
      log.info(`using the sync server already running at ${serverUrl}`);
    } else {
      const started = await startSyncServer(settings.PORT);
      server = started.child;
      serverUrl = started.url.replace('0.0.0.0', '127.0.0.1');
    }
  }
  const stopServer = () => {
    server?.kill('SIGINT');
  };

  const electron = settings.FIELDLINE_SHELL === 'browser' ? null : installedElectron(root);
  if (electron) {
    execFileSync(
      process.execPath,
      [join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'],
      {
        cwd: root,
        stdio: 'inherit',
      },
    );
    const app = spawn(electron, [root], {
      cwd: root,
      env: { ...process.env, FIELDLINE_SERVER_URL: serverUrl },
      stdio: 'inherit',
    });
    app.once('exit', () => stopServer());
    return;
  }
  if (settings.FIELDLINE_SHELL === 'electron') {
    log.warn('FIELDLINE_SHELL=electron, but the Electron binary is not installed here');
  }

  const rendererDir = await buildRendererIfStale(root);
  const desktop = await startBrowserShell({
    dataDir: resolve(root, settings.DATA_DIR, 'desktop'),
    rendererDir,
    serverUrl,
    // A loopback page has no keychain to seal a refresh token with: the session lasts while
    // this process runs, and the replica (with any edits waiting to sync) stays on disk.
    vault: memoryVault(),
    port: settings.DESKTOP_PORT,
    ...(settings.DESKTOP_TOKEN ? { token: settings.DESKTOP_TOKEN } : {}),
    log,
  });
  process.stdout.write(
    `\n  Fieldline is running (browser shell: the Electron binary is not installed here).\n` +
      `  Open ${desktop.shell.url}\n` +
      `  Sign in as dispatch@plumbing.com, john@plumbing.com or tech@plumbing.com ` +
      `(password demo-plumbing-2026 unless DEMO_PASSWORD was set).\n\n`,
  );

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Closing waits for the core to finish what is in flight; a stuck request must not keep a
    // stopped desktop (and its port) around. The outbox is on disk either way.
    setTimeout(() => {
      log.warn(`the desktop did not close within ${CLOSE_GRACE_MS} ms; exiting anyway`);
      server?.kill('SIGKILL');
      process.exit(1);
    }, CLOSE_GRACE_MS).unref();
    await desktop.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      stopServer();
      await exited;
    }
    // Closed cleanly; a retry timer of the core's must not keep a stopped desktop around.
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  server?.once('exit', () => void stop());
}

main().catch((error: unknown) => {
  log.fatal({ err: error }, 'npm start failed');
  server?.kill('SIGINT');
  process.exitCode = 1;
});
