import { useCallback, useState, type FormEvent } from 'react';
import { leadStatuses, type LeadStatus } from '../../../db/enums.ts';
import type { LeadSummary } from '../../../db/wire/desktop-views.ts';
import {
  Button,
  Dialog,
  ErrorMessage,
  humanize,
  leadName,
  showToast,
  TextArea,
  TextField,
} from '../ui/index.ts';
import { asDesktopError, moveLead } from './actions.ts';
import { moneyError, parseMoneyInput } from './validation.ts';
import type { DesktopError } from '../api/client.ts';

export type MovableLead = Pick<
  LeadSummary,
  'id' | 'customerName' | 'customerPhone' | 'status' | 'quotedAmount'
>;

interface MoveRequest {
  lead: MovableLead;
  to?: LeadStatus;
}

/** Moves that need words first: a lost lead's reason, a quote's amount. */
const needsDetails = (to: LeadStatus) => to === 'lost' || to === 'quoted';

/**
 * One way to move a lead, whether by drag and drop, the "Move to…" button or `m`: moves that
 * need nothing more are recorded at once; "lost" asks why and "quoted" asks how much first.
 */
export function useMoveFlow(): {
  requestMove: (lead: MovableLead, to?: LeadStatus) => void;
  moveDialog: React.ReactNode;
} {
  const [request, setRequest] = useState<MoveRequest | null>(null);

  const requestMove = useCallback((lead: MovableLead, to?: LeadStatus) => {
    if (to === lead.status) return;
    if (to && !needsDetails(to)) {
      moveLead(lead, to).then(
        () => showToast(`${leadName(lead)} moved to ${humanize(to)}`, 'success', lead.id),
        (error: unknown) =>
          showToast(`Could not move: ${asDesktopError(error).message}`, 'error', lead.id),
      );
      return;
    }
    setRequest({ lead, ...(to ? { to } : {}) });
  }, []);

  const moveDialog = request ? (
    <MoveDialog
      key={`${request.lead.id}:${request.to ?? ''}`}
      request={request}
      onClose={() => setRequest(null)}
    />
  ) : null;
  return { requestMove, moveDialog };
}

function MoveDialog({ request, onClose }: { request: MoveRequest; onClose: () => void }) {
  const { lead } = request;
  const [to, setTo] = useState<LeadStatus | undefined>(request.to);
  const [lostReason, setLostReason] = useState('');
  const [amount, setAmount] = useState(lead.quotedAmount ?? '');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);

  async function record(target: LeadStatus) {
    setBusy(true);
    setProblem(null);
    try {
      await moveLead(lead, target, {
        lostReason: lostReason.trim(),
        quotedAmount: parseMoneyInput(amount) ?? '',
      });
      showToast(`${leadName(lead)} moved to ${humanize(target)}`, 'success', lead.id);
      onClose();
    } catch (error) {
      setProblem(asDesktopError(error));
      setBusy(false);
    }
  }

  const reasonError = touched && !lostReason.trim() ? 'Say why the lead was lost' : undefined;
  const amountError = touched ? moneyError(amount, true) : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!to) return;
    setTouched(true);
    if (to === 'lost' && !lostReason.trim()) return;
    if (to === 'quoted' && moneyError(amount, true)) return;
    void record(to);
  }

  const name = leadName(lead);
  const title = !to
    ? `Move ${name}`
    : to === 'lost'
      ? `Mark ${name} as lost`
      : to === 'quoted'
        ? `Quote for ${name}`
        : `Move ${name} to ${humanize(to)}`;

  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      size="sm"
      footer={
        to ? (
          <>
            <Button variant="ghost" onClick={onClose}>
              Cancel
            </Button>
            <Button variant="primary" type="submit" form="move-form" busy={busy}>
              {to === 'lost' ? 'Mark as lost' : to === 'quoted' ? 'Save quote' : 'Move'}
            </Button>
          </>
        ) : undefined
      }
    >
      {!to ? (
        <div className="move-choices" role="group" aria-label="Move to status">
          {leadStatuses.map((status) => (
            <Button
              key={status}
              variant="secondary"
              className={`move-choice status-${status}`}
              disabled={status === lead.status || busy}
              aria-current={status === lead.status ? 'true' : undefined}
              onClick={() => (needsDetails(status) ? setTo(status) : void record(status))}
            >
              <span className="status-badge">{humanize(status)}</span>
              {status === lead.status ? <span className="faint">current</span> : null}
            </Button>
          ))}
        </div>
      ) : (
        <form id="move-form" className="form-stack" onSubmit={submit} noValidate>
          {to === 'lost' ? (
            <TextArea
              label="Why was it lost?"
              value={lostReason}
              onChange={(event) => setLostReason(event.target.value)}
              maxLength={500}
              required
              autoFocus
              error={reasonError}
              placeholder="Went with another company, price too high, no response…"
            />
          ) : null}
          {to === 'quoted' ? (
            <TextField
              label="Amount quoted"
              inputMode="decimal"
              value={amount}
              onChange={(event) => setAmount(event.target.value)}
              required
              autoFocus
              error={amountError}
              hint="In dollars, e.g. 450 or 1,250.00"
            />
          ) : null}
        </form>
      )}
      <ErrorMessage error={problem} />
    </Dialog>
  );
}
