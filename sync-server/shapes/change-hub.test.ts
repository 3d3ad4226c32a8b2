import { type SQL, sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { backends } from '../../tests/support/databases.ts';
import { insertUser, insertValid, useFreshTestDatabase } from '../../tests/schema/fixtures.ts';
import { ChangeHub, type ChangeSubscription, type WakeReason } from './change-hub.ts';

const silent = pino({ level: 'silent' });
const LONG = () => Date.now() + 30_000;

/** What a subscription's next wake-up was, or 'still waiting' once `settle` has resolved. */
async function wokeBy(
  subscription: ChangeSubscription,
  settle: Promise<unknown>,
): Promise<WakeReason | 'still waiting'> {
  const abort = new AbortController();
  const woken = subscription.next(LONG(), abort.signal);
  const outcome = await Promise.race([woken, settle.then(() => 'still waiting' as const)]);
  abort.abort();
  return outcome;
}

describe.each(backends)('the change hub on %s', (backend) => {
  const database = useFreshTestDatabase(backend);

  function startedHub(): ChangeHub {
    const hub = new ChangeHub(database().handle, silent, { pollMs: 5 });
    void hub.start();
    return hub;
  }

  it('wakes the requests for the table a commit changed, whatever wrote it, and not the others', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const b = await insertUser(db);
    await insertValid(db, 'leads', { userId: a });
    const hub = startedHub();
    try {
      const leadsOfA = await hub.subscribe(a, 'leads');
      const textsOfA = await hub.subscribe(a, 'sms_logs');
      const leadsOfB = await hub.subscribe(b, 'leads');
      // Plain SQL, as psql or another instance would write: no call into the hub.
      await insertValid(db, 'leads', { userId: a });
      expect(await leadsOfA.next(LONG())).toBe('changed');

      // The others were not woken: a later change to B's leads is the next thing they see...
      const settled = insertValid(db, 'leads', { userId: b }).then(() => leadsOfB.next(LONG()));
      expect(await settled).toBe('changed');
      // ... and A's texts never changed, so after everything above was seen, they still wait.
      const seenEverything = (async () => {
        await insertValid(db, 'leads', { userId: a });
        await leadsOfA.next(LONG());
      })();
      expect(await wokeBy(textsOfA, seenEverything)).toBe('still waiting');
      for (const subscription of [leadsOfA, textsOfA, leadsOfB]) subscription.dispose();
    } finally {
      await hub.close();
    }
  });

  it('misses no commit between subscribing and waiting, even for a business new to the hub', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const hub = startedHub();
    try {
      const subscription = await hub.subscribe(a, 'leads');
      // The request reads the log here; this commit lands after that read, before it waits.
      await insertValid(db, 'leads', { userId: a });
      expect(await subscription.next(LONG())).toBe('changed');
      subscription.dispose();
    } finally {
      await hub.close();
    }
  });

  it('loses no wake-up when a read of the change log fails', async () => {
    const db = database().db;
    const a = await insertUser(db);
    await insertValid(db, 'leads', { userId: a }); // so A has a head, and the next moves it
    const dialect = new PgDialect();
    let failNextLogRead = false;
    // The hub's database, whose next read of change_log fails as a dropped connection would.
    const flaky = new Proxy(db, {
      get(target, property, receiver) {
        if (property !== 'execute') return Reflect.get(target, property, receiver) as unknown;
        return (query: SQL) => {
          if (failNextLogRead && dialect.sqlToQuery(query).sql.includes('change_log')) {
            failNextLogRead = false;
            return Promise.reject(new Error('connection lost'));
          }
          return target.execute(query);
        };
      },
    });
    const hub = new ChangeHub({ ...database().handle, db: flaky }, silent, { pollMs: 5 });
    void hub.start();
    try {
      const leads = await hub.subscribe(a, 'leads');
      failNextLogRead = true;
      await insertValid(db, 'leads', { userId: a });
      // Woken by the read after the failed one, well before this deadline (a timeout would say so).
      expect(await leads.next(Date.now() + 10_000)).toBe('changed');
      expect(failNextLogRead, 'the failing read happened').toBe(false);
      leads.dispose();
    } finally {
      await hub.close();
    }
  });

  it('wakes every table of every watched business when a TRUNCATE moves the epochs', async () => {
    const db = database().db;
    const a = await insertUser(db);
    await insertValid(db, 'ai_agent_logs', { userId: a });
    const hub = startedHub();
    try {
      const leads = await hub.subscribe(a, 'leads');
      const agentLogs = await hub.subscribe(a, 'ai_agent_logs');
      await db.execute(sql`TRUNCATE ai_agent_logs`);
      expect(await agentLogs.next(LONG())).toBe('changed');
      expect(await leads.next(LONG())).toBe('changed');
      leads.dispose();
      agentLogs.dispose();
    } finally {
      await hub.close();
    }
  });

  it('answers every waiting request with "closing" when it closes', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const hub = startedHub();
    const subscription = await hub.subscribe(a, 'leads');
    const waiting = subscription.next(LONG());
    await hub.whenBlocked(1);
    await hub.close();
    expect(await waiting).toBe('closing');
  });
});
