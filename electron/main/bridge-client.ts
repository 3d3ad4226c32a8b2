import { z } from 'zod';
import type { ErrorCode } from '../../db/errors.ts';
import {
  isDesktopChannel,
  type DesktopBridge,
  type DesktopEvent,
  type DesktopResponse,
} from '../../db/wire/desktop-api.ts';
import {
  coreToRendererSchema,
  shellCommandSchema,
  type CommandEvent,
  type InvokeMessage,
} from './process-wire.ts';

/**
 * The renderer's side of the port to the core, as the preload runs it: requests carry an id and
 * their answers are matched by it; events fan out to `subscribe` listeners. Pure (no `electron`),
 * so it is tested under Node with a real MessageChannel.
 */

/** One end of a message port, whatever its kind (DOM MessagePort, MessagePortMain, a fake). */
export interface Endpoint {
  send(message: unknown): void;
  close(): void;
}

/** What main says about the renderer's link to the core, with each `fieldline:port` message. */
export const portNoticeSchema = z.discriminatedUnion('state', [
  /** `event.ports[0]` is a fresh port to the core. */
  z.object({ state: z.literal('connected') }),
  /** The core stopped and is being started again; a `connected` notice follows. */
  z.object({ state: z.literal('restarting') }),
  /** The core cannot run; calls are refused with this message until the app restarts. */
  z.object({ state: z.literal('failed'), message: z.string() }),
]);
export type PortNotice = z.infer<typeof portNoticeSchema>;

export type BridgeListener = (event: DesktopEvent | CommandEvent) => void;

export interface BridgeClient {
  /** What the preload exposes as `window.fieldline`. */
  readonly bridge: DesktopBridge;
  /** A port to the core arrived: calls go there from now on (calls made before it are sent). */
  attach(endpoint: Endpoint): void;
  /** The core is gone: calls in flight are refused; `failed` also refuses every later call. */
  detach(notice: Exclude<PortNotice, { state: 'connected' }>): void;
  /** A message from the core's port (validated here). */
  receive(data: unknown): void;
  /** A shell command from main (menu, notification click), validated here. */
  command(data: unknown): void;
}

const refused = (code: ErrorCode, message: string): DesktopResponse<unknown> => ({
  ok: false,
  error: { code, message },
});

/** The latest of these is replayed to a new subscriber: it describes the present state. */
const stateEvents = new Set<DesktopEvent['type']>(['session', 'sync', 'writes', 'badge']);

export function createBridgeClient(
  options: { warn?: (message: string) => void } = {},
): BridgeClient {
  const warn = options.warn ?? (() => {});
  let endpoint: Endpoint | null = null;
  let failure: string | null = null;
  let nextId = 1;
  /** Calls made while there is no port; sent on attach. */
  const queued: InvokeMessage[] = [];
  /** Calls sent over the current port, waiting for their answers. */
  const inFlight = new Map<number, (response: DesktopResponse<unknown>) => void>();
  /** Calls queued (not sent yet), by id, to resolve them when they are finally answered. */
  const waiting = new Map<number, (response: DesktopResponse<unknown>) => void>();
  const listeners = new Set<BridgeListener>();
  const latest = new Map<DesktopEvent['type'], DesktopEvent>();

  const dispatch = (event: DesktopEvent | CommandEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // One failing listener must not keep the event from the others.
        warn(`a desktop event listener threw: ${error instanceof Error ? error.message : 'error'}`);
      }
    }
  };

  const send = (message: InvokeMessage, resolve: (r: DesktopResponse<unknown>) => void) => {
    if (!endpoint) {
      queued.push(message);
      waiting.set(message.id, resolve);
      return;
    }
    inFlight.set(message.id, resolve);
    try {
      endpoint.send(message);
    } catch (error) {
      // Structured clone refuses functions, DOM nodes and the like: the arguments were not data.
      inFlight.delete(message.id);
      resolve(
        refused(
          'VALIDATION_FAILED',
          `The arguments of "${message.channel}" cannot be sent: ${error instanceof Error ? error.message : 'not plain data'}.`,
        ),
      );
    }
  };

  const failInFlight = (message: string) => {
    for (const resolve of inFlight.values()) resolve(refused('INTERNAL', message));
    inFlight.clear();
  };

  const bridge: DesktopBridge = {
    invoke(channel, args) {
      if (!isDesktopChannel(channel)) {
        return Promise.resolve(
          refused(
            'VALIDATION_FAILED',
            `There is no desktop API call named ${JSON.stringify(String(channel))}.`,
          ),
        );
      }
      if (!Array.isArray(args)) {
        return Promise.resolve(
          refused('VALIDATION_FAILED', `The arguments of "${channel}" must be an array.`),
        );
      }
      if (failure !== null) return Promise.resolve(refused('INTERNAL', failure));
      const values: unknown[] = Array.from(args as readonly unknown[]);
      const message: InvokeMessage = { kind: 'invoke', id: nextId++, channel, args: values };
      return new Promise((resolve) => send(message, resolve));
    },
    subscribe(listener) {
      if (typeof listener !== 'function') throw new TypeError('subscribe expects a function');
      const typed = listener;
      listeners.add(typed);
      // The present state, for a renderer that subscribes after the core's snapshot arrived.
      const replay = [...latest.values()];
      queueMicrotask(() => {
        for (const event of replay) if (listeners.has(typed)) typed(event);
      });
      return () => {
        listeners.delete(typed);
      };
    },
  };

  return {
    bridge,
    attach(next) {
      if (endpoint) {
        failInFlight('The local core restarted before answering; try again.');
        endpoint.close();
      }
      endpoint = next;
      failure = null;
      const pending = queued.splice(0);
      for (const message of pending) {
        const resolve = waiting.get(message.id);
        waiting.delete(message.id);
        if (resolve) send(message, resolve);
      }
    },
    detach(notice) {
      if (endpoint) {
        endpoint.close();
        endpoint = null;
      }
      if (notice.state === 'failed') {
        failure = notice.message;
        failInFlight(notice.message);
        for (const resolve of waiting.values()) resolve(refused('INTERNAL', notice.message));
        waiting.clear();
        queued.length = 0;
      } else {
        failInFlight('The local core stopped before answering; it is restarting, try again.');
      }
    },
    receive(data) {
      const parsed = coreToRendererSchema.safeParse(data);
      if (!parsed.success) {
        warn('dropped a malformed message from the local core');
        return;
      }
      const message = parsed.data;
      if (message.kind === 'answer') {
        const resolve = inFlight.get(message.id);
        if (!resolve) return; // answered after a restart already refused it
        inFlight.delete(message.id);
        resolve(message.response);
        return;
      }
      const event = message.event;
      if (stateEvents.has(event.type)) latest.set(event.type, event);
      dispatch(event);
    },
    command(data) {
      const parsed = shellCommandSchema.safeParse(data);
      if (!parsed.success) {
        warn('dropped a malformed shell command');
        return;
      }
      dispatch({ type: 'command', command: parsed.data });
    },
  };
}
