import { useState, type FormEvent } from 'react';
import { leadUrgencies, type LeadUrgency } from '../../../../db/enums.ts';
import type { LeadDetail } from '../../../../db/wire/desktop-views.ts';
import { call, type DesktopError } from '../../api/client.ts';
import { asDesktopError } from '../../leads/actions.ts';
import { smsOptOut } from '../../leads/sms-opt-out.ts';
import { emailError, moneyError, phoneError } from '../../leads/validation.ts';
import {
  Button,
  ErrorMessage,
  formatDateTime,
  formatMoney,
  formatPhone,
  humanize,
  Panel,
  Select,
  showToast,
  TextArea,
  TextField,
} from '../../ui/index.ts';
import { buildLeadUpdate, toFormValues, type LeadFormValues } from './lead-edit.ts';

const urgencyOptions = leadUrgencies.map((value) => ({ value, label: humanize(value) }));

/** The lead's contact and job details: read, or edited in place and saved as one lead.update. */
export function LeadFields({ lead }: { lead: LeadDetail }) {
  /** What the form showed when editing began: the update's `base`. */
  const [shown, setShown] = useState<LeadFormValues | null>(null);

  return (
    <Panel
      title="Details"
      actions={
        shown ? null : (
          <Button size="sm" variant="secondary" onClick={() => setShown(toFormValues(lead))}>
            Edit details
          </Button>
        )
      }
    >
      {shown ? (
        <LeadEditForm lead={lead} shown={shown} onDone={() => setShown(null)} />
      ) : (
        <LeadFacts lead={lead} />
      )}
    </Panel>
  );
}

function LeadFacts({ lead }: { lead: LeadDetail }) {
  const optOut = smsOptOut(lead);
  const facts: [string, React.ReactNode][] = [
    [
      'Phone',
      <>
        <a href={`tel:${lead.customerPhone}`}>{formatPhone(lead.customerPhone)}</a>
        {optOut ? (
          <span className="fact-note" title={optOut.explanation}>
            {optOut.line}
          </span>
        ) : null}
      </>,
    ],
    [
      'Email',
      lead.customerEmail ? <a href={`mailto:${lead.customerEmail}`}>{lead.customerEmail}</a> : '—',
    ],
    ['Address', lead.customerAddress ?? '—'],
    ['Service type', lead.serviceType ?? '—'],
    ['Urgency', humanize(lead.urgency)],
    ['Source', humanize(lead.source)],
    ['Quoted', formatMoney(lead.quotedAmount)],
    ['Actual', formatMoney(lead.actualAmount)],
    ['Created', formatDateTime(lead.createdAt)],
  ];
  if (lead.lostReason) facts.push(['Lost because', lead.lostReason]);
  return (
    <>
      <dl className="facts">
        {facts.map(([label, value]) => (
          <div key={label} className="fact">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {lead.description ? (
        <div className="lead-description">
          <h3 className="facts-heading">Description</h3>
          <p>{lead.description}</p>
        </div>
      ) : null}
    </>
  );
}

function LeadEditForm({
  lead,
  shown,
  onDone,
}: {
  lead: LeadDetail;
  shown: LeadFormValues;
  onDone: () => void;
}) {
  const [values, setValues] = useState(shown);
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<DesktopError | null>(null);
  const set = (change: Partial<LeadFormValues>) =>
    setValues((current) => ({ ...current, ...change }));

  const errors = {
    customerPhone: phoneError(values.customerPhone),
    customerEmail: emailError(values.customerEmail),
    quotedAmount: moneyError(values.quotedAmount),
    actualAmount: moneyError(values.actualAmount),
  };
  const invalid = Object.values(errors).some(Boolean);
  const shownError = (field: keyof typeof errors) => (touched ? errors[field] : undefined);

  async function save(event: FormEvent) {
    event.preventDefault();
    setTouched(true);
    if (invalid) return;
    const update = buildLeadUpdate(shown, values);
    if (!update) {
      onDone();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await call('writes:record', {
        name: 'lead.update',
        args: {
          id: lead.id,
          set: update.set,
          base: update.base,
        },
      });
      showToast('Details saved', 'success');
      onDone();
    } catch (error) {
      setProblem(asDesktopError(error));
      setBusy(false);
    }
  }

  return (
    <form className="form-grid" onSubmit={(event) => void save(event)} noValidate>
      <TextField
        label="Name"
        value={values.customerName}
        onChange={(event) => set({ customerName: event.target.value })}
        maxLength={255}
        autoFocus
      />
      <TextField
        label="Phone"
        type="tel"
        value={values.customerPhone}
        onChange={(event) => set({ customerPhone: event.target.value })}
        required
        error={shownError('customerPhone')}
      />
      <TextField
        label="Email"
        type="email"
        value={values.customerEmail}
        onChange={(event) => set({ customerEmail: event.target.value })}
        error={shownError('customerEmail')}
      />
      <TextField
        label="Service type"
        value={values.serviceType}
        onChange={(event) => set({ serviceType: event.target.value })}
        maxLength={100}
      />
      <div className="span-2">
        <TextField
          label="Address"
          value={values.customerAddress}
          onChange={(event) => set({ customerAddress: event.target.value })}
          maxLength={1000}
        />
      </div>
      <Select<LeadUrgency>
        label="Urgency"
        options={urgencyOptions}
        value={values.urgency}
        onChange={(urgency) => set({ urgency })}
        placeholder="Not set"
      />
      <span />
      <TextField
        label="Quoted amount"
        inputMode="decimal"
        value={values.quotedAmount}
        onChange={(event) => set({ quotedAmount: event.target.value })}
        error={shownError('quotedAmount')}
      />
      <TextField
        label="Actual amount"
        inputMode="decimal"
        value={values.actualAmount}
        onChange={(event) => set({ actualAmount: event.target.value })}
        error={shownError('actualAmount')}
      />
      <div className="span-2">
        <TextArea
          label="Description"
          value={values.description}
          onChange={(event) => set({ description: event.target.value })}
          maxLength={5000}
          rows={4}
        />
      </div>
      <div className="span-2">
        <ErrorMessage error={problem} />
      </div>
      <div className="span-2 form-actions">
        <Button variant="ghost" onClick={onDone}>
          Cancel
        </Button>
        <Button variant="primary" type="submit" busy={busy}>
          Save
        </Button>
      </div>
    </form>
  );
}
