import { describe, expect, it } from 'vitest';
import { callOutcome, locate, pagesFor } from './pages.ts';

describe('pagesFor', () => {
  it('lists the pages under the visible rows', () => {
    expect(pagesFor(0, 30, 200)).toEqual([0]);
    expect(pagesFor(190, 210, 200)).toEqual([0, 1]);
    expect(pagesFor(400, 400, 200)).toEqual([2]);
    expect(pagesFor(-5, 10, 200)).toEqual([0]);
  });
  it('needs nothing for an empty range', () => {
    expect(pagesFor(0, -1)).toEqual([]);
    expect(pagesFor(10, 5)).toEqual([]);
  });
});

describe('locate', () => {
  it('finds a row in its page', () => {
    expect(locate(0, 200)).toEqual({ page: 0, offset: 0 });
    expect(locate(450, 200)).toEqual({ page: 2, offset: 50 });
  });
});

describe('callOutcome', () => {
  it('reads missed calls with their reason', () => {
    expect(callOutcome({ status: 'no_answer', missed: true, direction: 'inbound' })).toEqual({
      label: 'Missed',
      tone: 'danger',
    });
    expect(callOutcome({ status: 'voicemail', missed: true, direction: 'inbound' }).label).toBe(
      'Missed · voicemail',
    );
  });
  it('reads answered and outbound outcomes', () => {
    expect(callOutcome({ status: 'answered', missed: false, direction: 'inbound' }).tone).toBe(
      'success',
    );
    expect(callOutcome({ status: 'busy', missed: false, direction: 'outbound' })).toEqual({
      label: 'Busy',
      tone: 'warning',
    });
  });
});
