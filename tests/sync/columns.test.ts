import { describe, expect, it } from 'vitest';
import { postgresColumns } from '../../db/replica/tables.ts';
import {
  createHarness,
  quickAccount,
  recordingFetch,
  replicaHas,
  replicaValue,
  until,
} from './harness.ts';

describe('a desktop older than the server', () => {
  it('asks for its own columns, so a column the server has gained since does not break it', async () => {
    const harness = await createHarness();
    // The server is a release ahead: leads carry a column this desktop's replica has no place for.
    await harness.pg.query(`ALTER TABLE leads ADD COLUMN newer_release_note text DEFAULT 'new'`);
    const server = await harness.startServer();
    const account = await quickAccount(harness, 'Older Desktop Plumbing');
    const insertLead = (phone: string, name: string) =>
      harness.pg.asBusiness(account.tenantId, async (query) => {
        const [row] = await query<{ id: string }>(
          `INSERT INTO leads (user_id, customer_phone, customer_name, source)
           VALUES ($1, $2, $3, 'website') RETURNING id::text`,
          [account.tenantId, phone, name],
        );
        return row!.id;
      });
    const inSnapshot = await insertLead('+15125550101', 'Snapshot Sam');

    const recorded = recordingFetch();
    const replica = harness.openReplica();
    const client = harness.client({
      server,
      replica,
      token: account.accessToken,
      tables: ['leads'],
      fetch: recorded.fetch,
    });
    client.start();
    await client.upToDate();
    const live = await insertLead('+15125550102', 'Live Lee');
    await until(client, () => replicaHas(replica, 'leads', live));

    expect(replicaValue(replica, 'leads', inSnapshot, 'customer_name')).toBe('Snapshot Sam');
    expect(replicaValue(replica, 'leads', live, 'customer_name')).toBe('Live Lee');
    const asked = recorded.urls.find((url) => url.pathname === '/v1/shape');
    const names = asked?.searchParams.get('columns')?.split(',');
    expect(names).toEqual(postgresColumns('leads').map((column) => `"${column.name}"`));
    expect(names).not.toContain('"newer_release_note"');
    await client.stop();
  });
});
