import { sql } from 'drizzle-orm';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { failureMessage, isSuppressed } from '../telephony/texts.ts';
import type { PlannedText } from './text-back.ts';

export type DesktopTextDecision =
  { planned: PlannedText } | { refused: string } | { skipped: 'already_planned' | 'not_queued' };

/**
 * A text a dispatcher wrote on a desktop (the `text.queue` mutation, an sms_logs row `queued`)
 * planned for sending, once (`desktop:<sms id>`). It goes from the business's Twilio number the
 * customer last reached it on (else its first number), not the business's own phone, which Twilio
 * cannot send from. A text to a number that opted out, or from a business with no Twilio number,
 * is refused here with the reason on its row — the desktop shows it — before Twilio is asked.
 * A person wrote it in a conversation, so it is not held for quiet hours as automated texts are.
 */
export async function planDesktopText(
  db: AppDatabase,
  businessId: string,
  smsLogId: string,
  now: Date,
): Promise<DesktopTextDecision> {
  return db.transaction(async (tx) => {
    const key = `desktop:${smsLogId.toLowerCase()}`;
    await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
    const [text] = await queryRows<{ to_phone: string; planned: boolean }>(
      tx,
      sql`SELECT s.to_phone,
                 EXISTS (SELECT 1 FROM outbound_texts o WHERE o.sms_log_id = s.id) AS planned
            FROM sms_logs s
           WHERE s.id = ${smsLogId}::uuid AND s.user_id = ${businessId}
             AND s.direction = 'outbound' AND s.status = 'queued'
             AND s.provider = 'twilio' AND s.provider_message_id IS NULL`,
    );
    if (!text) return { skipped: 'not_queued' };
    if (text.planned) return { skipped: 'already_planned' };
    const refuse = async (reason: string): Promise<DesktopTextDecision> => {
      await tx.execute(
        sql`UPDATE sms_logs SET status = 'failed', error_message = ${reason}
             WHERE id = ${smsLogId}::uuid`,
      );
      return { refused: reason };
    };
    if (await isSuppressed(tx, businessId, text.to_phone)) return refuse(failureMessage('21610'));
    const [number] = await queryRows<{ phone_number: string }>(
      tx,
      sql`SELECT t.phone_number FROM tracking_numbers t
           WHERE t.user_id = ${businessId} AND t.active
           ORDER BY (SELECT max(s.created_at) FROM sms_logs s
                      WHERE s.user_id = t.user_id AND s.direction = 'inbound'
                        AND s.from_phone = ${text.to_phone} AND s.to_phone = t.phone_number)
                    DESC NULLS LAST, t.created_at, t.phone_number
           LIMIT 1`,
    );
    if (!number) return refuse('No Twilio number is set up to send texts from');
    await tx.execute(
      sql`UPDATE sms_logs SET from_phone = ${number.phone_number} WHERE id = ${smsLogId}::uuid`,
    );
    await tx.execute(
      sql`INSERT INTO outbound_texts (sms_log_id, user_id, idempotency_key, purpose, send_at)
          VALUES (${smsLogId}::uuid, ${businessId}, ${key}, 'desktop', ${now.toISOString()})`,
    );
    return { planned: { smsLogId, sendAt: now, idempotencyKey: key } };
  });
}
