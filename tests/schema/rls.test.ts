/**
 * Row-level security (migrations 0004, 0006, 0008 and 0010), the second layer of tenant isolation:
 * a request run through withTenant (as fieldline_tenant, with the business set) sees, writes and
 * removes only its own business's rows; without a business it sees nothing; what it may only read
 * it cannot write (Twilio's call records and the texts the server sends among them); the write
 * path's bookkeeping it reads,
 * inserts and updates but never deletes; its tracking numbers and suppression list it manages like
 * its synced data; the auth secrets it cannot read at all, neither whole tables (refresh tokens)
 * nor single columns (password hashes, integration tokens, invitation token hashes). The capture
 * triggers still log what it writes.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { AppError } from '../../db/errors.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { withTenant } from '../../sync-server/tenancy.ts';
import { backends } from '../support/databases.ts';
import {
  type Business,
  insertBusiness,
  insertRow,
  insertValid,
  one,
  ordinaryUpdate,
  refusal,
  rowKey,
  type Row,
  SEALED_TOKEN,
  setClause,
  useFreshDatabase,
  validRow,
} from './fixtures.ts';
import {
  expectedSchema,
  syncedTables,
  telephonyTables,
  telephonyTenantReadOnly,
  telephonyTenantWritable,
  TENANT_ROLE,
  writePathBookkeepingTables,
} from './seed-spec.ts';

/**
 * Read-only to a tenant: billing, the accounts it may see, the change log, Twilio's call records
 * (written by the webhooks only) and the texts the server sends (written by its sender only).
 */
const readOnlyTables = [
  'subscriptions',
  'members',
  'member_invitations',
  'auth_sessions',
  'change_log',
  'sync_heads',
  ...telephonyTenantReadOnly,
] as const;
const views = ['user_dashboard', 'lead_pipeline', 'campaign_performance'] as const;
/** Every relation a tenant may read that has a user_id column. */
const tenantReadable = [
  ...syncedTables,
  ...writePathBookkeepingTables,
  ...telephonyTenantWritable,
  ...readOnlyTables,
  ...views,
];
/** What a tenant reads and writes (inserts, updates, deletes) of its own business. */
const tenantWritable = [...syncedTables, ...telephonyTenantWritable] as const;
type TenantWritable = (typeof tenantWritable)[number];
/** An ordinary change to a row of each table a tenant writes (no key, no tenant). */
const ordinaryChange: Record<TenantWritable, Row> = {
  ...ordinaryUpdate,
  tracking_numbers: { label: 'Van wrap', forward_to: '+15125559876' },
  sms_suppressions: { lifted_at: sql`now()` },
};
type BookkeepingTable = (typeof writePathBookkeepingTables)[number];
/** An ordinary change to a row of each bookkeeping table, as the push makes it. */
const bookkeepingUpdate: Record<BookkeepingTable, Row> = {
  mutation_clients: { last_mutation_id: 12 },
  field_clocks: { hlc: '001764338500000-000000-laptop-1', edited_by: 'Sam Reyes (technician)' },
};
/** Never granted to the tenant role. */
const unreadable = ['auth_refresh_tokens', 'auth_rate_limits', 'schema_migrations'] as const;
/**
 * The columns the tenant role may not read even of its own business's rows: what would let a
 * request log in as someone (password hashes, an invitation's token hash) or act on the business's
 * Google and GoHighLevel accounts (the sealed tokens). Written out here, not read from the spec.
 */
const secretColumns = {
  users: ['password_hash', 'ghl_access_token', 'ghl_refresh_token', 'google_ads_refresh_token'],
  members: ['password_hash'],
  member_invitations: ['token_hash'],
} as const;

interface Populated extends Business {
  /** The key of one row of each synced, each bookkeeping and each telephony table (rowKey). */
  rows: Record<
    (typeof syncedTables)[number] | BookkeepingTable | (typeof telephonyTables)[number],
    string
  >;
}

/**
 * A business with a row in every table: its synced data (a note on its lead), the write path's
 * bookkeeping, telephony (a number for its campaign, Twilio's record of its call, a suppressed
 * number, the sending of its text by its workflow), billing, a member with a session.
 */
async function populate(db: AppDatabase): Promise<Populated> {
  const business = await insertBusiness(db);
  const rows = { campaigns: business.campaignId } as Populated['rows'];
  for (const table of syncedTables) {
    // syncedTables lists leads before lead_notes: a note is on the business's lead.
    const parents = table === 'lead_notes' ? { ...business, leadId: rows.leads } : business;
    if (table !== 'campaigns') rows[table] = await insertValid(db, table, parents);
  }
  for (const table of writePathBookkeepingTables) {
    rows[table] = await insertValid(db, table, business);
  }
  rows.tracking_numbers = await insertValid(db, 'tracking_numbers', business);
  rows.provider_calls = await insertValid(db, 'provider_calls', {
    ...business,
    callLogId: rows.call_logs,
  });
  rows.sms_suppressions = await insertValid(db, 'sms_suppressions', business);
  rows.outbound_texts = await insertValid(db, 'outbound_texts', {
    ...business,
    smsLogId: rows.sms_logs,
    workflowId: rows.workflows,
  });
  await insertValid(db, 'subscriptions', business);
  const memberId = await insertValid(db, 'members', business);
  await insertValid(db, 'member_invitations', business, { invited_by: memberId });
  const sessionId = await insertValid(db, 'auth_sessions', { ...business, memberId });
  await insertValid(db, 'auth_refresh_tokens', { ...business, sessionId });
  return { ...business, rows };
}

/** Rows per owning business: `{ <user_id>: count }`. */
async function owners(db: AppDatabase, relation: string): Promise<Record<string, number>> {
  const key = relation === 'users' ? sql.identifier('id') : sql.identifier('user_id');
  const rows = await queryRows<{ owner: string; n: number }>(
    db,
    sql`SELECT ${key}::text AS owner, count(*)::int AS n FROM ${sql.identifier(relation)} GROUP BY 1`,
  );
  return Object.fromEntries(rows.map((r) => [r.owner, r.n]));
}

/** As the tenant role with no business set (or an empty one): what a forgotten setting would do. */
const withoutTenant = <T>(
  db: AppDatabase,
  tenantId: string | undefined,
  work: (tx: AppDatabase) => Promise<T>,
) =>
  db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL ROLE ${sql.identifier(TENANT_ROLE)}`);
    if (tenantId !== undefined) {
      await tx.execute(sql`SELECT set_config('fieldline.tenant_id', ${tenantId}, true)`);
    }
    return work(tx);
  });

const sqlState = (error: AppError) => error.details?.sqlState;

/**
 * Every row of the synced tables, the bookkeeping tables, the telephony tables and change_log, as
 * JSON text, for before/after comparison.
 */
async function snapshot(db: AppDatabase): Promise<string[]> {
  const rows: string[] = [];
  for (const table of [
    ...syncedTables,
    ...writePathBookkeepingTables,
    ...telephonyTables,
    'change_log',
  ]) {
    const found = await queryRows<{ row: string }>(
      db,
      sql`SELECT to_jsonb(t)::text AS row FROM ${sql.identifier(table)} t`,
    );
    rows.push(...found.map((r) => `${table} ${r.row}`));
  }
  return rows.sort();
}

describe.each(backends)('row-level security on %s', (backend) => {
  const db = useFreshDatabase(backend);

  it('as business A, every table and view it may read shows all of A’s rows and none of B’s', async () => {
    const a = await populate(db());
    const b = await populate(db());
    for (const relation of [...tenantReadable, 'users']) {
      const all = await owners(db(), relation);
      // The owner sees both businesses: what the tenant misses is the policy's doing.
      expect
        .soft(Object.keys(all).sort(), `${relation}: both businesses exist`)
        .toEqual([a.userId, b.userId].sort());
      const seen = await withTenant(db(), a.userId, (tx) => owners(tx, relation));
      expect.soft(seen, `${relation} as A`).toEqual({ [a.userId]: all[a.userId] });
    }
  });

  it('with no business set, or an empty one, the tenant role sees no rows at all', async () => {
    await populate(db());
    await populate(db());
    for (const relation of [...tenantReadable, 'users']) {
      // There is something to hide: the owner sees both businesses' rows.
      expect.soft(Object.keys(await owners(db(), relation)), relation).toHaveLength(2);
    }
    for (const tenantId of [undefined, '']) {
      for (const relation of [...tenantReadable, 'users']) {
        const seen = await withoutTenant(db(), tenantId, (tx) => owners(tx, relation));
        expect.soft(seen, `${relation} with tenant ${JSON.stringify(tenantId)}`).toEqual({});
      }
    }
  });

  it('as A, a row of B can be neither inserted, nor updated, nor deleted', async () => {
    const a = await populate(db());
    const b = await populate(db());
    const before = await snapshot(db());
    for (const table of tenantWritable) {
      const key = sql.identifier(rowKey(table));
      // Inserting with B's user_id (and B's campaign, for a keyword or a tracking number, B's lead
      // for a note) fails the policy's WITH CHECK.
      const parentsOfB = { ...b, leadId: b.rows.leads };
      const inserted = await refusal(
        withTenant(db(), a.userId, (tx) => insertValid(tx, table, parentsOfB)),
      );
      expect.soft(sqlState(inserted), `${table}: INSERT with B’s user_id`).toBe('42501');
      expect
        .soft(inserted.message, `${table}: INSERT with B’s user_id`)
        .toContain('row-level security');

      // Moving A's row to B: the tenant_fixed trigger refuses (a CHECK violation) before the
      // policy's WITH CHECK is evaluated; either way it is refused and the row stays A's.
      const moved = await refusal(
        withTenant(db(), a.userId, (tx) =>
          one(
            tx,
            sql`UPDATE ${sql.identifier(table)} SET user_id = ${b.userId}
                WHERE ${key} = ${a.rows[table]} RETURNING 1`,
          ),
        ),
      );
      expect.soft(['23514', '42501'], `${table}: UPDATE to B’s user_id`).toContain(sqlState(moved));

      // B's row is invisible to A's UPDATE and DELETE: they match nothing.
      const touched = await withTenant(db(), a.userId, async (tx) => {
        const updated = await queryRows(
          tx,
          sql`UPDATE ${sql.identifier(table)} SET ${setClause(ordinaryChange[table])}
              WHERE ${key} = ${b.rows[table]} RETURNING 1`,
        );
        const deleted = await queryRows(
          tx,
          sql`DELETE FROM ${sql.identifier(table)} WHERE ${key} = ${b.rows[table]} RETURNING 1`,
        );
        return { updated: updated.length, deleted: deleted.length };
      });
      expect.soft(touched, `${table}: UPDATE and DELETE of B’s row`).toEqual({
        updated: 0,
        deleted: 0,
      });
    }
    // Read as the owner: every row of both businesses is there exactly as it was, and the log
    // holds each business's inserts (one per synced table), nothing from the refused attempts.
    expect(await snapshot(db())).toEqual(before);
  });

  it('the write path’s bookkeeping: as A, B’s rows can be neither inserted, nor updated, nor seen; no row can be deleted', async () => {
    const a = await populate(db());
    const b = await populate(db());
    const before = await snapshot(db());
    for (const table of writePathBookkeepingTables) {
      const key = sql.identifier(rowKey(table));
      const inserted = await refusal(withTenant(db(), a.userId, (tx) => insertValid(tx, table, b)));
      expect.soft(sqlState(inserted), `${table}: INSERT with B’s user_id`).toBe('42501');
      expect
        .soft(inserted.message, `${table}: INSERT with B’s user_id`)
        .toContain('row-level security');

      const moved = await refusal(
        withTenant(db(), a.userId, (tx) =>
          one(
            tx,
            sql`UPDATE ${sql.identifier(table)} SET user_id = ${b.userId}
                WHERE ${key} = ${a.rows[table]} RETURNING 1`,
          ),
        ),
      );
      expect.soft(['23514', '42501'], `${table}: UPDATE to B’s user_id`).toContain(sqlState(moved));

      // B's row is invisible to A's UPDATE: it matches nothing.
      const updated = await withTenant(db(), a.userId, (tx) =>
        queryRows(
          tx,
          sql`UPDATE ${sql.identifier(table)} SET ${setClause(bookkeepingUpdate[table])}
              WHERE ${key} = ${b.rows[table]} RETURNING 1`,
        ),
      );
      expect.soft(updated, `${table}: UPDATE of B’s row`).toHaveLength(0);

      // No tenant request deletes from it, not even its own business's rows.
      for (const row of [a.rows[table], b.rows[table]]) {
        const deleted = await refusal(
          withTenant(db(), a.userId, (tx) =>
            tx.execute(sql`DELETE FROM ${sql.identifier(table)} WHERE ${key} = ${row}`),
          ),
        );
        expect.soft(sqlState(deleted), `${table}: DELETE`).toBe('42501');
        expect.soft(deleted.message, `${table}: DELETE`).toContain('permission denied');
      }
    }
    expect(await snapshot(db())).toEqual(before);

    // What the push does with them, A may do with its own rows: insert one, and update it.
    for (const table of writePathBookkeepingTables) {
      const key = sql.identifier(rowKey(table));
      const changed = await withTenant(db(), a.userId, async (tx) => {
        const own = await insertValid(tx, table, a);
        return queryRows(
          tx,
          sql`UPDATE ${sql.identifier(table)} SET ${setClause(bookkeepingUpdate[table])}
              WHERE ${key} IN (${own}, ${a.rows[table]}) RETURNING user_id::text`,
        );
      });
      expect
        .soft(changed, `${table}: A’s own rows`)
        .toEqual([{ user_id: a.userId }, { user_id: a.userId }]);
    }
  });

  it('telephony: as A, its own numbers and suppressions it inserts, updates and deletes; Twilio’s call records and the texts the server sends it only reads', async () => {
    const a = await populate(db());
    const b = await populate(db());
    const mine = sql`user_id = ${a.userId}`;
    const result = await withTenant(db(), a.userId, async (tx) => {
      // user_id omitted: the tenant trigger fills it from A's campaign before the policy checks it.
      const number = validRow.tracking_numbers(a);
      delete number.user_id;
      const numberId = await insertRow(tx, 'tracking_numbers', number);
      const phone = await insertValid(tx, 'sms_suppressions', a, {
        source_sms_id: a.rows.sms_logs,
      });
      const updated = await queryRows<{ user_id: string }>(
        tx,
        sql`UPDATE tracking_numbers SET ${setClause(ordinaryChange.tracking_numbers)}
            WHERE id IN (${numberId}, ${a.rows.tracking_numbers}) RETURNING user_id::text`,
      );
      const lifted = await queryRows<{ user_id: string }>(
        tx,
        sql`UPDATE sms_suppressions SET ${setClause(ordinaryChange.sms_suppressions)}
            WHERE phone IN (${phone}, ${a.rows.sms_suppressions}) RETURNING user_id::text`,
      );
      const deleted = [
        ...(await queryRows(tx, sql`DELETE FROM tracking_numbers WHERE ${mine} RETURNING 1`)),
        ...(await queryRows(tx, sql`DELETE FROM sms_suppressions WHERE ${mine} RETURNING 1`)),
      ];
      return { updated, lifted, deleted: deleted.length };
    });
    expect(result).toEqual({
      updated: [{ user_id: a.userId }, { user_id: a.userId }],
      lifted: [{ user_id: a.userId }, { user_id: a.userId }],
      deleted: 4,
    });
    // B's stayed.
    for (const table of telephonyTenantWritable) {
      expect.soft(await owners(db(), table), table).toEqual({ [b.userId]: 1 });
    }

    // Twilio's record of A's own call and the sending of A's own text: A reads them, and can
    // neither insert, nor update, nor delete them.
    const call = await insertValid(db(), 'call_logs', a);
    const text = await insertValid(db(), 'sms_logs', a);
    const serverWritten = {
      provider_calls: {
        INSERT: (tx: AppDatabase) => insertValid(tx, 'provider_calls', { ...a, callLogId: call }),
        UPDATE: (tx: AppDatabase) =>
          tx.execute(
            sql`UPDATE provider_calls SET provider_status = 'completed', last_sequence = 2
                WHERE call_sid = ${a.rows.provider_calls}`,
          ),
        DELETE: (tx: AppDatabase) =>
          tx.execute(sql`DELETE FROM provider_calls WHERE call_sid = ${a.rows.provider_calls}`),
      },
      outbound_texts: {
        INSERT: (tx: AppDatabase) => insertValid(tx, 'outbound_texts', { ...a, smsLogId: text }),
        UPDATE: (tx: AppDatabase) =>
          tx.execute(
            sql`UPDATE outbound_texts SET state = 'cancelled'
                WHERE sms_log_id = ${a.rows.outbound_texts}`,
          ),
        DELETE: (tx: AppDatabase) =>
          tx.execute(sql`DELETE FROM outbound_texts WHERE sms_log_id = ${a.rows.outbound_texts}`),
      },
    } satisfies Record<
      (typeof telephonyTenantReadOnly)[number],
      Record<'INSERT' | 'UPDATE' | 'DELETE', (tx: AppDatabase) => Promise<unknown>>
    >;
    for (const table of telephonyTenantReadOnly) {
      const key = sql.identifier(rowKey(table));
      const seen = await withTenant(db(), a.userId, (tx) =>
        queryRows<{ id: string }>(tx, sql`SELECT ${key}::text AS id FROM ${sql.identifier(table)}`),
      );
      expect.soft(seen, `${table} as A`).toEqual([{ id: a.rows[table] }]);
      for (const [verb, write] of Object.entries(serverWritten[table])) {
        const error = await refusal(withTenant(db(), a.userId, write));
        expect.soft(sqlState(error), `${verb} ${table}`).toBe('42501');
        expect
          .soft(error.message, `${verb} ${table}`)
          .toContain(`permission denied for table ${table}`);
      }
      expect.soft(await owners(db(), table), table).toEqual({ [a.userId]: 1, [b.userId]: 1 });
    }
  });

  it('auth_refresh_tokens, auth_rate_limits and schema_migrations cannot be read at all', async () => {
    const a = await populate(db());
    await db().execute(
      sql`INSERT INTO auth_rate_limits (key, window_started_at, attempts)
          VALUES ('login:email:owner@plumbing.example', now(), 1)`,
    );
    for (const table of unreadable) {
      const error = await refusal(
        withTenant(db(), a.userId, (tx) =>
          queryRows(tx, sql`SELECT count(*) FROM ${sql.identifier(table)}`),
        ),
      );
      expect.soft(sqlState(error), table).toBe('42501');
      expect.soft(error.message, table).toContain(`permission denied for table ${table}`);
    }
  });

  it.each(Object.entries(secretColumns))(
    '%s: as A, its own secrets cannot be read (nor SELECT *), every other column can',
    async (table, secrets) => {
      const a = await populate(db());
      await populate(db());
      // Something to hide: A's business row holds sealed tokens, not NULLs.
      await one(
        db(),
        sql`UPDATE users SET ghl_access_token = ${SEALED_TOKEN}, ghl_refresh_token = ${SEALED_TOKEN},
                             google_ads_refresh_token = ${SEALED_TOKEN}
            WHERE id = ${a.userId} RETURNING id`,
      );
      const reads = [
        ...secrets.map((column) => [column, sql`SELECT ${sql.identifier(column)}`] as const),
        ['*', sql`SELECT *`] as const,
      ];
      for (const [what, select] of reads) {
        const error = await refusal(
          withTenant(db(), a.userId, (tx) =>
            queryRows(tx, sql`${select} FROM ${sql.identifier(table)}`),
          ),
        );
        expect.soft(sqlState(error), `${table}: SELECT ${what}`).toBe('42501');
        expect
          .soft(error.message, `${table}: SELECT ${what}`)
          .toContain(`permission denied for table ${table}`);
      }

      // Every column but the secrets, as the spec lists the table's columns: the tenant reads
      // exactly what the owner reads of A's rows (both in UTC, so timestamps print alike).
      const columns = expectedSchema.tables
        .find((t) => t.name === table)
        ?.columns.map((c) => c.name)
        .filter((name) => !(secrets as readonly string[]).includes(name));
      if (!columns) throw new Error(`the spec has no table ${table}`);
      const readRows = (tx: AppDatabase) =>
        queryRows<{ row: string }>(
          tx,
          sql`SELECT row_to_json(r)::text AS row FROM (
                SELECT ${sql.join(
                  columns.map((c) => sql.identifier(c)),
                  sql`, `,
                )} FROM ${sql.identifier(table)}
                WHERE ${sql.identifier(table === 'users' ? 'id' : 'user_id')} = ${a.userId}
              ) r`,
        );
      const asTenant = await withTenant(db(), a.userId, readRows);
      const asOwner = await db().transaction(async (tx) => {
        await tx.execute(sql`SET LOCAL TimeZone = 'UTC'`);
        return readRows(tx);
      });
      expect(asOwner.length, `${table}: A has rows`).toBeGreaterThan(0);
      expect(asTenant.map((r) => r.row).sort()).toEqual(asOwner.map((r) => r.row).sort());
    },
  );

  it('the read-only tables (members, change_log, sync_heads, …, users) refuse every write', async () => {
    const a = await populate(db());
    for (const table of [...readOnlyTables, 'users']) {
      const key = sql.identifier(table === 'users' ? 'id' : 'user_id');
      const writes = {
        INSERT: sql`INSERT INTO ${sql.identifier(table)} DEFAULT VALUES`,
        UPDATE: sql`UPDATE ${sql.identifier(table)} SET ${key} = ${key}`,
        DELETE: sql`DELETE FROM ${sql.identifier(table)}`,
      };
      for (const [verb, statement] of Object.entries(writes)) {
        const error = await refusal(withTenant(db(), a.userId, (tx) => tx.execute(statement)));
        expect.soft(sqlState(error), `${verb} ${table}`).toBe('42501');
        expect.soft(error.message, `${verb} ${table}`).toContain('permission denied');
      }
    }
    // Nor may a tenant prune its log (the function runs with the caller's rights).
    const prune = await refusal(
      withTenant(db(), a.userId, (tx) =>
        tx.execute(sql`SELECT prune_change_log(interval '0 seconds')`),
      ),
    );
    expect(sqlState(prune)).toBe('42501');
    const log = await one<{ n: number }>(
      db(),
      sql`SELECT count(*)::int AS n FROM change_log WHERE user_id = ${a.userId}`,
    );
    // One entry per synced row, and one for the subscription (migration 0017).
    expect(log.n).toBe(syncedTables.length + 1);
  });

  it('what A writes as the tenant role is still logged (the capture function is SECURITY DEFINER)', async () => {
    const a = await populate(db());
    const b = await populate(db());
    const before = await one<{ seq: number }>(
      db(),
      sql`SELECT seq::int FROM sync_heads WHERE user_id = ${a.userId}`,
    );
    const { lead, seen } = await withTenant(db(), a.userId, async (tx) => {
      const lead = await insertValid(tx, 'leads', a);
      await one(tx, sql`UPDATE leads SET status = 'contacted' WHERE id = ${lead} RETURNING id`);
      await one(tx, sql`DELETE FROM call_logs WHERE id = ${a.rows.call_logs} RETURNING id`);
      // The tenant reads its own new entries back, as the read path does.
      const seen = await queryRows<{ seq: number; table_name: string; op: string; row_id: string }>(
        tx,
        sql`SELECT seq::int, table_name::text, op::text, row_id::text FROM change_log
            WHERE seq > ${before.seq} ORDER BY seq`,
      );
      return { lead, seen };
    });
    const s = before.seq;
    const expected = [
      { seq: s + 1, table_name: 'leads', op: 'I', row_id: lead },
      { seq: s + 2, table_name: 'leads', op: 'U', row_id: lead },
      { seq: s + 3, table_name: 'call_logs', op: 'D', row_id: a.rows.call_logs },
    ];
    expect(seen).toEqual(expected);
    const logged = await queryRows(
      db(),
      sql`SELECT seq::int, table_name::text, op::text, row_id::text FROM change_log
          WHERE user_id = ${a.userId} AND seq > ${before.seq} ORDER BY seq`,
    );
    expect(logged).toEqual(expected);
    const head = await one<{ seq: number }>(
      db(),
      sql`SELECT seq::int FROM sync_heads WHERE user_id = ${a.userId}`,
    );
    expect(head.seq).toBe(s + 3);
    // B's log did not move.
    const headOfB = await one<{ seq: number }>(
      db(),
      sql`SELECT seq::int FROM sync_heads WHERE user_id = ${b.userId}`,
    );
    expect(headOfB.seq).toBe(syncedTables.length + 1);
  });
});
