import { useCallback, useEffect, useRef, useState } from 'react';
import type { LeadFilter, LeadSort, LeadSummary } from '../../../../db/wire/desktop-views.ts';
import { call, type DesktopError } from '../../api/client.ts';
import { useDesktopEvents } from '../../api/hooks.ts';
import { asDesktopError } from '../../leads/actions.ts';

export const PAGE_SIZE = 100;

interface WindowState {
  /** The filter and sort the pages are for. */
  key: string;
  total: number | undefined;
  pages: ReadonlyMap<number, readonly LeadSummary[]>;
  error: DesktopError | undefined;
}

/**
 * The pipeline list's rows, read a page at a time as they scroll into view: of 100,000 leads only
 * the pages around the visible rows are ever asked for. A change to the leads re-reads the pages
 * in view (the others are dropped); a new filter starts over, keeping the old rows on screen until
 * the first new page arrives so typing in the search does not flash.
 */
export function useLeadWindow(filter: LeadFilter, sort: LeadSort) {
  const key = JSON.stringify([filter, sort]);
  const [state, setState] = useState<WindowState>({
    key,
    total: undefined,
    pages: new Map(),
    error: undefined,
  });
  /** Bumped on every new filter or change of the data: older answers are dropped. */
  const generation = useRef(0);
  const requested = useRef(new Set<number>());
  const visible = useRef<{ first: number; last: number }>({ first: 0, last: 0 });

  const fetchPage = useCallback(
    (index: number) => {
      if (requested.current.has(index)) return;
      requested.current.add(index);
      const mine = generation.current;
      const [pageFilter, pageSort] = JSON.parse(key) as [LeadFilter, LeadSort];
      call('leads:list', {
        filter: pageFilter,
        sort: pageSort,
        offset: index * PAGE_SIZE,
        limit: PAGE_SIZE,
      }).then(
        (page) => {
          if (mine !== generation.current) return;
          setState((previous) => {
            // Rows of another filter are dropped; rows of this one (before a change) are kept
            // until their own page is read again.
            const pages = new Map(previous.key === key ? previous.pages : []);
            pages.set(index, page.rows);
            return { key, total: page.total, pages, error: undefined };
          });
        },
        (error: unknown) => {
          if (mine !== generation.current) return;
          requested.current.delete(index);
          setState((previous) => ({ ...previous, error: asDesktopError(error) }));
        },
      );
    },
    [key],
  );

  const fetchVisible = useCallback(() => {
    const { first, last } = visible.current;
    for (let page = Math.floor(first / PAGE_SIZE); page <= Math.floor(last / PAGE_SIZE); page++) {
      fetchPage(page);
    }
  }, [fetchPage]);

  const restart = useCallback(() => {
    generation.current += 1;
    requested.current = new Set();
    fetchVisible();
  }, [fetchVisible]);

  useEffect(restart, [restart]);

  useDesktopEvents((event) => {
    if ((event.type === 'changed' && event.tables.includes('leads')) || event.type === 'session') {
      restart();
    }
  });

  /** Tells the window which rows are on screen (from the virtualiser); loads their pages. */
  const setVisibleRange = useCallback(
    (first: number, last: number) => {
      visible.current = { first, last };
      fetchVisible();
    },
    [fetchVisible],
  );

  const rowAt = useCallback(
    (index: number): LeadSummary | undefined =>
      state.pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE],
    [state.pages],
  );

  return {
    total: state.total,
    rowAt,
    setVisibleRange,
    error: state.error,
    /** The shown rows are for an older filter: a new answer is on its way. */
    stale: state.key !== key,
  };
}
