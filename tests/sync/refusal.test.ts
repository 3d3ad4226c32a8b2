import { describe, expect, it } from 'vitest';
import type { SyncState } from '../../db/wire/sync.ts';
import { readShapeState } from '../../electron/core/sync/shape-state.ts';
import { createHarness, replicaHas, signUpAt } from './harness.ts';
import { insertRow, seedEveryTable } from './rows.ts';

describe('a value the replica cannot hold', () => {
  it('stops that table with an error naming the column; its rows and position stay as they were; the other tables sync on', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Odd Plumbing');
    const { parents } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    client.start();
    await client.upToDate();
    const saved = readShapeState(replica, 'leads');

    const leadsFailed = new Promise<SyncState>((resolve) => {
      client.onStatus((status) => {
        if (status.tables.leads?.state === 'error') resolve(status.tables.leads);
      });
    });
    // Postgres takes 'infinity' as a timestamptz; the replica stores instants only.
    const [fine, odd] = await harness.pg.asBusiness(account.tenantId, async (query) => [
      await insertRow(query, 'leads', parents),
      await insertRow(query, 'leads', parents, { contacted_at: `'infinity'` }),
    ]);
    const failure = await leadsFailed;
    expect(failure).toMatchObject({
      state: 'error',
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('leads.contacted_at') as string,
    });
    // The batch that carried it is all or nothing.
    expect(replicaHas(replica, 'leads', odd)).toBe(false);
    expect(replicaHas(replica, 'leads', fine)).toBe(false);
    expect(readShapeState(replica, 'leads')).toEqual(saved);
    expect(client.status().overall).toMatchObject({ state: 'error', code: 'VALIDATION_FAILED' });
    expect(client.status().tables.call_logs).toMatchObject({ state: 'up-to-date' });

    // The other tables carry on.
    const call = await harness.pg.asBusiness(account.tenantId, (query) =>
      insertRow(query, 'call_logs', parents),
    );
    await new Promise<void>((resolve) => {
      const off = client.onApplied((event) => {
        if (event.table === 'call_logs' && replicaHas(replica, 'call_logs', call)) {
          off();
          resolve();
        }
      });
    });

    // Fixed on the server, and started again: the table resumes from where it stopped.
    await harness.pg.asBusiness(account.tenantId, (query) =>
      query(`UPDATE leads SET contacted_at = now() WHERE id = $1`, [odd]),
    );
    client.start();
    await client.upToDate();
    expect(replicaHas(replica, 'leads', odd)).toBe(true);
    expect(replicaHas(replica, 'leads', fine)).toBe(true);
  });
});
