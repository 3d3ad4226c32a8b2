import { useId, useState, type FormEvent } from 'react';
import {
  leadSources,
  leadUrgencies,
  type LeadSource,
  type LeadUrgency,
} from '../../../../db/enums.ts';
import type { DesktopError } from '../../api/client.ts';
import { call } from '../../api/client.ts';
import { useQuery } from '../../api/hooks.ts';
import { asDesktopError } from '../../leads/actions.ts';
import { phoneError, textOrUndefined } from '../../leads/validation.ts';
import {
  Button,
  Dialog,
  ErrorMessage,
  humanize,
  Select,
  showToast,
  TextArea,
  TextField,
} from '../../ui/index.ts';

const sourceOptions = leadSources.map((value) => ({ value, label: humanize(value) }));
const urgencyOptions = leadUrgencies.map((value) => ({ value, label: humanize(value) }));

/** A lead taken at the desk (a walk-in, a call to someone's own phone): `n` anywhere. */
export function NewLeadDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return open ? <NewLeadForm onClose={onClose} /> : null;
}

function NewLeadForm({ onClose }: { onClose: () => void }) {
  const [phone, setPhone] = useState('');
  const [name, setName] = useState('');
  const [serviceType, setServiceType] = useState('');
  const [urgency, setUrgency] = useState<LeadUrgency | ''>('');
  const [source, setSource] = useState<LeadSource | ''>('referral');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);
  const serviceTypes = useQuery('leads:serviceTypes', [], ['leads']);
  const listId = useId();

  const phoneProblem = touched ? phoneError(phone) : undefined;
  const sourceProblem = touched && !source ? 'Choose where the lead came from' : undefined;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (phoneError(phone) || !source) return;
    setBusy(true);
    setProblem(null);
    try {
      const customerName = textOrUndefined(name);
      const service = textOrUndefined(serviceType);
      const details = textOrUndefined(description);
      await call('writes:record', {
        name: 'lead.create',
        args: {
          id: crypto.randomUUID(),
          customerPhone: phone.trim(),
          source,
          ...(customerName ? { customerName } : {}),
          ...(service ? { serviceType: service } : {}),
          ...(urgency ? { urgency } : {}),
          ...(details ? { description: details } : {}),
        },
      });
      showToast(`Lead created: ${customerName ?? phone.trim()}`, 'success');
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
      title="New lead"
      footer={
        <>
          <Button variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button variant="primary" type="submit" form="new-lead-form" busy={busy}>
            Create lead
          </Button>
        </>
      }
    >
      <form
        id="new-lead-form"
        className="form-grid"
        onSubmit={(event) => void submit(event)}
        noValidate
      >
        <TextField
          label="Phone"
          type="tel"
          autoComplete="off"
          value={phone}
          onChange={(event) => setPhone(event.target.value)}
          required
          autoFocus
          error={phoneProblem}
        />
        <TextField
          label="Name"
          autoComplete="off"
          value={name}
          onChange={(event) => setName(event.target.value)}
          maxLength={255}
        />
        <TextField
          label="Service type"
          list={listId}
          value={serviceType}
          onChange={(event) => setServiceType(event.target.value)}
          maxLength={100}
        />
        <datalist id={listId}>
          {(serviceTypes.data ?? []).map((type) => (
            <option key={type} value={type} />
          ))}
        </datalist>
        <Select
          label="Urgency"
          options={urgencyOptions}
          value={urgency}
          onChange={setUrgency}
          placeholder="Not set"
        />
        <div className="span-2">
          <Select
            label="Source"
            options={sourceOptions}
            value={source}
            onChange={setSource}
            placeholder="Choose…"
            error={sourceProblem}
          />
        </div>
        <div className="span-2">
          <TextArea
            label="Description"
            value={description}
            onChange={(event) => setDescription(event.target.value)}
            maxLength={5000}
            placeholder="What is the problem? Where? Anything the technician should know."
          />
        </div>
      </form>
      <ErrorMessage error={problem} />
    </Dialog>
  );
}
