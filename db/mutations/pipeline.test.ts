import { describe, expect, it } from 'vitest';
import { leadStatuses } from '../enums.ts';
import { pipelineForbids } from './pipeline.ts';

describe('the lead pipeline', () => {
  const allowed = (from: string, to: string) =>
    pipelineForbids(from as never, to as never) === undefined;

  it('moves forward, skipping steps if need be, and never back', () => {
    expect(allowed('new', 'contacted')).toBe(true);
    expect(allowed('new', 'booked')).toBe(true);
    expect(allowed('quoted', 'completed')).toBe(true);
    expect(pipelineForbids('booked', 'quoted')).toMatch(/forward.*not from booked back to quoted/);
    expect(pipelineForbids('contacted', 'contacted')).toMatch(/already contacted/);
  });

  it('loses any open lead, reopens a lost one, and keeps a completed job completed', () => {
    for (const from of ['new', 'contacted', 'quoted', 'booked'] as const) {
      expect(allowed(from, 'lost')).toBe(true);
      expect(allowed('lost', from)).toBe(true);
    }
    expect(pipelineForbids('lost', 'completed')).toMatch(/reopen/);
    for (const to of leadStatuses.filter((s) => s !== 'completed')) {
      expect(pipelineForbids('completed', to)).toMatch(/completed job cannot move/);
    }
  });
});
