import { describe, expect, it } from 'vitest';
import type { AgentAction } from '../../../../db/wire/desktop-views.ts';
import { describeImpact, feed, summarise } from './activity.ts';

let n = 0;
const action = (over: Partial<AgentAction>): AgentAction => ({
  id: `00000000-0000-4000-8000-${String((n += 1)).padStart(12, '0')}`,
  agent: 'monitor',
  actionType: 'alert',
  result: 'success',
  message: null,
  estimatedImpact: null,
  at: '2026-11-03T10:00:00.000Z',
  completedAt: null,
  ...over,
});

describe('summarise', () => {
  it('counts results and adds the savings of successes exactly', () => {
    const summaries = summarise([
      action({ agent: 'cx', estimatedImpact: { monthly_savings: 0.1 } }),
      action({
        agent: 'cx',
        estimatedImpact: { monthly_savings: 0.2, cpl_change: -3 },
        at: '2026-11-04T10:00:00.000Z',
      }),
      action({ agent: 'cx', result: 'failed', estimatedImpact: { monthly_savings: 100 } }),
      action({ agent: 'retention', result: 'pending' }),
    ]);
    expect(summaries.map((s) => s.agent)).toEqual([
      'monitor',
      'cx',
      'diagnostic',
      'optimizing',
      'retention',
    ]);
    const cx = summaries[1];
    expect(cx).toMatchObject({ total: 3, success: 2, failed: 1, savingsCents: 30 });
    expect(cx?.lastAt).toBe('2026-11-04T10:00:00.000Z');
    expect(summaries[0]).toMatchObject({ total: 0, lastAt: null });
    expect(summaries[4]?.pending).toBe(1);
  });
});

describe('feed', () => {
  it('filters by agent, newest first', () => {
    const a = action({ agent: 'cx', at: '2026-11-01T00:00:00Z' });
    const b = action({ agent: 'monitor', at: '2026-11-03T00:00:00Z' });
    const c = action({ agent: 'cx', at: '2026-11-02T00:00:00Z' });
    expect(feed([a, b, c], 'all').map((x) => x.id)).toEqual([b.id, c.id, a.id]);
    expect(feed([a, b, c], 'cx').map((x) => x.id)).toEqual([c.id, a.id]);
  });
});

describe('describeImpact', () => {
  it('reads the known measures with their good direction', () => {
    expect(
      describeImpact({
        monthly_savings: 120,
        cpl_change: -5.25,
        cpl_change_pct: 140,
        conversions_change_pct: 4.5,
      }),
    ).toEqual([
      { key: 'monthly_savings', text: '$120/mo saved', tone: 'good' },
      { key: 'cpl_change', text: 'CPL −$5.25', tone: 'good' },
      { key: 'cpl_change_pct', text: 'CPL +140%', tone: 'bad' },
      { key: 'conversions_change_pct', text: 'Conversions +4.5%', tone: 'good' },
    ]);
  });
  it('shows unknown measures as they are and skips nested ones', () => {
    expect(describeImpact({ leads_recovered: 3, detail: { a: 1 } })).toEqual([
      { key: 'leads_recovered', text: 'Leads recovered: 3', tone: 'neutral' },
    ]);
    expect(describeImpact(null)).toEqual([]);
  });
});
