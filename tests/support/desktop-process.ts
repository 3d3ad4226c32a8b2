/**
 * A desktop's local core in a process of its own, for tests that kill it (tests/sync/kill.test.ts).
 * Configured by FL_DESKTOP (JSON, below). Records `notes` notes on a new lead while offline, then
 * starts syncing and pushing; logs one JSON object per line: {"event":"recorded"}, then
 * {"event":"push","n":k} as the k-th push request leaves, and {"event":"drained"} at the end.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { migrateReplica } from '../../db/replica/migrate.ts';
import { openReplica } from '../../db/replica/open.ts';
import { DesktopCore } from '../../electron/core/desktop-core.ts';

const config = z
  .object({
    replicaPath: z.string(),
    serverUrl: z.url(),
    accessToken: z.string(),
    identity: z.object({ businessId: z.uuid(), memberId: z.uuid(), businessPhone: z.string() }),
    notes: z.number().int().positive(),
    batchMutations: z.number().int().positive(),
  })
  .parse(JSON.parse(process.env.FL_DESKTOP ?? '{}'));

const log = (line: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(line)}\n`);

const replica = openReplica(config.replicaPath);
migrateReplica(replica);
let pushes = 0;
const core = new DesktopCore({
  replica,
  serverUrl: config.serverUrl,
  getAccessToken: () => Promise.resolve(config.accessToken),
  identity: config.identity,
  backoff: { initialDelayMs: 20, maxDelayMs: 200 },
  push: { batchMutations: config.batchMutations },
  fetch: (input, init) => {
    if ((input instanceof Request ? input.url : input.toString()).endsWith('/v1/mutations')) {
      pushes += 1;
      log({ event: 'push', n: pushes });
    }
    return fetch(input, init);
  },
});
const lead = randomUUID();
core.act('lead.create', { id: lead, customerPhone: '+15125550150', source: 'referral' });
for (let i = 1; i <= config.notes; i++) {
  core.act('lead.addNote', {
    id: randomUUID(),
    leadId: lead,
    body: `Note ${i}`,
    at: new Date().toISOString(),
  });
}
log({ event: 'recorded', lead });
core.start();
await core.drained();
log({ event: 'drained' });
await core.stop();
replica.close();
