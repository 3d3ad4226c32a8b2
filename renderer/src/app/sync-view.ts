import type { SyncedTable } from '../../../db/enums.ts';
import type { SyncState } from '../../../db/wire/sync.ts';
import { formatCount, formatTime } from '../ui/format.ts';

/** The sync indicator's four faces (its `data-state`, which end-to-end tests read). */
export type SyncFace = 'online' | 'offline' | 'syncing' | 'error';

export interface SyncView {
  face: SyncFace;
  label: string;
  /** A longer sentence for the tooltip and screen readers. */
  detail: string;
  /** 0..1 while a snapshot downloads with a known size. */
  progress?: number;
}

/**
 * What the indicator says for the core's overall read-path state. `lastSynced` is the last time
 * the replica was known complete (remembered by the caller, since offline has its own `since`).
 */
export function describeSync(
  overall: SyncState | undefined,
  lastSynced: string | undefined,
  timeZone?: string,
): SyncView {
  const last = lastSynced ? `Last synced ${formatTime(lastSynced, timeZone)}` : 'Not synced yet';
  if (!overall) return { face: 'syncing', label: 'Connecting…', detail: 'Starting the sync.' };
  switch (overall.state) {
    case 'up-to-date':
      return {
        face: 'online',
        label: 'Online',
        detail: `Up to date. Last synced ${formatTime(overall.since, timeZone)}.`,
      };
    case 'syncing': {
      const { rowsSynced, snapshotRows } = overall;
      const known = snapshotRows !== null && snapshotRows > 0;
      return {
        face: 'syncing',
        label: known
          ? `Syncing ${Math.min(100, Math.floor((rowsSynced / snapshotRows) * 100))}%`
          : 'Syncing…',
        detail: known
          ? `Syncing: ${formatCount(rowsSynced)} of ${formatCount(snapshotRows)} rows. ${last}.`
          : `Syncing: ${formatCount(rowsSynced)} rows so far. ${last}.`,
        ...(known ? { progress: Math.min(1, rowsSynced / snapshotRows) } : {}),
      };
    }
    case 'connecting':
      return { face: 'syncing', label: 'Connecting…', detail: `Reaching the server. ${last}.` };
    case 'offline':
      return {
        face: 'offline',
        label: 'Offline',
        detail: `Offline since ${formatTime(overall.since, timeZone)}: working from this desktop's copy; edits sync when back online. ${last}.`,
      };
    case 'stopped':
      return { face: 'offline', label: 'Not syncing', detail: `Sync is stopped. ${last}.` };
    case 'error':
      return {
        face: 'error',
        label: 'Sync problem',
        detail: `${overall.message} (${overall.code})`,
      };
  }
}

/** How each synced table is named on the first-sync screen. */
export const tableLabels: Record<SyncedTable, string> = {
  leads: 'Leads',
  call_logs: 'Calls',
  sms_logs: 'Texts',
  financials: 'Daily numbers',
  campaigns: 'Campaigns',
  keywords: 'Keywords',
  workflows: 'Workflows',
  ai_agent_logs: 'Agent activity',
  lead_notes: 'Notes',
  mutation_rejections: 'Refused edits',
  field_conflicts: 'Superseded edits',
};

/** One table's line on the first-sync screen: words, and a progress bar's value/max. */
export function describeTableSync(state: SyncState | undefined): {
  text: string;
  value?: number;
  max?: number;
  done: boolean;
} {
  if (!state || state.state === 'connecting' || state.state === 'stopped') {
    return { text: 'Waiting…', done: false };
  }
  switch (state.state) {
    case 'up-to-date':
      return { text: 'Done', value: 1, max: 1, done: true };
    case 'syncing':
      return state.snapshotRows !== null
        ? {
            text: `${formatCount(state.rowsSynced)} of ${formatCount(state.snapshotRows)} rows`,
            value: Math.min(state.rowsSynced, state.snapshotRows),
            max: Math.max(1, state.snapshotRows),
            done: false,
          }
        : { text: `${formatCount(state.rowsSynced)} rows`, done: false };
    case 'offline':
      return { text: 'Offline — will resume', done: false };
    case 'error':
      return { text: state.message, done: false };
  }
}
