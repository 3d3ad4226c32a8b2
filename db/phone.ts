import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from './errors.ts';

/**
 * Normalises a phone number as people type it ("(512) 555-1234", "512.555.1234", "+1 512 555 1234")
 * to E.164 ("+15125551234"), the one form stored anywhere. Numbers without a country code are read
 * in `defaultCountry` (the business's). Anything that is not a dialable number is refused.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'US'): string {
  const trimmed = input.trim();
  if (!/\d/.test(trimmed)) {
    throw new AppError('INVALID_PHONE', `"${input}" is not a phone number: it has no digits.`);
  }
  const parsed = parsePhoneNumberFromString(trimmed, defaultCountry);
  if (!parsed?.isValid()) {
    throw new AppError('INVALID_PHONE', `"${input}" is not a valid phone number.`);
  }
  return parsed.number;
}

/** Like normalizePhone, but returns undefined instead of throwing. */
export function tryNormalizePhone(
  input: string,
  defaultCountry: CountryCode = 'US',
): string | undefined {
  try {
    return normalizePhone(input, defaultCountry);
  } catch {
    return undefined;
  }
}
