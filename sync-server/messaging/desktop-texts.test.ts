import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { formatHlc } from '../../db/hlc.ts';
import { queryRows } from '../../db/postgres/client.ts';
import { bearer, buildTestApp, signupBusiness } from '../../tests/support/app.ts';
import { createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { type FakeTwilio, startFakeTwilio } from '../../tests/support/fake-twilio.ts';
import type { Delivery } from './deliver.ts';
import type { DesktopTextDecision } from './desktop-texts.ts';
import { inbox } from '../../tests/support/inbox.ts';
import { textPlannedBeforeStart } from '../../tests/support/planned-text.ts';

const WEBSITE_NUMBER = '+15125550100';
const ADS_NUMBER = '+15125550111';
const CUSTOMER = '+15125557777';

describe('a text written on a desktop is sent by the server through Twilio', () => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  let fake: FakeTwilio | undefined;
  afterEach(async () => {
    await app?.close();
    await fake?.close();
    await t?.close();
    app = undefined;
    fake = undefined;
    t = undefined;
  });

  const start = async () => {
    t = await createTestDatabase('postgres');
    fake = await startFakeTwilio();
    const decided = inbox<{ smsLogId: string; decision: DesktopTextDecision }>();
    const delivered = inbox<{ smsLogId: string; delivery: Delivery | { done: 'gave_up' } }>();
    app = buildTestApp(
      t,
      {
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.url,
      },
      undefined,
      {
        observeFollowUp: {
          desktopDecided: (smsLogId, decision) => decided.push({ smsLogId, decision }),
          delivered: (smsLogId, delivery) => delivered.push({ smsLogId, delivery }),
        },
      },
    );
    const owner = await signupBusiness(app, { primaryPhone: '+15125551234' });
    const businessId = owner.business.id;
    const db = t.db;
    const [lead] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO leads (user_id, customer_phone, customer_name, source)
          VALUES (${businessId}, ${CUSTOMER}, 'Maria Ortiz', 'website') RETURNING id::text`,
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    let mutationId = 0;
    const clientId = `desk-${randomUUID().slice(0, 8)}`;
    /** What the desktop's outbox pushes for a text typed in the inbox. */
    const queueText = async (body: string) => {
      const id = randomUUID();
      mutationId += 1;
      const response = await app!.inject({
        method: 'POST',
        url: '/v1/mutations',
        headers: bearer(owner.accessToken),
        payload: {
          mutations: [
            {
              clientId,
              mutationId,
              name: 'text.queue',
              args: { id, leadId: lead!.id, body, at: new Date().toISOString() },
              hlc: formatHlc({ wallMs: Date.now(), counter: mutationId, clientId }),
            },
          ],
        },
      });
      expect(response.json()).toMatchObject({ results: [{ status: 'applied' }] });
      return id;
    };
    const text = async (id: string) =>
      (
        await queryRows<Record<string, unknown>>(
          db,
          sql`SELECT status, from_phone, provider_message_id, error_message
                FROM sms_logs WHERE id = ${id}::uuid`,
        )
      )[0];
    return { db, businessId, queueText, text, decided, delivered, fake: fake };
  };

  it('sends it from the number the customer last texted, and records Twilio’s id and delivery', async () => {
    const { db, businessId, queueText, text, decided, delivered, fake } = await start();
    await db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source, created_at)
          VALUES (${businessId}, ${WEBSITE_NUMBER}, 'website', now() - interval '1 day'),
                 (${businessId}, ${ADS_NUMBER}, 'google_ads', now())`,
    );
    // The customer's last text reached the Google Ads number.
    await db.execute(
      sql`INSERT INTO sms_logs (user_id, direction, from_phone, to_phone, message_text, status)
          VALUES (${businessId}, 'inbound', ${CUSTOMER}, ${ADS_NUMBER}, 'Are you open today?',
                  'received')`,
    );
    const id = await queueText('Yes! A tech can be there at 3pm.');
    expect((await decided.next()).decision).toHaveProperty('planned');
    const message = await fake.nextMessage();
    expect(message).toMatchObject({
      to: CUSTOMER,
      from: ADS_NUMBER,
      body: 'Yes! A tech can be there at 3pm.',
    });
    expect((await delivered.next()).delivery).toEqual({ done: 'sent', messageSid: message.sid });
    expect(await text(id)).toMatchObject({
      status: 'queued',
      from_phone: ADS_NUMBER,
      provider_message_id: message.sid,
    });
    await fake.sendStatus(message.sid, 'delivered');
    expect(await text(id)).toMatchObject({ status: 'delivered' });
  });

  it('refuses, with the reason, a text to a number that opted out or from a business with no number', async () => {
    const { db, businessId, queueText, text, decided, fake } = await start();
    const noNumber = await queueText('Hello?');
    expect((await decided.next()).decision).toEqual({
      refused: 'No Twilio number is set up to send texts from',
    });
    expect(await text(noNumber)).toMatchObject({
      status: 'failed',
      error_message: 'No Twilio number is set up to send texts from',
    });

    await db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
          VALUES (${businessId}, ${WEBSITE_NUMBER}, 'website')`,
    );
    await db.execute(
      sql`INSERT INTO sms_suppressions (user_id, phone, reason, matched)
          VALUES (${businessId}, ${CUSTOMER}, 'keyword', 'STOP')`,
    );
    const optedOut = await queueText('Just checking in');
    expect((await decided.next()).decision).toHaveProperty('refused');
    expect(await text(optedOut)).toMatchObject({
      status: 'failed',
      error_message: 'The recipient has opted out of texts (replied STOP) (Twilio error 21610)',
    });
    expect(fake.requests).toEqual([]);
  });

  it('fails, rather than sends twice, a text whose sending a crash interrupted', async () => {
    t = await createTestDatabase('postgres');
    const { smsLogId } = await textPlannedBeforeStart(t, {
      from: WEBSITE_NUMBER,
      to: CUSTOMER,
      body: 'On our way',
      key: 'desktop:crashed',
      purpose: 'desktop',
      state: 'sending',
      sendAt: new Date(),
      updatedAt: new Date(Date.now() - 10 * 60_000),
    });
    // The server starts again (with Twilio configured): the interrupted text is settled at start.
    fake = await startFakeTwilio();
    app = buildTestApp(t, {
      TWILIO_ACCOUNT_SID: fake.accountSid,
      TWILIO_AUTH_TOKEN: fake.authToken,
      TWILIO_API_BASE_URL: fake.url,
    });
    await app.close(); // closing waits for the start-up work
    app = undefined;
    const [row] = await queryRows<{ status: string; error_message: string; state: string }>(
      t.db,
      sql`SELECT s.status, s.error_message, o.state FROM sms_logs s
            JOIN outbound_texts o ON o.sms_log_id = s.id WHERE s.id = ${smsLogId}::uuid`,
    );
    expect(row).toEqual({
      status: 'failed',
      state: 'failed',
      error_message:
        'Sending was interrupted; it was not tried again so the customer never gets it twice',
    });
    expect(fake.requests).toEqual([]);
  });

  it('fails a text Twilio refuses as an invalid number, with Twilio’s reason', async () => {
    const { db, businessId, queueText, text, delivered, fake } = await start();
    await db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
          VALUES (${businessId}, ${WEBSITE_NUMBER}, 'website')`,
    );
    fake.markInvalid(CUSTOMER);
    const id = await queueText('See you soon');
    expect((await delivered.next()).delivery).toMatchObject({ done: 'failed' });
    expect(await text(id)).toMatchObject({
      status: 'failed',
      error_message: 'Not a valid phone number (Twilio error 21211)',
    });
  });
});
