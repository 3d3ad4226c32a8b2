/**
 * Change capture (migration 0004): every row a statement inserts, updates or deletes in a synced
 * table is logged once in change_log, numbered per business without gaps and in commit order, and
 * one NOTIFY per business and table tells the read path after COMMIT. A synced row's id is fixed.
 * TRUNCATE, which names no rows, moves every business's epoch on instead. Subscriptions and the
 * business's own row are logged too (migration 0017), for the server's analytics cache. prune_change_log drops
 * old entries and records how far it went, and drops what is left of deleted businesses.
 */
import { sql } from 'drizzle-orm';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import {
  insertBusiness,
  insertUser,
  insertValid,
  one,
  ordinaryUpdate,
  parentsFor,
  refusal,
  setClause,
  useFreshTestDatabase,
  validRow,
} from './fixtures.ts';
import { syncedTables } from './seed-spec.ts';

interface Entry extends Record<string, unknown> {
  seq: number;
  table_name: string;
  op: string;
  row_id: string;
}

/** A business's log after `afterSeq`, in order. */
const logOf = (db: AppDatabase, userId: string, afterSeq = 0) =>
  queryRows<Entry>(
    db,
    sql`SELECT seq::int AS seq, table_name::text, op::text, row_id::text FROM change_log
        WHERE user_id = ${userId} AND seq > ${afterSeq} ORDER BY seq`,
  );

/** A business's head; a business that never changed anything has none, read as zeros. */
const headOf = (db: AppDatabase, userId: string) =>
  one<{ seq: number; pruned_through: number }>(
    db,
    sql`SELECT coalesce(max(seq), 0)::int AS seq, coalesce(max(pruned_through), 0)::int AS pruned_through
        FROM sync_heads WHERE user_id = ${userId}`,
  );

const entry = (seq: number, table: string, op: 'I' | 'U' | 'D', rowId: string): Entry => ({
  seq,
  table_name: table,
  op,
  row_id: rowId,
});

/**
 * The entries of one statement as a set: the log numbers a statement's rows contiguously but does
 * not promise their order within it.
 */
const withoutSeq = (entries: Entry[]) =>
  entries.map(({ table_name, op, row_id }) => `${table_name} ${op} ${row_id}`).sort();

describe.each(backends)('change capture on %s', (backend) => {
  const database = useFreshTestDatabase(backend);
  const db = () => database().db;

  it.each(syncedTables)(
    '%s: each inserted, updated and deleted row is logged once, numbered per business from 1',
    async (table) => {
      // A note needs a lead of its business, made (and logged) before it.
      const a = await parentsFor(db(), table, await insertBusiness(db()));
      const b = await parentsFor(db(), table, await insertBusiness(db()));
      const setupOf = (business: typeof a) => [
        entry(1, 'campaigns', 'I', business.campaignId),
        ...(business.leadId === undefined ? [] : [entry(2, 'leads', 'I', business.leadId)]),
      ];
      const s = setupOf(a).length;
      const first = await insertValid(db(), table, a);
      const other = await insertValid(db(), table, b);
      const second = await insertValid(db(), table, a);
      await one(
        db(),
        sql`UPDATE ${sql.identifier(table)} SET ${setClause(ordinaryUpdate[table])}
            WHERE id = ${first} RETURNING id`,
      );
      await one(db(), sql`DELETE FROM ${sql.identifier(table)} WHERE id = ${second} RETURNING id`);
      // A statement that changes no row logs nothing.
      await db().execute(
        sql`UPDATE ${sql.identifier(table)} SET ${setClause(ordinaryUpdate[table])}
            WHERE id = '00000000-0000-4000-8000-000000000000'`,
      );

      // insertBusiness's campaign is each business's first change (and a note's lead its second).
      expect(await logOf(db(), a.userId)).toEqual([
        ...setupOf(a),
        entry(s + 1, table, 'I', first),
        entry(s + 2, table, 'I', second),
        entry(s + 3, table, 'U', first),
        entry(s + 4, table, 'D', second),
      ]);
      expect(await logOf(db(), b.userId)).toEqual([...setupOf(b), entry(s + 1, table, 'I', other)]);
      expect(await headOf(db(), a.userId)).toEqual({ seq: s + 4, pruned_through: 0 });
      expect(await headOf(db(), b.userId)).toEqual({ seq: s + 1, pruned_through: 0 });
    },
  );

  it('logs a business’s subscription changes and its own row’s, but not a sign-in stamp (0017)', async () => {
    const a = await insertUser(db());
    const b = await insertUser(db());
    const subscription = await insertValid(db(), 'subscriptions', { userId: a });
    await one(
      db(),
      sql`UPDATE subscriptions SET status = 'past_due' WHERE id = ${subscription} RETURNING id`,
    );
    // A sign-in stamps last_login_at (and the seed's trigger updated_at): nothing to log.
    await one(db(), sql`UPDATE users SET last_login_at = now() WHERE id = ${a} RETURNING id`);
    await one(
      db(),
      sql`UPDATE users SET business_name = 'Renamed Plumbing' WHERE id = ${a} RETURNING id`,
    );
    // An update that changes nothing at all is not a change either.
    await one(db(), sql`UPDATE users SET city = city WHERE id = ${a} RETURNING id`);
    await one(db(), sql`DELETE FROM subscriptions WHERE id = ${subscription} RETURNING id`);

    expect(await logOf(db(), a)).toEqual([
      entry(1, 'subscriptions', 'I', subscription),
      entry(2, 'subscriptions', 'U', subscription),
      entry(3, 'users', 'U', a),
      entry(4, 'subscriptions', 'D', subscription),
    ]);
    expect(await headOf(db(), a)).toEqual({ seq: 4, pruned_through: 0 });
    expect(await logOf(db(), b)).toEqual([]);
  });

  it('numbers a statement’s rows contiguously per business, and a transaction’s statements in order', async () => {
    const a = await insertUser(db());
    const b = await insertUser(db());
    const lead = (userId: string, phone: string) => sql`(${userId}::uuid, ${phone}, 'missed_call')`;
    const { inserted, updated, call } = await db().transaction(async (tx) => {
      // One statement, rows of both businesses interleaved.
      const inserted = await queryRows<{ id: string; user_id: string }>(
        tx,
        sql`INSERT INTO leads (user_id, customer_phone, source)
            VALUES ${sql.join(
              [
                lead(a, '+15125550101'),
                lead(b, '+15125550102'),
                lead(a, '+15125550103'),
                lead(b, '+15125550104'),
                lead(a, '+15125550105'),
              ],
              sql`, `,
            )}
            RETURNING id::text, user_id::text`,
      );
      const updated = await queryRows<{ id: string }>(
        tx,
        sql`UPDATE leads SET status = 'contacted' WHERE user_id = ${a} RETURNING id::text`,
      );
      const call = await insertValid(tx, 'call_logs', { userId: a });
      return { inserted, updated, call };
    });
    const idsOf = (userId: string) => inserted.filter((r) => r.user_id === userId).map((r) => r.id);
    const asEntries = (op: 'I' | 'U', ids: string[]) =>
      withoutSeq(ids.map((id) => entry(0, 'leads', op, id)));
    expect(updated.map((r) => r.id).sort()).toEqual(idsOf(a).sort());

    const logA = await logOf(db(), a);
    expect(logA.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(withoutSeq(logA.slice(0, 3)), 'statement 1: A’s inserts').toEqual(
      asEntries('I', idsOf(a)),
    );
    expect(withoutSeq(logA.slice(3, 6)), 'statement 2: A’s updates').toEqual(
      asEntries('U', idsOf(a)),
    );
    expect(logA[6], 'statement 3: A’s call').toEqual(entry(7, 'call_logs', 'I', call));

    const logB = await logOf(db(), b);
    expect(logB.map((e) => e.seq)).toEqual([1, 2]);
    expect(withoutSeq(logB), 'statement 1: B’s inserts').toEqual(asEntries('I', idsOf(b)));
  });

  it('a rolled-back transaction or savepoint leaves no entries and no gap', async () => {
    const a = await insertUser(db());
    const kept = await insertValid(db(), 'leads', { userId: a });
    const rollback = new Error('roll back');

    await expect(
      db().transaction(async (tx) => {
        await insertValid(tx, 'leads', { userId: a });
        await insertValid(tx, 'sms_logs', { userId: a });
        throw rollback;
      }),
    ).rejects.toBe(rollback);
    expect(await headOf(db(), a)).toEqual({ seq: 1, pruned_through: 0 });
    expect(await logOf(db(), a)).toEqual([entry(1, 'leads', 'I', kept)]);

    const { before, after } = await db().transaction(async (tx) => {
      const before = await insertValid(tx, 'leads', { userId: a });
      await expect(
        tx.transaction(async (savepoint) => {
          await insertValid(savepoint, 'leads', { userId: a });
          throw rollback;
        }),
      ).rejects.toBe(rollback);
      const after = await insertValid(tx, 'call_logs', { userId: a });
      return { before, after };
    });
    expect(await logOf(db(), a)).toEqual([
      entry(1, 'leads', 'I', kept),
      entry(2, 'leads', 'I', before),
      entry(3, 'call_logs', 'I', after),
    ]);
    expect(await headOf(db(), a)).toEqual({ seq: 3, pruned_through: 0 });
  });

  it('logs what foreign-key actions change: SET NULL as updates, CASCADE and a deleted business as deletes', async () => {
    const a = await insertBusiness(db());
    const lead = await insertValid(db(), 'leads', a);
    const call = await insertValid(db(), 'call_logs', a, { lead_id: lead });
    const note = await insertValid(db(), 'lead_notes', { ...a, leadId: lead });
    const keyword = await insertValid(db(), 'keywords', a);
    const member = await insertValid(db(), 'members', a);
    const otherLead = await insertValid(db(), 'leads', a);
    const signed = await insertValid(
      db(),
      'lead_notes',
      { ...a, leadId: otherLead },
      { member_id: member },
    );
    const rejection = await insertValid(db(), 'mutation_rejections', a, { member_id: member });
    const start = (await headOf(db(), a.userId)).seq;

    // A lead's calls stay (SET NULL), its notes go with it (CASCADE).
    await one(db(), sql`DELETE FROM leads WHERE id = ${lead} RETURNING id`);
    const afterLead = await logOf(db(), a.userId, start);
    expect(afterLead.map((e) => e.seq)).toEqual([start + 1, start + 2, start + 3]);
    expect(withoutSeq(afterLead)).toEqual(
      withoutSeq([
        entry(0, 'leads', 'D', lead),
        entry(0, 'call_logs', 'U', call),
        entry(0, 'lead_notes', 'D', note),
      ]),
    );

    await one(db(), sql`DELETE FROM campaigns WHERE id = ${a.campaignId} RETURNING id`);
    expect(withoutSeq(await logOf(db(), a.userId, start + 3))).toEqual(
      withoutSeq([entry(0, 'campaigns', 'D', a.campaignId), entry(0, 'keywords', 'D', keyword)]),
    );

    // A member's notes and rejections stay, no longer naming them (SET NULL).
    await one(db(), sql`DELETE FROM members WHERE id = ${member} RETURNING id`);
    expect(withoutSeq(await logOf(db(), a.userId, start + 5))).toEqual(
      withoutSeq([
        entry(0, 'lead_notes', 'U', signed),
        entry(0, 'mutation_rejections', 'U', rejection),
      ]),
    );

    // change_log has no foreign key to users, so the business's last deletes are logged too.
    await one(db(), sql`DELETE FROM users WHERE id = ${a.userId} RETURNING id`);
    expect(withoutSeq(await logOf(db(), a.userId, start + 7))).toEqual(
      withoutSeq([
        entry(0, 'call_logs', 'D', call),
        entry(0, 'leads', 'D', otherLead),
        entry(0, 'lead_notes', 'D', signed),
        entry(0, 'mutation_rejections', 'D', rejection),
      ]),
    );
  });

  it('refuses to change a synced row’s id, naming <table>.id, and logs nothing for it', async () => {
    const a = await insertBusiness(db());
    for (const table of syncedTables) {
      const id = await insertValid(db(), table, await parentsFor(db(), table, a));
      const before = await headOf(db(), a.userId);
      const error = await refusal(
        one(
          db(),
          sql`UPDATE ${sql.identifier(table)} SET id = uuid_generate_v4() WHERE id = ${id} RETURNING id`,
        ),
      );
      expect.soft(error.code, table).toBe('CHECK_VIOLATION');
      expect.soft(error.message, table).toContain(`${table}.id:`);
      expect.soft(error.details?.column, table).toBe('id');
      expect.soft(await headOf(db(), a.userId), `${table}: head`).toEqual(before);
      // Assigning a row its own id changes nothing and is allowed (an ORM may write every column).
      const same = await one<{ id: string }>(
        db(),
        sql`UPDATE ${sql.identifier(table)} SET id = id WHERE id = ${id} RETURNING id::text`,
      );
      expect.soft(same.id, table).toBe(id);
    }
  });

  it('TRUNCATE of a synced table logs nothing, and moves every business’s epoch on (each desktop re-snapshots)', async () => {
    const t = database();
    const a = await insertUser(t.db);
    const b = await insertUser(t.db);
    // A synced table no foreign key points at: PostgreSQL refuses to TRUNCATE one that is
    // referenced (workflows, by outbound_texts) unless the referencing tables go too (CASCADE).
    await insertValid(t.db, 'ai_agent_logs', { userId: a });
    // B has no agent logs, yet its epoch moves too: a TRUNCATE does not say whose rows it removed.
    await insertValid(t.db, 'leads', { userId: b });
    const heads = () =>
      queryRows<{ user_id: string; seq: number; epoch: number }>(
        t.db,
        sql`SELECT user_id::text, seq::int, epoch::int FROM sync_heads ORDER BY user_id`,
      );
    const before = await heads();
    expect(before.map((h) => h.user_id)).toEqual([a, b].sort());
    expect(before.map((h) => h.epoch)).toEqual([1, 1]);
    const logBefore = [...(await logOf(t.db, a)), ...(await logOf(t.db, b))];

    await t.db.execute(sql`TRUNCATE ai_agent_logs`);

    // Each head's epoch moved on by one; its numbering did not, and the log is as it was.
    expect(await heads()).toEqual(before.map((h) => ({ ...h, epoch: h.epoch + 1 })));
    expect([...(await logOf(t.db, a)), ...(await logOf(t.db, b))]).toEqual(logBefore);
    const left = await one<{ n: number }>(t.db, sql`SELECT count(*)::int AS n FROM ai_agent_logs`);
    expect(left.n).toBe(0);
  });

  it('prune_change_log drops only entries older than the interval, and moves pruned_through in the same call', async () => {
    const withLeads = async (count: number) => {
      const userId = await insertUser(db());
      for (let i = 0; i < count; i++) await insertValid(db(), 'leads', { userId });
      return userId;
    };
    const [a, b, c] = [await withLeads(3), await withLeads(2), await withLeads(1)];
    const seqs = async (userId: string) => (await logOf(db(), userId)).map((e) => e.seq);
    // Age A's first two entries and B's first beyond a day (as the owner: nobody else may write
    // the log), and A's third to just inside it.
    await db().execute(
      sql`UPDATE change_log SET logged_at = now() - interval '2 days'
          WHERE (user_id = ${a} AND seq <= 2) OR (user_id = ${b} AND seq = 1)`,
    );
    await db().execute(
      sql`UPDATE change_log SET logged_at = now() - interval '23 hours'
          WHERE user_id = ${a} AND seq = 3`,
    );

    const pruned = await one<{ removed: number }>(
      db(),
      sql`SELECT prune_change_log(interval '1 day')::int AS removed`,
    );
    expect(pruned.removed).toBe(3);
    expect(await seqs(a)).toEqual([3]);
    expect(await seqs(b)).toEqual([2]);
    expect(await seqs(c)).toEqual([1]);
    expect(await headOf(db(), a)).toEqual({ seq: 3, pruned_through: 2 });
    expect(await headOf(db(), b)).toEqual({ seq: 2, pruned_through: 1 });
    expect(await headOf(db(), c)).toEqual({ seq: 1, pruned_through: 0 });

    // Nothing else is old enough: a second run removes nothing and moves nothing.
    const again = await one<{ removed: number }>(
      db(),
      sql`SELECT prune_change_log(interval '1 day')::int AS removed`,
    );
    expect(again.removed).toBe(0);
    expect(await headOf(db(), a)).toEqual({ seq: 3, pruned_through: 2 });
    // And numbering carries on from the head, not from what is left in the log.
    const next = await insertValid(db(), 'leads', { userId: b });
    expect(await logOf(db(), b, 2)).toEqual([entry(3, 'leads', 'I', next)]);
  });

  it('prune_change_log removes the log and head of a deleted business, old entries or not, and counts them', async () => {
    const withLeads = async (count: number) => {
      const userId = await insertUser(db());
      for (let i = 0; i < count; i++) await insertValid(db(), 'leads', { userId });
      return userId;
    };
    const [goneOld, goneYoung, kept] = [await withLeads(2), await withLeads(1), await withLeads(2)];
    // goneOld's first entry and kept's first are past the cut-off, so the age cut claims them (and
    // moves goneOld's head) in the same statement that removes goneOld altogether.
    await db().execute(
      sql`UPDATE change_log SET logged_at = now() - interval '2 days'
          WHERE seq = 1 AND user_id IN (${goneOld}, ${kept})`,
    );
    // Deleting a business logs the deletes of its rows (no foreign key from change_log to users).
    for (const userId of [goneOld, goneYoung]) {
      await one(db(), sql`DELETE FROM users WHERE id = ${userId} RETURNING id`);
    }
    expect((await logOf(db(), goneOld)).map((e) => e.op)).toEqual(['I', 'I', 'D', 'D']);
    expect((await logOf(db(), goneYoung)).map((e) => e.op)).toEqual(['I', 'D']);

    const pruned = await one<{ removed: number }>(
      db(),
      sql`SELECT prune_change_log(interval '1 day')::int AS removed`,
    );
    // goneOld's 4 and goneYoung's 2 entries, and kept's one old entry.
    expect(pruned.removed).toBe(7);
    for (const userId of [goneOld, goneYoung]) {
      expect.soft(await logOf(db(), userId), `log of ${userId}`).toEqual([]);
      const heads = await one<{ n: number }>(
        db(),
        sql`SELECT count(*)::int AS n FROM sync_heads WHERE user_id = ${userId}`,
      );
      expect.soft(heads.n, `head of ${userId}`).toBe(0);
    }
    expect((await logOf(db(), kept)).map((e) => e.seq)).toEqual([2]);
    expect(await headOf(db(), kept)).toEqual({ seq: 2, pruned_through: 1 });
  });
});

// ---------------------------------------------------------------------------------------------
// Concurrent writers need two connections to one database: PostgreSQL only (PGlite has one).
// ---------------------------------------------------------------------------------------------

interface Session {
  client: pg.Client;
  pid: number;
}

async function openSession(url: string | undefined): Promise<Session> {
  if (url === undefined) throw new Error('a PostgreSQL test database has a url');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
  const pid = rows[0]?.pid;
  if (pid === undefined) throw new Error('no backend pid');
  return { client, pid };
}

async function insertLead(session: Session, userId: string): Promise<string> {
  const row = validRow.leads({ userId });
  const { rows } = await session.client.query<{ id: string }>(
    'INSERT INTO leads (user_id, customer_phone, source) VALUES ($1, $2, $3) RETURNING id::text',
    [row.user_id, row.customer_phone, row.source],
  );
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('INSERT INTO leads returned no id');
  return id;
}

/**
 * Follows a statement `session` is running until it either finishes or is seen waiting for a lock,
 * and says which: 'finished', or the backends it waits for. Each look is a round trip asking the
 * server (pg_blocking_pids), not a timer, so it ends as soon as either has happened.
 */
async function finishesOrWaits(
  observer: AppDatabase,
  session: Session,
  statement: Promise<unknown>,
): Promise<'finished' | number[]> {
  let settled = false;
  void statement.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (;;) {
    if (settled) return 'finished';
    const { holders } = await one<{ holders: string }>(
      observer,
      sql`SELECT array_to_string(pg_blocking_pids(${session.pid}::int), ',') AS holders`,
    );
    if (holders !== '') return holders.split(',').map(Number);
  }
}

describe('concurrent writers on postgres', () => {
  const database = useFreshTestDatabase('postgres');

  /** Two sessions on the test database, ended whatever the test's outcome. */
  async function withSessions(work: (one: Session, two: Session) => Promise<void>): Promise<void> {
    const sessions: Session[] = [];
    try {
      sessions.push(await openSession(database().url), await openSession(database().url));
      const [first, second] = sessions as [Session, Session];
      await work(first, second);
    } finally {
      await Promise.all(sessions.map((s) => s.client.end()));
    }
  }

  it('a second writer of one business waits until the first commits, then numbers after it', async () => {
    const db = database().db;
    const a = await insertUser(db);
    await withSessions(async (first, second) => {
      await first.client.query('BEGIN');
      const firstLead = await insertLead(first, a);
      await second.client.query('BEGIN');
      const secondInsert = insertLead(second, a);
      expect(await finishesOrWaits(db, second, secondInsert)).toEqual([first.pid]);

      await first.client.query('COMMIT');
      const secondLead = await secondInsert;
      await second.client.query('COMMIT');
      expect(await logOf(db, a)).toEqual([
        entry(1, 'leads', 'I', firstLead),
        entry(2, 'leads', 'I', secondLead),
      ]);
    });
  });

  it('numbers follow commit order: the transaction that started first and commits last numbers last', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const b = await insertUser(db);
    const existing = await insertValid(db, 'leads', { userId: a });
    await withSessions(async (early, late) => {
      const xid = async (s: Session) =>
        BigInt(
          (await s.client.query<{ xid: string }>('SELECT pg_current_xact_id()::text AS xid'))
            .rows[0]?.xid ?? '0',
        );
      // `early` starts and writes first (to business B, so it does not hold A's head)...
      await early.client.query('BEGIN');
      const earlyB = await insertLead(early, b);
      // ... `late` writes A and would commit first ...
      await late.client.query('BEGIN');
      const lateA = await insertLead(late, a);
      expect(await xid(early)).toBeLessThan(await xid(late));
      // ... so `early`'s write to A waits for it, and gets the later number.
      const earlyInsert = insertLead(early, a);
      expect(await finishesOrWaits(db, early, earlyInsert)).toEqual([late.pid]);
      await late.client.query('COMMIT');
      const earlyA = await earlyInsert;
      await early.client.query('COMMIT');

      expect(await logOf(db, a)).toEqual([
        entry(1, 'leads', 'I', existing),
        entry(2, 'leads', 'I', lateA),
        entry(3, 'leads', 'I', earlyA),
      ]);
      expect(await logOf(db, b)).toEqual([entry(1, 'leads', 'I', earlyB)]);
    });
  });

  it('writers of two businesses do not wait for each other', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const b = await insertUser(db);
    const c = await insertUser(db);
    // A and B have a head already (the upsert updates it), C has none yet (the upsert inserts it).
    const earlierA = await insertValid(db, 'leads', { userId: a });
    const earlierB = await insertValid(db, 'leads', { userId: b });
    await withSessions(async (first, second) => {
      await first.client.query('BEGIN');
      const leadA = await insertLead(first, a);
      await second.client.query('BEGIN');
      const leadB = insertLead(second, b);
      expect(await finishesOrWaits(db, second, leadB), 'B while A is open').toBe('finished');
      const leadC = insertLead(second, c);
      expect(await finishesOrWaits(db, second, leadC), 'C while A is open').toBe('finished');
      await second.client.query('COMMIT');
      // B's and C's numbers are readable while A's transaction is still open.
      expect(await logOf(db, b)).toEqual([
        entry(1, 'leads', 'I', earlierB),
        entry(2, 'leads', 'I', await leadB),
      ]);
      expect(await logOf(db, c)).toEqual([entry(1, 'leads', 'I', await leadC)]);
      expect(await logOf(db, a)).toEqual([entry(1, 'leads', 'I', earlierA)]);
      await first.client.query('COMMIT');
      expect(await logOf(db, a)).toEqual([
        entry(1, 'leads', 'I', earlierA),
        entry(2, 'leads', 'I', leadA),
      ]);
    });
  });
  it('a commit notifies no one: a NOTIFY would make every commit in the database queue for one lock', async () => {
    const db = database().db;
    const a = await insertUser(db);
    const b = await insertUser(db);
    await insertValid(db, 'ai_agent_logs', { userId: a });
    await withSessions(async (listener, writer) => {
      const received: string[] = [];
      let markerArrived: () => void = () => undefined;
      const marker = new Promise<void>((resolve) => (markerArrived = resolve));
      listener.client.on('notification', (message) => {
        received.push(message.payload ?? '');
        if (message.payload === 'marker') markerArrived();
      });
      await listener.client.query('LISTEN fieldline_changes');
      await writer.client.query('BEGIN');
      await insertLead(writer, a);
      await insertLead(writer, b);
      await writer.client.query('COMMIT');
      await writer.client.query('TRUNCATE ai_agent_logs');
      // PostgreSQL delivers a channel's notifications in commit order: once this marker is in,
      // anything the writes above had sent would be too.
      await writer.client.query(`SELECT pg_notify('fieldline_changes', 'marker')`);
      await marker;
      expect(received).toEqual(['marker']);
      expect((await logOf(db, a)).map((e) => e.table_name)).toEqual(['ai_agent_logs', 'leads']);
    });
  });
});
