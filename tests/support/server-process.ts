import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';

export interface ServerProcess {
  child: ChildProcessWithoutNullStreams;
  /** Structured log lines seen so far. */
  logs: Record<string, unknown>[];
  /** Resolves with the first log line the predicate accepts (or rejects if the process exits). */
  waitForLog(
    predicate: (line: Record<string, unknown>) => boolean,
  ): Promise<Record<string, unknown>>;
  stderr(): string;
  exited: Promise<number | null>;
  /**
   * Signals the server's whole process group. `tsx` runs the server in a child process of its own
   * and relays SIGTERM to it, but SIGKILL cannot be relayed: killing only `child` would leave the
   * server running, orphaned.
   */
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts the sync server exactly as `npm start` does, with the given environment; `compiled` runs
 * the `npm run build` output instead (as deployed: no TypeScript loader in the process).
 */
export function startServer(
  env: Record<string, string>,
  options: { compiled?: boolean } = {},
): ServerProcess {
  const [command, args] = options.compiled
    ? [process.execPath, ['dist/sync-server/main.js']]
    : ['node_modules/.bin/tsx', ['sync-server/main.ts']];
  return spawnLogged(command, args, env);
}

/**
 * Runs a process that logs one JSON object per stdout line (the sync server, a desktop's local
 * core in tests/support/desktop-process.ts), with the given environment, in its own process group.
 */
export function spawnLogged(
  command: string,
  args: string[],
  env: Record<string, string>,
): ServerProcess {
  const child = spawn(command, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    // Its own process group, so that kill() reaches tsx's child as well.
    detached: true,
  });
  const logs: Record<string, unknown>[] = [];
  const waiters: {
    predicate: (l: Record<string, unknown>) => boolean;
    resolve: (l: Record<string, unknown>) => void;
  }[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    logs.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  return {
    child,
    logs,
    stderr: () => stderr,
    exited,
    kill: (signal) => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    },
    waitForLog: (predicate) => {
      const seen = logs.find(predicate);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<Record<string, unknown>>((resolve) => waiters.push({ predicate, resolve })),
        exited.then((code) => {
          throw new Error(`server exited (${code}) before the awaited log line:\n${stderr}`);
        }),
      ]);
    },
  };
}

export const listeningUrl = async (server: ServerProcess): Promise<string> => {
  const line = await server.waitForLog((l) => typeof l.url === 'string');
  return line.url as string;
};
