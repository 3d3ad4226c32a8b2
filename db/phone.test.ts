import { describe, expect, it } from 'vitest';
import { e164Pattern } from './enums.ts';
import { normalizePhone, tryNormalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['(512) 555-1234', '+15125551234'],
    ['512.555.1234', '+15125551234'],
    ['+1 512 555 1234', '+15125551234'],
    ['1-512-555-1234', '+15125551234'],
    ['  +15125551234 ', '+15125551234'],
    ['+44 20 7946 0958', '+442079460958'],
  ])('stores %s as %s (E.164)', (input, expected) => {
    const normalized = normalizePhone(input);
    expect(normalized).toBe(expected);
    expect(normalized).toMatch(new RegExp(e164Pattern));
  });

  it('reads a national number in the business country', () => {
    expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  });

  it.each(['', 'call me', '12', '555-1234', '+1 000 000 0000', '1234567890123456789'])(
    'refuses %j with INVALID_PHONE naming the input',
    (input) => {
      expect(() => normalizePhone(input)).toThrow(
        expect.objectContaining({ code: 'INVALID_PHONE' }),
      );
      expect(tryNormalizePhone(input)).toBeUndefined();
    },
  );
});
