import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../db/enums.ts';
import {
  bothSides,
  createHarness,
  logInAt,
  replicaHas,
  replicaRows,
  signUpAt,
  until,
} from './harness.ts';
import { insertRow, seedEveryTable } from './rows.ts';

describe('isolation', () => {
  it('two businesses syncing at once each get their own rows, and never the other’s', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const alpha = await signUpAt(server.url, 'Alpha Plumbing');
    const beta = await signUpAt(server.url, 'Beta HVAC');
    const alphaRows = await seedEveryTable(harness.pg, alpha.tenantId);
    const betaRows = await seedEveryTable(harness.pg, beta.tenantId);

    const alphaReplica = harness.openReplica('alpha.sqlite');
    const betaReplica = harness.openReplica('beta.sqlite');
    const alphaClient = harness.client({
      server,
      replica: alphaReplica,
      token: alpha.accessToken,
    });
    // Beta's desktop is a second device of that business, signed in with email and password.
    const betaDesktop = await logInAt(server.url, beta, 'beta-office-pc');
    expect(betaDesktop.business.id).toBe(beta.tenantId);
    const betaClient = harness.client({
      server,
      replica: betaReplica,
      token: betaDesktop.accessToken,
    });
    alphaClient.start();
    betaClient.start();
    await Promise.all([alphaClient.upToDate(), betaClient.upToDate()]);

    // Live: each business changes every table; a statement touching both businesses at once
    // (possible only outside the tenant role) must still be split by business.
    const alphaLive: Record<string, string> = {};
    const betaLive: Record<string, string> = {};
    for (const table of syncedTables) {
      alphaLive[table] = await harness.pg.asBusiness(alpha.tenantId, (query) =>
        insertRow(query, table, alphaRows.parents),
      );
      betaLive[table] = await harness.pg.asBusiness(beta.tenantId, (query) =>
        insertRow(query, table, betaRows.parents),
      );
    }
    await harness.pg.query(`UPDATE leads SET status = 'contacted' WHERE user_id IN ($1, $2)`, [
      alpha.tenantId,
      beta.tenantId,
    ]);
    const arrived = (replica: typeof alphaReplica, ids: Record<string, string>) => () =>
      syncedTables.every((table) => replicaHas(replica, table, ids[table]!)) &&
      replicaRows(replica, 'leads').every((row) => row.status === 'contacted');
    await Promise.all([
      until(alphaClient, arrived(alphaReplica, alphaLive)),
      until(betaClient, arrived(betaReplica, betaLive)),
    ]);

    for (const [replica, own, other] of [
      [alphaReplica, alpha.tenantId, beta.tenantId],
      [betaReplica, beta.tenantId, alpha.tenantId],
    ] as const) {
      const sides = await bothSides(harness.pg, replica, own);
      expect(sides.replica).toEqual(sides.server);
      for (const table of syncedTables) {
        const rows = replicaRows(replica, table);
        expect(rows.length).toBeGreaterThan(0);
        expect(rows.filter((row) => row.user_id !== own)).toEqual([]);
        expect(rows.some((row) => row.user_id === other)).toBe(false);
      }
    }
  });

  it('a row written straight into PostgreSQL, with no application code, reaches the replica', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Direct Plumbing');
    await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    client.start();
    await client.upToDate();

    // As the database owner, the way a migration, a psql session or another service would.
    const [row] = await harness.pg.query<{ id: string }>(
      `INSERT INTO leads (user_id, customer_phone, source, customer_name)
       VALUES ($1, '+15125550199', 'referral', 'Walk-in') RETURNING id`,
      [account.tenantId],
    );
    await until(client, () => replicaHas(replica, 'leads', row!.id));
    const sides = await bothSides(harness.pg, replica, account.tenantId, ['leads']);
    expect(sides.replica).toEqual(sides.server);
  });
});
