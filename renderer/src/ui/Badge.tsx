import type { ReactNode } from 'react';
import type { LeadStatus } from '../../../db/enums.ts';
import { humanize } from './format.ts';

export type BadgeTone = 'neutral' | 'info' | 'success' | 'warning' | 'danger' | 'accent';

export function Badge({
  tone = 'neutral',
  children,
  title,
}: {
  tone?: BadgeTone;
  children: ReactNode;
  title?: string;
}) {
  return (
    <span className={`badge badge-${tone}`} title={title}>
      {children}
    </span>
  );
}

/** A lead's pipeline status, coloured the same way everywhere (board columns, lists, detail). */
export function StatusBadge({ status }: { status: LeadStatus }) {
  return <span className={`status-badge status-${status}`}>{humanize(status)}</span>;
}

/** Marks a row whose edit waits in the outbox (not yet acknowledged by the server). */
export function PendingMarker() {
  return (
    <span className="pending-marker" title="Saved on this desktop; waiting to sync">
      Pending
    </span>
  );
}
