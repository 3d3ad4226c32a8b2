import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { DesktopEvent } from '../../db/wire/desktop-api.ts';
import {
  createDesktopHost,
  type DesktopHost,
  type DesktopHostOptions,
} from '../../electron/core/host.ts';
import { memoryVault, type SessionVault } from '../../electron/core/session-vault.ts';
import { FAST_BACKOFF, type Harness } from '../sync/harness.ts';

export interface TestHost {
  host: DesktopHost;
  vault: SessionVault;
  events: DesktopEvent[];
  /** Resolves with the first event (already seen or to come) that `match` accepts. */
  next<T extends DesktopEvent['type']>(
    type: T,
    match?: (event: Extract<DesktopEvent, { type: T }>) => boolean,
    /** Look only at events from this index on (`events.length` before an action: its effects). */
    from?: number,
  ): Promise<Extract<DesktopEvent, { type: T }>>;
  /** Calls a channel and returns the value, or throws with the error's code and message. */
  call(channel: string, ...args: unknown[]): Promise<unknown>;
}

/** A desktop host on a folder of the harness, as `npm start`'s browser shell makes one. */
export function startHost(
  harness: Harness,
  serverUrl: string,
  options: Partial<DesktopHostOptions> & { name?: string } = {},
): TestHost {
  const events: DesktopEvent[] = [];
  const waiters = new Set<(event: DesktopEvent) => boolean>();
  const vault = options.vault ?? memoryVault();
  const host = createDesktopHost({
    dataDir: join(harness.folder, options.name ?? 'desktop'),
    serverUrl,
    deviceId: `test-${options.name ?? 'desktop'}`,
    vault,
    core: { backoff: FAST_BACKOFF, outcomeGraceMs: 50 },
    ...options,
    emit: (event) => {
      events.push(event);
      for (const waiter of waiters) if (waiter(event)) waiters.delete(waiter);
      options.emit?.(event);
    },
  });
  onTestFinished(() => host.close());
  return {
    host,
    vault,
    events,
    next(type, match = () => true, from = 0) {
      type Wanted = Extract<DesktopEvent, { type: typeof type }>;
      const accepts = (event: DesktopEvent): event is Wanted =>
        event.type === type && match(event as Wanted);
      const seen = events.slice(from).find(accepts);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve) => {
        waiters.add((event) => {
          if (!accepts(event)) return false;
          resolve(event);
          return true;
        });
      });
    },
    async call(channel, ...args) {
      const answer = await host.invoke(channel, args);
      if (answer.ok) return answer.value;
      throw Object.assign(new Error(`${answer.error.code}: ${answer.error.message}`), {
        code: answer.error.code,
      });
    },
  };
}
