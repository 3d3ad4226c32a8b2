import { normalizePhone } from '../phone.ts';
import { fromPgText } from '../replica/codec.ts';
import type { LeadField } from './catalogue.ts';

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
