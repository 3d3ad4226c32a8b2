import { describe, expect, it } from 'vitest';
import { advances, callOutcome, isMissed } from './call-outcome.ts';

describe('a call’s outcome from what Twilio told so far', () => {
  it('lets the forwarded leg decide answered or missed', () => {
    const outcome = (dialStatus: string, hasRecording = false) =>
      callOutcome({ providerStatus: 'completed', dialStatus, hasRecording });
    expect(outcome('completed')).toBe('answered');
    expect(outcome('answered')).toBe('answered');
    expect(outcome('no-answer')).toBe('no_answer');
    expect(outcome('canceled')).toBe('no_answer');
    expect(outcome('busy')).toBe('busy');
    expect(outcome('failed')).toBe('failed');
    // A voicemail makes any missed call a voicemail, never an answered one.
    expect(outcome('no-answer', true)).toBe('voicemail');
    expect(outcome('busy', true)).toBe('voicemail');
    expect(outcome('completed', true)).toBe('answered');
  });

  it('falls back on the parent call’s end, and decides nothing before it', () => {
    const outcome = (providerStatus: Parameters<typeof callOutcome>[0]['providerStatus']) =>
      callOutcome({ providerStatus, dialStatus: null, hasRecording: false });
    expect(outcome('completed')).toBe('no_answer');
    expect(outcome('busy')).toBe('busy');
    expect(outcome('failed')).toBe('failed');
    expect(outcome('canceled')).toBe('no_answer');
    for (const early of ['queued', 'initiated', 'ringing', 'in-progress', null] as const) {
      expect(outcome(early)).toBeNull();
    }
    // Prototype names are not statuses.
    expect(
      callOutcome({ providerStatus: null, dialStatus: 'constructor', hasRecording: false }),
    ).toBeNull();
  });

  it('never moves a call backwards', () => {
    expect(advances(null, 'ringing')).toBe(true);
    expect(advances('ringing', 'in-progress')).toBe(true);
    expect(advances('in-progress', 'completed')).toBe(true);
    expect(advances('completed', 'ringing')).toBe(false);
    expect(advances('completed', 'busy')).toBe(false);
  });

  it('calls every outcome but answered missed', () => {
    expect(isMissed('answered')).toBe(false);
    expect(isMissed(null)).toBe(false);
    for (const missed of ['no_answer', 'busy', 'voicemail', 'failed'] as const) {
      expect(isMissed(missed)).toBe(true);
    }
  });
});
