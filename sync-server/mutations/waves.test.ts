import { describe, expect, it } from 'vitest';
import { planWaves } from './waves.ts';

describe('planWaves', () => {
  const touches = (item: { rows: string[] }) => item.rows;
  const names = (waves: { name: string }[][]) => waves.map((wave) => wave.map((m) => m.name));

  it('keeps the order of mutations that share a row and puts the others together', () => {
    const mutations = [
      { name: 'create A', rows: ['leads:a'] },
      { name: 'create B', rows: ['leads:b'] },
      { name: 'update A', rows: ['leads:a'] },
      { name: 'note on B', rows: ['leads:b', 'lead_notes:n1'] },
      { name: 'call, no lead', rows: ['call_logs:c1'] },
      { name: 'update A again', rows: ['leads:a'] },
      { name: 'note n1 again, on A', rows: ['leads:a', 'lead_notes:n1'] },
    ];
    expect(names(planWaves(mutations, touches))).toEqual([
      ['create A', 'create B', 'call, no lead'],
      ['update A', 'note on B'],
      ['update A again'],
      ['note n1 again, on A'],
    ]);
  });

  it('gives one wave per mutation when all share a row', () => {
    const mutations = [1, 2, 3].map((n) => ({ name: `edit ${n}`, rows: ['leads:a'] }));
    expect(names(planWaves(mutations, touches))).toEqual([['edit 1'], ['edit 2'], ['edit 3']]);
  });
});
