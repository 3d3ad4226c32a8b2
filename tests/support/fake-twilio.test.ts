import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';
import { describe, expect, it, onTestFinished } from 'vitest';
import { type FakeTwilioOptions, startFakeTwilio } from './fake-twilio.ts';
import { RedirectedTwilioRequestClient } from '../../sync-server/telephony/twilio-client.ts';
import {
  callStatusParams,
  dialActionParams,
  inboundSmsParams,
  incomingCallParams,
  recordingStatusParams,
  signedTwilioPost,
  twilioSid,
} from './twilio-webhooks.ts';

const CUSTOMER = '+15125550123';
const OUR_NUMBER = '+15125550100';

/** Each test gets its own fake, closed when the test ends. */
async function fakeTwilio(options?: FakeTwilioOptions) {
  const fake = await startFakeTwilio(options);
  onTestFinished(() => fake.close());
  return fake;
}

interface ReceivedWebhook {
  /** The URL as this server saw it. */
  url: string;
  headers: IncomingHttpHeaders;
  params: Record<string, string>;
}

/** Stands in for our server's webhook routes: records each POST, answers 204. */
async function webhookReceiver() {
  const received: ReceivedWebhook[] = [];
  const waiters: ((webhook: ReceivedWebhook) => void)[] = [];
  let taken = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const webhook = {
        url: `${url}${req.url ?? ''}`,
        headers: req.headers,
        params: Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8'))),
      };
      received.push(webhook);
      const waiter = waiters.shift();
      if (waiter) {
        taken += 1;
        waiter(webhook);
      }
      res.writeHead(204).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  onTestFinished(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });
  return {
    url,
    next: (): Promise<ReceivedWebhook> => {
      const ready = received[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}

const signatureOf = (webhook: ReceivedWebhook) => String(webhook.headers['x-twilio-signature']);

describe('fake Twilio Messages API, driven by the real twilio SDK', () => {
  it('accepts a message and answers with the Message resource Twilio returns', async () => {
    const fake = await fakeTwilio();
    const client = twilio(fake.accountSid, fake.authToken, {
      httpClient: new RedirectedTwilioRequestClient(fake.url),
    });
    const accepted = fake.nextMessage();

    const message = await client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'Your technician is on the way',
      statusCallback: 'https://fieldline.example.com/twilio/message-status',
    });

    expect(message.sid).toMatch(/^SM[0-9a-f]{32}$/);
    expect(message).toMatchObject({
      accountSid: fake.accountSid,
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'Your technician is on the way',
      status: 'queued',
      direction: 'outbound-api',
      apiVersion: '2010-04-01',
      numSegments: '1',
      dateSent: null,
      price: null,
      errorCode: null,
      errorMessage: null,
      messagingServiceSid: null,
      uri: `/2010-04-01/Accounts/${fake.accountSid}/Messages/${message.sid}.json`,
    });
    // The SDK parses date_created as RFC 2822: a valid Date proves the format.
    expect(Number.isNaN(message.dateCreated.getTime())).toBe(false);
    expect(await accepted).toMatchObject({
      sid: message.sid,
      statusCallback: 'https://fieldline.example.com/twilio/message-status',
    });
    expect(fake.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: `/2010-04-01/Accounts/${fake.accountSid}/Messages.json`,
        status: 201,
        params: {
          To: CUSTOMER,
          From: OUR_NUMBER,
          Body: 'Your technician is on the way',
          StatusCallback: 'https://fieldline.example.com/twilio/message-status',
        },
      }),
    ]);
    expect(fake.requests[0]?.headers['user-agent']).toMatch(/^twilio-node\//);
  });

  it('accepts a Messaging Service send with no sender yet, and serves the message back', async () => {
    const fake = await fakeTwilio();
    const client = fake.client();
    const messagingServiceSid = twilioSid('MG');

    const message = await client.messages.create({ to: CUSTOMER, messagingServiceSid, body: 'Hi' });

    expect(message).toMatchObject({ status: 'accepted', from: null, messagingServiceSid });
    expect(await client.messages(message.sid).fetch()).toMatchObject({ sid: message.sid });
  });

  it("surfaces Twilio's validation errors through the SDK as RestException", async () => {
    const fake = await fakeTwilio();
    const client = fake.client();
    fake.optOut(CUSTOMER);
    const send = (to: string, body?: string) =>
      client.messages.create({ to, from: OUR_NUMBER, body }).catch((error: unknown) => error);

    const unsubscribed = await send(CUSTOMER, 'Reminder');
    expect(unsubscribed).toBeInstanceOf(twilio.RestException);
    expect(unsubscribed).toMatchObject({
      status: 400,
      code: 21610,
      message: 'Attempt to send to unsubscribed recipient',
      moreInfo: 'https://www.twilio.com/docs/errors/21610',
    });
    expect(await send('512-555-0123', 'Reminder')).toMatchObject({
      status: 400,
      code: 21211,
      message: "The 'To' number 512-555-0123 is not a valid phone number.",
    });
    fake.markInvalid('+15125550999');
    expect(await send('+15125550999', 'Reminder')).toMatchObject({ code: 21211 });
    expect(await send('+15125550111')).toMatchObject({ status: 400, code: 21602 });
    fake.optIn(CUSTOMER);
    expect(await send(CUSTOMER, 'Reminder')).toMatchObject({ status: 'queued' });
    expect(fake.messages).toHaveLength(1);
  });

  it('fails the next sends with a 5xx on request, then recovers', async () => {
    const fake = await fakeTwilio();
    const client = fake.client();
    fake.failNext(1);

    const outage = await client.messages
      .create({ to: CUSTOMER, from: OUR_NUMBER, body: 'Retry me' })
      .catch((error: unknown) => error);
    const retried = await client.messages.create({
      to: CUSTOMER,
      from: OUR_NUMBER,
      body: 'Retry me',
    });

    expect(outage).toBeInstanceOf(twilio.RestException);
    expect(outage).toMatchObject({ status: 500, code: 20500 });
    expect(retried.status).toBe('queued');
    expect(fake.requests.map((request) => request.status)).toEqual([500, 201]);
    expect(fake.messages.map((message) => message.sid)).toEqual([retried.sid]);
  });

  it('answers 401 (20003) to wrong credentials and 404 (20404) to another account', async () => {
    const fake = await fakeTwilio();
    const httpClient = new RedirectedTwilioRequestClient(fake.url);
    const message = { to: CUSTOMER, from: OUR_NUMBER, body: 'Hello' };

    const wrongToken = await twilio(fake.accountSid, 'not-the-auth-token', { httpClient })
      .messages.create(message)
      .catch((error: unknown) => error);
    const otherAccount = await fake
      .client()
      .api.v2010.accounts(twilioSid('AC'))
      .messages.create(message)
      .catch((error: unknown) => error);

    expect(wrongToken).toBeInstanceOf(twilio.RestException);
    expect(wrongToken).toMatchObject({ status: 401, code: 20003 });
    expect(otherAccount).toMatchObject({ status: 404, code: 20404 });
    expect(fake.messages).toEqual([]);
  });
});

describe('webhooks signed as Twilio signs them', () => {
  it('sends status callbacks that validateRequest accepts, and only untampered', async () => {
    const fake = await fakeTwilio();
    const receiver = await webhookReceiver();
    const statusCallback = `${receiver.url}/twilio/message-status?lead=42`;
    const message = await fake
      .client()
      .messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'On our way', statusCallback });

    const answer = await fake.sendStatus(message.sid, 'delivered');
    const delivered = await receiver.next();

    expect(answer.status).toBe(204);
    expect(delivered.url).toBe(statusCallback);
    expect(delivered.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(delivered.params).toEqual({
      AccountSid: fake.accountSid,
      ApiVersion: '2010-04-01',
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: 'delivered',
      SmsStatus: 'delivered',
      From: OUR_NUMBER,
      To: CUSTOMER,
    });
    const signature = signatureOf(delivered);
    expect(
      twilio.validateRequest(fake.authToken, signature, statusCallback, delivered.params),
    ).toBe(true);
    const tampered = { ...delivered.params, MessageStatus: 'failed' };
    expect(twilio.validateRequest(fake.authToken, signature, statusCallback, tampered)).toBe(false);
    expect(fake.messages[0]?.status).toBe('delivered');

    await fake.sendStatus(message.sid, 'failed', { errorCode: 30007 });
    expect((await receiver.next()).params).toMatchObject({
      MessageStatus: 'failed',
      ErrorCode: '30007',
    });
  });

  it('sends autoStatus callbacks in order after accepting a message', async () => {
    const fake = await fakeTwilio({ autoStatus: ['sent', 'delivered'] });
    const receiver = await webhookReceiver();
    const statusCallback = `${receiver.url}/twilio/message-status`;

    await fake
      .client()
      .messages.create({ to: CUSTOMER, from: OUR_NUMBER, body: 'Booked', statusCallback });
    const sent = await receiver.next();
    const delivered = await receiver.next();

    expect([sent.params.MessageStatus, delivered.params.MessageStatus]).toEqual([
      'sent',
      'delivered',
    ]);
    for (const webhook of [sent, delivered]) {
      expect(
        twilio.validateRequest(
          fake.authToken,
          signatureOf(webhook),
          statusCallback,
          webhook.params,
        ),
      ).toBe(true);
    }
  });

  it('signedTwilioPost signs over the public URL a proxy forwards from', async () => {
    const receiver = await webhookReceiver();
    const authToken = 'f'.repeat(32);
    const publicUrl = 'https://fieldline.example.com/twilio/voice';
    const params = incomingCallParams({ callSid: twilioSid('CA'), from: CUSTOMER, to: OUR_NUMBER });

    await signedTwilioPost(`${receiver.url}/twilio/voice`, params, authToken, {
      signedUrl: publicUrl,
    });
    const webhook = await receiver.next();

    expect(webhook.params).toEqual(params);
    const signature = signatureOf(webhook);
    expect(twilio.validateRequest(authToken, signature, publicUrl, webhook.params)).toBe(true);
    expect(twilio.validateRequest(authToken, signature, webhook.url, webhook.params)).toBe(false);
  });

  it('builds the parameters Twilio sends for calls, dials, recordings and inbound texts', () => {
    const callSid = twilioSid('CA');
    const accountSid = twilioSid('AC');

    expect(incomingCallParams({ callSid, from: CUSTOMER, to: OUR_NUMBER, accountSid })).toEqual({
      AccountSid: accountSid,
      ApiVersion: '2010-04-01',
      CallSid: callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: CUSTOMER,
      Caller: CUSTOMER,
      To: OUR_NUMBER,
      Called: OUR_NUMBER,
    });
    const completed = callStatusParams({
      callSid,
      status: 'completed',
      duration: 73,
      sequenceNumber: 3,
    });
    expect(completed).toMatchObject({
      CallStatus: 'completed',
      CallDuration: '73',
      SequenceNumber: '3',
      CallbackSource: 'call-progress-events',
    });
    expect(completed.Timestamp).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);
    const dialed = dialActionParams({ callSid, dialCallStatus: 'no-answer' });
    expect(dialed).toMatchObject({ DialCallStatus: 'no-answer', CallStatus: 'in-progress' });
    expect(dialed.DialCallSid).toMatch(/^CA[0-9a-f]{32}$/);
    expect(
      recordingStatusParams({
        callSid,
        recordingSid: twilioSid('RE'),
        recordingUrl: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1',
        recordingDuration: 41,
      }),
    ).toMatchObject({ RecordingStatus: 'completed', RecordingDuration: '41' });
    const messageSid = twilioSid('SM');
    expect(
      inboundSmsParams({
        messageSid,
        from: CUSTOMER,
        to: OUR_NUMBER,
        body: 'STOP',
        optOutType: 'STOP',
      }),
    ).toMatchObject({
      MessageSid: messageSid,
      SmsSid: messageSid,
      SmsMessageSid: messageSid,
      Body: 'STOP',
      NumMedia: '0',
      NumSegments: '1',
      OptOutType: 'STOP',
    });
  });
});
