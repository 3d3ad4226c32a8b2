import type { SyncedTable } from '../../../db/enums.ts';
import type {
  DesktopCallArgs,
  DesktopChannel,
  DesktopResult,
} from '../../../db/wire/desktop-api.ts';
import { call } from './client.ts';

/**
 * The renderer's memory of recent answers, so that going back to a screen shows it at once
 * instead of asking the local core again. An answer stays only while nothing it was read from
 * has changed: the core's `changed` event for one of its tables forgets it (hooks.ts), and so
 * does a session event (another member's replica). Questions asked twice while the first answer
 * is on its way share that one call. Failures are never kept.
 */
interface Entry {
  tables: readonly SyncedTable[];
  answer: Promise<unknown>;
  /** Set once the answer arrived (wrapped, so an `undefined` answer still counts). */
  settled?: { value: unknown };
}

/** Enough for every screen's few questions and some filters of the pipeline; oldest go first. */
const LIMIT = 48;
const entries = new Map<string, Entry>();

const keyOf = (channel: DesktopChannel, argsKey: string) => `${channel} ${argsKey}`;

/** The kept answer for these arguments (`argsKey` = JSON of the args), if it is still current. */
export function cachedAnswer<C extends DesktopChannel>(
  channel: C,
  argsKey: string,
): { value: DesktopResult<C> } | undefined {
  return entries.get(keyOf(channel, argsKey))?.settled as { value: DesktopResult<C> } | undefined;
}

/**
 * The answer to `channel(args)`: the kept one (or the one on its way) unless `fresh`, else a new
 * call whose answer is kept — unless one of `tables` changed while it was being read, since the
 * answer may then predate the change.
 */
export function askShared<C extends DesktopChannel>(
  channel: C,
  args: DesktopCallArgs<C>,
  tables: readonly SyncedTable[],
  options: { fresh?: boolean } = {},
): Promise<DesktopResult<C>> {
  const key = keyOf(channel, JSON.stringify(args));
  const kept = entries.get(key);
  if (kept && !options.fresh) {
    // Most recently used last, so the oldest is the first to go.
    entries.delete(key);
    entries.set(key, kept);
    return kept.answer as Promise<DesktopResult<C>>;
  }
  const answer = call(channel, ...args);
  const entry: Entry = { tables, answer };
  entries.set(key, entry);
  while (entries.size > LIMIT) entries.delete(entries.keys().next().value as string);
  answer.then(
    (value) => {
      entry.settled = { value };
    },
    () => {
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  return answer;
}

/** Forgets the answers read from any of `tables` (they changed). */
export function forgetTables(tables: readonly string[]): void {
  for (const [key, entry] of entries) {
    if (entry.tables.some((table) => tables.includes(table))) entries.delete(key);
  }
}

/** Forgets every answer of `channel` (its data changed in a way no table event tells). */
export function forgetChannel(channel: DesktopChannel): void {
  for (const key of [...entries.keys()]) {
    if (key.startsWith(`${channel} `)) entries.delete(key);
  }
}

/** Forgets everything (the session changed: another member, another replica, or none). */
export function forgetAll(): void {
  entries.clear();
}
