import { z } from 'zod';

/**
 * Hybrid logical clocks (Kulkarni et al., 2014): wall-clock milliseconds, a counter that orders
 * events within one millisecond (or while the wall clock stands still or runs back), and the id of
 * the client that made the event, which breaks ties. The text form sorts as the clock does, so
 * Postgres and SQLite compare clocks as plain strings:
 *
 *   "001764338400000-000000-<clientId>"   (15-digit ms, 6-digit counter, client id)
 *
 * Per-field conflicts are decided by it: the edit made latest by this clock wins, whatever order
 * the edits arrive in.
 */
export interface Hlc {
  wallMs: number;
  counter: number;
  clientId: string;
}

const MAX_WALL_MS = 999_999_999_999_999;
const MAX_COUNTER = 999_999;
const clientIdPattern = /^[0-9A-Za-z_-]{1,64}$/;
const hlcPattern = /^(\d{15})-(\d{6})-([0-9A-Za-z_-]{1,64})$/;

export const hlcSchema = z
  .string()
  .regex(hlcPattern, 'an HLC is "<15-digit ms>-<6-digit counter>-<client id>"');

export const clientIdSchema = z
  .string()
  .regex(clientIdPattern, 'a client id is 1-64 letters, digits, "-" or "_"');

export function formatHlc({ wallMs, counter, clientId }: Hlc): string {
  return `${String(wallMs).padStart(15, '0')}-${String(counter).padStart(6, '0')}-${clientId}`;
}

export function parseHlc(text: string): Hlc {
  const match = hlcPattern.exec(text);
  if (!match) throw new Error(`${JSON.stringify(text)} is not an HLC`);
  return { wallMs: Number(match[1]), counter: Number(match[2]), clientId: match[3] ?? '' };
}

/** Negative, zero or positive as `a` is earlier than, the same as or later than `b`. */
export function compareHlc(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function checked(clock: Hlc): Hlc {
  if (clock.counter > MAX_COUNTER) {
    // A million events inside one millisecond of a stalled clock: move the wall part on instead.
    return { ...clock, wallMs: clock.wallMs + 1, counter: 0 };
  }
  if (clock.wallMs > MAX_WALL_MS) throw new Error('HLC wall clock out of range');
  return clock;
}

/** The clock of a new local event: later than `last` and than the wall clock. */
export function tickHlc(last: Hlc | undefined, nowMs: number, clientId: string): Hlc {
  if (!clientIdPattern.test(clientId))
    throw new Error(`${JSON.stringify(clientId)} is no client id`);
  if (last === undefined || nowMs > last.wallMs) return { wallMs: nowMs, counter: 0, clientId };
  return checked({ wallMs: last.wallMs, counter: last.counter + 1, clientId });
}

/**
 * The local clock after seeing a remote clock: later than both, so an edit made after reading
 * someone else's is ordered after theirs even when the local wall clock is behind.
 */
export function receiveHlc(
  last: Hlc | undefined,
  remote: Hlc,
  nowMs: number,
  clientId: string,
): Hlc {
  const wall = Math.max(nowMs, remote.wallMs, last?.wallMs ?? 0);
  let counter = 0;
  if (wall === remote.wallMs && wall === last?.wallMs)
    counter = Math.max(remote.counter, last.counter) + 1;
  else if (wall === remote.wallMs) counter = remote.counter + 1;
  else if (wall === last?.wallMs) counter = last.counter + 1;
  return checked({ wallMs: wall, counter, clientId });
}

/**
 * A client's clock as the server accepts it: one further ahead of the server's wall clock than
 * `maxSkewMs` is pulled back to the server's time of arrival (its counter and client id kept), so a
 * laptop whose clock says next year cannot win every conflict until then.
 */
export function clampHlc(
  clock: Hlc,
  serverNowMs: number,
  maxSkewMs: number,
): { clock: Hlc; clamped: boolean } {
  if (clock.wallMs <= serverNowMs + maxSkewMs) return { clock, clamped: false };
  return { clock: { ...clock, wallMs: serverNowMs }, clamped: true };
}
