import { memo } from 'react';
import type { TimelineEntry } from '../../../../db/wire/desktop-views.ts';
import {
  EmptyState,
  formatDateTime,
  formatDuration,
  formatMoney,
  formatRelative,
  humanize,
  Icon,
  StatusBadge,
  type IconName,
} from '../../ui/index.ts';

const icons: Record<TimelineEntry['kind'], IconName> = {
  call: 'phone',
  text: 'message',
  note: 'note',
  status: 'status',
};

/** A lead's one timeline: calls, texts, notes and status changes, newest first. */
export const Timeline = memo(function Timeline({ entries }: { entries: readonly TimelineEntry[] }) {
  if (entries.length === 0) {
    return (
      <EmptyState title="Nothing yet">Calls, texts and notes with this lead show here.</EmptyState>
    );
  }
  return (
    <ol className="timeline" aria-label="Timeline">
      {entries.map((entry) => (
        <li
          key={`${entry.kind}:${entry.id}`}
          className={`timeline-entry kind-${entry.kind}${'pending' in entry && entry.pending ? ' is-pending' : ''}`}
          data-testid={`timeline-${entry.kind}`}
        >
          <span className="timeline-icon" aria-hidden="true">
            <Icon name={icons[entry.kind]} size={15} />
          </span>
          <div className="timeline-body">
            <EntryBody entry={entry} />
            <time
              className="timeline-time faint"
              dateTime={entry.at}
              title={formatDateTime(entry.at)}
            >
              {formatRelative(entry.at)}
            </time>
          </div>
        </li>
      ))}
    </ol>
  );
});

function EntryBody({ entry }: { entry: TimelineEntry }) {
  switch (entry.kind) {
    case 'call':
      return (
        <div>
          <strong>{entry.direction === 'inbound' ? 'Inbound call' : 'Outbound call'}</strong>{' '}
          <span className="muted">
            · {humanize(entry.status)}
            {entry.durationSeconds > 0 ? ` · ${formatDuration(entry.durationSeconds)}` : ''}
          </span>
          {entry.recordingUrl ? (
            <>
              {' '}
              ·{' '}
              <a href={entry.recordingUrl} target="_blank" rel="noreferrer noopener">
                Recording
              </a>
            </>
          ) : null}
          {entry.pending ? <span className="pending-note"> · saved here, syncing</span> : null}
        </div>
      );
    case 'text':
      return (
        <div className={`text-bubble ${entry.direction}`}>
          <p className="text-body">{entry.body}</p>
          <span className="text-status">
            {entry.direction === 'inbound' ? 'Received' : 'Sent text'} ·{' '}
            {entry.pending ? (
              <span className="pending-note">queued — will send when online</span>
            ) : (
              <span className={entry.status === 'failed' ? 'text-failed' : undefined}>
                {humanize(entry.status)}
              </span>
            )}
            {entry.errorMessage ? (
              <span className="text-failed"> · {entry.errorMessage}</span>
            ) : null}
          </span>
        </div>
      );
    case 'note':
      return (
        <div>
          <strong>Note</strong>
          {entry.pending ? <span className="pending-note"> · saved here, syncing</span> : null}
          <p className="note-body">{entry.body}</p>
        </div>
      );
    case 'status':
      return (
        <div>
          Moved to <StatusBadge status={entry.status} />
          {entry.detail ? (
            <span className="muted">
              {' — '}
              {/* A quote's detail is its amount; a loss's, its reason. */}
              {entry.status === 'quoted' ? formatMoney(entry.detail) : entry.detail}
            </span>
          ) : null}
        </div>
      );
  }
}
