import { describe, expect, it } from 'vitest';
import {
  formatCount,
  formatDuration,
  formatMoney,
  formatPercent,
  formatPhone,
  formatRelative,
  formatTime,
  humanize,
  leadName,
  plural,
} from './format.ts';

describe('format', () => {
  it('formats decimal money text without float arithmetic surprises', () => {
    expect(formatMoney('450.00')).toBe('$450.00');
    expect(formatMoney('1234.5')).toBe('$1,234.50');
    expect(formatMoney('1234.56', { whole: true })).toBe('$1,235');
    expect(formatMoney(null)).toBe('—');
    expect(formatMoney('')).toBe('—');
  });

  it('formats counts and fractions', () => {
    expect(formatCount(100000)).toBe('100,000');
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(null)).toBe('—');
  });

  it('formats call durations', () => {
    expect(formatDuration(0)).toBe('0:00');
    expect(formatDuration(75)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('formats North American phones and leaves others', () => {
    expect(formatPhone('+15551234567')).toBe('(555) 123-4567');
    expect(formatPhone('+447700900123')).toBe('+447700900123');
    expect(formatPhone(null)).toBe('—');
  });

  it('says how long ago', () => {
    const now = new Date('2026-11-28T12:00:00Z');
    expect(formatRelative('2026-11-28T11:59:50Z', now)).toBe('just now');
    expect(formatRelative('2026-11-28T11:55:00Z', now)).toBe('5 min ago');
    expect(formatRelative('2026-11-28T09:00:00Z', now)).toBe('3 h ago');
    expect(formatRelative('2026-11-26T12:00:00Z', now)).toBe('2 d ago');
    expect(formatRelative('2026-11-28T14:05:00Z', now)).toBe(formatTime('2026-11-28T14:05:00Z'));
  });

  it('turns enum values into words', () => {
    expect(humanize('missed_call')).toBe('Missed call');
    expect(humanize('google_ads')).toBe('Google Ads');
    expect(humanize('new')).toBe('New');
  });

  it('names a lead by its customer, else its phone', () => {
    expect(leadName({ customerName: 'Ann Lee', customerPhone: '+15551234567' })).toBe('Ann Lee');
    expect(leadName({ customerName: ' ', customerPhone: '+15551234567' })).toBe('(555) 123-4567');
    expect(plural(1, 'change')).toBe('1 change');
    expect(plural(3, 'change')).toBe('3 changes');
  });
});
