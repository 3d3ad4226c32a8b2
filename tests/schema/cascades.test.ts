/**
 * ON DELETE rules: a business takes all its rows with it (CASCADE), its members, invitations,
 * sessions and the write path's tables included; a call or text outlives its lead (SET NULL), a
 * note does not (CASCADE); a reply outlives the text it answered (SET NULL, our deviation from NO
 * ACTION); a keyword goes with its campaign (CASCADE); a member's sessions and their refresh tokens
 * go with the member, the invitations they sent, the notes they wrote, their desktops' outboxes and
 * rejected mutations stay (SET NULL). Telephony: Twilio's record of a call goes with its call log
 * (CASCADE); a tracking number outlives its campaign, a suppression the text that caused it
 * (SET NULL). The sending of a text goes with the text (CASCADE) and outlives the workflow that
 * sent it (SET NULL).
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import {
  type Business,
  insertBusiness,
  insertValid,
  one,
  type TableName,
  useFreshDatabase,
} from './fixtures.ts';

const tables: TableName[] = [
  'users',
  'leads',
  'call_logs',
  'sms_logs',
  'campaigns',
  'keywords',
  'financials',
  'ai_agent_logs',
  'subscriptions',
  'workflows',
  'members',
  'member_invitations',
  'auth_sessions',
  'auth_refresh_tokens',
  'lead_notes',
  'mutation_clients',
  'mutation_rejections',
  'field_conflicts',
  'field_clocks',
  'tracking_numbers',
  'provider_calls',
  'sms_suppressions',
  'outbound_texts',
];

/**
 * A row in every table for this business: a lead, its call (with Twilio's record of it) and texts
 * (one a reply that said stop, one sent by its workflow), …, a tracking number for its campaign.
 */
async function populate(db: AppDatabase, business: Business): Promise<void> {
  const lead = await insertValid(db, 'leads', business);
  const call = await insertValid(db, 'call_logs', business, { lead_id: lead });
  const text = await insertValid(db, 'sms_logs', business, { lead_id: lead });
  const reply = await insertValid(db, 'sms_logs', business, {
    lead_id: lead,
    direction: 'inbound',
    reply_to_sms_id: text,
  });
  await insertValid(db, 'provider_calls', { ...business, callLogId: call });
  await insertValid(db, 'sms_suppressions', business, { source_sms_id: reply });
  await insertValid(db, 'tracking_numbers', business);
  await insertValid(db, 'keywords', business);
  for (const table of ['financials', 'ai_agent_logs', 'subscriptions'] as const) {
    await insertValid(db, table, business);
  }
  const workflowId = await insertValid(db, 'workflows', business);
  await insertValid(db, 'outbound_texts', { ...business, smsLogId: text, workflowId });
  const memberId = await insertValid(db, 'members', business);
  await insertValid(db, 'member_invitations', business, { invited_by: memberId });
  const sessionId = await insertValid(db, 'auth_sessions', { ...business, memberId });
  await insertValid(db, 'auth_refresh_tokens', { ...business, sessionId });
  await insertValid(db, 'lead_notes', { ...business, leadId: lead }, { member_id: memberId });
  for (const table of ['mutation_clients', 'mutation_rejections'] as const) {
    await insertValid(db, table, business, { member_id: memberId });
  }
  await insertValid(db, 'field_conflicts', business, { row_id: lead });
  await insertValid(db, 'field_clocks', business, { row_id: lead });
}

const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);

/** The business's rows in `table` and all rows; refresh tokens belong to it through their session. */
async function countRows(db: AppDatabase, table: string, userId: string) {
  const owner =
    table === 'users'
      ? sql`id = ${userId}`
      : table === 'auth_refresh_tokens'
        ? sql`session_id IN (SELECT id FROM auth_sessions WHERE user_id = ${userId})`
        : sql`user_id = ${userId}`;
  return one<{ mine: number; total: number }>(
    db,
    sql`SELECT (count(*) FILTER (WHERE ${owner}))::int AS mine, count(*)::int AS total
        FROM ${sql.identifier(table)}`,
  );
}

describe.each(backends)('ON DELETE rules on %s', (backend) => {
  const db = useFreshDatabase(backend);

  it('deleting a business removes its rows from every table, and only its rows', async () => {
    const leaving = await insertBusiness(db());
    const staying = await insertBusiness(db());
    await populate(db(), leaving);
    await populate(db(), staying);
    const before = new Map<string, number>();
    for (const table of tables) {
      const counts = await countRows(db(), table, leaving.userId);
      expect(counts.mine, `${table}: the leaving business has rows to delete`).toBeGreaterThan(0);
      before.set(table, counts.total - counts.mine);
    }

    await one(db(), sql`DELETE FROM users WHERE id = ${leaving.userId} RETURNING id`);

    for (const table of tables) {
      expect
        .soft(await countRows(db(), table, leaving.userId), table)
        .toEqual({ mine: 0, total: before.get(table) });
    }
  });

  it('deleting a lead keeps its calls and texts, with lead_id set to NULL', async () => {
    const business = await insertBusiness(db());
    const lead = await insertValid(db(), 'leads', business);
    const otherLead = await insertValid(db(), 'leads', business);
    const call = await insertValid(db(), 'call_logs', business, { lead_id: lead });
    const text = await insertValid(db(), 'sms_logs', business, { lead_id: lead });
    const otherCall = await insertValid(db(), 'call_logs', business, { lead_id: otherLead });

    await one(db(), sql`DELETE FROM leads WHERE id = ${lead} RETURNING id`);

    const rows = await queryRows<{ id: string; lead_id: string | null }>(
      db(),
      sql`SELECT id::text, lead_id::text FROM call_logs
          UNION ALL SELECT id::text, lead_id::text FROM sms_logs`,
    );
    expect(rows.sort(byId)).toEqual(
      [
        { id: call, lead_id: null },
        { id: text, lead_id: null },
        { id: otherCall, lead_id: otherLead },
      ].sort(byId),
    );
  });

  it('deleting a lead removes its notes, and only its notes', async () => {
    const business = await insertBusiness(db());
    const lead = await insertValid(db(), 'leads', business);
    const otherLead = await insertValid(db(), 'leads', business);
    await insertValid(db(), 'lead_notes', { ...business, leadId: lead });
    await insertValid(db(), 'lead_notes', { ...business, leadId: lead });
    const kept = await insertValid(db(), 'lead_notes', { ...business, leadId: otherLead });

    await one(db(), sql`DELETE FROM leads WHERE id = ${lead} RETURNING id`);

    const rows = await queryRows<{ id: string }>(db(), sql`SELECT id::text FROM lead_notes`);
    expect(rows).toEqual([{ id: kept }]);
  });

  it('deleting a text keeps the reply that points at it, with reply_to_sms_id set to NULL', async () => {
    const business = await insertBusiness(db());
    const text = await insertValid(db(), 'sms_logs', business);
    const reply = await insertValid(db(), 'sms_logs', business, {
      direction: 'inbound',
      reply_to_sms_id: text,
    });

    await one(db(), sql`DELETE FROM sms_logs WHERE id = ${text} RETURNING id`);

    const rows = await queryRows<{ id: string; reply_to_sms_id: string | null }>(
      db(),
      sql`SELECT id::text, reply_to_sms_id::text FROM sms_logs`,
    );
    expect(rows).toEqual([{ id: reply, reply_to_sms_id: null }]);
  });

  it('deleting a member removes their sessions and refresh tokens; their invitations stay, invited_by NULL', async () => {
    const business = await insertBusiness(db());
    const leaving = await insertValid(db(), 'members', business);
    const staying = await insertValid(db(), 'members', business);
    const invitation = await insertValid(db(), 'member_invitations', business, {
      invited_by: leaving,
    });
    const otherInvitation = await insertValid(db(), 'member_invitations', business, {
      invited_by: staying,
    });
    const session = await insertValid(db(), 'auth_sessions', { ...business, memberId: leaving });
    await insertValid(db(), 'auth_refresh_tokens', { ...business, sessionId: session });
    const keptSession = await insertValid(db(), 'auth_sessions', {
      ...business,
      memberId: staying,
    });
    const keptToken = await insertValid(db(), 'auth_refresh_tokens', {
      ...business,
      sessionId: keptSession,
    });

    await one(db(), sql`DELETE FROM members WHERE id = ${leaving} RETURNING id`);

    const invitations = await queryRows<{ id: string; invited_by: string | null }>(
      db(),
      sql`SELECT id::text, invited_by::text FROM member_invitations`,
    );
    expect(invitations.sort(byId)).toEqual(
      [
        { id: invitation, invited_by: null },
        { id: otherInvitation, invited_by: staying },
      ].sort(byId),
    );
    const sessions = await queryRows<{ id: string }>(db(), sql`SELECT id::text FROM auth_sessions`);
    expect(sessions).toEqual([{ id: keptSession }]);
    const tokens = await queryRows<{ id: string }>(
      db(),
      sql`SELECT id::text FROM auth_refresh_tokens`,
    );
    expect(tokens).toEqual([{ id: keptToken }]);
  });

  it('deleting a member keeps their notes, outboxes and rejected mutations, with member_id NULL', async () => {
    const business = await insertBusiness(db());
    const leaving = await insertValid(db(), 'members', business);
    const staying = await insertValid(db(), 'members', business);
    const lead = await insertValid(db(), 'leads', business);
    const parents = { ...business, leadId: lead };
    const expected: { table: string; id: string; member_id: string | null }[] = [];
    for (const table of ['lead_notes', 'mutation_clients', 'mutation_rejections'] as const) {
      for (const member of [leaving, staying]) {
        const id = await insertValid(db(), table, parents, { member_id: member });
        expected.push({ table, id, member_id: member === leaving ? null : staying });
      }
    }

    await one(db(), sql`DELETE FROM members WHERE id = ${leaving} RETURNING id`);

    const rows = await queryRows<{ table: string; id: string; member_id: string | null }>(
      db(),
      sql`SELECT 'lead_notes' AS "table", id::text, member_id::text FROM lead_notes
          UNION ALL SELECT 'mutation_clients', client_id::text, member_id::text FROM mutation_clients
          UNION ALL SELECT 'mutation_rejections', id::text, member_id::text FROM mutation_rejections`,
    );
    const byTableAndId = (x: { table: string; id: string }, y: { table: string; id: string }) =>
      `${x.table} ${x.id}` < `${y.table} ${y.id}` ? -1 : 1;
    expect(rows.sort(byTableAndId)).toEqual(expected.sort(byTableAndId));
  });

  it('deleting a call log removes Twilio’s record of it; a deleted text or campaign leaves its suppression or tracking number, the reference NULL', async () => {
    const business = await insertBusiness(db());
    const call = await insertValid(db(), 'call_logs', business);
    const otherCall = await insertValid(db(), 'call_logs', business);
    await insertValid(db(), 'provider_calls', { ...business, callLogId: call });
    const keptRecord = await insertValid(db(), 'provider_calls', {
      ...business,
      callLogId: otherCall,
    });
    const stop = await insertValid(db(), 'sms_logs', business, { direction: 'inbound' });
    const suppression = await insertValid(db(), 'sms_suppressions', business, {
      source_sms_id: stop,
    });
    const number = await insertValid(db(), 'tracking_numbers', business);

    await one(db(), sql`DELETE FROM call_logs WHERE id = ${call} RETURNING id`);
    await one(db(), sql`DELETE FROM sms_logs WHERE id = ${stop} RETURNING id`);
    await one(db(), sql`DELETE FROM campaigns WHERE id = ${business.campaignId} RETURNING id`);

    const records = await queryRows<{ call_sid: string; call_log_id: string }>(
      db(),
      sql`SELECT call_sid::text, call_log_id::text FROM provider_calls`,
    );
    expect(records).toEqual([{ call_sid: keptRecord, call_log_id: otherCall }]);
    const suppressions = await queryRows<{ phone: string; source_sms_id: string | null }>(
      db(),
      sql`SELECT phone::text, source_sms_id::text FROM sms_suppressions`,
    );
    expect(suppressions).toEqual([{ phone: suppression, source_sms_id: null }]);
    const numbers = await queryRows<{ id: string; campaign_id: string | null }>(
      db(),
      sql`SELECT id::text, campaign_id::text FROM tracking_numbers`,
    );
    expect(numbers).toEqual([{ id: number, campaign_id: null }]);
  });

  it('deleting a text removes the sending of it, and only that; deleting a workflow keeps the texts it sent, workflow_id NULL', async () => {
    const business = await insertBusiness(db());
    const workflow = await insertValid(db(), 'workflows', business);
    const otherWorkflow = await insertValid(db(), 'workflows', business);
    const send = async (workflowId: string) =>
      insertValid(db(), 'outbound_texts', {
        ...business,
        smsLogId: await insertValid(db(), 'sms_logs', business),
        workflowId,
      });
    const deleted = await send(workflow);
    const byDeletedWorkflow = await send(workflow);
    const byOtherWorkflow = await send(otherWorkflow);

    await one(db(), sql`DELETE FROM sms_logs WHERE id = ${deleted} RETURNING id`);
    await one(db(), sql`DELETE FROM workflows WHERE id = ${workflow} RETURNING id`);

    const rows = await queryRows<{ id: string; workflow_id: string | null }>(
      db(),
      sql`SELECT sms_log_id::text AS id, workflow_id::text FROM outbound_texts`,
    );
    expect(rows.sort(byId)).toEqual(
      [
        { id: byDeletedWorkflow, workflow_id: null },
        { id: byOtherWorkflow, workflow_id: otherWorkflow },
      ].sort(byId),
    );
    // The texts themselves stay: only the one deleted is gone.
    const texts = await queryRows<{ id: string }>(db(), sql`SELECT id::text FROM sms_logs`);
    expect(texts.sort(byId)).toEqual(
      [{ id: byDeletedWorkflow }, { id: byOtherWorkflow }].sort(byId),
    );
  });

  it('deleting a campaign removes its keywords, and only its keywords', async () => {
    const business = await insertBusiness(db());
    const other = await insertValid(db(), 'campaigns', business);
    await insertValid(db(), 'keywords', business);
    const kept = await insertValid(db(), 'keywords', { ...business, campaignId: other });

    await one(db(), sql`DELETE FROM campaigns WHERE id = ${business.campaignId} RETURNING id`);

    const rows = await queryRows<{ id: string }>(db(), sql`SELECT id::text FROM keywords`);
    expect(rows).toEqual([{ id: kept }]);
  });
});
