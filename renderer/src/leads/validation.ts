/**
 * The checks a person gets told about while typing, matching the mutation catalogue's rules
 * (db/mutations/catalogue.ts) so an edit the form accepts is one the core accepts.
 */

const MONEY = /^\d{1,8}(\.\d{1,2})?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** "$1,250.5" → "1250.5"; '' stays ''. Returns null when it is not an amount. */
export function parseMoneyInput(text: string): string | null {
  const cleaned = text.trim().replace(/[$,\s]/g, '');
  if (cleaned === '') return '';
  return MONEY.test(cleaned) ? cleaned : null;
}

export function moneyError(text: string, required = false): string | undefined {
  const parsed = parseMoneyInput(text);
  if (parsed === null) return 'Enter an amount such as 450 or 450.00';
  if (required && parsed === '') return 'Enter the amount quoted';
  return undefined;
}

export function phoneError(text: string): string | undefined {
  const digits = text.replace(/\D/g, '');
  if (!text.trim()) return 'A phone number is required';
  if (digits.length < 7 || text.trim().length > 40) return 'Enter a phone number';
  return undefined;
}

export function emailError(text: string): string | undefined {
  return text.trim() && !EMAIL.test(text.trim()) ? 'Enter an email address' : undefined;
}

/** A form's text as the mutation wants it: trimmed, and '' as null ("cleared"). */
export function textOrNull(text: string): string | null {
  const trimmed = text.trim();
  return trimmed === '' ? null : trimmed;
}

/** Like textOrNull, but leaves the key out instead (lead.create takes optional, not null). */
export function textOrUndefined(text: string): string | undefined {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}
