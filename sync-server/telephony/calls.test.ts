import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { buildTestApp, signupBusiness } from '../../tests/support/app.ts';
import { backends, createTestDatabase, type TestDatabase } from '../../tests/support/databases.ts';
import {
  callStatusParams,
  dialActionParams,
  incomingCallParams,
  recordingStatusParams,
  signedTwilioPost,
  twilioSid,
} from '../../tests/support/twilio-webhooks.ts';
import { TWILIO_WEBHOOKS } from './routes.ts';

const ACCOUNT_SID = twilioSid('AC');
const AUTH_TOKEN = 'test-auth-token-0123456789abcdef';
const TRACKING = '+15125550100';
const GOOGLE_ADS_NUMBER = '+15125550111';
const CALLER = '+15125557777';
const BUSINESS_PHONE = '+15125551234';

interface CallRow extends Record<string, unknown> {
  call_status: string;
  call_duration: number;
  recording_url: string | null;
  recording_duration: number | null;
  lead_id: string;
  caller_phone: string;
  called_phone: string;
}

describe.each(backends)('Twilio call webhooks on %s', (backend) => {
  let t: TestDatabase | undefined;
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await t?.close();
    t = undefined;
  });

  /** A business with a website number and a Google Ads number, served on a real port. */
  const start = async (env: Record<string, string> = {}) => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t, {
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      ...env,
    });
    const business = await signupBusiness(app, { primaryPhone: BUSINESS_PHONE });
    const businessId = business.business.id;
    await t.db.execute(
      sql`INSERT INTO tracking_numbers (user_id, phone_number, lead_source, label)
          VALUES (${businessId}, ${TRACKING}, 'website', 'Website'),
                 (${businessId}, ${GOOGLE_ADS_NUMBER}, 'google_ads', 'Google Ads')`,
    );
    const origin = await app.listen({ host: '127.0.0.1', port: 0 });
    const db = t.db;
    const post = (path: string, params: Record<string, string>, signedUrl?: string) =>
      signedTwilioPost(`${origin}${TWILIO_WEBHOOKS}${path}`, params, AUTH_TOKEN, {
        ...(signedUrl ? { signedUrl } : {}),
      });
    const calls = () =>
      queryRows<CallRow>(
        db,
        sql`SELECT call_status, call_duration, recording_url, recording_duration,
                   lead_id::text, caller_phone, called_phone FROM call_logs ORDER BY created_at`,
      );
    const leads = () =>
      queryRows<{ id: string; source: string; customer_phone: string; status: string }>(
        db,
        sql`SELECT id::text, source, customer_phone, status FROM leads ORDER BY created_at`,
      );
    return { origin, db, businessId, post, calls, leads };
  };

  const parties = (callSid: string, to = TRACKING) => ({
    callSid,
    accountSid: ACCOUNT_SID,
    from: CALLER,
    to,
  });

  it('forwards a call to a tracking number to the business, and rejects one to no number', async () => {
    const { post } = await start();
    const callSid = twilioSid('CA');
    const answer = await post('/voice', incomingCallParams(parties(callSid)));
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^text\/xml/);
    const xml = await answer.text();
    expect(xml).toContain(`<Number>${BUSINESS_PHONE}</Number>`);
    expect(xml).toMatch(
      /<Dial [^>]*action="http:\/\/127\.0\.0\.1:\d+\/v1\/webhooks\/twilio\/voice\/dial"/,
    );
    expect(xml).toMatch(/<Dial [^>]*timeout="20"/);

    const unknown = await post('/voice', incomingCallParams(parties(callSid, '+15125550199')));
    expect(await unknown.text()).toContain('<Reject');
  });

  it('refuses forged, unsigned and other-account requests with 403 and writes nothing', async () => {
    const { origin, post, calls, leads } = await start();
    const url = `${origin}${TWILIO_WEBHOOKS}/voice/dial`;
    const params = dialActionParams({ ...parties(twilioSid('CA')), dialCallStatus: 'no-answer' });

    const forged = await signedTwilioPost(url, params, 'not-the-auth-token-0000000000');
    expect(forged.status).toBe(403);
    expect(await forged.json()).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });

    const unsigned = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(params).toString(),
    });
    expect(unsigned.status).toBe(403);

    // Signed correctly, then one parameter changed on the way.
    const tampered = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': (await import('twilio')).default.getExpectedTwilioSignature(
          AUTH_TOKEN,
          url,
          params,
        ),
      },
      body: new URLSearchParams({ ...params, From: '+15125550000' }).toString(),
    });
    expect(tampered.status).toBe(403);

    const otherAccount = await post('/voice/dial', { ...params, AccountSid: twilioSid('AC') });
    expect(otherAccount.status).toBe(403);

    expect(await calls()).toEqual([]);
    expect(await leads()).toEqual([]);
  });

  it('checks the signature against the public URL when the server sits behind a proxy', async () => {
    const { post, calls } = await start({ TWILIO_WEBHOOK_BASE_URL: 'https://api.fieldline.test' });
    const params = dialActionParams({ ...parties(twilioSid('CA')), dialCallStatus: 'no-answer' });
    // Signed for the address the server itself sees: not what Twilio would have signed.
    expect((await post('/voice/dial', params)).status).toBe(403);
    const viaProxy = await post(
      '/voice/dial',
      params,
      `https://api.fieldline.test${TWILIO_WEBHOOKS}/voice/dial`,
    );
    expect(viaProxy.status).toBe(200);
    // The TwiML's next addresses are the public ones too.
    expect(await viaProxy.text()).toContain(
      `recordingStatusCallback="https://api.fieldline.test${TWILIO_WEBHOOKS}/voice/recording"`,
    );
    expect(await calls()).toHaveLength(1);
  });

  it('answers a malformed callback with 400 naming the parameter', async () => {
    const { post, calls } = await start();
    const params = dialActionParams({ ...parties(twilioSid('CA')), dialCallStatus: 'no-answer' });
    const answer = await post('/voice/dial', { ...params, DialCallStatus: 'exploded' });
    expect(answer.status).toBe(400);
    const body = (await answer.json()) as { code: string; message: string };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toContain('DialCallStatus');
    expect(await calls()).toEqual([]);
  });

  it('records a missed call with its voicemail as one row and a missed-call lead, whatever repeats', async () => {
    const { post, calls, leads } = await start();
    const callSid = twilioSid('CA');
    const dial = dialActionParams({ ...parties(callSid), dialCallStatus: 'no-answer' });
    const offered = await post('/voice/dial', dial);
    const xml = await offered.text();
    expect(xml).toContain('<Record');
    expect(xml).toContain('<Say>');
    expect(await calls()).toMatchObject([{ call_status: 'no_answer', caller_phone: CALLER }]);

    const recordingUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Recordings/RE1`;
    const recording = recordingStatusParams({
      callSid,
      accountSid: ACCOUNT_SID,
      recordingSid: twilioSid('RE'),
      recordingUrl,
      recordingDuration: 17,
    });
    const completed = callStatusParams({
      ...parties(callSid),
      status: 'completed',
      duration: 41,
      sequenceNumber: 0,
    });
    for (const [path, params] of [
      ['/voice/recording', recording],
      ['/voice/status', completed],
      // Replays of all three.
      ['/voice/dial', dial],
      ['/voice/recording', recording],
      ['/voice/status', completed],
    ] as const) {
      expect((await post(path, params)).status).toBeLessThan(300);
    }
    const [lead] = await leads();
    expect(await calls()).toEqual([
      {
        call_status: 'voicemail',
        call_duration: 41,
        recording_url: recordingUrl,
        recording_duration: 17,
        lead_id: lead!.id,
        caller_phone: CALLER,
        called_phone: TRACKING,
      },
    ]);
    expect(await leads()).toEqual([
      { id: lead!.id, source: 'missed_call', customer_phone: CALLER, status: 'new' },
    ]);
  });

  it('lets the Dial outcome decide when the parent call’s end arrives first', async () => {
    const { post, calls, leads } = await start();
    const callSid = twilioSid('CA');
    const completed = callStatusParams({
      ...parties(callSid, GOOGLE_ADS_NUMBER),
      status: 'completed',
      duration: 110,
      sequenceNumber: 3,
    });
    await post('/voice/status', completed);
    expect(await calls()).toMatchObject([{ call_status: 'no_answer', call_duration: 110 }]);

    const answered = dialActionParams({
      ...parties(callSid, GOOGLE_ADS_NUMBER),
      dialCallStatus: 'completed',
      dialCallDuration: 95,
    });
    expect(await (await post('/voice/dial', answered)).text()).toContain('<Hangup');
    // A late, older status and a replay of the parent's end change nothing.
    await post('/voice/status', { ...completed, CallStatus: 'ringing', SequenceNumber: '1' });
    await post('/voice/status', completed);
    expect(await calls()).toMatchObject([{ call_status: 'answered', call_duration: 95 }]);
    // The lead was made when the call first looked missed; it stays the caller's lead.
    expect(await leads()).toHaveLength(1);
  });

  it('attaches a known caller’s call to their open lead, and a finished customer gets a new one', async () => {
    const { db, businessId, post, calls, leads } = await start();
    const [open] = await queryRows<{ id: string }>(
      db,
      sql`INSERT INTO leads (user_id, customer_phone, customer_name, source, status)
          VALUES (${businessId}, ${CALLER}, 'Maria Ortiz', 'referral', 'quoted') RETURNING id::text`,
    );
    await post(
      '/voice/dial',
      dialActionParams({ ...parties(twilioSid('CA')), dialCallStatus: 'no-answer' }),
    );
    expect((await calls())[0]?.lead_id).toBe(open!.id);
    expect(await leads()).toHaveLength(1);

    await db.execute(sql`UPDATE leads SET status = 'completed' WHERE id = ${open!.id}::uuid`);
    await post(
      '/voice/dial',
      dialActionParams({
        ...parties(twilioSid('CA'), GOOGLE_ADS_NUMBER),
        dialCallStatus: 'completed',
        dialCallDuration: 60,
      }),
    );
    const all = await leads();
    expect(all).toHaveLength(2);
    // Answered on the Google Ads number: a Google Ads lead.
    expect(all[1]).toMatchObject({ source: 'google_ads', customer_phone: CALLER, status: 'new' });
  });

  it('forwards a withheld caller but records no lead for them', async () => {
    const { post, calls, leads } = await start();
    const params = dialActionParams({
      ...parties(twilioSid('CA')),
      from: '+266696687',
      dialCallStatus: 'no-answer',
    });
    expect((await post('/voice/dial', params)).status).toBe(200);
    expect(await calls()).toEqual([]);
    expect(await leads()).toEqual([]);
  });

  it('answers 503 when Twilio is not configured', async () => {
    t = await createTestDatabase(backend);
    app = buildTestApp(t);
    const answer = await app.inject({
      method: 'POST',
      url: `${TWILIO_WEBHOOKS}/voice`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams(incomingCallParams(parties(twilioSid('CA')))).toString(),
    });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED' });
  });
});
