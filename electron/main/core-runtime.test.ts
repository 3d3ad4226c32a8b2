import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import type { SessionVault } from '../core/session-vault.ts';
import { runCore, type ParentPort, type RuntimeHost, type UtilityPort } from './core-runtime.ts';

const stored = {
  serverUrl: 'http://127.0.0.1:8787',
  refreshToken: 'rt_secret',
  member: {
    id: '0f8e7d6c-5b4a-4392-8817-161514131211',
    email: 'dee@acme.example',
    name: 'Dee',
    role: 'owner',
  },
  business: {
    id: '1a2b3c4d-5e6f-4a0b-8c1d-2e3f4a5b6c7d',
    name: 'Acme Plumbing',
    status: 'active',
    primaryPhone: '+15551234567',
  },
};
const start = {
  dataDir: '/tmp/fl',
  serverUrl: 'http://127.0.0.1:8787',
  deviceId: '5d2c7a9e-3b1f-4c8d-9e0a-1b2c3d4e5f60',
};

/** main, as the utility process sees it through process.parentPort. */
function fakeParent() {
  const toMain: Array<Record<string, unknown>> = [];
  let listener: ((message: { data: unknown; ports: UtilityPort[] }) => void) | undefined;
  const parent: ParentPort = {
    postMessage: (message) => toMain.push(message as Record<string, unknown>),
    on: (_event, l) => {
      listener = l;
    },
  };
  return {
    parent,
    toMain,
    send: (data: unknown, ports: UtilityPort[] = []) => listener?.({ data, ports }),
  };
}

/** A Node MessagePort dressed as Electron's MessagePortMain (its 'message' event has `.data`). */
const opened: MessagePort[] = [];
function utilityPort(port: MessagePort): UtilityPort {
  opened.push(port);
  return {
    postMessage: (message) => port.postMessage(message),
    on: (event: 'message' | 'close', listener: (message: { data: unknown }) => void) =>
      event === 'message'
        ? port.on('message', (data) => listener({ data }))
        : port.on('close', listener as () => void),
    start: () => port.start(),
    close: () => port.close(),
  };
}
afterEach(() => {
  for (const port of opened.splice(0)) port.close();
});

function setup(host?: Partial<RuntimeHost>) {
  const main = fakeParent();
  const exit = vi.fn();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  let given: { vault: SessionVault; emit: (event: DesktopEvent) => void } | undefined;
  const invoke = vi.fn(() => Promise.resolve({ ok: true as const, value: 'pong' }));
  const close = vi.fn(() => Promise.resolve());
  const fullHost: RuntimeHost = {
    invoke,
    snapshot: () => [{ type: 'session', session: { signedIn: false, serverUrl: start.serverUrl } }],
    close,
    ...host,
  };
  const createHost = vi.fn(
    (options: typeof start & { vault: SessionVault; emit: (event: DesktopEvent) => void }) => {
      given = options;
      return fullHost;
    },
  );
  runCore(main.parent, { createHost, exit, log });
  return { main, exit, log, createHost, invoke, close, given: () => given! };
}

describe('the core’s utility process', () => {
  it('starts the host with main’s options once, and says ready', () => {
    const { main, createHost } = setup();
    main.send({ kind: 'start', options: start });
    main.send({ kind: 'start', options: start });
    expect(createHost).toHaveBeenCalledOnce();
    expect(createHost.mock.calls[0]![0]).toMatchObject(start);
    expect(main.toMain).toEqual([{ kind: 'ready' }]);
  });

  it('reports a host that cannot start as failed', () => {
    const main = fakeParent();
    runCore(main.parent, {
      createHost: () => {
        throw Object.assign(new Error('Another Fieldline uses this folder.'), {
          code: 'DATA_DIR_IN_USE',
        });
      },
      exit: vi.fn(),
      log: { info: vi.fn(), warn: vi.fn(), error: vi.fn() },
    });
    main.send({ kind: 'start', options: start });
    expect(main.toMain).toEqual([
      {
        kind: 'failed',
        error: { code: 'DATA_DIR_IN_USE', message: 'Another Fieldline uses this folder.' },
      },
    ]);
  });

  it('keeps the session through main’s vault, validated both ways', async () => {
    const { main, given } = setup();
    main.send({ kind: 'start', options: start });
    const { vault } = given();

    const loading = vault.load();
    const load = main.toMain.at(-1)!;
    expect(load).toEqual({ kind: 'vault:load', id: 1 });
    main.send({ kind: 'vault:loaded', id: 1, session: stored });
    await expect(loading).resolves.toEqual(stored);

    const saving = vault.save(stored as never);
    expect(main.toMain.at(-1)).toEqual({ kind: 'vault:save', id: 2, session: stored });
    main.send({ kind: 'vault:done', id: 2 });
    await saving;

    const failing = vault.clear();
    main.send({ kind: 'vault:failed', id: 3, error: { code: 'INTERNAL', message: 'disk full' } });
    await expect(failing).rejects.toThrow('disk full');

    // A stored session of another shape is discarded (and cleared), not trusted in part.
    const odd = vault.load();
    main.send({ kind: 'vault:loaded', id: 4, session: { refreshToken: 'x' } });
    await vi.waitFor(() => expect(main.toMain.at(-1)).toEqual({ kind: 'vault:clear', id: 5 }));
    main.send({ kind: 'vault:done', id: 5 });
    await expect(odd).resolves.toBeNull();

    const nothing = vault.load();
    main.send({ kind: 'vault:loaded', id: 6, session: null });
    await expect(nothing).resolves.toBeNull();
  });

  it('serves a renderer port main hands over: snapshot first, then answers', async () => {
    const { main, invoke } = setup();
    const { port1, port2 } = new MessageChannel();
    opened.push(port2);
    main.send({ kind: 'connect' }, [utilityPort(port1)]); // before start: waits for the host
    const received: unknown[] = [];
    port2.on('message', (m) => received.push(m));
    port2.postMessage({ kind: 'invoke', id: 1, channel: 'session:get', args: [] });
    main.send({ kind: 'start', options: start });
    await vi.waitFor(() => expect(received).toHaveLength(2));
    expect(received).toEqual([
      {
        kind: 'event',
        event: { type: 'session', session: { signedIn: false, serverUrl: start.serverUrl } },
      },
      { kind: 'answer', id: 1, response: { ok: true, value: 'pong' } },
    ]);
    expect(invoke).toHaveBeenCalledWith('session:get', []);
  });

  it('sends every event to the renderers, and alerts and badges to main as well', async () => {
    const { main, given } = setup();
    main.send({ kind: 'start', options: start });
    const { port1, port2 } = new MessageChannel();
    opened.push(port2);
    main.send({ kind: 'connect' }, [utilityPort(port1)]);
    const received: Array<{ kind: string; event?: DesktopEvent }> = [];
    port2.on('message', (m: { kind: string; event?: DesktopEvent }) => received.push(m));
    await vi.waitFor(() => expect(received).toHaveLength(1)); // the snapshot
    const alert: DesktopEvent = {
      type: 'alert',
      alert: {
        kind: 'missed_call',
        leadId: null,
        title: 'Missed call',
        body: '(555) 123-4567',
        at: '2026-11-28T07:00:00.000Z',
      },
    };
    given().emit({ type: 'changed', tables: ['leads'] });
    given().emit(alert);
    given().emit({ type: 'badge', missedUnseen: 1 });
    await vi.waitFor(() => expect(received.filter((m) => m.kind === 'event')).toHaveLength(4));
    expect(received.map((m) => m.event?.type)).toEqual(['session', 'changed', 'alert', 'badge']);
    expect(main.toMain.filter((m) => m.kind === 'event')).toEqual([
      { kind: 'event', event: alert },
      { kind: 'event', event: { type: 'badge', missedUnseen: 1 } },
    ]);
  });

  it('closes the host on shutdown, tells main, and exits', async () => {
    const { main, close, exit } = setup();
    main.send({ kind: 'start', options: start });
    main.send({ kind: 'shutdown' });
    await vi.waitFor(() => expect(exit).toHaveBeenCalledWith(0));
    expect(close).toHaveBeenCalledOnce();
    expect(main.toMain.at(-1)).toEqual({ kind: 'closed' });
  });

  it('drops malformed messages from main', () => {
    const { main, log, createHost } = setup();
    main.send({ kind: 'start', options: { ...start, serverUrl: 'file:///etc' } });
    main.send({ kind: 'connect' });
    main.send(42);
    expect(createHost).not.toHaveBeenCalled();
    expect(log.warn).toHaveBeenCalledTimes(3);
  });
});
