import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { buildTestApp, signupBusiness } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import {
  inboundSmsParams,
  signedTwilioPost,
  twilioSid,
} from '../../tests/support/twilio-webhooks.ts';
import { insertUser } from '../../tests/schema/fixtures.ts';
import { TWILIO_WEBHOOKS } from './routes.ts';
import { isSuppressed, recordInboundTexts } from './texts.ts';
import { AppError } from '../../db/errors.ts';

const ACCOUNT_SID = twilioSid('AC');
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const TRACKING = '+15125550100';
const CUSTOMER = '+15125557777';

describe.each(backends)('Twilio text webhooks on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  const start = async () => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t, { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN });
    const business = await signupBusiness(app, {
      businessName: "Pat's Pipes",
      primaryPhone: '+15125551234',
    });
    const businessId = business.business.id;
    await t.db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
          VALUES (${businessId}, ${TRACKING}, 'website')`,
    );
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const db = t.db;
    const post = (path: string, params: Record<string, string>) =>
      signedTwilioPost(`${origin}${TWILIO_WEBHOOKS}${path}`, params, AUTH_TOKEN);
    const text = (body: string, optOutType?: 'STOP' | 'START' | 'HELP') =>
      post(
        '/sms',
        inboundSmsParams({
          messageSid: twilioSid('SM'),
          accountSid: ACCOUNT_SID,
          from: CUSTOMER,
          to: TRACKING,
          body,
          ...(optOutType ? { optOutType } : {}),
        }),
      );
    const texts = () =>
      queryRows<Record<string, unknown>>(
        db,
        sql`SELECT direction, status, message_text, lead_id::text, reply_to_sms_id::text,
                   provider_message_id, error_message, delivered_at IS NOT NULL AS delivered,
                   replied_at IS NOT NULL AS replied
              FROM sms_logs ORDER BY created_at, direction DESC`,
      );
    const leads = () =>
      queryRows<{ id: string; source: string }>(
        db,
        sql`SELECT id::text, source FROM leads ORDER BY created_at`,
      );
    const suppression = () =>
      queryRows<Record<string, unknown>>(
        db,
        sql`SELECT reason, matched, lifted_at IS NOT NULL AS lifted FROM sms_suppressions`,
      );
    return { db, businessId, post, text, texts, leads, suppression };
  };

  /** One of our texts to the customer, as the sender records it before Twilio calls back. */
  const outbound = async (db: TestDatabase['db'], businessId: string, sid: string) => {
    await db.execute(
      sql`INSERT INTO sms_logs (user_id, direction, from_phone, to_phone, message_text, status,
                                provider, provider_message_id)
          VALUES (${businessId}, 'outbound', ${TRACKING}, ${CUSTOMER}, 'We missed your call',
                  'queued', 'twilio', ${sid})`,
    );
  };

  it('threads a new texter to a new lead, once per MessageSid however often Twilio retries', async () => {
    const { post, texts, leads } = await start();
    const params = inboundSmsParams({
      messageSid: twilioSid('SM'),
      accountSid: ACCOUNT_SID,
      from: CUSTOMER,
      to: TRACKING,
      body: 'Water heater is leaking, can someone come today?',
    });
    for (let i = 0; i < 3; i++) {
      const answer = await post('/sms', params);
      expect(answer.status).toBe(200);
      expect(await answer.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    }
    const [lead] = await leads();
    expect(lead).toMatchObject({ source: 'website' });
    expect(await texts()).toEqual([
      expect.objectContaining({
        direction: 'inbound',
        status: 'received',
        lead_id: lead!.id,
        provider_message_id: params.MessageSid,
        reply_to_sms_id: null,
      }),
    ]);
  });

  it('records texts that arrive together, each once, whatever Twilio repeats among them', async () => {
    const { post, db } = await start();
    const customers = Array.from({ length: 30 }, (_, i) => `+1512555${String(2000 + i)}`);
    const bodies = customers.map((from) =>
      inboundSmsParams({
        messageSid: twilioSid('SM'),
        accountSid: ACCOUNT_SID,
        from,
        to: TRACKING,
        body: `No hot water at ${from}`,
      }),
    );
    // All at once, each sent twice: the later ones wait for the first write and go together.
    const answers = await Promise.all([...bodies, ...bodies].map((params) => post('/sms', params)));
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const [counts] = await queryRows<{ texts: number; senders: number; leads: number }>(
      db,
      sql`SELECT count(*)::int AS texts, count(DISTINCT from_phone)::int AS senders,
                 (SELECT count(*)::int FROM leads) AS leads
            FROM sms_logs WHERE direction = 'inbound'`,
    );
    expect(counts).toEqual({ texts: 30, senders: 30, leads: 30 });
  });

  it('records the texts of a batch on their own: one that fails stops no other', async () => {
    const { db } = await start();
    const text = (from: string) => ({
      messageSid: twilioSid('SM'),
      from,
      to: TRACKING,
      body: 'Is Saturday possible?',
      optOutType: null,
    });
    // Not a phone number: the lead's CHECK refuses it (the webhook's own validation never would).
    const outcomes = await recordInboundTexts(db, [
      text('+15125553001'),
      text('not-a-phone'),
      text('+15125553002'),
      { ...text('+15125553003'), to: '+15125550999' }, // a number no business has
    ]);
    expect(outcomes[0]).toMatchObject({ isNew: true, trackingNumber: { phoneNumber: TRACKING } });
    expect(outcomes[1]).toBeInstanceOf(AppError);
    expect((outcomes[1] as AppError).message).toContain('check');
    expect(outcomes[2]).toMatchObject({ isNew: true });
    expect(outcomes[3]).toBeNull();
    const senders = await queryRows<{ from_phone: string }>(
      db,
      sql`SELECT from_phone FROM sms_logs ORDER BY from_phone`,
    );
    expect(senders.map((row) => row.from_phone)).toEqual(['+15125553001', '+15125553002']);
  });

  it('marks a text as the reply to our last text to that number', async () => {
    const { db, businessId, text, texts } = await start();
    const ours = twilioSid('SM');
    await outbound(db, businessId, ours);
    await text('Yes please, after 3pm');
    const [sent, reply] = await texts();
    expect(sent).toMatchObject({ direction: 'outbound', replied: true });
    const [ourRow] = await queryRows<{ id: string }>(
      db,
      sql`SELECT id::text FROM sms_logs WHERE provider_message_id = ${ours}`,
    );
    expect(reply).toMatchObject({ direction: 'inbound', reply_to_sms_id: ourRow!.id });
  });

  it('suppresses a number that says stop in any words, lifts it on START, and ignores a plain yes', async () => {
    const { businessId, db, text, leads, suppression } = await start();
    await text('STOP');
    expect(await suppression()).toEqual([{ reason: 'keyword', matched: 'STOP', lifted: false }]);
    // Saying stop is not a request for service: no lead for a stranger who only said that.
    expect(await leads()).toEqual([]);
    expect(await isSuppressed(db, businessId, CUSTOMER)).toBe(true);

    await text('START');
    expect(await suppression()).toMatchObject([{ lifted: true }]);
    expect(await isSuppressed(db, businessId, CUSTOMER)).toBe(false);

    await text('Hi, please stop texting me, thanks');
    expect(await suppression()).toMatchObject([{ reason: 'language', lifted: false }]);

    await text('hello', 'STOP');
    expect(await suppression()).toMatchObject([{ reason: 'provider', lifted: false }]);
    await text('YES');
    expect(await isSuppressed(db, businessId, CUSTOMER)).toBe(false);
    // A yes from someone who never opted out changes nothing (and is not a suppression).
    await text('yes');
    expect(await suppression()).toHaveLength(1);
  });

  it('flags the business’s leads with that phone while it is opted out, and no one else’s', async () => {
    const { businessId, db, text, leads } = await start();
    await text('Leaking pipe under the sink');
    const [lead] = await leads();
    const otherBusiness = await insertUser(db);
    const other = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO leads (user_id, customer_phone, source)
          VALUES (${otherBusiness}, ${CUSTOMER}, 'referral') RETURNING id::text`,
    );
    const flags = async () =>
      Object.fromEntries(
        (
          await queryRows<{ id: string; flagged: boolean }>(
            db,
            sql`SELECT id::text, sms_opted_out_at IS NOT NULL AS flagged FROM leads`,
          )
        ).map((row) => [row.id, row.flagged]),
      );
    expect(await flags()).toEqual({ [lead!.id]: false, [other[0]!.id]: false });

    await text('Please stop texting me');
    expect(await flags()).toEqual({ [lead!.id]: true, [other[0]!.id]: false });
    // A lead made while the phone is opted out (here from the desktop, say) starts flagged.
    const [later] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO leads (user_id, customer_phone, source, status)
          VALUES (${businessId}, ${CUSTOMER}, 'referral', 'new') RETURNING id::text`,
    );
    expect((await flags())[later!.id]).toBe(true);

    await text('START');
    expect(await flags()).toEqual({
      [lead!.id]: false,
      [other[0]!.id]: false,
      [later!.id]: false,
    });
  });

  it('answers HELP unless Twilio’s Advanced Opt-Out already did', async () => {
    const { text } = await start();
    const ours = await (await text('HELP')).text();
    expect(ours).toContain("<Message>Pat's Pipes:");
    expect(ours).toContain('Reply STOP');
    const twilios = await (await text('HELP', 'HELP')).text();
    expect(twilios).not.toContain('<Message>');
  });

  it('applies delivery status callbacks in order, never backwards, with a failure’s reason', async () => {
    const { db, businessId, post, texts } = await start();
    const delivered = twilioSid('SM');
    const failed = twilioSid('SM');
    await outbound(db, businessId, delivered);
    await outbound(db, businessId, failed);
    const status = (sid: string, MessageStatus: string, ErrorCode?: string) =>
      post('/sms/status', {
        MessageSid: sid,
        SmsSid: sid,
        AccountSid: ACCOUNT_SID,
        From: TRACKING,
        To: CUSTOMER,
        MessageStatus,
        ...(ErrorCode ? { ErrorCode } : {}),
      });
    expect((await status(delivered, 'sent')).status).toBe(204);
    await status(delivered, 'delivered');
    await status(delivered, 'sent'); // late
    await status(failed, 'undelivered', '30007');
    await status(twilioSid('SM'), 'delivered'); // not ours: nothing to do
    const rows = await texts();
    expect(rows.find((r) => r.provider_message_id === delivered)).toMatchObject({
      status: 'delivered',
      delivered: true,
      error_message: null,
    });
    expect(rows.find((r) => r.provider_message_id === failed)).toMatchObject({
      status: 'failed',
      delivered: false,
      error_message: 'Filtered by the carrier as spam (Twilio error 30007)',
    });
    expect(rows).toHaveLength(2);
  });

  it('applies a status callback that arrives before Twilio’s id was stored, by the text in its address', async () => {
    const { db, businessId, post, texts } = await start();
    const [ours] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO sms_logs (user_id, direction, from_phone, to_phone, message_text, status)
          VALUES (${businessId}, 'outbound', ${TRACKING}, ${CUSTOMER}, 'On our way', 'queued')
          RETURNING id::text`,
    );
    const sid = twilioSid('SM');
    const answer = await post(`/sms/status?text=${ours!.id}`, {
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      MessageStatus: 'delivered',
    });
    expect(answer.status).toBe(204);
    expect(await texts()).toEqual([
      expect.objectContaining({ status: 'delivered', provider_message_id: sid, delivered: true }),
    ]);
    // Another text's id in the address does not let a callback claim a text that has its own.
    const other = twilioSid('SM');
    await post(`/sms/status?text=${ours!.id}`, {
      MessageSid: other,
      AccountSid: ACCOUNT_SID,
      MessageStatus: 'failed',
      ErrorCode: '30003',
    });
    expect(await texts()).toEqual([
      expect.objectContaining({ status: 'delivered', provider_message_id: sid }),
    ]);
  });

  it('refuses a forged text with 403 and records nothing', async () => {
    const { texts, leads } = await start();
    const params = inboundSmsParams({
      messageSid: twilioSid('SM'),
      accountSid: ACCOUNT_SID,
      from: CUSTOMER,
      to: TRACKING,
      body: 'STOP',
    });
    const origin = `http://127.0.0.1:${(app!.server.address() as { port: number }).port}`;
    const forged = await signedTwilioPost(
      `${origin}${TWILIO_WEBHOOKS}/sms`,
      params,
      'someone-elses-token-000000000',
    );
    expect(forged.status).toBe(403);
    expect(await texts()).toEqual([]);
    expect(await leads()).toEqual([]);
  });
});
