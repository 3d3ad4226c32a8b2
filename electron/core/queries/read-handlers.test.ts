import { describe, expect, it } from 'vitest';
import { desktopApi, type DesktopChannel } from '../../../db/wire/desktop-api.ts';
import { createReadHandlers, type ReadChannel } from './read-handlers.ts';
import {
  at,
  insertAgentLog,
  insertCall,
  insertCampaign,
  insertFinancial,
  insertLead,
  insertText,
  insertWorkflow,
  replicaPerTest,
} from './test-rows.ts';

const open = replicaPerTest('queries-handlers');

describe('createReadHandlers', () => {
  it('answers every read channel with exactly its result schema, from parsed arguments', async () => {
    const replica = open();
    const lead = insertLead(replica, { customer_name: 'Dana Ortiz', service_type: 'plumbing' });
    insertCall(replica, { lead_id: lead, call_status: 'no_answer', created_at: at(2026, 11, 2) });
    insertText(replica, { lead_id: lead, created_at: at(2026, 11, 2) });
    insertFinancial(replica, { date: '2026-11-02', ad_spend: '12.00', leads_generated: 1 });
    const campaign = insertCampaign(replica);
    insertAgentLog(replica, {
      estimated_impact: '{"cpl_change": -5.25, "note": "é☺"}',
      created_at: at(2026, 11, 2),
    });
    insertAgentLog(replica, { agent_name: 'cx', result: 'pending', created_at: at(2026, 11, 1) });
    insertWorkflow(replica, { total_triggered: 4, total_completed: 3 });

    const handlers = createReadHandlers(replica, {
      clientId: 'laptop-1',
      now: () => new Date(2026, 10, 15),
    });
    const calls: { [C in ReadChannel]: unknown[] } = {
      'leads:list': [{ limit: 10 }],
      'leads:board': [{}],
      'leads:get': [{ id: lead }],
      'leads:timeline': [{ leadId: lead }],
      'leads:serviceTypes': [],
      'inbox:threads': [{}],
      'inbox:thread': [{ leadId: lead }],
      'inbox:markRead': [{ leadId: lead }],
      'calls:list': [{ limit: 10 }],
      'calls:markSeen': [],
      'dashboard:get': [{}],
      'campaigns:list': [],
      'keywords:list': [{ campaignId: campaign }],
      'agents:activity': [{}],
      'workflows:list': [],
    };
    const results: Partial<Record<DesktopChannel, unknown>> = {};
    for (const channel of Object.keys(calls) as ReadChannel[]) {
      const args = desktopApi[channel].args.parse(calls[channel]) as never[];
      const handler = handlers[channel] as (...parsed: never[]) => Promise<unknown>;
      const result = await handler(...args);
      expect(() => desktopApi[channel].result.parse(result), channel).not.toThrow();
      results[channel] = result;
    }
    expect(results['leads:serviceTypes']).toEqual(['plumbing']);
    expect(results['dashboard:get']).toMatchObject({ month: '2026-11', spend: '12.00' });
    expect(results['agents:activity']).toMatchObject([
      { agent: 'monitor', estimatedImpact: { cpl_change: -5.25, note: 'é☺' } },
      { agent: 'cx', result: 'pending', estimatedImpact: null },
    ]);
    expect(results['workflows:list']).toMatchObject([
      { triggered: 4, completed: 3, type: 'missed_call' },
    ]);
    expect(results['inbox:markRead']).toEqual({ unread: 0 });
    expect(await handlers['calls:list']({ missedOnly: false, offset: 0, limit: 10 })).toMatchObject(
      {
        missedUnseen: 0,
      },
    );
  });

  it('rejects, rather than throws, when a query fails', async () => {
    const replica = open();
    const handlers = createReadHandlers(replica, { clientId: 'laptop-1' });
    replica.close();
    await expect(handlers['workflows:list']()).rejects.toThrow();
  });
});
