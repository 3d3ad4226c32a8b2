import { describe, expect, it, vi } from 'vitest';
import { createCoreProcess, type CoreChild } from './core-process.ts';
import type { MainToCore } from './process-wire.ts';
import type { SessionStore } from './session-store.ts';

type Port = { name: string };

/** A utility process stand-in: records what main posts, lets the test speak for the core. */
function fakeChild() {
  const posted: Array<{ message: MainToCore; transfer: Port[] | undefined }> = [];
  const listeners = {
    message: [] as Array<(m: unknown) => void>,
    exit: [] as Array<(c: number) => void>,
  };
  const child: CoreChild<Port> & { killed: boolean } = {
    killed: false,
    postMessage: (message, transfer) => posted.push({ message, transfer }),
    on: (event: 'message' | 'exit', listener: (value: never) => void) => {
      listeners[event].push(listener as never);
      return child;
    },
    kill: () => {
      child.killed = true;
      return true;
    },
  };
  return {
    child,
    posted,
    say: (message: unknown) => listeners.message.forEach((l) => l(message)),
    exit: (code: number) => listeners.exit.forEach((l) => l(code)),
  };
}

const start = {
  dataDir: '/tmp/fl',
  serverUrl: 'http://127.0.0.1:8787',
  deviceId: '5d2c7a9e-3b1f-4c8d-9e0a-1b2c3d4e5f60',
};

function memoryVault(): SessionStore & { saved: unknown } {
  const vault = {
    saved: null as unknown,
    persistent: true,
    load: () => Promise.resolve(vault.saved),
    save: (session: unknown) => {
      vault.saved = session;
      return Promise.resolve();
    },
    clear: () => {
      vault.saved = null;
      return Promise.resolve();
    },
  };
  return vault;
}

function setup(
  overrides: { vault?: SessionStore; restartDelaysMs?: number[]; now?: () => number } = {},
) {
  const children: Array<ReturnType<typeof fakeChild>> = [];
  const timers: Array<{ run: () => void; ms: number }> = [];
  const onEvent = vi.fn();
  const onAvailable = vi.fn();
  const onUnavailable = vi.fn();
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  let channels = 0;
  const core = createCoreProcess<Port>({
    fork: () => {
      const next = fakeChild();
      children.push(next);
      return next.child;
    },
    createChannel: () => {
      channels += 1;
      return { port1: { name: `core-${channels}` }, port2: { name: `renderer-${channels}` } };
    },
    start,
    vault: overrides.vault ?? memoryVault(),
    onEvent,
    onAvailable,
    onUnavailable,
    log,
    setTimeout: (run, ms) => timers.push({ run, ms }),
    ...(overrides.restartDelaysMs ? { restartDelaysMs: overrides.restartDelaysMs } : {}),
    ...(overrides.now ? { now: overrides.now } : {}),
  });
  core.start();
  return { core, children, timers, onEvent, onAvailable, onUnavailable, log };
}

describe('the core’s utility process, from main', () => {
  it('starts the core with its options and connects each renderer with its own channel', () => {
    const { core, children, onAvailable } = setup();
    const [first] = children;
    expect(first!.posted[0]).toEqual({
      message: { kind: 'start', options: start },
      transfer: undefined,
    });
    expect(onAvailable).toHaveBeenCalledOnce();
    const delivered: Port[] = [];
    expect(core.connect((port) => delivered.push(port))).toBe(true);
    expect(first!.posted[1]).toEqual({
      message: { kind: 'connect' },
      transfer: [{ name: 'core-1' }],
    });
    expect(delivered).toEqual([{ name: 'renderer-1' }]);
    first!.say({ kind: 'ready' });
    expect(core.state).toBe('running');
  });

  it('answers the vault requests (load, save, clear) with their ids', async () => {
    const vault = memoryVault();
    const { children } = setup({ vault });
    const child = children[0]!;
    const session = { refreshToken: 'secret' };
    child.say({ kind: 'vault:save', id: 1, session });
    await vi.waitFor(() =>
      expect(child.posted.at(-1)?.message).toEqual({ kind: 'vault:done', id: 1 }),
    );
    expect(vault.saved).toEqual(session);
    child.say({ kind: 'vault:load', id: 2 });
    await vi.waitFor(() =>
      expect(child.posted.at(-1)?.message).toEqual({ kind: 'vault:loaded', id: 2, session }),
    );
    child.say({ kind: 'vault:clear', id: 3 });
    await vi.waitFor(() =>
      expect(child.posted.at(-1)?.message).toEqual({ kind: 'vault:done', id: 3 }),
    );
    expect(vault.saved).toBeNull();
  });

  it('answers a failing vault with the error shape', async () => {
    const vault = { ...memoryVault(), save: () => Promise.reject(new Error('disk full')) };
    const { children } = setup({ vault });
    children[0]!.say({ kind: 'vault:save', id: 9, session: {} });
    await vi.waitFor(() =>
      expect(children[0]!.posted.at(-1)?.message).toEqual({
        kind: 'vault:failed',
        id: 9,
        error: { code: 'INTERNAL', message: 'disk full' },
      }),
    );
  });

  it('passes the core’s events on, validated, and drops malformed messages', () => {
    const { children, onEvent, log } = setup();
    const child = children[0]!;
    child.say({ kind: 'event', event: { type: 'badge', missedUnseen: 4 } });
    expect(onEvent).toHaveBeenCalledWith({ type: 'badge', missedUnseen: 4 });
    child.say({ kind: 'event', event: { type: 'alert', alert: { kind: 'fire' } } });
    child.say({ kind: 'vault:save' });
    child.say('hello');
    expect(onEvent).toHaveBeenCalledOnce();
    expect(log.warn).toHaveBeenCalledTimes(3);
  });

  it('starts a core that died again after a delay, and tells the renderers meanwhile', () => {
    const { core, children, timers, onUnavailable, onAvailable } = setup();
    children[0]!.exit(9);
    expect(core.state).toBe('restarting');
    expect(onUnavailable).toHaveBeenCalledWith('restarting', expect.any(String));
    expect(core.connect(() => {})).toBe(false);
    expect(timers).toHaveLength(1);
    expect(timers[0]!.ms).toBe(500);
    timers[0]!.run();
    expect(children).toHaveLength(2);
    expect(children[1]!.posted[0]!.message).toEqual({ kind: 'start', options: start });
    expect(onAvailable).toHaveBeenCalledTimes(2); // main reconnects the windows
  });

  it('gives up on a core that keeps dying', () => {
    let clock = 0;
    const { core, children, timers, onUnavailable, log } = setup({
      restartDelaysMs: [10, 20],
      now: () => clock,
    });
    for (let i = 0; i < 2; i++) {
      children.at(-1)!.exit(1);
      timers.at(-1)!.run();
    }
    children.at(-1)!.exit(1);
    expect(core.state).toBe('failed');
    expect(onUnavailable).toHaveBeenLastCalledWith(
      'failed',
      'The local core keeps stopping; restart Fieldline.',
    );
    expect(log.error).toHaveBeenCalledOnce();
    expect(children).toHaveLength(3);
    clock += 1; // (a long healthy run would have reset the count; see below)
  });

  it('forgives a crash after a long healthy run', () => {
    let clock = 0;
    const { children, timers } = setup({ restartDelaysMs: [10], now: () => clock });
    children.at(-1)!.exit(1);
    timers.at(-1)!.run();
    clock += 120_000;
    children.at(-1)!.exit(1);
    expect(timers).toHaveLength(2);
  });

  it('does not restart a core that failed to start, and says why', () => {
    const { core, children, timers, onUnavailable } = setup();
    children[0]!.say({
      kind: 'failed',
      error: { code: 'DATA_DIR_IN_USE', message: 'Another Fieldline uses this folder.' },
    });
    expect(children[0]!.child.killed).toBe(true);
    children[0]!.exit(1);
    expect(core.state).toBe('failed');
    expect(timers).toHaveLength(0);
    expect(onUnavailable).toHaveBeenCalledWith('failed', 'Another Fieldline uses this folder.');
  });

  it('stops cleanly: asks the core to close, resolves when it has', async () => {
    const { core, children, timers } = setup();
    const stopped = core.stop();
    expect(children[0]!.posted.at(-1)!.message).toEqual({ kind: 'shutdown' });
    children[0]!.say({ kind: 'closed' });
    await stopped;
    expect(core.state).toBe('stopped');
    expect(children[0]!.child.killed).toBe(true);
    children[0]!.exit(0);
    expect(timers.filter((t) => t.ms !== 5_000)).toHaveLength(0); // no restart after a stop
  });

  it('kills a core that does not close in time', async () => {
    const { core, children, timers } = setup();
    const stopped = core.stop(1_000);
    timers.find((t) => t.ms === 1_000)!.run();
    await stopped;
    expect(children[0]!.child.killed).toBe(true);
  });
});
