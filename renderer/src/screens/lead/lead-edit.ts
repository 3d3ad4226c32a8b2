import type { LeadUrgency } from '../../../../db/enums.ts';
import type { LeadDetail } from '../../../../db/wire/desktop-views.ts';
import { parseMoneyInput } from '../../leads/validation.ts';

/** The editable fields of a lead, as the form holds them: text, '' meaning "empty". */
export interface LeadFormValues {
  customerName: string;
  customerPhone: string;
  customerEmail: string;
  customerAddress: string;
  serviceType: string;
  urgency: LeadUrgency | '';
  description: string;
  quotedAmount: string;
  actualAmount: string;
}

export type EditableField = keyof LeadFormValues;
export const editableFields = [
  'customerName',
  'customerPhone',
  'customerEmail',
  'customerAddress',
  'serviceType',
  'urgency',
  'description',
  'quotedAmount',
  'actualAmount',
] as const satisfies readonly EditableField[];

export function toFormValues(lead: LeadDetail): LeadFormValues {
  return {
    customerName: lead.customerName ?? '',
    customerPhone: lead.customerPhone,
    customerEmail: lead.customerEmail ?? '',
    customerAddress: lead.customerAddress ?? '',
    serviceType: lead.serviceType ?? '',
    urgency: lead.urgency ?? '',
    description: lead.description ?? '',
    quotedAmount: lead.quotedAmount ?? '',
    actualAmount: lead.actualAmount ?? '',
  };
}

type Value = string | null;

/** A field's form text as the mutation's value: trimmed, '' → null, amounts cleaned ("$1,200"). */
function toValue(field: EditableField, text: string): Value {
  const trimmed = text.trim();
  if (field === 'quotedAmount' || field === 'actualAmount') {
    const amount = parseMoneyInput(trimmed);
    return amount === '' || amount === null ? (trimmed === '' ? null : trimmed) : amount;
  }
  return trimmed === '' ? null : trimmed;
}

/** Amounts compare by value: "450" and "450.00" are the same quote. */
function same(field: EditableField, a: Value, b: Value): boolean {
  if ((field === 'quotedAmount' || field === 'actualAmount') && a !== null && b !== null) {
    return Number(a) === Number(b);
  }
  return a === b;
}

/**
 * The lead.update of an edit: `set` holds only the fields the person changed, `base` what those
 * fields showed when editing began (so the server can tell an edit made meanwhile by someone else).
 * Null when nothing changed.
 */
export function buildLeadUpdate(
  shown: LeadFormValues,
  edited: LeadFormValues,
): { set: Record<string, Value>; base: Record<string, Value> } | null {
  const set: Record<string, Value> = {};
  const base: Record<string, Value> = {};
  for (const field of editableFields) {
    const before = toValue(field, shown[field]);
    const after = toValue(field, edited[field]);
    if (same(field, before, after)) continue;
    set[field] = after;
    base[field] = before;
  }
  return Object.keys(set).length > 0 ? { set, base } : null;
}
