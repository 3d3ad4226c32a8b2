import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import {
  storedSessionSchema,
  type SessionVault,
  type StoredSession,
} from '../core/session-vault.ts';
import type { Endpoint } from './bridge-client.ts';
import type { Log } from './log.ts';
import {
  eventsForMain,
  mainToCoreSchema,
  toWireError,
  type CoreStart,
  type CoreToMain,
  type WireError,
} from './process-wire.ts';
import { createRendererHub, type HostLike } from './renderer-hub.ts';

/**
 * What runs in the local core's utility process (electron/core/utility-entry.ts wires it to
 * `process.parentPort` and the real host). Pure plain Node, so tests drive it with fakes: it
 * starts the host when main says so, serves each renderer port main hands over, keeps the session
 * through main's vault, and sends main the events it acts on.
 */

/** A MessagePortMain as the utility process sees it (typed here: no `electron` import). */
export interface UtilityPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

/** Electron's `process.parentPort` in a utility process. */
export interface ParentPort {
  postMessage(message: unknown): void;
  on(
    event: 'message',
    listener: (message: { data: unknown; ports: UtilityPort[] }) => void,
  ): unknown;
}

export interface RuntimeHost extends HostLike {
  close(): Promise<void>;
}

export interface CoreRuntimeOptions {
  createHost: (
    options: CoreStart & { vault: SessionVault; emit: (event: DesktopEvent) => void },
  ) => RuntimeHost;
  exit: (code: number) => void;
  log: Log;
}

class VaultRefusal extends Error {
  constructor(
    readonly code: WireError['code'],
    message: string,
  ) {
    super(message);
  }
}

export function runCore(parent: ParentPort, options: CoreRuntimeOptions) {
  const { log } = options;
  const post = (message: CoreToMain) => parent.postMessage(message);

  let resolveHost!: (host: RuntimeHost) => void;
  let rejectHost!: (error: unknown) => void;
  const hostReady = new Promise<RuntimeHost>((resolve, reject) => {
    resolveHost = resolve;
    rejectHost = reject;
  });
  hostReady.catch(() => {}); // observed by the hub per request; not an unhandled rejection
  let started = false;
  const hub = createRendererHub(hostReady, log);

  // ── the vault, through main ──────────────────────────────────────────────────────────────
  let nextId = 1;
  const waiting = new Map<
    number,
    { resolve: (session: unknown) => void; reject: (e: Error) => void }
  >();
  const ask = (
    message:
      { kind: 'vault:load' | 'vault:clear' } | { kind: 'vault:save'; session: StoredSession },
  ) =>
    new Promise<unknown>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      post({ ...message, id });
    });
  const vault: SessionVault = {
    async load() {
      const session = await ask({ kind: 'vault:load' });
      if (session === null || session === undefined) return null;
      const parsed = storedSessionSchema.safeParse(session);
      if (parsed.success) return parsed.data;
      // A session of an older shape: start signed out rather than trust part of it.
      log.warn('the kept session has an unexpected shape; it is discarded');
      await ask({ kind: 'vault:clear' });
      return null;
    },
    async save(session) {
      await ask({ kind: 'vault:save', session: storedSessionSchema.parse(session) });
    },
    async clear() {
      await ask({ kind: 'vault:clear' });
    },
  };

  const emit = (event: DesktopEvent) => {
    hub.publish(event);
    if (eventsForMain.has(event.type)) post({ kind: 'event', event });
  };

  function connect(port: UtilityPort) {
    const endpoint: Endpoint = {
      send: (message) => port.postMessage(message),
      close: () => port.close(),
    };
    const handle = hub.connect(endpoint);
    port.on('message', (message) => handle(message.data));
    port.on('close', () => hub.disconnect(endpoint));
    port.start();
  }

  async function shutdown() {
    try {
      if (started) await (await hostReady).close();
    } catch (error) {
      log.error(`closing the local core failed: ${toWireError(error).message}`);
    }
    post({ kind: 'closed' });
    options.exit(0);
  }

  parent.on('message', ({ data, ports }) => {
    const parsed = mainToCoreSchema.safeParse(data);
    if (!parsed.success) {
      log.warn('dropped a malformed message from main');
      return;
    }
    const message = parsed.data;
    switch (message.kind) {
      case 'start': {
        if (started) return;
        started = true;
        try {
          const host = options.createHost({ ...message.options, vault, emit });
          resolveHost(host);
          post({ kind: 'ready' });
        } catch (error) {
          rejectHost(error);
          post({ kind: 'failed', error: toWireError(error) });
        }
        return;
      }
      case 'connect': {
        const port = ports[0];
        if (port) connect(port);
        else log.warn('a connect message came without its port');
        return;
      }
      case 'vault:loaded':
      case 'vault:done':
      case 'vault:failed': {
        const entry = waiting.get(message.id);
        if (!entry) return;
        waiting.delete(message.id);
        if (message.kind === 'vault:failed') {
          entry.reject(new VaultRefusal(message.error.code, message.error.message));
        } else {
          entry.resolve(message.kind === 'vault:loaded' ? message.session : undefined);
        }
        return;
      }
      case 'shutdown':
        void shutdown();
        return;
    }
  });

  return { hub };
}
