import { useState } from 'react';
import type { SupersededEdit } from '../../../db/wire/desktop-api.ts';
import { call, DesktopError } from '../api/client.ts';
import type { QueryState } from '../api/hooks.ts';
import type { DesktopResult } from '../../../db/wire/desktop-api.ts';
import { Button, Dialog, EmptyState, ErrorMessage, formatDateTime } from '../ui/index.ts';
import { hrefFor } from './router.ts';
import { canApplyAgain, describeRefused, fieldLabel, showValue } from './edits.ts';

export interface EditsData {
  refused: QueryState<DesktopResult<'writes:refused'>>;
  superseded: QueryState<DesktopResult<'writes:superseded'>>;
}

/**
 * The Edits drawer: this desktop's edits the server refused (and why), and those another edit
 * superseded (which value stands, which lost, who made each), with "Apply again".
 */
export function EditsPanel({
  open,
  onClose,
  edits,
}: {
  open: boolean;
  onClose: () => void;
  edits: EditsData;
}) {
  const refused = edits.refused.data ?? [];
  const superseded = edits.superseded.data ?? [];
  return (
    <Dialog open={open} onClose={onClose} title="Edits" variant="drawer">
      <section className="edits-section" aria-labelledby="refused-title">
        <h3 id="refused-title" className="edits-heading">
          Refused <span className="count-pill">{refused.length}</span>
        </h3>
        <p className="muted small">Edits the server could not accept. Nothing else was held up.</p>
        <ErrorMessage error={edits.refused.error} />
        {refused.length === 0 ? (
          <EmptyState title="No refused edits" />
        ) : (
          <ul className="edits-list">
            {refused.map((edit) => (
              <li key={edit.mutationId} className="edit-item">
                <div className="edit-title">{describeRefused(edit)}</div>
                <div className="edit-reason">{edit.reason}</div>
                <div className="edit-meta">
                  <span className="error-code">{edit.code}</span>
                  <span>{formatDateTime(edit.at)}</span>
                  <LeadLink args={edit.args} onNavigate={onClose} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section className="edits-section" aria-labelledby="superseded-title">
        <h3 id="superseded-title" className="edits-heading">
          Superseded <span className="count-pill">{superseded.length}</span>
        </h3>
        <p className="muted small">
          Edits made at the same time as someone else's. The latest edit wins; yours can be applied
          again.
        </p>
        <ErrorMessage error={edits.superseded.error} />
        {superseded.length === 0 ? (
          <EmptyState title="No superseded edits" />
        ) : (
          <ul className="edits-list">
            {superseded.map((edit) => (
              <SupersededItem key={edit.id} edit={edit} onNavigate={onClose} />
            ))}
          </ul>
        )}
      </section>
    </Dialog>
  );
}

function LeadLink({ args, onNavigate }: { args: unknown; onNavigate: () => void }) {
  const record = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const id = typeof record.leadId === 'string' ? record.leadId : record.id;
  if (typeof id !== 'string') return null;
  return (
    <a href={hrefFor({ name: 'lead', id })} onClick={onNavigate}>
      Open lead
    </a>
  );
}

function SupersededItem({ edit, onNavigate }: { edit: SupersededEdit; onNavigate: () => void }) {
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);
  const yours = edit.outcome === 'overtaken';

  async function applyAgain() {
    setBusy(true);
    setProblem(null);
    try {
      await call('writes:applyAgain', { conflictId: edit.id });
      setDone(true);
    } catch (error) {
      setProblem(
        error instanceof DesktopError ? error : new DesktopError('INTERNAL', String(error)),
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="edit-item">
      <div className="edit-title">
        {yours ? 'Your change to' : 'You replaced'} the {fieldLabel(edit.field)}
        {yours ? ' lost to a later edit' : ' without seeing an edit made meanwhile'}
      </div>
      <dl className="edit-values">
        <dt>Kept</dt>
        <dd>
          <span className="value-kept">{showValue(edit.keptValue)}</span>
          {edit.keptBy ? <span className="muted"> by {edit.keptBy}</span> : null}
        </dd>
        <dt>Superseded</dt>
        <dd>
          <span className="value-superseded">{showValue(edit.supersededValue)}</span>
          {edit.supersededBy ? <span className="muted"> by {edit.supersededBy}</span> : null}
        </dd>
      </dl>
      <div className="edit-meta">
        <span>{formatDateTime(edit.at)}</span>
        {edit.table === 'leads' ? (
          <a href={hrefFor({ name: 'lead', id: edit.rowId })} onClick={onNavigate}>
            Open lead
          </a>
        ) : null}
        {canApplyAgain(edit) ? (
          <Button
            size="sm"
            variant="secondary"
            busy={busy}
            disabled={done}
            onClick={() => void applyAgain()}
            aria-label={`Apply again: set the ${fieldLabel(edit.field)} to ${showValue(edit.supersededValue)}`}
          >
            {done ? 'Applied again' : 'Apply again'}
          </Button>
        ) : null}
      </div>
      <ErrorMessage error={problem} />
    </li>
  );
}
