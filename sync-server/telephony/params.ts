import { z } from 'zod';
import { e164Pattern, twilioCallStatuses } from '../../db/enums.ts';

/*
 * The parameters of Twilio's webhooks that we read, as Twilio names them. The signature was
 * checked over every parameter first; these schemas only pick and validate what we use, and a
 * malformed one is a 400 naming the parameter.
 */

const sid = (prefix: string, what: string) =>
  z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a Twilio ${what} SID`);
const e164 = z.string().regex(new RegExp(e164Pattern), 'must be an E.164 phone number');
const seconds = z.coerce.number().int().min(0).max(86_400);

const callParams = z.object({
  CallSid: sid('CA', 'Call'),
  AccountSid: sid('AC', 'Account'),
  /** The caller: Twilio sends a placeholder or a word when the caller's number is withheld. */
  From: z.string().min(1).max(64),
  To: e164,
});

export const incomingCallSchema = callParams;

export const callStatusSchema = callParams.extend({
  CallStatus: z.enum(twilioCallStatuses),
  CallDuration: seconds.optional(),
  SequenceNumber: z.coerce.number().int().min(0).optional(),
});

export const dialActionSchema = callParams.extend({
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']),
  DialCallDuration: seconds.optional(),
});

/** Twilio's recording status callback names the call but not its parties. */
export const recordingStatusSchema = z.object({
  CallSid: sid('CA', 'Call'),
  AccountSid: sid('AC', 'Account'),
  RecordingSid: sid('RE', 'Recording'),
  RecordingUrl: z.url(),
  RecordingStatus: z.enum(['in-progress', 'completed', 'absent', 'failed']),
  RecordingDuration: seconds.optional(),
});

const messageSid = z
  .string()
  .regex(/^(SM|MM)[0-9a-fA-F]{32}$/, 'must be a Twilio Message SID (SM or MM and 32 hex digits)');

export const inboundTextSchema = z.object({
  MessageSid: messageSid,
  AccountSid: sid('AC', 'Account'),
  From: z.string().min(1).max(64),
  To: e164,
  Body: z.string().max(1600).default(''),
  OptOutType: z.string().max(16).optional(),
});

export const textStatusSchema = z.object({
  MessageSid: messageSid,
  AccountSid: sid('AC', 'Account'),
  MessageStatus: z.enum([
    'accepted',
    'scheduled',
    'queued',
    'sending',
    'sent',
    'delivered',
    'undelivered',
    'failed',
    'read',
    'canceled',
    'receiving',
    'received',
  ]),
  ErrorCode: z
    .string()
    .regex(/^\d{1,6}$/, 'must be a Twilio error code')
    .optional(),
});

/** The status callback's address names our text (the sender puts its id there). */
export const textCallbackQuerySchema = z.object({ text: z.uuid().optional() });

/** A caller's number we can keep and text: E.164, and not Twilio's withheld-number placeholder. */
export function callerNumber(from: string): string | null {
  // +266696687 is what Twilio sends for an anonymous caller (it is not a real subscriber).
  if (from === '+266696687') return null;
  return new RegExp(e164Pattern).test(from) ? from : null;
}
