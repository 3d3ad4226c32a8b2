import { useState, type FormEvent } from 'react';
import { callStatuses, type CallStatus } from '../../../../db/enums.ts';
import { call, type DesktopError } from '../../api/client.ts';
import { asDesktopError } from '../../leads/actions.ts';
import {
  Button,
  Dialog,
  ErrorMessage,
  humanize,
  Select,
  showToast,
  TextField,
} from '../../ui/index.ts';

const statusOptions = callStatuses.map((value) => ({ value, label: humanize(value) }));

/** Records a call made from the desk phone or a mobile (call.logOutbound). */
export function LogCallDialog({
  leadId,
  phone,
  onClose,
}: {
  leadId: string;
  phone: string;
  onClose: () => void;
}) {
  const [status, setStatus] = useState<CallStatus | ''>('answered');
  const [minutes, setMinutes] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);
  const minutesValue = minutes.trim() === '' ? 0 : Number(minutes);
  const minutesError =
    Number.isFinite(minutesValue) && minutesValue >= 0 && minutesValue <= 1440
      ? undefined
      : 'Enter the minutes, e.g. 4 or 2.5';

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!status || minutesError) return;
    setBusy(true);
    setProblem(null);
    try {
      await call('writes:record', {
        name: 'call.logOutbound',
        args: {
          id: crypto.randomUUID(),
          leadId,
          toPhone: phone,
          status,
          durationSeconds: Math.round(minutesValue * 60),
          at: new Date().toISOString(),
        },
      });
      showToast('Call logged', 'success');
      onClose();
    } catch (error) {
      setProblem(asDesktopError(error));
      setBusy(false);
    }
  }

  return (
    <Dialog
      open
      onClose={onClose}
      title="Log a call"
      size="sm"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="log-call-form" busy={busy}>
            Log call
          </Button>
        </>
      }
    >
      <form id="log-call-form" className="form-stack" onSubmit={(event) => void submit(event)}>
        <Select<CallStatus>
          label="Outcome"
          options={statusOptions}
          value={status}
          onChange={setStatus}
        />
        <TextField
          label="Length (minutes)"
          inputMode="decimal"
          value={minutes}
          onChange={(event) => setMinutes(event.target.value)}
          error={minutes ? minutesError : undefined}
        />
      </form>
      <ErrorMessage error={problem} />
    </Dialog>
  );
}
