import { sql } from 'drizzle-orm';
import twilio from 'twilio';
import type { OutboundState } from '../../db/enums.ts';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import { failureMessage, isSuppressed } from '../telephony/texts.ts';
import { quietHoursDecision } from './quiet-hours.ts';

/** What sends a text: Twilio's Messages API through the real SDK (twilio-client.ts). */
export interface TextSender {
  send(text: { to: string; from: string; body: string; statusCallback: string }): Promise<{
    sid: string;
  }>;
}

export type Delivery =
  | { done: 'sent'; messageSid: string }
  | { done: 'failed'; reason: string }
  | { done: 'already'; state: OutboundState }
  /** Not yet: the recipient's quiet hours began meanwhile; try again then. */
  | { later: Date };

/** A failure worth one more try (Twilio's 5xx or no answer), as opposed to a refusal. */
export class TransientSendError extends Error {
  override readonly name = 'TransientSendError';
}

interface Claimed extends Record<string, unknown> {
  user_id: string;
  purpose: string;
  state: OutboundState;
  to_phone: string;
  from_phone: string;
  message_text: string;
  workflow_id: string | null;
  timezone: string;
}

/**
 * Sends one planned text, exactly once. The row is claimed (`sending`) in its own transaction
 * before Twilio is called: a retried job, a replayed webhook or a second worker finds it claimed
 * and sends nothing. Twilio's 5xx puts it back to pending and throws TransientSendError, for the
 * queue's one retry; a refusal (opted out: 21610, invalid number: 21211…) fails it with the reason
 * on its sms_logs row, where the desktop shows it. A number that opted out meanwhile is refused
 * before Twilio is asked, and a send that would land in quiet hours waits for them to end.
 */
export async function deliverText(
  db: AppDatabase,
  sender: TextSender,
  smsLogId: string,
  options: { now: Date; statusCallback: string },
): Promise<Delivery> {
  const claim = await db.transaction(async (tx): Promise<Delivery | Claimed> => {
    const [row] = await queryRows<Claimed>(
      tx,
      sql`SELECT o.user_id::text, o.purpose, o.state, s.to_phone, s.from_phone, s.message_text,
                 o.workflow_id::text, u.timezone
            FROM outbound_texts o JOIN sms_logs s ON s.id = o.sms_log_id
            JOIN users u ON u.id = o.user_id
           WHERE o.sms_log_id = ${smsLogId}
           FOR UPDATE OF o`,
    );
    if (!row) return { done: 'already', state: 'cancelled' };
    if (row.state !== 'pending') return { done: 'already', state: row.state };
    if (await isSuppressed(tx, row.user_id, row.to_phone)) {
      const reason = failureMessage('21610');
      await fail(tx, smsLogId, reason);
      return { done: 'failed', reason };
    }
    // Automated texts wait out quiet hours; a dispatcher's reply in a conversation does not.
    const quiet =
      row.purpose === 'desktop'
        ? null
        : quietHoursDecision(row.to_phone, options.now, row.timezone);
    if (quiet && !quiet.allowed) {
      await tx.execute(
        sql`UPDATE outbound_texts SET send_at = ${quiet.sendAt.toISOString()}
             WHERE sms_log_id = ${smsLogId}`,
      );
      return { later: quiet.sendAt };
    }
    await tx.execute(
      sql`UPDATE outbound_texts SET state = 'sending', attempts = attempts + 1
           WHERE sms_log_id = ${smsLogId}`,
    );
    return row;
  });
  if (!('user_id' in claim)) return claim;

  let sid: string;
  try {
    ({ sid } = await sender.send({
      to: claim.to_phone,
      from: claim.from_phone,
      body: claim.message_text,
      statusCallback: options.statusCallback,
    }));
  } catch (error) {
    const refusal = error instanceof twilio.RestException && error.status < 500;
    if (!refusal) {
      // Twilio answered that it failed (or did not answer): nothing was sent, so it may go again.
      await db.execute(
        sql`UPDATE outbound_texts SET state = 'pending', last_error = ${String(error)}
             WHERE sms_log_id = ${smsLogId} AND state = 'sending'`,
      );
      throw new TransientSendError(`Twilio did not take the text: ${String(error)}`, {
        cause: error,
      });
    }
    const code = String(error.code);
    const reason = failureMessage(code);
    await db.transaction(async (tx) => {
      await fail(tx, smsLogId, reason);
      if (code === '21610') {
        // Twilio knows this number opted out (perhaps with another business's number): keep it.
        await tx.execute(
          sql`INSERT INTO sms_suppressions (user_id, phone, reason, matched)
              VALUES (${claim.user_id}, ${claim.to_phone}, 'provider', 'Twilio error 21610')
              ON CONFLICT (user_id, phone) DO NOTHING`,
        );
      }
    });
    return { done: 'failed', reason };
  }

  await db.transaction(async (tx) => {
    await tx.execute(
      sql`UPDATE outbound_texts SET state = 'sent', last_error = NULL
           WHERE sms_log_id = ${smsLogId}`,
    );
    // Still queued until Twilio's status callback says sent or delivered.
    await tx.execute(sql`UPDATE sms_logs SET provider_message_id = ${sid} WHERE id = ${smsLogId}`);
    if (claim.workflow_id) {
      await tx.execute(
        sql`UPDATE workflows SET total_completed = total_completed + 1
             WHERE id = ${claim.workflow_id}`,
      );
    }
  });
  return { done: 'sent', messageSid: sid };
}

async function fail(tx: Pick<AppDatabase, 'execute'>, smsLogId: string, reason: string) {
  await tx.execute(
    sql`UPDATE outbound_texts SET state = 'failed', last_error = ${reason}
         WHERE sms_log_id = ${smsLogId}`,
  );
  await tx.execute(
    sql`UPDATE sms_logs SET status = 'failed', error_message = ${reason} WHERE id = ${smsLogId}`,
  );
}

/** After the queue's last try: the text failed, with Twilio's last answer as the reason. */
export async function giveUpText(db: AppDatabase, smsLogId: string, error: unknown) {
  await db.transaction((tx) =>
    fail(tx, smsLogId, `Twilio could not be reached to send this text (${String(error)})`),
  );
}
