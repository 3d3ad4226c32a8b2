import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type twilio from 'twilio';
import { twilioClient } from '../../sync-server/telephony/twilio-client.ts';
import {
  rfc2822,
  signedTwilioPost,
  smsSegments,
  TWILIO_API_VERSION,
  twilioSid,
  type TwilioParams,
} from './twilio-webhooks.ts';

/**
 * Twilio's REST Messages API on 127.0.0.1, for tests and benchmarks that run the real `twilio` SDK:
 * the fake answers with Twilio's JSON and error codes, and sends status callbacks signed as Twilio
 * signs them. It is a fake of the network edge only — everything on our side stays real.
 */

/** Message statuses a status callback can report (queued/accepted are answered on create). */
export type DeliveryStatus = 'sent' | 'delivered' | 'undelivered' | 'failed';
export type MessageStatus = 'accepted' | 'queued' | DeliveryStatus;

export interface FakeTwilioOptions {
  accountSid?: string;
  authToken?: string;
  /** Status callbacks to send, in order, after each accepted message that has a StatusCallback. */
  autoStatus?: DeliveryStatus[];
  /** The number a Messaging Service "picks" for a message sent with MessagingServiceSid. */
  messagingServiceNumber?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The form as received; `params` keeps the first value of each field for easy assertions. */
  form: URLSearchParams;
  params: Record<string, string>;
  /** The status the fake answered. */
  status: number;
}

export interface Message {
  sid: string;
  accountSid: string;
  to: string;
  /** Null until sent when the message went through a Messaging Service, as on Twilio. */
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  mediaUrls: string[];
  statusCallback: string | null;
  status: MessageStatus;
  errorCode: number | null;
  numSegments: number;
  dateCreated: Date;
  dateUpdated: Date;
  dateSent: Date | null;
}

export interface StatusCallbackAttempt {
  messageSid: string;
  url: string;
  params: TwilioParams;
  /** The receiver's answer, or the error that kept it from answering. */
  responseStatus?: number;
  error?: unknown;
}

export interface FakeTwilio {
  /** Base URL, e.g. http://127.0.0.1:41234 — the server's TWILIO_API_BASE_URL. */
  url: string;
  accountSid: string;
  authToken: string;
  messages: Message[];
  requests: RecordedRequest[];
  statusCallbacks: StatusCallbackAttempt[];
  /** The real SDK, authenticated as this fake's account and pointed at it. */
  client(): twilio.Twilio;
  /** Resolves with the next accepted message not yet taken by an earlier call (queue order). */
  nextMessage(): Promise<Message>;
  /** The next `count` sends answer `status` with Twilio's error body, as in an outage. */
  failNext(count: number, status?: number): void;
  /** The number replied STOP: sends to it fail with 21610 until optIn. */
  optOut(e164: string): void;
  optIn(e164: string): void;
  /** A number Twilio cannot text (a landline, unassigned): sends to it fail with 21211. */
  markInvalid(e164: string): void;
  /** Moves a message on and POSTs its StatusCallback, signed; resolves with the receiver's answer. */
  sendStatus(
    messageSid: string,
    status: DeliveryStatus,
    options?: { errorCode?: number },
  ): Promise<Response>;
  close(): Promise<void>;
}

interface TwilioError {
  status: number;
  code: number;
  message: string;
}

const E164 = /^\+[1-9]\d{1,14}$/;
const MESSAGES_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/;
const MESSAGE_PATH = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\/([^/]+)\.json$/;
const OUTAGE_CODES: Record<number, [number, string]> = {
  429: [20429, 'Too Many Requests'],
  503: [20503, 'Service is unavailable. Please try again'],
};
// The magic To numbers of Twilio's test credentials (invalid, unsubscribed); the fake honours them.
// A Messaging Service send reports the magic valid From, +15005550006, unless told a number.
const TWILIO_MAGIC_INVALID = '+15005550001';
const TWILIO_MAGIC_OPTED_OUT = '+15005550004';
const TWILIO_MAGIC_FROM = '+15005550006';

export async function startFakeTwilio(options: FakeTwilioOptions = {}): Promise<FakeTwilio> {
  const accountSid = options.accountSid ?? twilioSid('AC');
  const authToken = options.authToken ?? randomBytes(16).toString('hex');
  const messages: Message[] = [];
  const requests: RecordedRequest[] = [];
  const statusCallbacks: StatusCallbackAttempt[] = [];
  const optedOut = new Set([TWILIO_MAGIC_OPTED_OUT]);
  const invalid = new Set([TWILIO_MAGIC_INVALID]);
  const outages: number[] = [];
  const waiters: { resolve(m: Message): void; reject(e: Error): void }[] = [];
  let taken = 0;
  // Aborted by close(), so a receiver that never answers cannot hold a test open.
  const inFlight = new AbortController();
  const deliveries = new Set<Promise<unknown>>();

  function accept(message: Message): void {
    messages.push(message);
    const waiter = waiters.shift();
    if (waiter) {
      taken += 1;
      waiter.resolve(message);
    }
  }

  function createMessage(form: URLSearchParams): Message | TwilioError {
    const to = form.get('To');
    const from = form.get('From');
    const messagingServiceSid = form.get('MessagingServiceSid');
    const body = form.get('Body') ?? '';
    const mediaUrls = form.getAll('MediaUrl');
    const reject = (code: number, message: string) => ({ status: 400, code, message });
    if (!to) return reject(21604, "A 'To' phone number is required.");
    if (!from && !messagingServiceSid) return reject(21603, "A 'From' phone number is required.");
    if (!body && mediaUrls.length === 0) return reject(21602, 'Message body is required.');
    if (!E164.test(to) || invalid.has(to)) {
      return reject(21211, `The 'To' number ${to} is not a valid phone number.`);
    }
    if (body.length > 1600) {
      return reject(21617, 'The concatenated message body exceeds the 1600 character limit.');
    }
    if (optedOut.has(to)) return reject(21610, 'Attempt to send to unsubscribed recipient');
    const now = new Date();
    return {
      sid: twilioSid('SM'),
      accountSid,
      to,
      from: messagingServiceSid && !from ? null : from,
      messagingServiceSid,
      body,
      mediaUrls,
      statusCallback: form.get('StatusCallback'),
      // A Messaging Service accepts first and picks the sender later; a From number queues.
      status: messagingServiceSid ? 'accepted' : 'queued',
      errorCode: null,
      numSegments: smsSegments(body),
      dateCreated: now,
      dateUpdated: now,
      dateSent: null,
    };
  }

  /** Routes one API request; returns the status and JSON body Twilio would answer. */
  function answer(
    method: string,
    path: string,
    headers: IncomingHttpHeaders,
    form: URLSearchParams,
  ) {
    const error = ({ status, code, message }: TwilioError) => ({
      status,
      json: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status },
    });
    const notFound = error({
      status: 404,
      code: 20404,
      message: `The requested resource ${path} was not found`,
    });
    const [user, password] = basicCredentials(headers.authorization);
    if (user !== accountSid || password !== authToken) {
      return error({ status: 401, code: 20003, message: 'Authenticate' });
    }
    const create = MESSAGES_PATH.exec(path);
    const single = MESSAGE_PATH.exec(path);
    if (create && method === 'POST') {
      if (create[1] !== accountSid) return notFound;
      const outage = outages.shift();
      if (outage !== undefined) {
        const [code, message] = OUTAGE_CODES[outage] ?? [
          20500,
          'An internal server error has occurred',
        ];
        return error({ status: outage, code, message });
      }
      const created = createMessage(form);
      if ('code' in created) return error(created);
      accept(created);
      return { status: 201, json: messageResource(created), accepted: created };
    }
    if (single && method === 'GET' && single[1] === accountSid) {
      const message = messages.find((m) => m.sid === single[2]);
      if (message) return { status: 200, json: messageResource(message) };
    }
    return notFound;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const result = answer(method, path, req.headers, form);
    requests.push({
      method,
      path,
      headers: req.headers,
      form,
      params: Object.fromEntries(form),
      status: result.status,
    });
    res.writeHead(result.status, {
      'content-type': 'application/json; charset=utf-8',
      'twilio-request-id': twilioSid('RQ'),
      ...(result.status === 401 ? { 'www-authenticate': 'Basic realm="Twilio API"' } : {}),
    });
    res.end(JSON.stringify(result.json));
    const accepted = 'accepted' in result ? result.accepted : undefined;
    if (accepted?.statusCallback && options.autoStatus?.length) {
      // Twilio reports delivery after answering the create, one status after another.
      const autoStatus = options.autoStatus;
      void track(
        (async () => {
          for (const status of autoStatus) await sendStatus(accepted.sid, status).catch(() => {});
        })(),
      );
    }
  }

  function track<T>(delivery: Promise<T>): Promise<T> {
    deliveries.add(delivery);
    void delivery.finally(() => deliveries.delete(delivery)).catch(() => {});
    return delivery;
  }

  async function sendStatus(
    messageSid: string,
    status: DeliveryStatus,
    { errorCode }: { errorCode?: number } = {},
  ): Promise<Response> {
    const message = messages.find((m) => m.sid === messageSid);
    if (!message) throw new Error(`fake Twilio has no message ${messageSid}`);
    if (!message.statusCallback) throw new Error(`message ${messageSid} has no StatusCallback`);
    const failing = status === 'undelivered' || status === 'failed';
    message.status = status;
    message.from ??= options.messagingServiceNumber ?? TWILIO_MAGIC_FROM;
    message.dateUpdated = new Date();
    if (status === 'sent') message.dateSent = message.dateUpdated;
    // 30003 "Unreachable destination handset", 30008 "Unknown error": Twilio's usual defaults.
    if (failing) message.errorCode = errorCode ?? (status === 'undelivered' ? 30003 : 30008);
    const params: TwilioParams = {
      AccountSid: accountSid,
      ApiVersion: TWILIO_API_VERSION,
      MessageSid: message.sid,
      SmsSid: message.sid,
      MessageStatus: status,
      SmsStatus: status,
      From: message.from,
      To: message.to,
    };
    if (message.messagingServiceSid) params.MessagingServiceSid = message.messagingServiceSid;
    if (failing) params.ErrorCode = String(message.errorCode);
    const attempt: StatusCallbackAttempt = { messageSid, url: message.statusCallback, params };
    statusCallbacks.push(attempt);
    try {
      const response = await track(
        signedTwilioPost(attempt.url, params, authToken, { signal: inFlight.signal }),
      );
      attempt.responseStatus = response.status;
      return response;
    } catch (error) {
      attempt.error = error;
      throw error;
    }
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      res.destroy(error instanceof Error ? error : new Error(String(error)));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    accountSid,
    authToken,
    messages,
    requests,
    statusCallbacks,
    // The product's own client, redirected here: what the server sends is what the fake receives.
    client: () => twilioClient({ accountSid, authToken }, url),
    nextMessage() {
      const ready = messages[taken];
      if (ready) {
        taken += 1;
        return Promise.resolve(ready);
      }
      return new Promise((resolve, reject) => waiters.push({ resolve, reject }));
    },
    failNext(count, status = 500) {
      for (let i = 0; i < count; i += 1) outages.push(status);
    },
    optOut: (e164) => void optedOut.add(e164),
    optIn: (e164) => void optedOut.delete(e164),
    markInvalid: (e164) => void invalid.add(e164),
    sendStatus,
    async close() {
      inFlight.abort();
      for (const waiter of waiters.splice(0)) waiter.reject(new Error('fake Twilio closed'));
      await Promise.allSettled(deliveries);
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

function basicCredentials(authorization: string | undefined): [string?, string?] {
  const match = /^Basic (.+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return [];
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? [decoded] : [decoded.slice(0, colon), decoded.slice(colon + 1)];
}

/** A Message as the API renders it (snake_case, RFC 2822 dates, counts as strings). */
export function messageResource(message: Message) {
  const uri = `/${TWILIO_API_VERSION}/Accounts/${message.accountSid}/Messages/${message.sid}`;
  return {
    account_sid: message.accountSid,
    api_version: TWILIO_API_VERSION,
    body: message.body,
    date_created: rfc2822(message.dateCreated),
    date_sent: message.dateSent && rfc2822(message.dateSent),
    date_updated: rfc2822(message.dateUpdated),
    direction: 'outbound-api',
    error_code: message.errorCode,
    error_message: null,
    from: message.from,
    messaging_service_sid: message.messagingServiceSid,
    num_media: String(message.mediaUrls.length),
    num_segments: String(message.numSegments),
    price: null,
    price_unit: 'USD',
    sid: message.sid,
    status: message.status,
    subresource_uris: { media: `${uri}/Media.json`, feedback: `${uri}/Feedback.json` },
    to: message.to,
    uri: `${uri}.json`,
  };
}
