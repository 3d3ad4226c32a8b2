import { createServer } from 'node:net';
import type { ServerProcess } from '../tests/support/server-process.ts';

/** A loopback port nothing listens on now, for a server process the bench starts. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Until `readyUrl` answers 2xx; fails with the process's stderr if it exits first. */
export async function waitReady(readyUrl: string, server: ServerProcess): Promise<void> {
  for (;;) {
    const ready = await fetch(readyUrl).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    if (server.child.exitCode !== null) throw new Error(`server exited: ${server.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
