import type { SyncedTable } from '../../../../db/enums.ts';
import type { DesktopCallArgs } from '../../../../db/wire/desktop-api.ts';
import type { LeadFilter, LeadSort } from '../../../../db/wire/desktop-views.ts';
import { askShared } from '../../api/query-cache.ts';
import type { Route } from '../../app/router.ts';
import { toLeadFilter, toLeadSort } from './filter-state.ts';
import { currentFilters } from './filter-store.ts';

/** Cards shown per column; "Show all N" opens the rest in the list. */
export const PER_COLUMN = 25;
export const BOARD_TABLES: readonly SyncedTable[] = ['leads'];

/** The board's question to the local core, as the board screen and the start-up both ask it. */
export function boardArgs(filter: LeadFilter, sort: LeadSort): DesktopCallArgs<'leads:board'> {
  return [{ filter, sort, perColumn: PER_COLUMN }];
}

/**
 * At start, when the app opens on the board, its question goes to the core at once, beside the
 * session's, instead of after the first renders: the board mounts with its answer on the way or
 * already there (a signed-out core refuses it, and refusals are not kept).
 */
export function askForBoardEarly(route: Route): void {
  if (route.name !== 'pipeline' || route.view !== 'board') return;
  const filters = currentFilters();
  askShared(
    'leads:board',
    boardArgs(toLeadFilter(filters, 'board'), toLeadSort(filters)),
    BOARD_TABLES,
  ).catch(() => undefined);
}
