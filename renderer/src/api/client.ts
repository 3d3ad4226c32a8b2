import type {
  DesktopBridge,
  DesktopCallArgs,
  DesktopChannel,
  DesktopEvent,
  DesktopResponse,
  DesktopResult,
} from '../../../db/wire/desktop-api.ts';
import type { ErrorCode } from '../../../db/errors.ts';
import { createLoopbackBridge } from './loopback.ts';

/** A refusal of the local core, with its stable code (db/errors.ts) and a message to show. */
export class DesktopError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DesktopError';
  }
}

declare global {
  interface Window {
    /** Exposed by electron/preload through contextBridge; absent in a plain browser. */
    fieldline?: DesktopBridge;
  }
}

/** Electron's preload bridge when there is one, the loopback bridge of the browser shell otherwise. */
function pickBridge(): DesktopBridge {
  return window.fieldline ?? createLoopbackBridge(window.location);
}

let bridge: DesktopBridge | undefined;
function current(): DesktopBridge {
  bridge ??= pickBridge();
  return bridge;
}

/** For tests and stories: talk to another bridge. */
export function useBridge(next: DesktopBridge): void {
  bridge = next;
}

/** Calls the local core; resolves with the value or rejects with a DesktopError. */
export async function call<C extends DesktopChannel>(
  channel: C,
  ...args: DesktopCallArgs<C>
): Promise<DesktopResult<C>> {
  const response = (await current().invoke(channel, args)) as DesktopResponse<DesktopResult<C>>;
  if (response.ok) return response.value;
  throw new DesktopError(response.error.code, response.error.message);
}

export function subscribe(listener: (event: DesktopEvent) => void): () => void {
  return current().subscribe(listener);
}
