import { describe, expect, it } from 'vitest';
import { templates } from '../../db/demo/workflows.ts';
import { isOpen, missedCallText, parseMissedCallConfig } from './missed-call.ts';

/** The demo's missed_call workflow, as db/demo writes it (Chicago, Mon–Fri 7–19, Sat 8–14). */
const demo = {
  message_template: templates.missedCall,
  delay_seconds: 60,
  business_hours: {
    timezone: 'America/Chicago',
    sunday: null,
    monday: { open: '07:00', close: '19:00' },
    tuesday: { open: '07:00', close: '19:00' },
    wednesday: { open: '07:00', close: '19:00' },
    thursday: { open: '07:00', close: '19:00' },
    friday: { open: '07:00', close: '19:00' },
    saturday: { open: '08:00', close: '14:00' },
  },
  after_hours_template: templates.afterHours,
  emergency_words: ['flood', 'burst'],
  once_per_caller_hours: 24,
};

describe('the missed-call workflow’s config', () => {
  it('reads the demo businesses’ config, and fills in defaults for a minimal one', () => {
    expect(parseMissedCallConfig(demo).delay_seconds).toBe(60);
    const minimal = parseMissedCallConfig({ message_template: 'Sorry we missed you!' });
    expect(minimal).toMatchObject({
      delay_seconds: 30,
      once_per_caller_hours: 24,
      emergency_words: [],
    });
    expect(minimal.business_hours).toBeUndefined();
  });

  it('refuses a bad config naming the field', () => {
    const refuse = (config: unknown) => () => parseMissedCallConfig(config);
    expect(refuse({})).toThrow(/message_template/);
    expect(refuse({ ...demo, delay_seconds: -5 })).toThrow(/delay_seconds/);
    expect(refuse({ ...demo, message_template: 'Your quote is {quoted_amount}' })).toThrow(
      /\{quoted_amount\}/,
    );
    expect(
      refuse({ ...demo, business_hours: { ...demo.business_hours, timezone: 'America/Chicag0' } }),
    ).toThrow(/business_hours\.timezone/);
    expect(
      refuse({
        ...demo,
        business_hours: { ...demo.business_hours, monday: { open: '19:00', close: '07:00' } },
      }),
    ).toThrow(/business_hours\.monday/);
    expect(refuse({ ...demo, once_per_caller_hours: 'daily' })).toThrow(/once_per_caller_hours/);
  });
});

describe('open hours and the text chosen', () => {
  const config = parseMissedCallConfig(demo);
  it('is open from opening time up to, not including, closing time in the business’s zone', () => {
    // Wednesday 2026-11-25: Chicago is UTC−6.
    expect(isOpen(config, new Date('2026-11-25T12:59:00Z'))).toBe(false); // 06:59
    expect(isOpen(config, new Date('2026-11-25T13:00:00Z'))).toBe(true); // 07:00
    expect(isOpen(config, new Date('2026-11-26T00:59:00Z'))).toBe(true); // 18:59
    expect(isOpen(config, new Date('2026-11-26T01:00:00Z'))).toBe(false); // 19:00
    // Saturday 2026-11-28 10:00, Sunday 2026-11-29 10:00.
    expect(isOpen(config, new Date('2026-11-28T16:00:00Z'))).toBe(true);
    expect(isOpen(config, new Date('2026-11-29T16:00:00Z'))).toBe(false);
    expect(isOpen(parseMissedCallConfig({ message_template: 'x' }), new Date())).toBe(true);
  });

  it('fills in the business and the caller’s first name, or "there" for a caller not yet named', () => {
    const during = new Date('2026-11-25T15:00:00Z'); // Wednesday 09:00
    expect(
      missedCallText(config, during, { businessName: "Pat's Pipes", customerName: null }),
    ).toBe(
      "Hi there, this is Pat's Pipes. Sorry we missed your call! How can we help? Reply here and we'll call you right back.",
    );
    const sunday = new Date('2026-11-29T16:00:00Z');
    expect(
      missedCallText(config, sunday, { businessName: "Pat's Pipes", customerName: 'Maria Ortiz' }),
    ).toBe(
      "Hi Maria, thanks for calling Pat's Pipes. We're closed right now and will call you first thing in the morning. If this is an emergency, reply URGENT and our on-call tech will call you back.",
    );
  });
});
