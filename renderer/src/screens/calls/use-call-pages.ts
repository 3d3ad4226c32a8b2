import { useCallback, useEffect, useRef, useState } from 'react';
import type { CallRow } from '../../../../db/wire/desktop-views.ts';
import { call, DesktopError } from '../../api/client.ts';
import { useDesktopEvents } from '../../api/hooks.ts';
import { locate, PAGE_SIZE, pagesFor } from './pages.ts';

interface Page {
  rows: CallRow[];
  /** Read before the last change of call_logs/leads: shown until its fresh copy arrives. */
  stale: boolean;
}

export interface CallPages {
  /** How many calls match; undefined until the first page answers. */
  total: number | undefined;
  missedUnseen: number;
  error: DesktopError | undefined;
  /** The row at `index`, if its page has arrived. */
  rowAt: (index: number) => CallRow | undefined;
  /** Asks for the pages under rows `first`…`last` (missing or stale ones only). */
  want: (first: number, last: number) => void;
}

/**
 * The call log a page at a time: the virtual list says which rows it shows, the pages under them
 * are read (once each), and every page is read again when `call_logs` or `leads` change — the old
 * rows stay on screen meanwhile, so nothing flickers. Changing the filter starts over.
 */
export function useCallPages(missedOnly: boolean): CallPages {
  const pages = useRef(new Map<number, Page>());
  const inflight = useRef(new Set<number>());
  const generation = useRef(0);
  const visible = useRef<[number, number]>([0, PAGE_SIZE - 1]);
  const [, setVersion] = useState(0);
  // Kept with the filter it answers, so a new filter shows "loading" without a reset.
  const [meta, setMeta] = useState<{ missedOnly: boolean; total: number; missedUnseen: number }>();
  const [error, setError] = useState<DesktopError | undefined>();

  const load = useCallback(
    (page: number) => {
      if (inflight.current.has(page)) return;
      inflight.current.add(page);
      const mine = generation.current;
      call('calls:list', { missedOnly, offset: page * PAGE_SIZE, limit: PAGE_SIZE }).then(
        (answer) => {
          if (mine !== generation.current) return;
          inflight.current.delete(page);
          pages.current.set(page, { rows: answer.rows, stale: false });
          setMeta({ missedOnly, total: answer.total, missedUnseen: answer.missedUnseen });
          setError(undefined);
          setVersion((v) => v + 1);
        },
        (failure: unknown) => {
          if (mine !== generation.current) return;
          inflight.current.delete(page);
          setError(
            failure instanceof DesktopError
              ? failure
              : new DesktopError('INTERNAL', String(failure)),
          );
        },
      );
    },
    [missedOnly],
  );

  const want = useCallback(
    (first: number, last: number) => {
      visible.current = [first, last];
      for (const page of pagesFor(first, last)) {
        const held = pages.current.get(page);
        if (!held || held.stale) load(page);
      }
    },
    [load],
  );

  // A new filter: a new list, from the top.
  useEffect(() => {
    generation.current += 1;
    pages.current = new Map();
    inflight.current = new Set();
    load(0);
  }, [load]);

  useDesktopEvents((event) => {
    const relevant =
      event.type === 'session' ||
      (event.type === 'changed' && event.tables.some((t) => t === 'call_logs' || t === 'leads'));
    if (!relevant) return;
    generation.current += 1;
    inflight.current = new Set();
    for (const page of pages.current.values()) page.stale = true;
    const [first, last] = visible.current;
    const needed = pagesFor(first, last);
    if (!needed.includes(0)) needed.unshift(0);
    for (const page of needed) load(page);
  });

  const rowAt = useCallback((index: number) => {
    const { page, offset } = locate(index);
    return pages.current.get(page)?.rows[offset];
  }, []);

  const current = meta?.missedOnly === missedOnly ? meta : undefined;
  return { total: current?.total, missedUnseen: current?.missedUnseen ?? 0, error, rowAt, want };
}
