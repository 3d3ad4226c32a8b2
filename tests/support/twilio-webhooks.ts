import { randomBytes } from 'node:crypto';
import twilio from 'twilio';

/**
 * Twilio's side of a webhook, for tests: requests signed exactly as Twilio signs them (the SDK's own
 * getExpectedTwilioSignature over the URL and the sorted POST parameters), and the parameter sets
 * Twilio really sends for calls, dials, recordings and inbound texts. tests/support/fake-twilio.ts
 * uses the same signing for message status callbacks.
 */

export const TWILIO_API_VERSION = '2010-04-01';

/** Twilio's webhook bodies are flat form fields, every value a string. */
export type TwilioParams = Record<string, string>;

/**
 * The account the builders report when a test does not name one; pass `accountSid` when the
 * handler under test checks AccountSid against its configuration.
 */
export const DEFAULT_TEST_ACCOUNT_SID = `AC${'0123456789abcdef'.repeat(2)}`;

/** A SID as Twilio makes them: the resource's two-letter prefix and 32 lowercase hex digits. */
export const twilioSid = (prefix: 'AC' | 'CA' | 'SM' | 'MM' | 'MG' | 'RE' | 'RQ' | 'PN'): string =>
  `${prefix}${randomBytes(16).toString('hex')}`;

/** Twilio writes dates as RFC 2822 with a numeric zone: `Thu, 24 Aug 2023 05:01:45 +0000`. */
export const rfc2822 = (date: Date): string => date.toUTCString().replace('GMT', '+0000');

// GSM 03.38: the basic set costs one septet a character, the extension set two (escape + char).
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡' +
  'ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';

/**
 * How many SMS segments Twilio bills for a body: 160/153 septets when it fits GSM-7, otherwise
 * UCS-2 at 70/67 UTF-16 units (a long message loses room to its concatenation header).
 */
export function smsSegments(body: string): number {
  let septets = 0;
  for (const char of body) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENDED.includes(char)) septets += 2;
    else return body.length <= 70 ? 1 : Math.ceil(body.length / 67);
  }
  return septets <= 160 ? 1 : Math.ceil(septets / 153);
}

/**
 * POSTs `params` form-encoded to `url` with the `X-Twilio-Signature` Twilio would send. The
 * signature covers `signedUrl ?? url`: Twilio signs the URL configured on the number, which differs
 * from the one the server sees when a proxy or tunnel sits in front of it.
 */
export function signedTwilioPost(
  url: string,
  params: TwilioParams,
  authToken: string,
  options: { signedUrl?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const signature = twilio.getExpectedTwilioSignature(authToken, options.signedUrl ?? url, params);
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(params).toString(),
    signal: options.signal ?? null,
  });
}

export type CallStatus =
  'queued' | 'ringing' | 'in-progress' | 'completed' | 'busy' | 'failed' | 'no-answer' | 'canceled';

export type CallDirection = 'inbound' | 'outbound-api' | 'outbound-dial';

interface CallParties {
  callSid: string;
  accountSid?: string;
  /** Twilio sends From/To (and Caller/Called, the same numbers) on every call webhook. */
  from?: string;
  to?: string;
  direction?: CallDirection;
}

/** The fields Twilio puts on every voice webhook for a call. */
function callParams(call: CallParties, callStatus: CallStatus): TwilioParams {
  const params: TwilioParams = {
    AccountSid: call.accountSid ?? DEFAULT_TEST_ACCOUNT_SID,
    ApiVersion: TWILIO_API_VERSION,
    CallSid: call.callSid,
    CallStatus: callStatus,
    Direction: call.direction ?? 'inbound',
  };
  if (call.from !== undefined) Object.assign(params, { From: call.from, Caller: call.from });
  if (call.to !== undefined) Object.assign(params, { To: call.to, Called: call.to });
  return params;
}

/** The voice webhook Twilio requests when a call reaches one of our numbers. */
export function incomingCallParams(call: {
  callSid: string;
  from: string;
  to: string;
  accountSid?: string;
}): TwilioParams {
  return callParams({ ...call, direction: 'inbound' }, 'ringing');
}

/** A call's StatusCallback event (`call-progress-events`); CallDuration only once completed. */
export function callStatusParams(
  call: CallParties & {
    status: CallStatus;
    /** Seconds, as CallDuration. */
    duration?: number;
    /** Twilio numbers a call's status events from 0, so a handler can drop late ones. */
    sequenceNumber?: number;
    timestamp?: Date;
    parentCallSid?: string;
  },
): TwilioParams {
  const params: TwilioParams = {
    ...callParams(call, call.status),
    CallbackSource: 'call-progress-events',
    Timestamp: rfc2822(call.timestamp ?? new Date()),
    SequenceNumber: String(call.sequenceNumber ?? 0),
  };
  if (call.duration !== undefined) params.CallDuration = String(call.duration);
  if (call.parentCallSid !== undefined) params.ParentCallSid = call.parentCallSid;
  return params;
}

export type DialCallStatus =
  'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/** The `<Dial action>` request once the dialed leg ends; the caller's leg is still up by default. */
export function dialActionParams(
  call: CallParties & {
    dialCallStatus: DialCallStatus;
    /** Seconds the dialed party was connected, as DialCallDuration. */
    dialCallDuration?: number;
    dialCallSid?: string;
    callStatus?: CallStatus;
  },
): TwilioParams {
  const params: TwilioParams = {
    ...callParams(call, call.callStatus ?? 'in-progress'),
    DialCallSid: call.dialCallSid ?? twilioSid('CA'),
    DialCallStatus: call.dialCallStatus,
    DialBridged: String(call.dialCallStatus === 'completed' || call.dialCallStatus === 'answered'),
  };
  if (call.dialCallDuration !== undefined) params.DialCallDuration = String(call.dialCallDuration);
  return params;
}

/** A RecordingStatusCallback request (a recording has no From/To of its own). */
export function recordingStatusParams(recording: {
  callSid: string;
  recordingSid: string;
  recordingUrl: string;
  /** Seconds. */
  recordingDuration: number;
  accountSid?: string;
  status?: 'in-progress' | 'completed' | 'absent' | 'failed';
  source?: 'DialVerb' | 'RecordVerb' | 'OutboundAPI' | 'StartCallRecordingAPI' | 'Conference';
  startTime?: Date;
}): TwilioParams {
  return {
    AccountSid: recording.accountSid ?? DEFAULT_TEST_ACCOUNT_SID,
    CallSid: recording.callSid,
    RecordingSid: recording.recordingSid,
    RecordingUrl: recording.recordingUrl,
    RecordingStatus: recording.status ?? 'completed',
    RecordingDuration: String(recording.recordingDuration),
    RecordingChannels: '1',
    RecordingSource: recording.source ?? 'DialVerb',
    RecordingStartTime: rfc2822(recording.startTime ?? new Date()),
  };
}

/**
 * The messaging webhook for a text to one of our numbers. OptOutType is what Advanced Opt-Out adds
 * when the body is a STOP/START/HELP keyword; MessageSid, SmsSid and SmsMessageSid are one SID.
 */
export function inboundSmsParams(sms: {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  optOutType?: 'STOP' | 'START' | 'HELP';
  accountSid?: string;
  messagingServiceSid?: string;
  media?: { url: string; contentType: string }[];
}): TwilioParams {
  const media = sms.media ?? [];
  const params: TwilioParams = {
    AccountSid: sms.accountSid ?? DEFAULT_TEST_ACCOUNT_SID,
    ApiVersion: TWILIO_API_VERSION,
    MessageSid: sms.messageSid,
    SmsSid: sms.messageSid,
    SmsMessageSid: sms.messageSid,
    SmsStatus: 'received',
    From: sms.from,
    To: sms.to,
    Body: sms.body,
    NumMedia: String(media.length),
    NumSegments: String(smsSegments(sms.body)),
  };
  media.forEach(({ url, contentType }, index) => {
    params[`MediaUrl${index}`] = url;
    params[`MediaContentType${index}`] = contentType;
  });
  if (sms.optOutType !== undefined) params.OptOutType = sms.optOutType;
  if (sms.messagingServiceSid !== undefined) params.MessagingServiceSid = sms.messagingServiceSid;
  return params;
}
