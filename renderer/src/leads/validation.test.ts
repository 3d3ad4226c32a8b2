import { describe, expect, it } from 'vitest';
import {
  emailError,
  moneyError,
  parseMoneyInput,
  phoneError,
  textOrNull,
  textOrUndefined,
} from './validation.ts';

describe('lead form validation', () => {
  it('reads amounts as the catalogue wants them', () => {
    expect(parseMoneyInput('$1,250.50')).toBe('1250.50');
    expect(parseMoneyInput('450')).toBe('450');
    expect(parseMoneyInput('')).toBe('');
    expect(parseMoneyInput('4.505')).toBeNull();
    expect(parseMoneyInput('-3')).toBeNull();
    expect(moneyError('', true)).toBe('Enter the amount quoted');
    expect(moneyError('12.5')).toBeUndefined();
  });

  it('checks phones and emails', () => {
    expect(phoneError('')).toBe('A phone number is required');
    expect(phoneError('555')).toBe('Enter a phone number');
    expect(phoneError('(555) 123-4567')).toBeUndefined();
    expect(emailError('')).toBeUndefined();
    expect(emailError('ann@example')).toBe('Enter an email address');
    expect(emailError('ann@example.com')).toBeUndefined();
  });

  it('turns blanks into null or nothing', () => {
    expect(textOrNull('  ')).toBeNull();
    expect(textOrNull(' Ann ')).toBe('Ann');
    expect(textOrUndefined('')).toBeUndefined();
  });
});
