import { sql } from 'drizzle-orm';
import type { LeadSource } from '../../db/enums.ts';
import { AppError } from '../../db/errors.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { type ConsentReading, readConsent } from '../messaging/consent.ts';
import type { TrackingNumber } from './tracking-numbers.ts';

export interface InboundText {
  messageSid: string;
  from: string;
  to: string;
  body: string;
  /** What Twilio's Advanced Opt-Out made of the body (STOP/START/HELP), when it is on. */
  optOutType: string | null;
}

export interface TextReceived {
  smsId: string;
  leadId: string | null;
  businessId: string;
  consent: ConsentReading;
  /** This request recorded the text (false for a replay of one already recorded). */
  isNew: boolean;
  trackingNumber: TrackingNumber;
}

/**
 * Records texts to the businesses' numbers, in one statement and one commit (migration 0015), each
 * on its own and once per MessageSid: threaded to the sender's open lead (a new lead when there is
 * none — unless the text only says stop), as a reply to the business's last text to that number
 * (whose replied_at is stamped), and applying what it says about consent to the business's
 * suppression list. Per text, in order: what was recorded, null when no business has the number,
 * or the AppError that stopped that text alone.
 */
export async function recordInboundTexts(
  db: AppDatabase,
  texts: readonly InboundText[],
): Promise<(TextReceived | null | AppError)[]> {
  const consents = texts.map((text) => readConsent(text.body, text.optOutType));
  const batch = texts.map((text, i) => ({
    sid: text.messageSid,
    from: text.from,
    to: text.to,
    body: text.body,
    intent: consents[i]!.intent,
    how: consents[i]!.how,
    matched: consents[i]!.matched,
  }));
  const rows = await queryRows<RecordedTextRow>(
    db,
    sql`SELECT ord, text_id::text, text_lead_id::text, recorded_now, number_id::text,
               number_business::text, number_phone, number_source, number_campaign::text,
               number_forward_to, number_business_name, number_zone, failure
          FROM record_inbound_texts(${JSON.stringify(batch)}::jsonb)`,
  );
  const outcomes: (TextReceived | null | AppError)[] = texts.map(() => null);
  for (const row of rows) {
    const i = Number(row.ord) - 1;
    outcomes[i] =
      row.failure !== null
        ? new AppError('DATABASE_ERROR', `Text ${texts[i]!.messageSid}: ${row.failure}`)
        : received(row, consents[i]!);
  }
  return outcomes;
}

function received(row: RecordedTextRow, consent: ConsentReading): TextReceived {
  return {
    smsId: row.text_id!,
    leadId: row.text_lead_id,
    businessId: row.number_business!,
    consent,
    isNew: row.recorded_now!,
    trackingNumber: {
      id: row.number_id!,
      businessId: row.number_business!,
      phoneNumber: row.number_phone!,
      leadSource: row.number_source as LeadSource,
      campaignId: row.number_campaign,
      forwardTo: row.number_forward_to!,
      businessName: row.number_business_name!,
      businessZone: row.number_zone!,
    },
  };
}

/** A row of record_inbound_texts: a recorded text, or (`failure`) why one was not. */
interface RecordedTextRow extends Record<string, unknown> {
  ord: number;
  text_id: string | null;
  text_lead_id: string | null;
  recorded_now: boolean | null;
  number_id: string | null;
  number_business: string | null;
  number_phone: string | null;
  number_source: string | null;
  number_campaign: string | null;
  number_forward_to: string | null;
  number_business_name: string | null;
  number_zone: string | null;
  failure: string | null;
}

/** Whether the business may text `phone` (it is not on the suppression list). */
export async function isSuppressed(
  db: Pick<AppDatabase, 'execute'>,
  businessId: string,
  phone: string,
): Promise<boolean> {
  const [row] = await queryRows<{ suppressed: boolean }>(
    db,
    sql`SELECT EXISTS (SELECT 1 FROM sms_suppressions
                        WHERE user_id = ${businessId} AND phone = ${phone} AND lifted_at IS NULL)
               AS suppressed`,
  );
  return row?.suppressed ?? false;
}

/** Twilio's MessageStatus → where a text of ours stands; statuses never go back. */
const deliveryRank = { queued: 0, sent: 1, delivered: 2, failed: 2 } as const;

/** Why a text failed, in words a dispatcher can act on (Twilio's error codes). */
const failureReasons: Record<string, string> = {
  '21610': 'The recipient has opted out of texts (replied STOP)',
  '21211': 'Not a valid phone number',
  '21614': 'Not a mobile number',
  '30003': 'The phone is unreachable (off or out of service)',
  '30004': 'The recipient blocked the message',
  '30005': 'Unknown destination number',
  '30006': 'A landline or unreachable carrier',
  '30007': 'Filtered by the carrier as spam',
  '30008': 'Unknown delivery error',
  '30034': 'Blocked: the number is not registered for A2P 10DLC',
};

export function failureMessage(errorCode: string | undefined): string {
  if (!errorCode) return 'Not delivered';
  return `${failureReasons[errorCode] ?? 'Not delivered'} (Twilio error ${errorCode})`;
}

/**
 * Applies a status callback for one of our texts (by MessageSid): sent, delivered, or failed with
 * the reason. Late or repeated callbacks never move a text back (sent after delivered).
 */
export async function recordTextStatus(
  db: AppDatabase,
  update: {
    messageSid: string;
    status: string;
    errorCode: string | undefined;
    /** Our text's id, from the callback's address: found even before Twilio's id is stored. */
    smsLogId?: string | undefined;
  },
): Promise<boolean> {
  const next =
    update.status === 'delivered' || update.status === 'read'
      ? 'delivered'
      : update.status === 'failed' || update.status === 'undelivered'
        ? 'failed'
        : update.status === 'sent'
          ? 'sent'
          : null;
  if (next === null) return false;
  const lower = Object.entries(deliveryRank)
    .filter(([, rank]) => rank < deliveryRank[next])
    .map(([status]) => status);
  const rows = await queryRows<{ id: string }>(
    db,
    sql`UPDATE sms_logs
           SET status = ${next},
               provider_message_id = coalesce(provider_message_id, ${update.messageSid}),
               delivered_at = CASE WHEN ${next} = 'delivered' THEN coalesce(delivered_at, now())
                                   ELSE delivered_at END,
               error_message = CASE WHEN ${next} = 'failed'
                                    THEN ${failureMessage(update.errorCode)} ELSE error_message END
         WHERE provider = 'twilio'
           AND (provider_message_id = ${update.messageSid}
                OR (${update.smsLogId ?? null}::uuid IS NOT NULL AND id = ${update.smsLogId ?? null}::uuid
                    AND provider_message_id IS NULL))
           AND direction = 'outbound'
           AND status IN (${sql.join(
             lower.map((status) => sql`${status}`),
             sql`, `,
           )})
         RETURNING id::text`,
  );
  return rows.length > 0;
}
