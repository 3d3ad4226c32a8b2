import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { AppError } from './errors.ts';

/**
 * Normalises a phone number as people type it ("(512) 555-1234", "512.555.1234", "+1 512 555 1234")
 * to E.164 ("+15125551234"), the one form stored anywhere. Numbers without a country code are read
 * in `defaultCountry` (the business's). Anything that is not a dialable number is refused.
 */
export function normalizePhone(input: string, defaultCountry: CountryCode = 'US'): string {
  // Remembered: parsing costs about 0.15 ms, and a backlog repeats its numbers (the same customer
  // called, texted, called again). A refused number is not kept.
  const key = `${defaultCountry}:${input}`;
  const known = knownPhones.get(key);
  if (known !== undefined) return known;
  const phone = parsePhone(input, defaultCountry);
  if (knownPhones.size >= MAX_KNOWN_PHONES) knownPhones.clear();
  knownPhones.set(key, phone);
  return phone;
}
const knownPhones = new Map<string, string>();
const MAX_KNOWN_PHONES = 10_000;

function parsePhone(input: string, defaultCountry: CountryCode): string {
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
