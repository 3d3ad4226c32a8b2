import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../db/enums.ts';
import { fromPgText } from '../../db/replica/codec.ts';
import { postgresColumns } from '../../db/replica/tables.ts';
import {
  bothSides,
  createHarness,
  replicaHas,
  replicaValue,
  serverRows,
  signUpAt,
  until,
} from './harness.ts';
import { insertRow, type Parents } from './rows.ts';

/** SQL string literal. */
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** Text that breaks naive CSV, array-literal, JSON or NULL handling. */
const awkward = `O'Brien, "Bob" {x} \\ NULL\ttab\nline — café ✓ 🔧`;
/** JSON as it might come from an agent: nesting, unicode, escapes, numbers no double holds. */
const nestedJson =
  '{"nested": {"deeper": {"list": [1, 2.50, null, "a,b", "say \\"hi\\"", "NULL", "{}", ""]}}, ' +
  '"unicode": "café ✓ 🔧 日本", "escapes": "back\\\\slash \\n newline", ' +
  '"big": 12345678901234567890, "precise": 0.10, "empty": {}, "nothing": null}';

/** Rows whose every awkward value must come back exactly. */
async function writeAwkwardRows(
  query: Parameters<
    Parameters<Awaited<ReturnType<typeof createHarness>>['pg']['asBusiness']>[1]
  >[0],
  parents: Parents,
  leapDay: string,
): Promise<Record<string, string>> {
  const lead = await insertRow(query, 'leads', parents, {
    customer_name: literal(awkward),
    customer_email: 'NULL',
    description: literal('NULL'),
    lost_reason: literal(''),
    service_type: literal('{plumbing,"drain cleaning"}'),
    quoted_amount: '99999999.99',
    actual_amount: '0.1',
    created_at: literal('2026-11-27 11:37:41.123456-06'),
    contacted_at: literal('2026-11-27 23:07:41.000001+05:30'),
    quoted_at: literal('1999-12-31 23:59:59.999999-03:30'),
    booked_at: literal('2028-02-29 00:00:00+14'),
    completed_at: literal('1850-06-01 12:00:00 America/Chicago'),
  });
  const financials = await insertRow(query, 'financials', parents, {
    date: literal(leapDay),
    ad_spend: '0.01',
    platform_fee: '1234.5',
    revenue: '12345678.90',
    leads_generated: '2147483647',
    leads_booked: '3',
  });
  const call = await insertRow(query, 'call_logs', parents, {
    call_duration: '2147483647',
    recording_duration: '0',
    recording_url: literal('https://example.com/r?a=1&b="2"'),
  });
  const agent = await insertRow(query, 'ai_agent_logs', parents, {
    action_data: `${literal(nestedJson)}::jsonb`,
    estimated_impact: `'{"cpl_change": -5.25, "note": "\\u00e9\\u263a"}'::jsonb`,
    result_message: literal(awkward),
    completed_at: literal('2026-03-08 08:30:00.5+00'),
  });
  const workflow = await insertRow(query, 'workflows', parents, {
    config: `'{"steps": [{"wait": "30s", "text": "Hi {name}, \\"sorry\\""}], "on": true}'::jsonb`,
  });
  const campaign = await insertRow(query, 'campaigns', parents, {
    daily_budget: '0',
    monthly_budget: 'NULL',
    total_spend: '99999999.99',
  });
  return { lead, financials, call, agent, workflow, campaign };
}

describe('values', () => {
  it('round-trip exactly: money, instants with time zones, JSON, awkward text, NULLs', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Exact Plumbing');
    const parents = await harness.pg.asBusiness(account.tenantId, async (query) => {
      const campaignId = await insertRow(query, 'campaigns', {
        tenantId: account.tenantId,
        campaignId: '',
      });
      return { tenantId: account.tenantId, campaignId };
    });
    // Some rows go in the snapshot, the same kind arrive live afterwards.
    const snapshotIds = await harness.pg.asBusiness(account.tenantId, (query) =>
      writeAwkwardRows(query, parents, '2028-02-29'),
    );
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    client.start();
    await client.upToDate();
    const liveIds = await harness.pg.asBusiness(account.tenantId, (query) =>
      writeAwkwardRows(query, parents, '2024-02-29'),
    );
    await until(client, () =>
      Object.entries(liveIds).every(([kind, id]) =>
        replicaHas(replica, kindTable[kind as keyof typeof kindTable], id),
      ),
    );

    // Every value of every row, written back with toPgText, is what Postgres itself prints.
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);

    for (const [ids, leapDay] of [
      [snapshotIds, '2028-02-29'],
      [liveIds, '2024-02-29'],
    ] as const) {
      const value = (table: (typeof syncedTables)[number], id: string, column: string) =>
        replicaValue(replica, table, id, column);
      expect(value('leads', ids.lead!, 'customer_name')).toBe(awkward);
      expect(value('leads', ids.lead!, 'customer_email')).toBeNull();
      expect(value('leads', ids.lead!, 'description')).toBe('NULL');
      expect(value('leads', ids.lead!, 'lost_reason')).toBe('');
      expect(value('leads', ids.lead!, 'service_type')).toBe('{plumbing,"drain cleaning"}');
      expect(value('leads', ids.lead!, 'quoted_amount')).toBe('99999999.99');
      expect(value('leads', ids.lead!, 'actual_amount')).toBe('0.10');
      expect(value('leads', ids.lead!, 'created_at')).toBe('2026-11-27T17:37:41.123456Z');
      expect(value('leads', ids.lead!, 'contacted_at')).toBe('2026-11-27T17:37:41.000001Z');
      expect(value('leads', ids.lead!, 'quoted_at')).toBe('2000-01-01T03:29:59.999999Z');
      expect(value('leads', ids.lead!, 'booked_at')).toBe('2028-02-28T10:00:00.000000Z');
      expect(value('leads', ids.lead!, 'completed_at')).toBe('1850-06-01T17:50:36.000000Z');
      expect(value('financials', ids.financials!, 'date')).toBe(leapDay);
      expect(value('financials', ids.financials!, 'revenue')).toBe('12345678.90');
      expect(value('financials', ids.financials!, 'platform_fee')).toBe('1234.50');
      expect(value('financials', ids.financials!, 'leads_generated')).toBe(2147483647);
      expect(value('call_logs', ids.call!, 'call_duration')).toBe(2147483647);
      expect(value('campaigns', ids.campaign!, 'daily_budget')).toBe('0.00');
      expect(value('campaigns', ids.campaign!, 'monthly_budget')).toBeNull();
      expect(value('ai_agent_logs', ids.agent!, 'result_message')).toBe(awkward);
      const actionData = value('ai_agent_logs', ids.agent!, 'action_data') as string;
      expect(JSON.parse(actionData)).toEqual(JSON.parse(nestedJson));
      expect(actionData).toContain('12345678901234567890'); // digits a double would round
      expect(actionData).toContain('2.50');
      expect(JSON.parse(value('ai_agent_logs', ids.agent!, 'estimated_impact') as string)).toEqual({
        cpl_change: -5.25,
        note: 'é☺',
      });
    }

    // The same instants as Postgres prints them in another session time zone.
    await harness.pg.query(`SET TIME ZONE 'America/St_Johns'`);
    try {
      for (const table of syncedTables) {
        const timestamps = postgresColumns(table).filter((c) => c.type === 'timestamptz');
        for (const row of await serverRows(harness.pg, table, account.tenantId)) {
          for (const column of timestamps) {
            expect(replicaValue(replica, table, row.id!, column.name)).toBe(
              fromPgText('timestamptz', row[column.name] ?? null),
            );
          }
        }
      }
    } finally {
      await harness.pg.query(`SET TIME ZONE 'UTC'`);
    }
  });
});

const kindTable = {
  lead: 'leads',
  financials: 'financials',
  call: 'call_logs',
  agent: 'ai_agent_logs',
  workflow: 'workflows',
  campaign: 'campaigns',
} as const;
