import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import twilio from 'twilio';
import type { z } from 'zod';
import { AppError } from '../../db/errors.ts';
import type { DatabaseHandle } from '../../db/postgres/client.ts';
import type { ServerSettings } from '../config.ts';
import type { Router } from '../http/router.ts';
import { type CallEvent, type CallIdentity, type CallRecorded, recordCallEvent } from './calls.ts';
import {
  callerNumber,
  callStatusSchema,
  dialActionSchema,
  incomingCallSchema,
  inboundTextSchema,
  recordingStatusSchema,
  textCallbackQuerySchema,
  textStatusSchema,
} from './params.ts';
import { parseTwilioForm, type TwilioCredentials, verifyTwilioRequest } from './signature.ts';
import { trackingNumberFor } from './tracking-numbers.ts';
import { InboundTextIntake } from './text-intake.ts';
import { recordTextStatus, type TextReceived } from './texts.ts';

export const TWILIO_WEBHOOKS = '/v1/webhooks/twilio';
/** How long the forwarded phone rings before the call counts as missed. */
const RING_SECONDS = 20;
/** A voicemail's longest length. */
const VOICEMAIL_SECONDS = 120;
const FORM_LIMIT_BYTES = 64 * 1024;

export interface TelephonyDependencies {
  database: DatabaseHandle;
  settings: ServerSettings;
  /** Told of every call outcome recorded (the missed-call follow-up listens here). */
  onCallRecorded?: (recorded: CallRecorded) => void;
  /** Told of every inbound text recorded for the first time. */
  onTextReceived?: (received: TextReceived) => void;
}

function credentialsOf(settings: ServerSettings): TwilioCredentials | null {
  if (!settings.TWILIO_ACCOUNT_SID || !settings.TWILIO_AUTH_TOKEN) return null;
  return {
    accountSid: settings.TWILIO_ACCOUNT_SID,
    authToken: settings.TWILIO_AUTH_TOKEN,
    webhookBaseUrl: settings.TWILIO_WEBHOOK_BASE_URL,
  };
}

const twiml = (reply: FastifyReply, response: { toString(): string }) =>
  reply.type('text/xml; charset=utf-8').send(response.toString());

/**
 * Twilio's webhooks for calls and texts: every request's X-Twilio-Signature is checked
 * over the public URL and all its parameters before anything is read (403 and nothing written
 * otherwise). Configure a tracking number in Twilio with Voice URL `…/voice`, Status Callback
 * `…/voice/status` and Messaging URL `…/sms`; the rest is named in the TwiML these routes answer
 * and in each text we send (`…/sms/status`).
 */
export function registerTelephonyRoutes(
  app: FastifyInstance,
  router: Router,
  deps: TelephonyDependencies,
): void {
  const credentials = credentialsOf(deps.settings);
  const db = deps.database.db;
  const inboundTexts = new InboundTextIntake(db);

  void app.register((scope, _options, done) => {
    // Form bodies only here: elsewhere a cross-site HTML form could post without a preflight.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: FORM_LIMIT_BYTES },
      (_request, body, parsed) => parsed(null, parseTwilioForm(body as string)),
    );
    scope.addHook('preHandler', (request, _reply, next) => {
      if (!credentials) {
        next(new AppError('PROVIDER_NOT_CONFIGURED', 'Twilio is not configured on this server'));
        return;
      }
      const params = (request.body ?? {}) as Record<string, string>;
      try {
        verifyTwilioRequest(request, params, credentials);
        next();
      } catch (error) {
        next(error as Error);
      }
    });

    const url = (request: FastifyRequest, path: string) => {
      const base = credentials?.webhookBaseUrl ?? `${request.protocol}://${request.host}`;
      return `${base.replace(/\/+$/, '')}${TWILIO_WEBHOOKS}${path}`;
    };
    const form = <S extends z.ZodType>(request: FastifyRequest, schema: S): z.infer<S> =>
      schema.parse(request.body ?? {});

    const record = async (
      params: { CallSid: string; From?: string; To?: string },
      event: CallEvent,
    ) => {
      let call: CallIdentity = { callSid: params.CallSid };
      if (params.From !== undefined && params.To !== undefined) {
        const from = callerNumber(params.From);
        if (!from) {
          // A withheld number cannot be a lead or be texted back; the call was still forwarded.
          scope.log.info({ callSid: params.CallSid }, 'call from a withheld number not recorded');
          return null;
        }
        call = { callSid: params.CallSid, from, to: params.To };
      }
      const recorded = await recordCallEvent(db, call, event);
      if (recorded) deps.onCallRecorded?.(recorded);
      return recorded;
    };

    scope.post(`${TWILIO_WEBHOOKS}/voice`, async (request, reply) => {
      const params = form(request, incomingCallSchema);
      const tracking = await trackingNumberFor(db, params.To);
      const response = new twilio.twiml.VoiceResponse();
      if (!tracking) {
        response.reject();
        return twiml(reply, response);
      }
      const dial = response.dial({
        action: url(request, '/voice/dial'),
        method: 'POST',
        timeout: RING_SECONDS,
        // The caller hears ringing until someone picks up, not a connected silence.
        answerOnBridge: true,
        callerId: params.To,
      });
      dial.number(tracking.forwardTo);
      return twiml(reply, response);
    });

    scope.post(`${TWILIO_WEBHOOKS}/voice/status`, async (request, reply) => {
      const params = form(request, callStatusSchema);
      await record(params, {
        kind: 'status',
        status: params.CallStatus,
        sequence: params.SequenceNumber ?? null,
        duration: params.CallDuration ?? null,
      });
      return reply.status(204).send();
    });

    scope.post(`${TWILIO_WEBHOOKS}/voice/dial`, async (request, reply) => {
      const params = form(request, dialActionSchema);
      const recorded = await record(params, {
        kind: 'dial',
        dialStatus: params.DialCallStatus,
        dialDuration: params.DialCallDuration ?? null,
      });
      const response = new twilio.twiml.VoiceResponse();
      if (recorded && recorded.status !== 'answered') {
        response.say(
          `Sorry, ${recorded.trackingNumber.businessName} can't come to the phone right now. ` +
            'Leave a message after the tone, and we will text you right back.',
        );
        response.record({
          maxLength: VOICEMAIL_SECONDS,
          playBeep: true,
          action: url(request, '/voice/hangup'),
          recordingStatusCallback: url(request, '/voice/recording'),
          recordingStatusCallbackEvent: ['completed'],
        });
      } else {
        response.hangup();
      }
      return twiml(reply, response);
    });

    scope.post(`${TWILIO_WEBHOOKS}/voice/hangup`, (_request, reply) => {
      const response = new twilio.twiml.VoiceResponse();
      response.hangup();
      return twiml(reply, response);
    });

    scope.post(`${TWILIO_WEBHOOKS}/voice/recording`, async (request, reply) => {
      const params = form(request, recordingStatusSchema);
      if (params.RecordingStatus === 'completed') {
        await record(params, {
          kind: 'recording',
          recordingUrl: params.RecordingUrl,
          recordingDuration: params.RecordingDuration ?? null,
        });
      }
      return reply.status(204).send();
    });
    scope.post(`${TWILIO_WEBHOOKS}/sms`, async (request, reply) => {
      const params = form(request, inboundTextSchema);
      const response = new twilio.twiml.MessagingResponse();
      const from = callerNumber(params.From);
      // A short code or an alphanumeric sender is not a customer to thread or answer.
      if (from) {
        const received = await inboundTexts.record({
          messageSid: params.MessageSid,
          from,
          to: params.To,
          body: params.Body,
          optOutType: params.OptOutType ?? null,
        });
        if (received?.isNew) deps.onTextReceived?.(received);
        // HELP is answered here unless Twilio's Advanced Opt-Out already answered it.
        if (received?.consent.intent === 'help' && received.consent.how !== 'provider') {
          const { businessName, forwardTo } = received.trackingNumber;
          response.message(
            `${businessName}: texts about your service requests. Call ${forwardTo} for help. ` +
              'Reply STOP to stop receiving texts.',
          );
        }
      }
      return twiml(reply, response);
    });

    scope.post(`${TWILIO_WEBHOOKS}/sms/status`, async (request, reply) => {
      const params = form(request, textStatusSchema);
      const { text } = textCallbackQuerySchema.parse(request.query);
      await recordTextStatus(db, {
        messageSid: params.MessageSid,
        status: params.MessageStatus,
        errorCode: params.ErrorCode,
        smsLogId: text,
      });
      return reply.status(204).send();
    });
    done();
  });

  const documented = [
    ['/voice', 'A call to a tracking number: TwiML that forwards it to the business'],
    ['/voice/status', "The parent call's status callback"],
    ['/voice/dial', 'The Dial action: answered or missed; a missed call is offered voicemail'],
    ['/voice/hangup', 'After a voicemail: hang up'],
    ['/voice/recording', 'A voicemail recording is ready'],
    ['/sms', 'A text to a tracking number: threaded to its lead; STOP, START and HELP applied'],
    ['/sms/status', 'Delivery status of a text we sent'],
  ] as const;
  for (const [path, summary] of documented) {
    router.document({
      method: 'POST',
      path: `${TWILIO_WEBHOOKS}${path}`,
      summary,
      tag: 'webhooks',
      auth: 'none',
      responses: {
        200: { description: 'TwiML (text/xml)' },
        204: { description: 'Recorded' },
        400: { description: 'A parameter is missing or malformed' },
        403: { description: 'X-Twilio-Signature missing or wrong; nothing written' },
        503: { description: 'Twilio is not configured on this server' },
      },
    });
  }
}
