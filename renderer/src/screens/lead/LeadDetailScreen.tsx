import { useRef, useState } from 'react';
import { useQuery } from '../../api/hooks.ts';
import { useCommand } from '../../app/commands.ts';
import { hrefFor } from '../../app/router.ts';
import { useMoveFlow } from '../../leads/MoveDialog.tsx';
import { smsOptOut } from '../../leads/sms-opt-out.ts';
import {
  Badge,
  Button,
  EmptyState,
  ErrorMessage,
  formatMoney,
  formatPhone,
  humanize,
  Icon,
  leadName,
  Panel,
  PendingMarker,
  StatusBadge,
} from '../../ui/index.ts';
import { Composer, type ComposeMode } from './Composer.tsx';
import { LeadFields } from './LeadFields.tsx';
import { LogCallDialog } from './LogCallDialog.tsx';
import { Timeline } from './Timeline.tsx';
import './lead.css';

/** One lead: who, what, where it stands, everything said and done with it, and what to do next. */
export function LeadDetailScreen({ leadId }: { leadId: string }) {
  const lead = useQuery('leads:get', [{ id: leadId }], ['leads']);
  const timeline = useQuery(
    'leads:timeline',
    [{ leadId }],
    ['leads', 'call_logs', 'sms_logs', 'lead_notes'],
  );
  const { requestMove, moveDialog } = useMoveFlow();
  const [logging, setLogging] = useState(false);
  const [mode, setMode] = useState<ComposeMode>('text');
  const composerRef = useRef<HTMLTextAreaElement>(null);

  const data = lead.data;
  useCommand('move', () => {
    if (data) requestMove(data);
  });

  if (lead.error && !data) return <ErrorMessage error={lead.error} />;
  if (!data) {
    return lead.loading ? (
      <div className="screen-loading" role="status">
        Loading…
      </div>
    ) : (
      <EmptyState
        title="This lead is not on this desktop"
        action={<a href={hrefFor({ name: 'pipeline', view: 'board' })}>Back to the pipeline</a>}
      >
        It may have been removed, or not synced yet.
      </EmptyState>
    );
  }

  const name = leadName(data);
  const optOut = smsOptOut(data);
  const compose = (next: ComposeMode) => {
    setMode(next);
    composerRef.current?.focus();
  };

  return (
    <section className="page lead-page" aria-labelledby="page-title" data-testid="lead-detail">
      <div className="page-header lead-header">
        <div className="lead-heading">
          <a className="back-link" href={hrefFor({ name: 'pipeline', view: 'board' })}>
            <Icon name="back" size={16} /> Pipeline
          </a>
          <h1 id="page-title" className="page-title">
            {name}
          </h1>
          <div className="lead-subline">
            <StatusBadge status={data.status} />
            {data.pending ? <PendingMarker /> : null}
            <span className="muted nums">{formatPhone(data.customerPhone)}</span>
            {optOut ? (
              <Badge tone="warning" title={optOut.explanation}>
                {optOut.badge}
              </Badge>
            ) : null}
            {data.serviceType ? <span className="muted">· {data.serviceType}</span> : null}
            {data.quotedAmount ? (
              <span className="muted">· Quoted {formatMoney(data.quotedAmount)}</span>
            ) : null}
            <span className="faint">· {humanize(data.source)}</span>
          </div>
        </div>
        <div className="page-actions lead-actions">
          <a className="btn btn-primary" href={`tel:${data.customerPhone}`}>
            <Icon name="phone" size={16} /> Call back
          </a>
          <Button onClick={() => setLogging(true)}>Log call</Button>
          <Button onClick={() => compose('text')} title={optOut?.explanation}>
            <Icon name="message" size={16} /> Text
          </Button>
          <Button onClick={() => compose('note')}>
            <Icon name="note" size={16} /> Add note
          </Button>
          <Button onClick={() => requestMove(data)} aria-keyshortcuts="m" title="Move to… (m)">
            Move to…
          </Button>
        </div>
      </div>
      <div className="page-body lead-body">
        <div className="lead-side">
          <LeadFields key={data.id} lead={data} />
        </div>
        <Panel title="Activity" className="lead-activity">
          <Composer
            leadId={data.id}
            mode={mode}
            onModeChange={setMode}
            textareaRef={composerRef}
            optOut={optOut}
          />
          <ErrorMessage error={timeline.error} />
          {timeline.data ? (
            <Timeline entries={timeline.data} />
          ) : (
            <div className="screen-loading" role="status">
              Loading…
            </div>
          )}
        </Panel>
      </div>
      {logging ? (
        <LogCallDialog
          leadId={data.id}
          phone={data.customerPhone}
          onClose={() => setLogging(false)}
        />
      ) : null}
      {moveDialog}
    </section>
  );
}
