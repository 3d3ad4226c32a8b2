/**
 * The triggers of migration 0002: the seed's seven updated_at triggers, the tenant-consistency
 * triggers (keywords, calls and texts belong to their parent's business) and the time-zone check;
 * 0004's extension of tenant consistency to the accounts tables (a session belongs to its
 * member's business, an invitation's inviter to the invitation's); and 0006's for the write path
 * (a note belongs to its lead's business and is written by a member of it; notes and outboxes keep
 * updated_at; an update of a lead outside the mutation path stamps its field clocks); and 0008's
 * for telephony (a tracking number's campaign, Twilio's record's call log and a suppression's
 * source text are the business's own; all three keep updated_at and never change business); and
 * 0010's for the texts the server sends (their sms_logs row and workflow are the business's own;
 * they keep updated_at and never change business).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import {
  type Business,
  insertBusiness,
  insertRow,
  insertUser,
  insertValid,
  one,
  parentsFor,
  refusal,
  type Row,
  rowKey,
  setClause,
  type TableName,
  useFreshDatabase,
  validRow,
} from './fixtures.ts';

const LONG_AGO = '2000-01-01T00:00:00Z';
/** A well-formed id no row has. */
const MISSING = '00000000-0000-4000-8000-000000000000';

/** The seed's seven tables with updated_at, the write path's two and telephony's four. */
const updatedAtCases: [TableName, Row][] = [
  ['users', { business_name: 'Renamed Plumbing' }],
  ['leads', { status: 'contacted' }],
  ['campaigns', { campaign_name: 'Renamed campaign' }],
  ['keywords', { keyword_text: 'water heater repair' }],
  ['financials', { revenue: '125.00' }],
  ['subscriptions', { status: 'past_due' }],
  ['workflows', { workflow_name: 'Renamed workflow' }],
  ['lead_notes', { body: 'Gate code 5522' }],
  ['mutation_clients', { last_mutation_id: 3 }],
  ['tracking_numbers', { forward_to: '+15125559876' }],
  ['provider_calls', { provider_status: 'completed', last_sequence: 3 }],
  ['sms_suppressions', { lifted_at: sql`now()` }],
  ['outbound_texts', { state: 'sent', attempts: 1 }],
];

describe.each(backends)('triggers on %s', (backend) => {
  const db = useFreshDatabase(backend);

  describe('updated_at', () => {
    it.each(updatedAtCases)(
      '%s: an UPDATE moves updated_at to the transaction time, created_at stays',
      async (table, change) => {
        const stamps = { created_at: LONG_AGO, updated_at: LONG_AGO };
        const id =
          table === 'users'
            ? await insertUser(db(), stamps)
            : await insertValid(
                db(),
                table,
                await parentsFor(db(), table, await insertBusiness(db())),
                stamps,
              );
        const key = sql.identifier(rowKey(table));
        // An INSERT keeps the timestamps it was given: the trigger is BEFORE UPDATE only.
        const inserted = await one<{ old: boolean }>(
          db(),
          sql`SELECT updated_at = ${LONG_AGO}::timestamptz AS old
              FROM ${sql.identifier(table)} WHERE ${key} = ${id}`,
        );
        expect(inserted.old).toBe(true);

        const updated = await one<{ now: boolean; created_kept: boolean }>(
          db(),
          sql`UPDATE ${sql.identifier(table)} SET ${setClause(change)} WHERE ${key} = ${id}
              RETURNING updated_at = now() AS now,
                        created_at = ${LONG_AGO}::timestamptz AS created_kept`,
        );
        expect(updated).toEqual({ now: true, created_kept: true });

        // Even an UPDATE that sets updated_at itself gets the transaction time.
        const forced = await one<{ now: boolean }>(
          db(),
          sql`UPDATE ${sql.identifier(table)} SET updated_at = ${LONG_AGO}::timestamptz
              WHERE ${key} = ${id} RETURNING updated_at = now() AS now`,
        );
        expect(forced.now).toBe(true);
      },
    );
  });

  describe('tenant consistency', () => {
    it('fills keywords.user_id from its campaign when omitted', async () => {
      const business = await insertBusiness(db());
      const keyword = await insertValid(db(), 'keywords', business);
      const row = await one<{ user_id: string }>(
        db(),
        sql`SELECT user_id::text FROM keywords WHERE id = ${keyword}`,
      );
      expect(row.user_id).toBe(business.userId);
    });

    it('refuses a keyword whose user_id differs from its campaign’s, naming campaign_id', async () => {
      const mine = await insertBusiness(db());
      const theirs = await insertBusiness(db());
      const error = await refusal(insertValid(db(), 'keywords', mine, { user_id: theirs.userId }));
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.message).toContain('keywords.campaign_id');
      expect(error.details?.column).toBe('campaign_id');

      // Nor can an existing keyword be moved under another business's campaign, or re-tenanted.
      const keyword = await insertValid(db(), 'keywords', mine);
      const moved = await refusal(
        one(
          db(),
          sql`UPDATE keywords SET campaign_id = ${theirs.campaignId} WHERE id = ${keyword} RETURNING id`,
        ),
      );
      expect(moved.code).toBe('CHECK_VIOLATION');
      expect(moved.message).toContain('keywords.campaign_id');
      const retenanted = await refusal(
        one(
          db(),
          sql`UPDATE keywords SET user_id = ${theirs.userId} WHERE id = ${keyword} RETURNING id`,
        ),
      );
      expect(retenanted.code).toBe('CHECK_VIOLATION');
      expect(retenanted.message).toContain('keywords.campaign_id');
    });

    it.each(['leads', 'campaigns', 'sms_logs', 'financials'] as const)(
      '%s: a row never moves to another business, so its children cannot be stranded',
      async (table) => {
        const from = await insertBusiness(db());
        const to = await insertBusiness(db());
        const id = await insertValid(db(), table, from);
        const error = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET user_id = ${to.userId} WHERE id = ${id} RETURNING id`,
          ),
        );
        expect(error.code).toBe('CHECK_VIOLATION');
        expect(error.message).toContain(`${table}.user_id`);
        const row = await one<{ user_id: string }>(
          db(),
          sql`SELECT user_id::text FROM ${sql.identifier(table)} WHERE id = ${id}`,
        );
        expect(row.user_id).toBe(from.userId);
      },
    );

    it('names campaign_id when a keyword points at no campaign, even with user_id omitted', async () => {
      const error = await refusal(
        insertRow(
          db(),
          'keywords',
          validRow.keywords({ campaignId: '00000000-0000-4000-8000-000000000000' }),
        ),
      );
      expect(error.code).toBe('FOREIGN_KEY_VIOLATION');
      expect(error.message).toContain('keywords.campaign_id');
    });

    it('refuses offset-style and misspelt zones that AT TIME ZONE would quietly accept', async () => {
      for (const zone of ['America/Chicag0', 'UTC+5', 'XYZ+3', '+05', 'Z']) {
        const error = await refusal(insertBusiness(db(), { timezone: zone }));
        expect.soft(error.code, `'${zone}'`).toBe('CHECK_VIOLATION');
      }
      const { userId } = await insertBusiness(db(), { timezone: 'UTC' });
      expect(userId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it.each(['call_logs', 'sms_logs', 'lead_notes'] as const)(
      '%s: a row pointing at another business’s lead is refused, naming lead_id',
      async (table) => {
        const mine = await insertBusiness(db());
        const theirs = await insertBusiness(db());
        const theirLead = await insertValid(db(), 'leads', theirs);
        const myLead = await insertValid(db(), 'leads', mine);

        const error = await refusal(insertValid(db(), table, mine, { lead_id: theirLead }));
        expect(error.code).toBe('CHECK_VIOLATION');
        expect(error.message).toContain(`${table}.lead_id`);
        expect(error.details?.column).toBe('lead_id');

        // user_id omitted: taken from the lead.
        const withoutUser: Row = { ...validRow[table](mine), lead_id: myLead };
        delete withoutUser.user_id;
        const filled = await insertRow(db(), table, withoutUser);
        const row = await one<{ user_id: string }>(
          db(),
          sql`SELECT user_id::text FROM ${sql.identifier(table)} WHERE id = ${filled}`,
        );
        expect(row.user_id).toBe(mine.userId);

        // Re-pointing an existing row at another business's lead is refused the same way.
        const repointed = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET lead_id = ${theirLead} WHERE id = ${filled} RETURNING id`,
          ),
        );
        expect(repointed.code).toBe('CHECK_VIOLATION');
        expect(repointed.message).toContain(`${table}.lead_id`);
      },
    );

    it('refuses a reply to another business’s text, naming reply_to_sms_id', async () => {
      const mine = await insertBusiness(db());
      const theirs = await insertBusiness(db());
      const theirText = await insertValid(db(), 'sms_logs', theirs);
      const error = await refusal(
        insertValid(db(), 'sms_logs', mine, { direction: 'inbound', reply_to_sms_id: theirText }),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.message).toContain('sms_logs.reply_to_sms_id');
      expect(error.details?.column).toBe('reply_to_sms_id');

      const myText = await insertValid(db(), 'sms_logs', mine);
      const reply = await insertValid(db(), 'sms_logs', mine, {
        direction: 'inbound',
        reply_to_sms_id: myText,
      });
      expect(reply).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('tenant consistency of sessions and invitations', () => {
    /** Per table: the column naming a member, and a row of it under `business` for `memberId`. */
    const cases = [
      {
        table: 'auth_sessions',
        fk: 'member_id',
        row: (business: Business, memberId: string): Row =>
          validRow.auth_sessions({ ...business, memberId }),
      },
      {
        table: 'member_invitations',
        fk: 'invited_by',
        row: (business: Business, memberId: string): Row => ({
          ...validRow.member_invitations(business),
          invited_by: memberId,
        }),
      },
      {
        table: 'mutation_rejections',
        fk: 'member_id',
        row: (business: Business, memberId: string): Row => ({
          ...validRow.mutation_rejections(business),
          member_id: memberId,
        }),
      },
    ].map((c) => [c.table, c.fk, c] as const);

    it('mutation_clients: an outbox naming a member of another business is refused', async () => {
      const mine = await insertBusiness(db());
      const theirs = await insertBusiness(db());
      const myMember = await insertValid(db(), 'members', mine);
      const theirMember = await insertValid(db(), 'members', theirs);
      const error = await refusal(
        insertRow(db(), 'mutation_clients', {
          ...validRow.mutation_clients(mine),
          member_id: theirMember,
        }),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.message).toContain('mutation_clients.member_id');
      const outbox = validRow.mutation_clients(mine);
      await db().execute(
        sql`INSERT INTO mutation_clients (client_id, user_id, member_id)
            VALUES (${outbox.client_id as string}, ${mine.userId}, ${myMember})`,
      );
      const repointed = await refusal(
        one(
          db(),
          sql`UPDATE mutation_clients SET member_id = ${theirMember}
              WHERE client_id = ${outbox.client_id as string} RETURNING client_id`,
        ),
      );
      expect(repointed.code).toBe('CHECK_VIOLATION');
    });

    it.each(cases)(
      '%s: %s naming a member of another business is refused, naming that column; user_id is filled from the member',
      async (table, fk, { row }) => {
        const mine = await insertBusiness(db());
        const theirs = await insertBusiness(db());
        const myMember = await insertValid(db(), 'members', mine);
        const theirMember = await insertValid(db(), 'members', theirs);

        const error = await refusal(insertRow(db(), table, row(mine, theirMember)));
        expect(error.code).toBe('CHECK_VIOLATION');
        expect(error.message).toContain(`${table}.${fk}`);
        expect(error.details?.column).toBe(fk);

        // user_id omitted: taken from the member.
        const withoutUser = row(mine, myMember);
        delete withoutUser.user_id;
        const id = await insertRow(db(), table, withoutUser);
        const inserted = await one<{ user_id: string }>(
          db(),
          sql`SELECT user_id::text FROM ${sql.identifier(table)} WHERE id = ${id}`,
        );
        expect(inserted.user_id).toBe(mine.userId);

        // Re-pointing it at another business's member is refused the same way ...
        const repointed = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(fk)} = ${theirMember}
                WHERE id = ${id} RETURNING id`,
          ),
        );
        expect(repointed.code).toBe('CHECK_VIOLATION');
        expect(repointed.message).toContain(`${table}.${fk}`);
        // ... and moving it, member and business together, is refused by <table>_tenant_fixed.
        const moved = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)}
                SET ${sql.identifier(fk)} = ${theirMember}, user_id = ${theirs.userId}
                WHERE id = ${id} RETURNING id`,
          ),
        );
        expect(moved.code).toBe('CHECK_VIOLATION');
        expect(moved.message).toContain(`${table}.user_id`);
        const kept = await one<{ user_id: string; member: string }>(
          db(),
          sql`SELECT user_id::text, ${sql.identifier(fk)}::text AS member
              FROM ${sql.identifier(table)} WHERE id = ${id}`,
        );
        expect(kept).toEqual({ user_id: mine.userId, member: myMember });
      },
    );

    it('lead_notes: a note by a member of another business is refused, naming member_id', async () => {
      const mine = await insertBusiness(db());
      const theirs = await insertBusiness(db());
      const onMyLead = { ...mine, leadId: await insertValid(db(), 'leads', mine) };
      const myMember = await insertValid(db(), 'members', mine);
      const theirMember = await insertValid(db(), 'members', theirs);

      const error = await refusal(
        insertValid(db(), 'lead_notes', onMyLead, { member_id: theirMember }),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.message).toContain('lead_notes.member_id');
      expect(error.details?.column).toBe('member_id');

      const note = await insertValid(db(), 'lead_notes', onMyLead, { member_id: myMember });
      const repointed = await refusal(
        one(
          db(),
          sql`UPDATE lead_notes SET member_id = ${theirMember} WHERE id = ${note} RETURNING id`,
        ),
      );
      expect(repointed.code).toBe('CHECK_VIOLATION');
      expect(repointed.message).toContain('lead_notes.member_id');
      // Nor does a note move to another business (its lead and author stay where they are).
      const moved = await refusal(
        one(
          db(),
          sql`UPDATE lead_notes SET user_id = ${theirs.userId} WHERE id = ${note} RETURNING id`,
        ),
      );
      expect(moved.code).toBe('CHECK_VIOLATION');
      const kept = await one<{ user_id: string; member_id: string }>(
        db(),
        sql`SELECT user_id::text, member_id::text FROM lead_notes WHERE id = ${note}`,
      );
      expect(kept).toEqual({ user_id: mine.userId, member_id: myMember });

      const nobody = await refusal(
        insertValid(db(), 'lead_notes', onMyLead, {
          member_id: '00000000-0000-4000-8000-000000000000',
        }),
      );
      expect(nobody.code).toBe('FOREIGN_KEY_VIOLATION');
      expect(nobody.message).toContain('lead_notes.member_id');
    });

    it.each(cases)(
      '%s: %s naming no member is refused as a foreign-key violation naming that column',
      async (table, fk, { row }) => {
        const business = await insertBusiness(db());
        const error = await refusal(
          insertRow(db(), table, row(business, '00000000-0000-4000-8000-000000000000')),
        );
        expect(error.code).toBe('FOREIGN_KEY_VIOLATION');
        expect(error.message).toContain(`${table}.${fk}`);
      },
    );
  });

  describe('tenant consistency of telephony', () => {
    /**
     * Per table: the column naming its parent, a new parent row of `business`, and a row of the
     * table under `business` pointing at `parentId`.
     */
    const cases = [
      {
        table: 'tracking_numbers',
        fk: 'campaign_id',
        newParent: (db: AppDatabase, business: Business) => insertValid(db, 'campaigns', business),
        row: (business: Business, parentId: string): Row =>
          validRow.tracking_numbers({ ...business, campaignId: parentId }),
      },
      {
        table: 'provider_calls',
        fk: 'call_log_id',
        newParent: (db: AppDatabase, business: Business) => insertValid(db, 'call_logs', business),
        row: (business: Business, parentId: string): Row =>
          validRow.provider_calls({ ...business, callLogId: parentId }),
      },
      {
        table: 'sms_suppressions',
        fk: 'source_sms_id',
        newParent: (db: AppDatabase, business: Business) =>
          insertValid(db, 'sms_logs', business, { direction: 'inbound' }),
        row: (business: Business, parentId: string): Row => ({
          ...validRow.sms_suppressions(business),
          source_sms_id: parentId,
        }),
      },
      {
        table: 'outbound_texts',
        fk: 'sms_log_id',
        newParent: (db: AppDatabase, business: Business) => insertValid(db, 'sms_logs', business),
        row: (business: Business, parentId: string): Row =>
          validRow.outbound_texts({ ...business, smsLogId: parentId }),
      },
    ].map((c) => [c.table, c.fk, c] as const);

    it.each(cases)(
      '%s: %s of another business is refused, naming that column; user_id is filled from it; user_id never changes',
      async (table, fk, { newParent, row }) => {
        const mine = await insertBusiness(db());
        const theirs = await insertBusiness(db());
        const myParent = await newParent(db(), mine);
        const theirParent = await newParent(db(), theirs);
        const key = sql.identifier(rowKey(table));

        const error = await refusal(insertRow(db(), table, row(mine, theirParent)));
        expect(error.code).toBe('CHECK_VIOLATION');
        expect(error.message).toContain(`${table}.${fk}`);
        expect(error.details?.column).toBe(fk);

        // user_id omitted: taken from the parent.
        const withoutUser = row(mine, myParent);
        delete withoutUser.user_id;
        const id = await insertRow(db(), table, withoutUser);
        const inserted = await one<{ user_id: string }>(
          db(),
          sql`SELECT user_id::text FROM ${sql.identifier(table)} WHERE ${key} = ${id}`,
        );
        expect(inserted.user_id).toBe(mine.userId);

        // Re-pointing it at another business's parent is refused the same way ...
        const repointed = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET ${sql.identifier(fk)} = ${theirParent}
                WHERE ${key} = ${id} RETURNING 1`,
          ),
        );
        expect(repointed.code).toBe('CHECK_VIOLATION');
        expect(repointed.message).toContain(`${table}.${fk}`);
        // ... moving it to the other business alone too ...
        const retenanted = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET user_id = ${theirs.userId}
                WHERE ${key} = ${id} RETURNING 1`,
          ),
        );
        expect(retenanted.code).toBe('CHECK_VIOLATION');
        // ... and moving it, parent and business together, is refused by <table>_tenant_fixed.
        const moved = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)}
                SET ${sql.identifier(fk)} = ${theirParent}, user_id = ${theirs.userId}
                WHERE ${key} = ${id} RETURNING 1`,
          ),
        );
        expect(moved.code).toBe('CHECK_VIOLATION');
        expect(moved.message).toContain(`${table}.user_id`);
        const kept = await one<{ user_id: string; parent: string }>(
          db(),
          sql`SELECT user_id::text, ${sql.identifier(fk)}::text AS parent
              FROM ${sql.identifier(table)} WHERE ${key} = ${id}`,
        );
        expect(kept).toEqual({ user_id: mine.userId, parent: myParent });

        // A parent that does not exist is named as a foreign-key violation, user_id given or not.
        for (const nowhere of [row(mine, MISSING), { ...row(mine, MISSING), user_id: null }]) {
          const missing = await refusal(insertRow(db(), table, nowhere));
          expect.soft(missing.code).toBe('FOREIGN_KEY_VIOLATION');
          expect.soft(missing.message).toContain(`${table}.${fk}`);
        }
      },
    );

    it('outbound_texts: a workflow of another business is refused, naming workflow_id; one of its own is kept', async () => {
      const mine = await insertBusiness(db());
      const theirs = await insertBusiness(db());
      const myWorkflow = await insertValid(db(), 'workflows', mine);
      const theirWorkflow = await insertValid(db(), 'workflows', theirs);
      /** The sending of a new text of mine, by `workflowId`, user_id given or left to the text. */
      const row = async (workflowId: string, userId: 'given' | 'omitted' = 'given') => {
        const smsLogId = await insertValid(db(), 'sms_logs', mine);
        const sending = validRow.outbound_texts({ ...mine, smsLogId, workflowId });
        if (userId === 'omitted') delete sending.user_id;
        return sending;
      };

      for (const userId of ['given', 'omitted'] as const) {
        const error = await refusal(
          insertRow(db(), 'outbound_texts', await row(theirWorkflow, userId)),
        );
        expect.soft(error.code, `user_id ${userId}`).toBe('CHECK_VIOLATION');
        expect.soft(error.message, `user_id ${userId}`).toContain('outbound_texts.workflow_id');
        expect.soft(error.details?.column, `user_id ${userId}`).toBe('workflow_id');
      }

      // user_id omitted: taken from the text, and the workflow agrees with it.
      const id = await insertRow(db(), 'outbound_texts', await row(myWorkflow, 'omitted'));
      const inserted = await one<{ user_id: string; workflow_id: string }>(
        db(),
        sql`SELECT user_id::text, workflow_id::text FROM outbound_texts WHERE sms_log_id = ${id}`,
      );
      expect(inserted).toEqual({ user_id: mine.userId, workflow_id: myWorkflow });

      // Re-pointing it at another business's workflow is refused the same way.
      const repointed = await refusal(
        one(
          db(),
          sql`UPDATE outbound_texts SET workflow_id = ${theirWorkflow}
              WHERE sms_log_id = ${id} RETURNING 1`,
        ),
      );
      expect(repointed.code).toBe('CHECK_VIOLATION');
      expect(repointed.message).toContain('outbound_texts.workflow_id');
      // Moving it with the workflow to the other business is refused too: its text stays mine.
      const moved = await refusal(
        one(
          db(),
          sql`UPDATE outbound_texts SET workflow_id = ${theirWorkflow}, user_id = ${theirs.userId}
              WHERE sms_log_id = ${id} RETURNING 1`,
        ),
      );
      expect(moved.code).toBe('CHECK_VIOLATION');
      const kept = await one<{ user_id: string; workflow_id: string }>(
        db(),
        sql`SELECT user_id::text, workflow_id::text FROM outbound_texts WHERE sms_log_id = ${id}`,
      );
      expect(kept).toEqual({ user_id: mine.userId, workflow_id: myWorkflow });

      // A workflow that does not exist is named as a foreign-key violation, user_id given or not.
      for (const userId of ['given', 'omitted'] as const) {
        const missing = await refusal(
          insertRow(db(), 'outbound_texts', await row(MISSING, userId)),
        );
        expect.soft(missing.code, `user_id ${userId}`).toBe('FOREIGN_KEY_VIOLATION');
        expect.soft(missing.message, `user_id ${userId}`).toContain('outbound_texts.workflow_id');
      }
    });

    it.each(['tracking_numbers', 'sms_suppressions'] as const)(
      '%s: with no parent, a row still never moves to another business',
      async (table) => {
        const mine = await insertBusiness(db());
        const theirs = await insertBusiness(db());
        const key = sql.identifier(rowKey(table));
        const id = await insertRow(db(), table, {
          ...validRow[table](mine),
          ...(table === 'tracking_numbers' ? { campaign_id: null } : { source_sms_id: null }),
        });
        const error = await refusal(
          one(
            db(),
            sql`UPDATE ${sql.identifier(table)} SET user_id = ${theirs.userId}
                WHERE ${key} = ${id} RETURNING 1`,
          ),
        );
        expect(error.code).toBe('CHECK_VIOLATION');
        expect(error.message).toContain(`${table}.user_id`);
        const row = await one<{ user_id: string }>(
          db(),
          sql`SELECT user_id::text FROM ${sql.identifier(table)} WHERE ${key} = ${id}`,
        );
        expect(row.user_id).toBe(mine.userId);
      },
    );
  });

  describe('field clocks', () => {
    const clocksOf = (rowId: string) =>
      queryRows<{ user_id: string; field: string; hlc: string; edited_by: string | null }>(
        db(),
        sql`SELECT user_id::text, field::text, hlc::text, edited_by::text FROM field_clocks
            WHERE table_name = 'leads' AND row_id = ${rowId} ORDER BY field`,
      );

    it('an UPDATE of a lead outside the mutation path stamps each field it changed with the server’s clock', async () => {
      const business = await insertBusiness(db());
      const lead = await insertValid(db(), 'leads', business);
      expect(await clocksOf(lead), 'an INSERT stamps nothing').toEqual([]);

      // status changes, source is assigned its own value; updated_at moves but is not a field.
      await one(
        db(),
        sql`UPDATE leads SET status = 'contacted', urgency = 'high', source = 'missed_call'
            WHERE id = ${lead} RETURNING id`,
      );
      const stamped = await clocksOf(lead);
      expect(stamped.map((c) => c.field)).toEqual(['status', 'urgency']);
      for (const clock of stamped) {
        expect.soft(clock).toMatchObject({ user_id: business.userId, edited_by: 'server' });
        expect.soft(clock.hlc).toMatch(/^\d{15}-000000-server$/);
      }

      // The mutation path stamps the fields it sets itself, with the edit's own clock.
      await db().transaction(async (tx) => {
        await tx.execute(sql`SELECT set_config('fieldline.applying_mutations', 'on', true)`);
        await one(tx, sql`UPDATE leads SET customer_name = 'Ana' WHERE id = ${lead} RETURNING id`);
      });
      expect((await clocksOf(lead)).map((c) => c.field)).toEqual(['status', 'urgency']);

      // A field's clock never moves back: an edit clocked ahead of the server keeps its clock.
      // The author stays with the clock.
      const ahead = '999999999999999-000000-laptop-1';
      await db().execute(
        sql`UPDATE field_clocks SET hlc = ${ahead}, edited_by = 'Sam (technician)', client_id = 'laptop-1'
             WHERE row_id = ${lead} AND field = 'urgency'`,
      );
      await one(db(), sql`UPDATE leads SET urgency = 'low' WHERE id = ${lead} RETURNING id`);
      const after = await clocksOf(lead);
      expect(after.find((c) => c.field === 'urgency')).toMatchObject({
        hlc: ahead,
        edited_by: 'Sam (technician)',
      });
    });
  });

  describe('users.timezone', () => {
    it('refuses a time zone PostgreSQL does not know, on INSERT and on UPDATE', async () => {
      for (const zone of ['Mars/Olympus', 'Europe/Berlin ', '']) {
        const error = await refusal(insertBusiness(db(), { timezone: zone }));
        expect.soft(error.code, `'${zone}'`).toBe('CHECK_VIOLATION');
        expect.soft(error.message, `'${zone}'`).toContain('users.timezone');
      }
      const { userId } = await insertBusiness(db(), { timezone: 'Europe/Berlin' });
      const error = await refusal(
        one(
          db(),
          sql`UPDATE users SET timezone = 'Mars/Olympus' WHERE id = ${userId} RETURNING id`,
        ),
      );
      expect(error.code).toBe('CHECK_VIOLATION');
      expect(error.message).toContain('users.timezone');
      const row = await one<{ timezone: string }>(
        db(),
        sql`SELECT timezone FROM users WHERE id = ${userId}`,
      );
      expect(row.timezone).toBe('Europe/Berlin');
    });
  });
});
