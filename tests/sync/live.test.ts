import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../db/enums.ts';
import { syncStatusSchema } from '../../db/wire/sync.ts';
import { createDesktopHandlers, type LocalCore } from '../../electron/core/api.ts';
import { bothSides, createHarness, replicaHas, replicaValue, signUpAt, until } from './harness.ts';
import { insertRow, seedEveryTable, updates } from './rows.ts';

describe.each([
  ['long polling', false],
  ['server-sent events', true],
])('the read path, live over %s', (_mode, liveSse) => {
  it('snapshots all eight tables, then every insert, update and delete reaches the replica', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Live Plumbing');
    const { parents, ids } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken, liveSse });
    const statuses: string[] = [];
    client.onStatus((status) => statuses.push(status.overall.state));

    expect(client.status().overall).toEqual({ state: 'stopped' });
    client.start();
    await client.upToDate();

    // The snapshot: every table, every column, as Postgres has it.
    const snapshot = await bothSides(harness.pg, replica, account.tenantId);
    expect(snapshot.replica).toEqual(snapshot.server);
    for (const table of syncedTables) expect(snapshot.replica[table]).toHaveLength(1);
    expect(statuses[0]).toBe('connecting');
    expect(statuses).toContain('syncing');
    const status = client.status();
    expect(syncStatusSchema.parse(status)).toEqual(status);
    expect(Object.keys(status.tables).sort()).toEqual([...syncedTables].sort());
    for (const table of syncedTables) {
      expect(status.tables[table]).toMatchObject({ state: 'up-to-date' });
    }
    // The desktop API hands the renderer the same status (its read side is all this test has).
    const handlers = createDesktopHandlers({ sync: client } as unknown as LocalCore);
    expect(await handlers['sync:status']()).toEqual(status);

    for (const table of syncedTables) {
      const id = await harness.pg.asBusiness(account.tenantId, (query) =>
        insertRow(query, table, parents),
      );
      await until(client, () => replicaHas(replica, table, id));

      const { set, column, stored } = updates[table];
      await harness.pg.asBusiness(account.tenantId, (query) =>
        query(`UPDATE "${table}" SET ${set} WHERE id = $1`, [id]),
      );
      await until(client, () => replicaValue(replica, table, id, column) === stored);

      await harness.pg.asBusiness(account.tenantId, (query) =>
        query(`DELETE FROM "${table}" WHERE id = $1`, [id]),
      );
      await until(client, () => !replicaHas(replica, table, id));
      // The seeded row was left alone.
      expect(replicaHas(replica, table, ids[table])).toBe(true);
    }

    const after = await bothSides(harness.pg, replica, account.tenantId);
    expect(after.replica).toEqual(after.server);
    expect(client.status().overall.state).toBe('up-to-date');
  });
});
