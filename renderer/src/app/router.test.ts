import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './router.ts';

const id = '3f1e2d4c-5b6a-4789-8abc-def012345678';

describe('hash routes', () => {
  it('reads each screen', () => {
    expect(parseRoute('')).toEqual({ name: 'pipeline', view: 'board' });
    expect(parseRoute('#/')).toEqual({ name: 'pipeline', view: 'board' });
    expect(parseRoute('#/pipeline/list')).toEqual({ name: 'pipeline', view: 'list' });
    expect(parseRoute(`#/leads/${id}`)).toEqual({ name: 'lead', id });
    expect(parseRoute('#/inbox')).toEqual({ name: 'inbox' });
    expect(parseRoute(`#/inbox/${id}`)).toEqual({ name: 'inbox', leadId: id });
    expect(parseRoute('#/calls')).toEqual({ name: 'calls' });
    expect(parseRoute('#/dashboard?month=2026-11')).toEqual({ name: 'dashboard' });
  });

  it('falls back to the board for unknown or malformed routes', () => {
    expect(parseRoute('#/nope')).toEqual({ name: 'pipeline', view: 'board' });
    expect(parseRoute('#/leads/not-an-id')).toEqual({ name: 'pipeline', view: 'board' });
    expect(parseRoute('#token=abc')).toEqual({ name: 'pipeline', view: 'board' });
  });

  it('round-trips', () => {
    const routes: Route[] = [
      { name: 'pipeline', view: 'board' },
      { name: 'pipeline', view: 'list' },
      { name: 'lead', id },
      { name: 'inbox' },
      { name: 'inbox', leadId: id },
      { name: 'calls' },
      { name: 'dashboard' },
      { name: 'campaigns' },
      { name: 'agents' },
      { name: 'workflows' },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });
});
