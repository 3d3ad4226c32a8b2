import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SyncedTable } from '../../../db/enums.ts';
import type {
  DesktopCallArgs,
  DesktopChannel,
  DesktopEvent,
  DesktopResult,
  WriteStatus,
} from '../../../db/wire/desktop-api.ts';
import type { Session } from '../../../db/wire/desktop-views.ts';
import type { SyncStatus } from '../../../db/wire/sync.ts';
import { call, DesktopError, subscribe } from './client.ts';
import { askShared, cachedAnswer, forgetAll, forgetChannel, forgetTables } from './query-cache.ts';

/**
 * The renderer's one subscription to the local core's events, fanned out to components; the
 * latest session, sync, write and badge events are kept so a component mounted later sees them.
 */
type Latest = {
  session?: Session;
  sync?: SyncStatus;
  writes?: WriteStatus;
  missedUnseen?: number;
  /** When the replica was last known complete (offline has its own `since`, so keep this). */
  lastSynced?: string;
};

function noteSync(status: SyncStatus): void {
  latest.sync = status;
  if (status.overall.state === 'up-to-date') latest.lastSynced = status.overall.since;
}
const latest: Latest = {};

/** Whose replica answers: kept answers are someone else's once this changes. */
const replicaOf = (session: Session) =>
  session.signedIn ? `${session.business.id}/${session.member.id}` : '';

function noteSession(session: Session): void {
  // The first session heard of is the one the core answered everything so far for (a signed-out
  // core answers nothing that is kept), so only a later change forgets the kept answers.
  if (latest.session && replicaOf(latest.session) !== replicaOf(session)) forgetAll();
  latest.session = session;
}
const listeners = new Set<(event: DesktopEvent) => void>();
let unsubscribe: (() => void) | undefined;

function ensureSubscribed(): void {
  // Once per page: every hook calls this, and priming again each time would ask the core for
  // the same three answers once per mounted component.
  if (unsubscribe) return;
  unsubscribe = subscribe((event) => {
    // Kept answers go before any screen hears of the event and asks again.
    switch (event.type) {
      case 'session':
        noteSession(event.session);
        break;
      case 'sync':
        noteSync(event.status);
        break;
      case 'writes':
        latest.writes = event.status;
        break;
      case 'badge':
        latest.missedUnseen = event.missedUnseen;
        break;
      case 'changed':
        forgetTables(event.tables);
        break;
      case 'alert':
      case 'command':
        break;
    }
    for (const listener of listeners) listener(event);
  });
  prime();
}

function notifyAll(): void {
  for (const listener of listeners) listener({ type: 'changed', tables: [] });
}

/**
 * Events only say what changed from now on, so the current session, sync and write state are
 * asked for once at start; an event that arrives first wins over the (older) answer.
 */
function prime(): void {
  const ignore = () => undefined;
  void call('session:get').then((session) => {
    if (!latest.session) noteSession(session);
    notifyAll();
  }, ignore);
  void call('sync:status').then((status) => {
    if (!latest.sync) noteSync(status);
    notifyAll();
  }, ignore);
  void call('writes:status').then((status) => {
    latest.writes ??= status;
    notifyAll();
  }, ignore);
}

/** Sets the session at once from an answer (sign-in, sign-out) instead of waiting for its event. */
export function setSession(session: Session): void {
  noteSession(session);
  for (const listener of listeners) listener({ type: 'session', session });
}

/** Calls `handler` for every event of the core (stable across renders). */
export function useDesktopEvents(handler: (event: DesktopEvent) => void): void {
  const ref = useRef(handler);
  useEffect(() => {
    ref.current = handler;
  });
  useEffect(() => {
    ensureSubscribed();
    const listener = (event: DesktopEvent) => ref.current(event);
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
    };
  }, []);
}

function useLatest<K extends keyof Latest>(key: K): Latest[K] {
  return useSyncExternalStore(
    (notify) => {
      ensureSubscribed();
      listeners.add(notify);
      return () => listeners.delete(notify);
    },
    () => latest[key],
  );
}

export const useSession = (): Session | undefined => useLatest('session');
export const useSyncStatus = (): SyncStatus | undefined => useLatest('sync');
export const useWriteStatus = (): WriteStatus | undefined => useLatest('writes');
export const useLastSynced = (): string | undefined => useLatest('lastSynced');
export const useMissedUnseen = (): number => useLatest('missedUnseen') ?? 0;

export interface QueryState<T> {
  /** The last answer (kept while a newer one loads, so nothing flickers). */
  data: T | undefined;
  error: DesktopError | undefined;
  loading: boolean;
  reload: () => void;
}

/**
 * Reads from the local core, and reads again whenever one of `tables` changes (a shape batch from
 * the server, or this desktop's own edit). A screen opened again shows the kept answer at once
 * when nothing it was read from has changed since (query-cache.ts). Answers that arrive out of
 * order are dropped: only the newest request's answer is shown.
 */
export function useQuery<C extends DesktopChannel>(
  channel: C,
  args: DesktopCallArgs<C>,
  tables: readonly SyncedTable[],
  options: { enabled?: boolean } = {},
): QueryState<DesktopResult<C>> {
  const enabled = options.enabled ?? true;
  const key = JSON.stringify(args);
  const [state, setState] = useState<{
    data: DesktopResult<C> | undefined;
    error: DesktopError | undefined;
    /** The arguments the shown answer is for: loading while they differ from the asked ones. */
    answered: string | undefined;
  }>(() => {
    const kept = enabled ? cachedAnswer(channel, key) : undefined;
    return { data: kept?.value, error: undefined, answered: kept ? key : undefined };
  });
  const sequence = useRef(0);
  const tablesRef = useRef(tables);
  useEffect(() => {
    tablesRef.current = tables;
  });

  const ask = useCallback(
    (fresh: boolean) => {
      if (!enabled) return;
      const mine = ++sequence.current;
      const args = JSON.parse(key) as DesktopCallArgs<C>;
      askShared(channel, args, tablesRef.current, { fresh }).then(
        (data) => {
          if (mine !== sequence.current) return;
          // The kept answer already shown is the same object: nothing to draw again.
          setState((previous) =>
            previous.data === data && previous.answered === key && !previous.error
              ? previous
              : { data, error: undefined, answered: key },
          );
        },
        (error: unknown) => {
          if (mine !== sequence.current) return;
          const failure =
            error instanceof DesktopError ? error : new DesktopError('INTERNAL', String(error));
          setState((previous) => ({ ...previous, error: failure, answered: key }));
        },
      );
    },
    [channel, key, enabled],
  );
  const load = useCallback(() => ask(false), [ask]);
  // An explicit reload is for changes no table event tells of (a thread marked read on this
  // device): every kept answer of the channel is out of date, not only this one.
  const reload = useCallback(() => {
    forgetChannel(channel);
    ask(true);
  }, [ask, channel]);

  useEffect(load, [load]);

  const watched = tables.join(',');
  useDesktopEvents((event) => {
    if (event.type === 'session') load();
    else if (event.type === 'changed' && event.tables.some((t) => watched.split(',').includes(t))) {
      load();
    }
  });

  return {
    data: state.data,
    error: state.error,
    loading: enabled && state.answered !== key,
    reload,
  };
}
