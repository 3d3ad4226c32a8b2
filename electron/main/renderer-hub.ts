import {
  isDesktopChannel,
  type DesktopEvent,
  type DesktopResponse,
} from '../../db/wire/desktop-api.ts';
import type { Endpoint } from './bridge-client.ts';
import {
  invokeMessageSchema,
  toWireError,
  type AnswerMessage,
  type EventMessage,
} from './process-wire.ts';

/**
 * The core's side of the renderers' ports, as the utility process runs it (electron/core/
 * utility-entry.ts): every request is answered on the port it came from, with its id; every core
 * event goes to every connected renderer. Pure, so it is tested under Node.
 */

/** What the hub needs of the desktop host (electron/core/host.ts). */
export interface HostLike {
  invoke(channel: string, args: unknown): Promise<DesktopResponse<unknown>>;
  snapshot(): DesktopEvent[];
}

export interface RendererHub {
  /** A renderer's port: sends it the current state, then serves it. Returns its message handler. */
  connect(endpoint: Endpoint): (data: unknown) => void;
  disconnect(endpoint: Endpoint): void;
  publish(event: DesktopEvent): void;
  readonly size: number;
}

export function createRendererHub(
  host: Promise<HostLike>,
  log: { warn(message: string): void },
): RendererHub {
  /** Connected renderers: their requests are answered. */
  const endpoints = new Set<Endpoint>();
  /**
   * Renderers that have their snapshot: only they get live events, so a renderer never sees an
   * event before the state it applies to.
   */
  const live = new Set<Endpoint>();

  const post = (endpoint: Endpoint, message: AnswerMessage | EventMessage) => {
    if (!endpoints.has(endpoint)) return; // the renderer went away (reload) while we worked
    try {
      endpoint.send(message);
    } catch (error) {
      log.warn(`could not answer a renderer: ${toWireError(error).message}`);
    }
  };

  const answer = (endpoint: Endpoint, id: number, response: DesktopResponse<unknown>) =>
    post(endpoint, { kind: 'answer', id, response });

  async function handle(endpoint: Endpoint, data: unknown): Promise<void> {
    const parsed = invokeMessageSchema.safeParse(data);
    if (!parsed.success) {
      // Answer what can be answered: a message with an id gets a refusal, anything else is noise.
      const id = (data as { id?: unknown } | null)?.id;
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
        answer(endpoint, id, {
          ok: false,
          error: { code: 'VALIDATION_FAILED', message: 'Malformed request to the local core.' },
        });
      } else {
        log.warn('dropped a malformed message from a renderer');
      }
      return;
    }
    const { id, channel, args } = parsed.data;
    if (!isDesktopChannel(channel)) {
      answer(endpoint, id, {
        ok: false,
        error: {
          code: 'VALIDATION_FAILED',
          message: `There is no desktop API call named ${JSON.stringify(channel)}.`,
        },
      });
      return;
    }
    try {
      answer(endpoint, id, await (await host).invoke(channel, args));
    } catch (error) {
      // The host answers refusals itself; a throw is a bug or a dead host, still answered.
      answer(endpoint, id, { ok: false, error: toWireError(error) });
    }
  }

  return {
    connect(endpoint) {
      endpoints.add(endpoint);
      void host.then(
        (ready) => {
          if (!endpoints.has(endpoint)) return;
          for (const event of ready.snapshot()) post(endpoint, { kind: 'event', event });
          live.add(endpoint);
        },
        () => {}, // a host that failed to start answers each request with its error instead
      );
      return (data) => void handle(endpoint, data);
    },
    disconnect(endpoint) {
      endpoints.delete(endpoint);
      live.delete(endpoint);
    },
    publish(event) {
      for (const endpoint of live) post(endpoint, { kind: 'event', event });
    },
    get size() {
      return endpoints.size;
    },
  };
}
