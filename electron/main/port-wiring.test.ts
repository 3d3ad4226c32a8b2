import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DesktopEvent, DesktopResponse } from '../../db/wire/desktop-api.ts';
import { createBridgeClient, type BridgeListener, type Endpoint } from './bridge-client.ts';
import { createRendererHub, type HostLike } from './renderer-hub.ts';

/** The renderer's end and the core's end of one real MessageChannel (structured clone and all). */
const ports: MessagePort[] = [];
function wire(host: HostLike | Promise<HostLike>) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  const hub = createRendererHub(Promise.resolve(host), { warn: vi.fn() });
  const coreEnd: Endpoint = { send: (m) => port2.postMessage(m), close: () => port2.close() };
  const handle = hub.connect(coreEnd);
  port2.on('message', (data) => handle(data));
  const client = createBridgeClient();
  const rendererEnd: Endpoint = { send: (m) => port1.postMessage(m), close: () => port1.close() };
  port1.on('message', (data) => client.receive(data));
  return { hub, client, rendererEnd, coreEnd };
}
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

const session = {
  type: 'session',
  session: { signedIn: false, serverUrl: 'http://127.0.0.1:8787' },
} as const;

const ok = (value: unknown): Promise<DesktopResponse<unknown>> =>
  Promise.resolve({ ok: true, value });

/** A host whose `calls` mock records each invoke. */
function fakeHost(
  answer: (channel: string, args: unknown) => Promise<DesktopResponse<unknown>>,
  snapshot: DesktopEvent[] = [],
) {
  const calls = vi.fn(answer);
  const host: HostLike = { invoke: calls, snapshot: () => snapshot };
  return Object.assign(host, { calls });
}

describe('renderer ⇄ core port', () => {
  it('matches answers to requests by id, whatever order they come back in', async () => {
    const host = fakeHost(async (channel) => {
      // The first call answers last.
      await new Promise((resolve) => setTimeout(resolve, channel === 'sync:status' ? 30 : 1));
      return { ok: true, value: channel };
    });
    const { client, rendererEnd } = wire(host);
    client.attach(rendererEnd);
    const slow = client.bridge.invoke('sync:status', []);
    const fast = client.bridge.invoke('writes:status', []);
    const order: string[] = [];
    await Promise.all([
      slow.then((r) => order.push(`slow:${JSON.stringify(r)}`)),
      fast.then((r) => order.push(`fast:${JSON.stringify(r)}`)),
    ]);
    expect(order).toEqual([
      'fast:{"ok":true,"value":"writes:status"}',
      'slow:{"ok":true,"value":"sync:status"}',
    ]);
    expect(host.calls).toHaveBeenCalledWith('sync:status', []);
  });

  it('refuses an unknown channel in the preload, without a round trip', async () => {
    const host = fakeHost(() => ok(null));
    const { client, rendererEnd } = wire(host);
    client.attach(rendererEnd);
    await expect(client.bridge.invoke('fs:readFile', ['/etc/passwd'])).resolves.toEqual({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'There is no desktop API call named "fs:readFile".',
      },
    });
    // Prototype keys are not channels either.
    await expect(client.bridge.invoke('constructor', [])).resolves.toMatchObject({ ok: false });
    expect(host.calls).not.toHaveBeenCalled();
  });

  it('refuses an unknown channel in the core too (a renderer that skips the preload)', async () => {
    const host = fakeHost(() => ok(null));
    const { rendererEnd } = wire(host);
    const answers: unknown[] = [];
    const port = ports.at(-2)!;
    port.removeAllListeners('message');
    port.on('message', (m) => answers.push(m));
    rendererEnd.send({ kind: 'invoke', id: 7, channel: '__proto__', args: [] });
    rendererEnd.send({ kind: 'invoke', id: 8, channel: 'session:get', args: 'not an array' });
    rendererEnd.send({ hello: 'world' });
    await vi.waitFor(() => expect(answers).toHaveLength(2));
    expect(answers).toEqual([
      {
        kind: 'answer',
        id: 7,
        response: {
          ok: false,
          error: {
            code: 'VALIDATION_FAILED',
            message: 'There is no desktop API call named "__proto__".',
          },
        },
      },
      {
        kind: 'answer',
        id: 8,
        response: {
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: 'Malformed request to the local core.' },
        },
      },
    ]);
    expect(host.calls).not.toHaveBeenCalled();
  });

  it('answers a host that throws with the one error shape', async () => {
    const host = fakeHost(() => Promise.reject(new Error('disk on fire')));
    const { client, rendererEnd } = wire(host);
    client.attach(rendererEnd);
    await expect(client.bridge.invoke('session:get', [])).resolves.toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'disk on fire' },
    });
  });

  it('holds calls made before the port arrives and sends them when it does', async () => {
    const host = fakeHost(() => ok('late'));
    const { client, rendererEnd } = wire(host);
    const early = client.bridge.invoke('session:get', []);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(host.calls).not.toHaveBeenCalled();
    client.attach(rendererEnd);
    await expect(early).resolves.toEqual({ ok: true, value: 'late' });
  });

  it('refuses arguments that cannot be cloned, and non-array arguments', async () => {
    const host = fakeHost(() => ok(null));
    const { client, rendererEnd } = wire(host);
    client.attach(rendererEnd);
    await expect(client.bridge.invoke('leads:get', [{ id: () => 1 }])).resolves.toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    await expect(
      client.bridge.invoke('leads:get', 'x' as unknown as unknown[]),
    ).resolves.toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('sends a new renderer the current state, then every event, validated', async () => {
    const host = fakeHost(() => ok(null), [session]);
    const { client, rendererEnd, hub } = wire(host);
    client.attach(rendererEnd);
    const seen: unknown[] = [];
    client.bridge.subscribe((event) => seen.push(event));
    await vi.waitFor(() => expect(seen).toEqual([session]));
    hub.publish({ type: 'badge', missedUnseen: 3 });
    await vi.waitFor(() => expect(seen).toHaveLength(2));
    expect(seen[1]).toEqual({ type: 'badge', missedUnseen: 3 });
    // Malformed events from the port are dropped, not passed on.
    client.receive({ kind: 'event', event: { type: 'badge', missedUnseen: -1 } });
    client.receive({ kind: 'answer', id: 'x' });
    expect(seen).toHaveLength(2);
  });

  it('replays the present state to a late subscriber, and unsubscribes', async () => {
    const client = createBridgeClient();
    client.receive({ kind: 'event', event: session });
    client.receive({ kind: 'event', event: { type: 'badge', missedUnseen: 2 } });
    client.receive({ kind: 'event', event: { type: 'changed', tables: ['leads'] } });
    const late: unknown[] = [];
    const off = client.bridge.subscribe((event) => late.push(event));
    await Promise.resolve();
    // State events only: a past "changed" is not news.
    expect(late).toEqual([session, { type: 'badge', missedUnseen: 2 }]);
    off();
    client.receive({ kind: 'event', event: { type: 'badge', missedUnseen: 0 } });
    expect(late).toHaveLength(2);
  });

  it('keeps delivering to the others when one listener throws', () => {
    const warn = vi.fn();
    const client = createBridgeClient({ warn });
    const good: unknown[] = [];
    client.bridge.subscribe(() => {
      throw new Error('bad listener');
    });
    client.bridge.subscribe((event) => good.push(event));
    client.receive({ kind: 'event', event: { type: 'badge', missedUnseen: 1 } });
    expect(good).toHaveLength(1);
    expect(warn).toHaveBeenCalledOnce();
  });

  it('refuses calls in flight when the core restarts, and serves the next port', async () => {
    const stuck = fakeHost(() => new Promise(() => {}));
    const first = wire(stuck);
    first.client.attach(first.rendererEnd);
    const lost = first.client.bridge.invoke('session:get', []);
    await vi.waitFor(() => expect(stuck.calls).toHaveBeenCalled());
    first.client.detach({ state: 'restarting' });
    await expect(lost).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });

    // Calls made while restarting wait for the next port.
    const waiting = first.client.bridge.invoke('session:get', []);
    const healthy = fakeHost(() => ok('again'));
    const second = wire(healthy);
    // The new channel's renderer end now feeds the first client (as a new port would).
    const rendererPort = ports.at(-2)!;
    rendererPort.removeAllListeners('message');
    rendererPort.on('message', (data) => first.client.receive(data));
    first.client.attach(second.rendererEnd);
    await expect(waiting).resolves.toEqual({ ok: true, value: 'again' });
  });

  it('refuses every call once the core has failed for good', async () => {
    const client = createBridgeClient();
    const queued = client.bridge.invoke('session:get', []);
    client.detach({
      state: 'failed',
      message: 'The local core keeps stopping; restart Fieldline.',
    });
    const expected = {
      ok: false,
      error: { code: 'INTERNAL', message: 'The local core keeps stopping; restart Fieldline.' },
    };
    await expect(queued).resolves.toEqual(expected);
    await expect(client.bridge.invoke('session:get', [])).resolves.toEqual(expected);
  });

  it('passes shell commands on as command events, and only valid ones', () => {
    const client = createBridgeClient();
    const seen: Parameters<BridgeListener>[0][] = [];
    client.bridge.subscribe((event) => seen.push(event));
    const leadId = '0b5f1c1e-8f7e-4d7c-9a39-1f2e3d4c5b6a';
    client.command({ type: 'open-lead', leadId });
    client.command({ type: 'navigate', screen: 'calls' });
    client.command({ type: 'open-lead', leadId: 'javascript:alert(1)' });
    client.command({ type: 'navigate', screen: 'settings' });
    expect(seen).toEqual([
      { type: 'command', command: { type: 'open-lead', leadId } },
      { type: 'command', command: { type: 'navigate', screen: 'calls' } },
    ]);
  });

  it('stops sending to a renderer that disconnected', () => {
    const host = fakeHost(() => ok(null));
    const { hub, coreEnd } = wire(host);
    expect(hub.size).toBe(1);
    hub.disconnect(coreEnd);
    expect(hub.size).toBe(0);
    expect(() => hub.publish({ type: 'badge', missedUnseen: 1 })).not.toThrow();
  });
});

describe('event order for a new renderer', () => {
  it('sends no live event before the snapshot', async () => {
    let resolveHost!: (host: HostLike) => void;
    const host = new Promise<HostLike>((resolve) => (resolveHost = resolve));
    const hub = createRendererHub(host, { warn: vi.fn() });
    const sent: unknown[] = [];
    hub.connect({ send: (m) => sent.push(m), close: () => {} });
    hub.publish({ type: 'changed', tables: ['leads'] }); // before the host is up: not for it yet
    resolveHost(fakeHost(() => ok(null), [session]));
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    hub.publish({ type: 'badge', missedUnseen: 1 });
    expect(sent).toEqual([
      { kind: 'event', event: session },
      { kind: 'event', event: { type: 'badge', missedUnseen: 1 } },
    ]);
  });
});
