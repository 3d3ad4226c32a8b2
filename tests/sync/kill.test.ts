import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openReplica } from '../../db/replica/open.ts';
import { spawnLogged } from '../support/server-process.ts';
import { startDesktop } from './desktops.ts';
import { createHarness, replicaRows, serverRows, signUpAt, until } from './harness.ts';

const NOTES = 300;

describe('a desktop killed in the middle of a push', () => {
  it('keeps its outbox intact and, restarted, completes the sync with no duplicate and no loss', async () => {
    const harness = await createHarness();
    const server = await harness.startServer();
    const account = await signUpAt(server.url, 'Kill Plumbing');
    const replicaPath = join(harness.folder, 'killed.sqlite');
    const desktop = spawnLogged('node_modules/.bin/tsx', ['tests/support/desktop-process.ts'], {
      FL_DESKTOP: JSON.stringify({
        replicaPath,
        serverUrl: server.url,
        accessToken: account.accessToken,
        identity: {
          businessId: account.tenantId,
          memberId: account.member.id,
          businessPhone: account.business.primaryPhone,
        },
        notes: NOTES,
        batchMutations: 25,
      }),
    });
    const recorded = await desktop.waitForLog((line) => line.event === 'recorded');
    // Some pushes answered, one on its way: kill -9, no chance to finish anything.
    await desktop.waitForLog((line) => line.event === 'push' && line.n === 4);
    desktop.kill('SIGKILL');
    await desktop.exited;

    // The outbox survived: every number given out is there, or was applied by the server.
    const killed = openReplica(replicaPath);
    const outbox = killed
      .prepare(
        'SELECT min(mutation_id) AS first, max(mutation_id) AS last, count(*) AS n FROM outbox_mutations',
      )
      .get() as { first: number; last: number; n: number };
    const client = killed
      .prepare('SELECT client_id, last_mutation_id FROM outbox_client')
      .get() as {
      client_id: string;
      last_mutation_id: number;
    };
    killed.close();
    expect(client.last_mutation_id).toBe(NOTES + 1);
    expect(outbox.last).toBe(NOTES + 1);
    expect(outbox.n).toBe(outbox.last - outbox.first + 1);
    const [applied] = await harness.pg.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM mutation_clients WHERE client_id = $1',
      [client.client_id],
    );
    // Nothing is lost between what the server applied and what the outbox still holds.
    expect(applied?.last_mutation_id ?? 0).toBeGreaterThanOrEqual(outbox.first - 1);
    expect(applied?.last_mutation_id ?? 0).toBeLessThan(NOTES + 1);

    // Restarted on the same file, the desktop finishes.
    const restarted = startDesktop(harness, { server, account, name: 'killed.sqlite' });
    expect(restarted.outbox.clientId).toBe(client.client_id);
    await restarted.drained();
    const notes = await serverRows(harness.pg, 'lead_notes', account.tenantId);
    expect(notes).toHaveLength(NOTES);
    expect(new Set(notes.map((note) => note.body)).size).toBe(NOTES);
    expect(notes.every((note) => note.lead_id === recorded.lead)).toBe(true);
    await until(
      restarted.sync,
      () => replicaRows(restarted.replica, 'lead_notes').length === NOTES,
    );
    expect(replicaRows(restarted.replica, 'lead_notes')).toEqual(notes);
    const [after] = await harness.pg.query<{ last_mutation_id: number }>(
      'SELECT last_mutation_id FROM mutation_clients WHERE client_id = $1',
      [client.client_id],
    );
    expect(after?.last_mutation_id).toBe(NOTES + 1);
  });
});
