import type { DesktopBridge, DesktopEvent, DesktopResponse } from '../../../db/wire/desktop-api.ts';
import { loopback } from '../../../db/wire/loopback.ts';

const TOKEN_KEY = 'fieldline.loopbackToken';

/**
 * The per-launch token arrives in the URL's fragment (`#token=…`, printed by `npm start`); it is
 * kept for this tab in sessionStorage and the fragment is cleared, so it is not left in the
 * address bar or the history.
 */
function takeToken(location: Location): string {
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
    return fromHash;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

/**
 * The browser shell's bridge: the same typed API over loopback HTTP (electron/shell). Calls are
 * POSTs; events arrive on one long-lived streamed response, reconnected when it drops.
 */
export function createLoopbackBridge(location: Location): DesktopBridge {
  const token = takeToken(location);
  const headers = { [loopback.tokenHeader]: `Bearer ${token}` };
  const listeners = new Set<(event: DesktopEvent) => void>();
  let streaming = false;

  async function stream(): Promise<void> {
    streaming = true;
    for (let attempt = 0; listeners.size > 0; attempt += 1) {
      try {
        const response = await fetch(loopback.eventsPath, { headers });
        if (!response.ok || !response.body) throw new Error(`events: ${response.status}`);
        attempt = 0;
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const frame = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = frame
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
              .join('\n');
            if (data) {
              const event = JSON.parse(data) as DesktopEvent;
              for (const listener of listeners) listener(event);
            }
          }
        }
      } catch {
        // The shell restarted or the machine slept: try again shortly, then less often.
      }
      await new Promise((resolve) => setTimeout(resolve, Math.min(5_000, 250 * 2 ** attempt)));
    }
    streaming = false;
  }

  return {
    async invoke(channel, args): Promise<DesktopResponse<unknown>> {
      try {
        const response = await fetch(loopback.invokePath(channel), {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/json' },
          body: JSON.stringify({ args }),
        });
        return (await response.json()) as DesktopResponse<unknown>;
      } catch (error) {
        return {
          ok: false,
          error: {
            code: 'INTERNAL',
            message: `The local core did not answer (${error instanceof Error ? error.message : String(error)}). Is npm start still running?`,
          },
        };
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!streaming) void stream();
      return () => listeners.delete(listener);
    },
  };
}
