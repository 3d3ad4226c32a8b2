import { normalizePhone } from '../phone.ts';
import { fromPgText } from '../replica/codec.ts';
import type { LeadField, MutationArgs } from './catalogue.ts';

/**
 * A lead field's value in the one form it is stored in: Postgres's text of it, which is also the
 * replica's form for these columns ("450" is "450.00"; a phone typed "(512) 555-0101" is
 * "+15125550101"; an email in lower case). The server compares an edit with the stored value in
 * this form, and the desktop writes its optimistic value in it, so the two never disagree about
 * what an edit set. Throws INVALID_PHONE for a phone that is not one.
 */
export function storedLeadValue(field: LeadField, value: string | null): string | null {
  if (value === null) return null;
  switch (field) {
    case 'customerPhone':
      return normalizePhone(value);
    case 'customerEmail':
      return value.toLowerCase();
    case 'quotedAmount':
    case 'actualAmount':
      return fromPgText('numeric', value) as string;
    case 'customerName':
    case 'customerAddress':
    case 'serviceType':
    case 'urgency':
    case 'description':
    case 'pipelineStage':
      return value;
  }
}

/** A new lead's columns as `lead.create` stores them (server and desktop alike). */
export function createdLeadColumns(args: MutationArgs<'lead.create'>) {
  return {
    id: args.id,
    customer_phone: normalizePhone(args.customerPhone),
    customer_name: args.customerName ?? null,
    customer_email: args.customerEmail?.toLowerCase() ?? null,
    customer_address: args.customerAddress ?? null,
    service_type: args.serviceType ?? null,
    urgency: args.urgency ?? null,
    description: args.description ?? null,
    source: args.source,
  };
}
