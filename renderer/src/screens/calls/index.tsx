import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState } from 'react';
import type { CallRow } from '../../../../db/wire/desktop-views.ts';
import { call } from '../../api/client.ts';
import { useMissedUnseen } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { hrefFor, navigate } from '../../app/router.ts';
import { formatWhen } from '../../charts/format.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  formatCount,
  formatDateTime,
  formatDuration,
  formatPhone,
  Page,
} from '../../ui/index.ts';
import { callOutcome } from './pages.ts';
import { useCallPages } from './use-call-pages.ts';
import './calls.css';

const ROW_HEIGHT = 56;

/** The call log, missed calls first; opening it marks every missed call seen (the tray badge). */
export function CallsScreen() {
  const [missedOnly, setMissedOnly] = useState(false);
  const calls = useCallPages(missedOnly);
  const badge = useMissedUnseen();
  const [cursor, setCursor] = useState(0);
  const [seenError, setSeenError] = useState<string | undefined>();

  const markSeen = () => {
    call('calls:markSeen').then(
      () => setSeenError(undefined),
      (error: unknown) => setSeenError(error instanceof Error ? error.message : String(error)),
    );
  };
  useEffect(markSeen, []);

  const total = calls.total ?? 0;
  const filter = (missed: boolean) => {
    setMissedOnly(missed);
    setCursor(0);
  };
  useCommand('next', () => setCursor((c) => Math.min(Math.max(0, total - 1), c + 1)));
  useCommand('prev', () => setCursor((c) => Math.max(0, c - 1)));
  useCommand('open', () => {
    const row = calls.rowAt(cursor);
    if (row?.leadId) navigate({ name: 'lead', id: row.leadId });
  });

  return (
    <Page
      title="Calls"
      testId="screen-calls"
      className="calls-page"
      subtitle={
        calls.total === undefined
          ? 'Every call to and from your business numbers'
          : `${formatCount(calls.total)} ${missedOnly ? 'missed ' : ''}call${calls.total === 1 ? '' : 's'} · missed calls first`
      }
      actions={
        <>
          {badge > 0 ? (
            <Button size="sm" onClick={markSeen}>
              Mark {formatCount(badge)} new missed seen
            </Button>
          ) : null}
          <div className="calls-filter" role="group" aria-label="Which calls">
            <Button size="sm" aria-pressed={!missedOnly} onClick={() => filter(false)}>
              All calls
            </Button>
            <Button size="sm" aria-pressed={missedOnly} onClick={() => filter(true)}>
              Missed only
            </Button>
          </div>
        </>
      }
    >
      <ErrorMessage error={calls.error ?? seenError} />
      {calls.total === undefined ? (
        calls.error ? null : (
          <div className="muted calls-status">Loading calls…</div>
        )
      ) : calls.total === 0 ? (
        <EmptyState title={missedOnly ? 'No missed calls' : 'No calls yet'}>
          {missedOnly
            ? 'Every call was answered. Nice.'
            : 'Calls to your tracking numbers show here as they happen.'}
        </EmptyState>
      ) : (
        <CallTable calls={calls} total={total} cursor={cursor} onCursor={setCursor} />
      )}
    </Page>
  );
}

function CallTable({
  calls,
  total,
  cursor,
  onCursor,
}: {
  calls: ReturnType<typeof useCallPages>;
  total: number;
  cursor: number;
  onCursor: (index: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? -1;
  const { want } = calls;
  useEffect(() => want(first, last), [want, first, last]);
  useEffect(() => {
    virtualizer.scrollToIndex(cursor, { align: 'auto' });
  }, [cursor, virtualizer]);

  return (
    <div className="calls-table" role="table" aria-label="Call log" aria-rowcount={total + 1}>
      <div className="calls-row calls-row--head" role="row" aria-rowindex={1}>
        <span role="columnheader" className="calls-col-dir">
          <span className="visually-hidden">Direction</span>
        </span>
        <span role="columnheader">Caller</span>
        <span role="columnheader">Outcome</span>
        <span role="columnheader" className="num">
          Duration
        </span>
        <span role="columnheader">Recording</span>
        <span role="columnheader" className="num">
          When
        </span>
      </div>
      <div className="calls-scroll" ref={scrollRef}>
        <div role="rowgroup" className="calls-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = calls.rowAt(item.index);
            return row ? (
              <CallLine
                key={row.id}
                row={row}
                index={item.index}
                top={item.start}
                cursor={item.index === cursor}
                onCursor={onCursor}
              />
            ) : (
              <div
                key={`placeholder-${item.index}`}
                className="calls-row calls-row--loading"
                role="row"
                aria-rowindex={item.index + 2}
                style={{ transform: `translateY(${item.start}px)` }}
              >
                <span role="cell" className="calls-skeleton" />
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

const CallLine = memo(function CallLine({
  row,
  index,
  top,
  cursor,
  onCursor,
}: {
  row: CallRow;
  index: number;
  top: number;
  cursor: boolean;
  onCursor: (index: number) => void;
}) {
  const outcome = callOutcome(row);
  const inbound = row.direction === 'inbound';
  const otherPhone = inbound ? row.callerPhone : row.calledPhone;
  const who = row.leadName?.trim() || formatPhone(otherPhone);
  return (
    <div
      className={`calls-row${row.missed ? ' is-missed' : ''}${cursor ? ' is-cursor' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={cursor}
      data-testid={`call-row-${row.id}`}
      data-missed={row.missed}
      style={{ transform: `translateY(${top}px)` }}
      onClick={() => onCursor(index)}
    >
      <span role="cell" className="calls-col-dir">
        <span
          className={`calls-dir calls-dir--${inbound ? 'in' : 'out'}${row.missed ? ' is-missed' : ''}`}
          title={inbound ? 'Inbound call' : 'Outbound call'}
        >
          <span aria-hidden="true">{inbound ? '↙' : '↗'}</span>
          <span className="visually-hidden">{inbound ? 'Inbound' : 'Outbound'}</span>
        </span>
      </span>
      <span role="cell" className="calls-who">
        {row.leadId ? (
          <a href={hrefFor({ name: 'lead', id: row.leadId })} className="calls-who__name">
            {who}
          </a>
        ) : (
          <span className="calls-who__name">{who}</span>
        )}
        {row.leadName ? (
          <span className="calls-who__phone faint nums">{formatPhone(otherPhone)}</span>
        ) : null}
      </span>
      <span role="cell">
        <Badge tone={outcome.tone}>{outcome.label}</Badge>
      </span>
      <span role="cell" className="num nums">
        {row.durationSeconds > 0 ? formatDuration(row.durationSeconds) : '—'}
      </span>
      <span role="cell">
        {row.recordingUrl ? (
          <a
            href={row.recordingUrl}
            target="_blank"
            rel="noreferrer noopener"
            aria-label={`Recording of the call with ${who}`}
          >
            ▶ Listen
          </a>
        ) : (
          <span className="faint">—</span>
        )}
      </span>
      <span role="cell" className="num">
        <time dateTime={row.at} title={formatDateTime(row.at)} className="muted nums">
          {formatWhen(row.at)}
        </time>
      </span>
    </div>
  );
});
