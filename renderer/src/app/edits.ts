import type { RefusedEdit, SupersededEdit } from '../../../db/wire/desktop-api.ts';
import { humanize } from '../ui/format.ts';

/** A refused edit in words: "Move lead to Quoted", "Text to lead", from its mutation's args. */
export function describeRefused(edit: Pick<RefusedEdit, 'name' | 'args'>): string {
  const args = (typeof edit.args === 'object' && edit.args !== null ? edit.args : {}) as Record<
    string,
    unknown
  >;
  switch (edit.name) {
    case 'lead.move':
      return `Move a lead to ${humanize(typeof args.to === 'string' ? args.to : null)}`;
    case 'lead.update': {
      const set = typeof args.set === 'object' && args.set !== null ? Object.keys(args.set) : [];
      return set.length > 0
        ? `Change ${set.map((field) => fieldLabel(field)).join(', ')}`
        : 'Edit a lead';
    }
    case 'lead.create':
      return 'Create a lead';
    case 'lead.addNote':
      return 'Add a note';
    case 'text.queue':
      return 'Send a text';
    case 'call.logOutbound':
      return 'Log a call';
    default:
      return humanize(edit.name);
  }
}

const FIELD_LABELS: Record<string, string> = {
  customerName: 'name',
  customer_name: 'name',
  customerPhone: 'phone',
  customer_phone: 'phone',
  customerEmail: 'email',
  customer_email: 'email',
  customerAddress: 'address',
  customer_address: 'address',
  serviceType: 'service type',
  service_type: 'service type',
  quotedAmount: 'quoted amount',
  quoted_amount: 'quoted amount',
  actualAmount: 'actual amount',
  actual_amount: 'actual amount',
  pipelineStage: 'pipeline stage',
  pipeline_stage: 'pipeline stage',
};

/** A lead field's name as words, from its argument ("quotedAmount") or column ("quoted_amount"). */
export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? humanize(field).toLowerCase();
}

/** Only lead fields an update can set can be made again (a status goes through the pipeline). */
export function canApplyAgain(edit: Pick<SupersededEdit, 'table' | 'field'>): boolean {
  return edit.table === 'leads' && edit.field !== 'status';
}

export function showValue(value: string | null): string {
  return value === null || value === '' ? '(empty)' : value;
}
