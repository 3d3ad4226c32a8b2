import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { buildTestApp, signupBusiness } from '../../tests/support/app.ts';
import { createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import { type FakeTwilio, startFakeTwilio } from '../../tests/support/fake-twilio.ts';
import {
  dialActionParams,
  inboundSmsParams,
  signedTwilioPost,
  twilioSid,
} from '../../tests/support/twilio-webhooks.ts';
import type { CallRecorded } from '../telephony/calls.ts';
import { TWILIO_WEBHOOKS } from '../telephony/routes.ts';
import type { Delivery } from './deliver.ts';
import type { TextBackDecision } from './text-back.ts';
import { inbox } from '../../tests/support/inbox.ts';
import { textPlannedBeforeStart } from '../../tests/support/planned-text.ts';

const TRACKING = '+15125550100';
const CALLER = '+15125557777'; // Austin: Central time, federal quiet hours
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Wednesday 2026-11-25 12:00 in Austin: the middle of an open, non-quiet day. */
const NOON_AUSTIN = new Date('2026-11-25T18:00:00Z');

type Decided = { call: CallRecorded; decision: TextBackDecision };
type Delivered = { smsLogId: string; delivery: Delivery | { done: 'gave_up' } };

describe.each([
  ['BullMQ on Redis', true],
  ['the in-process queue (no Redis)', false],
] as const)('the missed-call text-back, %s', (_name, withRedis) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  let fake: FakeTwilio | undefined;
  let prefix: string | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await fake?.close();
    fake = undefined;
    await t?.close();
    t = undefined;
    if (prefix) {
      // This test's queue keys go with it.
      const redis = new Redis(REDIS_URL);
      const keys = await redis.keys(`${prefix}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      prefix = undefined;
    }
  });

  const start = async (config: Record<string, unknown> = {}, now = NOON_AUSTIN) => {
    t = await createTestDatabase('postgres');
    fake = await startFakeTwilio();
    prefix = withRedis ? `fl-test-${randomBytes(6).toString('hex')}` : undefined;
    const decided = inbox<Decided>();
    const delivered = inbox<Delivered>();
    app = buildTestApp(
      t,
      {
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.url,
        ...(withRedis ? { REDIS_URL } : {}),
      },
      undefined,
      {
        now: () => now,
        ...(prefix ? { textQueuePrefix: prefix } : {}),
        observeFollowUp: {
          decided: (call, decision) => decided.push({ call, decision }),
          delivered: (smsLogId, delivery) => delivered.push({ smsLogId, delivery }),
        },
      },
    );
    const business = await signupBusiness(app, {
      businessName: "Pat's Pipes",
      primaryPhone: '+15125551234',
    });
    const businessId = business.business.id;
    await t.db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
          VALUES (${businessId}, ${TRACKING}, 'website')`,
    );
    await t.db.execute(
      sql`INSERT INTO workflows (user_id, workflow_name, workflow_type, config, status)
          VALUES (${businessId}, 'Missed-call text-back', 'missed_call',
                  ${JSON.stringify({
                    message_template:
                      'Hi {customer_name}, {business_name} here. Sorry we missed you!',
                    delay_seconds: 0,
                    ...config,
                  })}::jsonb, 'active')`,
    );
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const db = t.db;
    const post = (path: string, params: Record<string, string>) =>
      signedTwilioPost(`${origin}${TWILIO_WEBHOOKS}${path}`, params, fake!.authToken);
    const missedCall = (from = CALLER, callSid = twilioSid('CA')) =>
      post(
        '/voice/dial',
        dialActionParams({
          callSid,
          accountSid: fake!.accountSid,
          from,
          to: TRACKING,
          dialCallStatus: 'no-answer',
        }),
      );
    const texts = () =>
      queryRows<Record<string, unknown>>(
        db,
        sql`SELECT s.status, s.to_phone, s.message_text, s.provider_message_id, s.error_message,
                   s.lead_id::text, o.state, o.attempts
              FROM sms_logs s LEFT JOIN outbound_texts o ON o.sms_log_id = s.id
             WHERE s.direction = 'outbound' ORDER BY s.created_at`,
      );
    const counters = async () =>
      (
        await queryRows<{ total_triggered: number; total_completed: number }>(
          db,
          sql`SELECT total_triggered, total_completed FROM workflows`,
        )
      )[0];
    return { db, businessId, post, missedCall, texts, counters, decided, delivered, fake: fake };
  };

  it('texts a missed caller once, and the delivery comes back to the text’s row', async () => {
    const { post, missedCall, texts, counters, decided, delivered, fake } = await start();
    const callSid = twilioSid('CA');
    // Twilio retries its webhooks: the same Dial action three times at once.
    await Promise.all([
      missedCall(CALLER, callSid),
      missedCall(CALLER, callSid),
      missedCall(CALLER, callSid),
    ]);
    const { decision, call } = await decided.next();
    expect(decision).toMatchObject({ planned: { idempotencyKey: `missed-call:${callSid}` } });

    const message = await fake.nextMessage();
    expect(message).toMatchObject({
      to: CALLER,
      from: TRACKING,
      body: "Hi there, Pat's Pipes here. Sorry we missed you!",
    });
    expect((await delivered.next()).delivery).toEqual({ done: 'sent', messageSid: message.sid });
    expect(await texts()).toEqual([
      expect.objectContaining({
        status: 'queued',
        provider_message_id: message.sid,
        lead_id: call.leadId,
        state: 'sent',
        attempts: 1,
      }),
    ]);
    expect(await counters()).toEqual({ total_triggered: 1, total_completed: 1 });

    await fake.sendStatus(message.sid, 'delivered');
    expect(await texts()).toEqual([expect.objectContaining({ status: 'delivered' })]);
    // The replays planned nothing more and sent nothing more.
    await post(
      '/voice/dial',
      dialActionParams({
        callSid,
        accountSid: fake.accountSid,
        from: CALLER,
        to: TRACKING,
        dialCallStatus: 'no-answer',
      }),
    );
    expect(fake.messages).toHaveLength(1);
  });

  it('sends at start a text planned before the last stop, whatever the queue forgot', async () => {
    t = await createTestDatabase('postgres');
    const { smsLogId } = await textPlannedBeforeStart(t, {
      from: TRACKING,
      to: CALLER,
      body: 'Sorry we missed you',
      key: 'missed-call:CAbefore',
      purpose: 'missed_call',
      state: 'pending',
      sendAt: NOON_AUSTIN,
    });
    fake = await startFakeTwilio();
    prefix = withRedis ? `fl-test-${randomBytes(6).toString('hex')}` : undefined;
    const delivered = inbox<Delivered>();
    app = buildTestApp(
      t,
      {
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        TWILIO_API_BASE_URL: fake.url,
        ...(withRedis ? { REDIS_URL } : {}),
      },
      undefined,
      {
        now: () => NOON_AUSTIN,
        ...(prefix ? { textQueuePrefix: prefix } : {}),
        observeFollowUp: {
          delivered: (smsLogId, delivery) => delivered.push({ smsLogId, delivery }),
        },
      },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    const message = await fake.nextMessage();
    expect(message).toMatchObject({ to: CALLER, from: TRACKING, body: 'Sorry we missed you' });
    expect(await delivered.next()).toEqual({
      smsLogId,
      delivery: { done: 'sent', messageSid: message.sid },
    });
  });

  it('texts a caller who rings again within the window only once', async () => {
    const { missedCall, decided, delivered, fake } = await start();
    await missedCall();
    expect((await decided.next()).decision).toHaveProperty('planned');
    await delivered.next();
    await missedCall();
    expect((await decided.next()).decision).toEqual({ skipped: 'recently_texted' });
    expect(fake.messages).toHaveLength(1);
  });

  it('never texts a number that said STOP, and does again after START', async () => {
    const { post, missedCall, decided, delivered, fake } = await start();
    const text = (body: string) =>
      post(
        '/sms',
        inboundSmsParams({
          messageSid: twilioSid('SM'),
          accountSid: fake.accountSid,
          from: CALLER,
          to: TRACKING,
          body,
        }),
      );
    await text('STOP');
    await missedCall();
    expect((await decided.next()).decision).toEqual({ skipped: 'opted_out' });
    await text('START');
    await missedCall();
    expect((await decided.next()).decision).toHaveProperty('planned');
    expect((await delivered.next()).delivery).toHaveProperty('done', 'sent');
    expect(fake.messages).toHaveLength(1);
  });

  it('tries once more after Twilio’s 5xx and sends exactly once', async () => {
    const { missedCall, texts, delivered, fake } = await start();
    fake.failNext(1, 500);
    await missedCall();
    const message = await fake.nextMessage();
    // The first attempt threw (not reported); the retry's outcome is.
    expect((await delivered.next()).delivery).toEqual({ done: 'sent', messageSid: message.sid });
    const sends = fake.requests.filter((request) => request.path.endsWith('/Messages.json'));
    expect(sends.map((request) => request.status)).toEqual([500, 201]);
    expect(fake.messages).toHaveLength(1);
    expect(await texts()).toEqual([expect.objectContaining({ state: 'sent', attempts: 2 })]);
  });

  it('fails a text Twilio refuses, with the reason, and keeps the number off the list', async () => {
    const { db, businessId, missedCall, texts, delivered, fake } = await start();
    fake.optOut(CALLER);
    await missedCall();
    expect((await delivered.next()).delivery).toMatchObject({ done: 'failed' });
    expect(await texts()).toEqual([
      expect.objectContaining({
        status: 'failed',
        state: 'failed',
        error_message: 'The recipient has opted out of texts (replied STOP) (Twilio error 21610)',
      }),
    ]);
    const [suppressed] = await queryRows<{ reason: string }>(
      db,
      sql`SELECT reason FROM sms_suppressions WHERE user_id = ${businessId} AND phone = ${CALLER}`,
    );
    expect(suppressed).toEqual({ reason: 'provider' });
  });
});

describe('the text-back waits out the recipient’s quiet hours', () => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    await t?.close();
    app = undefined;
    t = undefined;
  });

  it.each([
    // Florida (Miami, Eastern): 8am–8pm. 20:30 local on 2026-11-25 → 08:00 local the next day.
    [
      'a Florida number after 8pm',
      '+13055557777',
      '2026-11-26T01:30:00Z',
      '2026-11-26T13:00:00.000Z',
    ],
    [
      'a Florida number just before 8pm',
      '+13055557777',
      '2026-11-26T00:59:00Z',
      '2026-11-26T00:59:00.000Z',
    ],
    // Connecticut (Eastern): 9am–8pm. 08:30 local → 09:00 local the same day.
    [
      'a Connecticut number at 8:30am',
      '+12035557777',
      '2026-11-25T13:30:00Z',
      '2026-11-25T14:00:00.000Z',
    ],
    [
      'a Connecticut number at 9am',
      '+12035557777',
      '2026-11-25T14:00:00Z',
      '2026-11-25T14:00:00.000Z',
    ],
  ])('%s', async (_name, caller, nowIso, expected) => {
    t = await createTestDatabase('pglite');
    const decided = inbox<Decided>();
    const fake = { accountSid: twilioSid('AC'), authToken: 'test-auth-token-0123456789abcdef' };
    app = buildTestApp(
      t,
      {
        TWILIO_ACCOUNT_SID: fake.accountSid,
        TWILIO_AUTH_TOKEN: fake.authToken,
        // Nothing is due before the test ends; no Twilio is needed.
        TWILIO_API_BASE_URL: 'http://127.0.0.1:9',
      },
      undefined,
      {
        now: () => new Date(nowIso),
        observeFollowUp: { decided: (call, decision) => decided.push({ call, decision }) },
      },
    );
    const business = await signupBusiness(app);
    await t.db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source)
          VALUES (${business.business.id}, ${TRACKING}, 'website')`,
    );
    await t.db.execute(
      sql`INSERT INTO workflows (user_id, workflow_name, workflow_type, config)
          VALUES (${business.business.id}, 'Text-back', 'missed_call',
                  '{"message_template": "Sorry we missed you", "delay_seconds": 0}'::jsonb)`,
    );
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    await signedTwilioPost(
      `${origin}${TWILIO_WEBHOOKS}/voice/dial`,
      dialActionParams({
        callSid: twilioSid('CA'),
        accountSid: fake.accountSid,
        from: caller,
        to: TRACKING,
        dialCallStatus: 'busy',
      }),
      fake.authToken,
    );
    const { decision } = await decided.next();
    expect(decision).toHaveProperty('planned');
    if (!('planned' in decision)) return;
    expect(decision.planned.sendAt.toISOString()).toBe(expected);
  });
});
