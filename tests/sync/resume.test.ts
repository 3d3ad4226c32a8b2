import { describe, expect, it } from 'vitest';
import { syncedTables } from '../../db/enums.ts';
import type { Database } from '../../db/replica/open.ts';
import { readShapeState } from '../../electron/core/sync/shape-state.ts';
import {
  bothSides,
  createHarness,
  recordApplied,
  recordingFetch,
  replicaCount,
  replicaHas,
  signUpAt,
  until,
} from './harness.ts';
import { insertRow, seedEveryTable } from './rows.ts';

const leadIndexes = (replica: Database): string[] =>
  replica
    .prepare<[], { name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'leads' ORDER BY name`,
    )
    .all()
    .map((row) => row.name);

describe('resuming', () => {
  it('picks up after a client restart from the saved positions, without downloading again', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Resume Plumbing');
    const { parents, ids } = await seedEveryTable(harness.pg, account.tenantId);

    const first = harness.client({
      server,
      replica: harness.openReplica(),
      token: account.accessToken,
    });
    first.start();
    await first.upToDate();
    await first.stop();
    expect(first.status().overall).toEqual({ state: 'stopped' });

    // While the desktop is closed: one of each change.
    const added = await harness.pg.asBusiness(account.tenantId, async (query) => {
      const lead = await insertRow(query, 'leads', parents);
      await query(`UPDATE campaigns SET campaign_name = 'While closed' WHERE id = $1`, [
        ids.campaigns,
      ]);
      await query('DELETE FROM sms_logs WHERE id = $1', [ids.sms_logs]);
      return lead;
    });

    // The app starts again: the same file, opened anew.
    const replica = harness.openReplica();
    for (const table of syncedTables) {
      expect(readShapeState(replica, table)).toMatchObject({
        table,
        handle: expect.stringMatching(/./) as string,
        offset: expect.stringMatching(/./) as string,
        upToDateAt: expect.stringMatching(/Z$/) as string,
      });
    }
    const requests = recordingFetch();
    const second = harness.client({
      server,
      replica,
      token: account.accessToken,
      fetch: requests.fetch,
    });
    second.start();
    await second.upToDate();

    expect(requests.snapshots()).toBe(0);
    expect(requests.urls.length).toBeGreaterThanOrEqual(syncedTables.length);
    expect(replicaHas(replica, 'leads', added)).toBe(true);
    expect(replicaHas(replica, 'sms_logs', ids.sms_logs)).toBe(false);
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);
  });

  it('resumes a snapshot half way, from the last batch it applied', async () => {
    const harness = await createHarness();
    const server = await harness.startServer({ settings: { SHAPE_CHUNK_ROWS: '10' } });
    const account = await signUpAt(server.url, 'Big Plumbing');
    const total = 55;
    await harness.pg.asBusiness(account.tenantId, async (query) => {
      for (let n = 0; n < total; n += 1) {
        await insertRow(query, 'leads', { tenantId: account.tenantId, campaignId: '' });
      }
    });

    const replica = harness.openReplica();
    const allLeadIndexes = leadIndexes(replica);
    expect(allLeadIndexes).toContain('idx_leads_created_at');
    const first = harness.client({
      server,
      replica,
      token: account.accessToken,
      tables: ['leads'],
      flushEvery: 20,
      // Loaded as a large snapshot would be: its indexes set aside until it is up to date.
      bulkLoadFromRows: total,
    });
    const progress: unknown[] = [];
    first.onStatus((status) => progress.push(status.tables.leads));
    const stopped = new Promise<void>((resolve) => {
      first.onApplied((event) => {
        if (!event.upToDate) resolve(first.stop());
      });
    });
    first.start();
    await stopped;

    // Two answers of ten rows, applied together with the offset of the second.
    const halfway = replicaCount(replica, 'leads');
    expect(halfway).toBe(20);
    const saved = readShapeState(replica, 'leads');
    expect(saved).toMatchObject({ rowsSynced: 20, snapshotRows: total, upToDateAt: null });
    expect(progress).toContainEqual({ state: 'syncing', rowsSynced: 20, snapshotRows: total });
    expect(leadIndexes(replica)).toEqual(['sqlite_autoindex_leads_1']);

    const requests = recordingFetch();
    const second = harness.client({
      server,
      replica,
      token: account.accessToken,
      tables: ['leads'],
      fetch: requests.fetch,
    });
    second.start();
    await second.upToDate();
    expect(requests.snapshots()).toBe(0);
    expect(requests.urls[0]?.searchParams.get('offset')).toBe(saved?.offset);
    expect(replicaCount(replica, 'leads')).toBe(total);
    expect(readShapeState(replica, 'leads')).toMatchObject({ rowsSynced: total });
    expect(leadIndexes(replica)).toEqual(allLeadIndexes);
    const sides = await bothSides(harness.pg, replica, account.tenantId, ['leads']);
    expect(sides.replica).toEqual(sides.server);
  });

  it('carries on when the server restarts, without downloading again', async () => {
    const harness = await createHarness();
    const first = await harness.startServer();
    const account = await signUpAt(first.url, 'Restart Plumbing');
    const { parents } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const requests = recordingFetch();
    const client = harness.client({
      server: first,
      replica,
      token: account.accessToken,
      fetch: requests.fetch,
    });
    client.start();
    await client.upToDate();
    expect(requests.snapshots()).toBe(syncedTables.length);

    await first.app.close();
    const second = await harness.startServer({ port: first.port });
    expect(second.url).toBe(first.url);
    const lead = await harness.pg.asBusiness(account.tenantId, (query) =>
      insertRow(query, 'leads', parents),
    );
    await until(client, () => replicaHas(replica, 'leads', lead));
    await client.upToDate();
    expect(requests.snapshots()).toBe(syncedTables.length);
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);
  });
});

describe.each([
  ['long polling', false],
  ['server-sent events', true],
])('offline, live over %s', (_mode, liveSse) => {
  it('says offline since when while the server is gone, then catches up when it is back', async () => {
    const harness = await createHarness();
    const first = await harness.startServer();
    const account = await signUpAt(first.url, 'Offline Plumbing');
    const { parents } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server: first, replica, token: account.accessToken, liveSse });
    client.start();
    await client.upToDate();

    const wentDown = new Date().toISOString();
    await first.app.close();
    await until(client, () => client.status().overall.state === 'offline');
    const offline = client.status().overall;
    if (offline.state !== 'offline') throw new Error('not offline');
    expect(offline.since >= wentDown).toBe(true);
    expect(offline.since <= new Date().toISOString()).toBe(true);

    // Changes made on the server meanwhile (webhooks do not wait for desktops).
    const changed = await harness.pg.asBusiness(account.tenantId, async (query) => {
      const ids: Record<string, string> = {};
      for (const table of syncedTables) ids[table] = await insertRow(query, table, parents);
      return ids;
    });
    // Still offline: nothing answers on that port.
    expect(client.status().overall.state).toBe('offline');

    await harness.startServer({ port: first.port });
    // A table between two connections when the server went (an SSE stream the server ended)
    // may still read up to date: the status says what each table last knew, so wait for both.
    await until(
      client,
      () =>
        client.status().overall.state === 'up-to-date' &&
        syncedTables.every((table) => replicaHas(replica, table, changed[table]!)),
    );
    const back = client.status().overall;
    if (back.state !== 'up-to-date') throw new Error('not up to date');
    expect(back.since > offline.since).toBe(true);
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);
  });
});

describe('must-refetch', () => {
  it('replaces every table with a fresh snapshot when the server answers 409, and converges', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Refetch Plumbing');
    const { parents } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const client = harness.client({ server, replica, token: account.accessToken });
    const applied = recordApplied(client);
    client.start();
    await client.upToDate();
    const handles = syncedTables.map((table) => readShapeState(replica, table)?.handle);

    const first = applied.length;
    expect(applied.slice(0, first).every((event) => event.reset)).toBe(true);
    // Rows the server never had (as after a restore of an old backup): only a reset removes them.
    for (const table of syncedTables) strayCopy(replica, table);
    // A new sync epoch sends every desktop of the business back to a snapshot; the inserts wake
    // each table's waiting long-poll, which then finds its handle outdated.
    await harness.pg.query('UPDATE sync_heads SET epoch = epoch + 1 WHERE user_id = $1', [
      account.tenantId,
    ]);
    const added = await harness.pg.asBusiness(account.tenantId, async (query) => {
      const ids: Record<string, string> = {};
      for (const table of syncedTables) ids[table] = await insertRow(query, table, parents);
      return ids;
    });

    // Counted from here: the first snapshot replaced the (empty) tables too.
    const resets = () =>
      new Set(
        applied
          .slice(first)
          .filter((e) => e.reset)
          .map((e) => e.table),
      );
    await until(
      client,
      () => resets().size === syncedTables.length && client.status().overall.state === 'up-to-date',
    );
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);
    for (const table of syncedTables) expect(replicaHas(replica, table, added[table]!)).toBe(true);
    for (const [index, table] of syncedTables.entries()) {
      const handle = readShapeState(replica, table)?.handle;
      expect(handle).not.toBe(handles[index]);
    }
  });

  it('re-snapshots a desktop that was away longer than the change log is kept', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Away Plumbing');
    const { parents, ids } = await seedEveryTable(harness.pg, account.tenantId);
    const replica = harness.openReplica();
    const first = harness.client({ server, replica, token: account.accessToken });
    first.start();
    await first.upToDate();
    await first.stop();

    // Away: a row is deleted and another added, and then the log of both is pruned.
    const lead = await harness.pg.asBusiness(account.tenantId, async (query) => {
      await query('DELETE FROM call_logs WHERE id = $1', [ids.call_logs]);
      return insertRow(query, 'leads', parents);
    });
    const [column] = await harness.pg.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns
        WHERE table_name = 'change_log' AND data_type LIKE 'timestamp%'`,
    );
    await harness.pg.query(
      `UPDATE change_log SET "${column?.name}" = "${column?.name}" - interval '1 day'
        WHERE user_id = $1`,
      [account.tenantId],
    );
    await harness.pg.query(`SELECT prune_change_log('0 seconds')`);

    const requests = recordingFetch();
    const second = harness.client({
      server,
      replica,
      token: account.accessToken,
      fetch: requests.fetch,
    });
    second.start();
    await second.upToDate();
    expect(requests.snapshots()).toBe(syncedTables.length);
    expect(replicaHas(replica, 'call_logs', ids.call_logs)).toBe(false);
    expect(replicaHas(replica, 'leads', lead)).toBe(true);
    const sides = await bothSides(harness.pg, replica, account.tenantId);
    expect(sides.replica).toEqual(sides.server);
  });
});

/** Copies a replica row under a new id (and, for financials, a day of its own). */
function strayCopy(
  replica: ReturnType<Awaited<ReturnType<typeof createHarness>>['openReplica']>,
  table: string,
): void {
  const columns = (
    replica.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as {
      name: string;
    }[]
  ).map((c) => c.name);
  // New values where the replica holds a row unique: a business's day, a client's mutation.
  const unique: Record<string, string> = {
    id: '?',
    date: `'1999-01-01'`,
    mutation_id: '"mutation_id" + 1000000',
  };
  const values = columns.map((c) => unique[c] ?? `"${c}"`);
  replica
    .prepare(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')})
       SELECT ${values.join(', ')} FROM "${table}" LIMIT 1`,
    )
    .run(crypto.randomUUID());
}
