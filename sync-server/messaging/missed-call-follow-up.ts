import { sql } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import type { CallRecorded } from '../telephony/calls.ts';
import { twilioClient } from '../telephony/twilio-client.ts';
import { planDesktopText, type DesktopTextDecision } from './desktop-texts.ts';
import type { Delivery, TextSender } from './deliver.ts';
import { planMissedCallText, type TextBackDecision } from './text-back.ts';
import { startTextQueue } from './text-queue.ts';

const INTERRUPTED =
  'Sending was interrupted; it was not tried again so the customer never gets it twice';

export interface FollowUpOptions {
  db: AppDatabase;
  log: FastifyBaseLogger;
  credentials: { accountSid: string; authToken: string };
  /** Twilio's REST origin when not Twilio's own (a local Twilio in tests). */
  apiOrigin: string | undefined;
  /** The public origin Twilio calls back (…/v1/webhooks/twilio/sms/status is appended). */
  webhookOrigin: () => string;
  redisUrl: string | undefined;
  queuePrefix?: string;
  now?: () => Date;
  /** Observers (tests wait on them): each plan's decision, each delivery attempt's outcome. */
  observe?: FollowUpObserver;
}

export interface FollowUpObserver {
  decided?: (call: CallRecorded, decision: TextBackDecision) => void;
  desktopDecided?: (smsLogId: string, decision: DesktopTextDecision) => void;
  delivered?: (smsLogId: string, delivery: Delivery | { done: 'gave_up' }) => void;
}

/**
 * The texts the server sends: a call that became missed gets its text-back planned (text-back.ts),
 * a text written on a desktop is planned when its push lands (desktop-texts.ts), and both are sent
 * when due (text-queue.ts, deliver.ts) through the real Twilio SDK. Planning runs after the
 * request has been answered; a failure is logged, never an error to Twilio's or the desktop's
 * request.
 */
export function startMissedCallFollowUp(options: FollowUpOptions) {
  const client = twilioClient(options.credentials, options.apiOrigin);
  const sender: TextSender = {
    send: async ({ to, from, body, statusCallback }) => {
      const message = await client.messages.create({ to, from, body, statusCallback });
      return { sid: message.sid };
    },
  };
  const queue = startTextQueue({
    db: options.db,
    sender,
    // The text's own id in the address: a callback that beats our storing of Twilio's id (they
    // race) still finds its text.
    statusCallback: (smsLogId) =>
      `${options.webhookOrigin()}/v1/webhooks/twilio/sms/status?text=${smsLogId}`,
    log: {
      warn: (message) => options.log.warn(message),
      error: (message, error) => options.log.error({ err: error }, message),
    },
    redisUrl: options.redisUrl,
    ...(options.queuePrefix ? { prefix: options.queuePrefix } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.observe?.delivered ? { onDelivery: options.observe.delivered } : {}),
  });
  const inFlight = new Set<Promise<void>>();

  const follow = async (call: CallRecorded) => {
    const decision = await planMissedCallText(options.db, call, options.now?.() ?? new Date(), {
      warn: (message) => options.log.warn(message),
    });
    if ('planned' in decision) await queue.schedule(decision.planned);
    else options.log.info({ callSid: call.callSid, skipped: decision.skipped }, 'no text-back');
    options.observe?.decided?.(call, decision);
  };
  const track = (work: Promise<void>, what: string) => {
    const tracked = work
      .catch((error: unknown) => options.log.error({ err: error }, what))
      .finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  };
  const sendDesktopText = async (businessId: string, smsLogId: string) => {
    const now = options.now?.() ?? new Date();
    const decision = await planDesktopText(options.db, businessId, smsLogId, now);
    if ('planned' in decision) await queue.schedule(decision.planned);
    options.observe?.desktopDecided?.(smsLogId, decision);
  };
  // A text claimed for sending when its server died is not sent again (it may have reached
  // Twilio): it fails with the reason, for a person to decide, rather than risk a second copy.
  track(
    options.db
      .execute(
        sql`WITH interrupted AS (
              UPDATE outbound_texts SET state = 'failed', last_error = ${INTERRUPTED}
               WHERE state = 'sending' AND updated_at < now() - interval '5 minutes'
               RETURNING sms_log_id)
            UPDATE sms_logs SET status = 'failed', error_message = ${INTERRUPTED}
             WHERE id IN (SELECT sms_log_id FROM interrupted) AND status = 'queued'`,
      )
      .then(() => undefined),
    'texts interrupted while sending',
  );
  // Texts queued on a desktop while this server was down (or before Twilio was configured).
  track(
    queryRows<{ id: string; user_id: string }>(
      options.db,
      sql`SELECT s.id::text, s.user_id::text FROM sms_logs s
           WHERE s.direction = 'outbound' AND s.status = 'queued' AND s.provider = 'twilio'
             AND s.provider_message_id IS NULL AND s.created_at > now() - interval '7 days'
             AND NOT EXISTS (SELECT 1 FROM outbound_texts o WHERE o.sms_log_id = s.id)`,
    ).then(async (rows) => {
      for (const row of rows) await sendDesktopText(row.user_id, row.id);
    }),
    'texts queued before start',
  );
  return {
    onCallRecorded(call: CallRecorded) {
      if (call.becameMissed) track(follow(call), 'missed-call text-back');
    },
    /** Texts a push just queued (the `text.queue` mutations it applied). */
    onTextsQueued(businessId: string, smsLogIds: readonly string[]) {
      for (const id of smsLogIds) track(sendDesktopText(businessId, id), 'desktop text');
    },
    async close() {
      await Promise.allSettled([...inFlight]);
      await queue.close();
    },
  };
}
