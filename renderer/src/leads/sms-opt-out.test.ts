import { describe, expect, it } from 'vitest';
import { smsOptOut } from './sms-opt-out.ts';

const dana = {
  customerName: 'Dana Ortiz',
  customerPhone: '+15125551234',
  // 03:00 UTC on the 21st is still the 20th in Chicago.
  smsOptedOutAt: '2026-11-21T03:00:00.123456Z',
};

describe('smsOptOut', () => {
  it('says nothing about a customer who may be texted', () => {
    expect(smsOptOut({ ...dana, smsOptedOutAt: null })).toBeNull();
  });

  it('says who opted out, on which local day, and how texting comes back', () => {
    expect(smsOptOut(dana, 'America/Chicago')).toEqual({
      badge: 'Opted out of texts · Nov 20, 2026',
      line: 'Opted out of texts on Nov 20, 2026',
      explanation:
        'Dana Ortiz opted out of texts on Nov 20, 2026. ' +
        'They must text START to your number before you can text them.',
      placeholder: 'Texting is off for this customer',
    });
    expect(smsOptOut(dana, 'Europe/Berlin')?.badge).toBe('Opted out of texts · Nov 21, 2026');
  });

  it('names a customer without a name by their phone', () => {
    expect(smsOptOut({ ...dana, customerName: ' ' }, 'America/Chicago')?.explanation).toMatch(
      /^\(512\) 555-1234 opted out of texts on Nov 20, 2026/,
    );
  });
});
