import { useLastSynced, useSyncStatus, useWriteStatus } from '../api/hooks.ts';
import { formatTime } from '../ui/format.ts';
import { describeSync } from './sync-view.ts';

/**
 * Always in the header: is the desktop online, offline or syncing, when it last synced, and how
 * many of this desktop's edits still wait to reach the server.
 */
export function SyncIndicator() {
  const status = useSyncStatus();
  const writes = useWriteStatus();
  const lastSynced = useLastSynced();
  const view = describeSync(status?.overall, lastSynced);
  const waiting = (writes?.pending ?? 0) + (writes?.acknowledged ?? 0);
  const push = writes?.push;
  const pushProblem =
    push?.state === 'error' || push?.state === 'retrying' ? push.message : undefined;

  return (
    <div
      className={`sync-indicator sync-${view.face}`}
      data-testid="sync-indicator"
      data-state={view.face}
      role="status"
      aria-live="polite"
      title={view.detail}
    >
      <span className="sync-dot" aria-hidden="true" />
      <span className="sync-label">{view.label}</span>
      <span className="visually-hidden">{view.detail}</span>
      {lastSynced ? (
        <span className="sync-since" data-testid="last-synced">
          synced {formatTime(lastSynced)}
        </span>
      ) : null}
      <span
        className={waiting > 0 ? 'pending-count has-pending' : 'pending-count'}
        data-testid="pending-count"
        data-count={waiting}
        title={pushProblem ?? (waiting > 0 ? 'Saved here; sent when the server answers' : '')}
      >
        {waiting === 0
          ? 'All changes synced'
          : `${waiting} ${waiting === 1 ? 'change' : 'changes'} waiting`}
      </span>
    </div>
  );
}
