import { sql } from 'drizzle-orm';
import { type AppDatabase, queryRows } from '../../db/postgres/client.ts';
import type { CallRecorded } from '../telephony/calls.ts';
import { isSuppressed } from '../telephony/texts.ts';
import { missedCallText, parseMissedCallConfig } from './missed-call.ts';
import { quietHoursDecision } from './quiet-hours.ts';

/** A text planned for sending: its sms_logs row, and not before when. */
export interface PlannedText {
  smsLogId: string;
  sendAt: Date;
  idempotencyKey: string;
}

export type TextBackDecision =
  | { planned: PlannedText }
  | {
      skipped:
        | 'no_workflow'
        | 'workflow_inactive'
        | 'config_invalid'
        | 'opted_out'
        | 'recently_texted'
        | 'already_planned';
    };

/**
 * A missed caller's text-back, planned once per call (`missed-call:<CallSid>`): the business's
 * active missed_call workflow says what and after how long; never to a number on the suppression
 * list, once per caller per window however often they ring, and never in the recipient's quiet
 * hours (moved to when they end). The text is an sms_logs row at once (queued, so the lead's
 * timeline shows it coming), with its outbound_texts row for the sender; the workflow's
 * total_triggered counts it.
 */
export async function planMissedCallText(
  db: AppDatabase,
  call: CallRecorded,
  now: Date,
  log: { warn(message: string): void } = console,
): Promise<TextBackDecision> {
  return db.transaction(async (tx) => {
    const [workflow] = await queryRows<{ id: string; status: string; config: unknown }>(
      tx,
      sql`SELECT id::text, status, config FROM workflows
           WHERE user_id = ${call.businessId} AND workflow_type = 'missed_call'
           ORDER BY (status = 'active') DESC, updated_at DESC LIMIT 1`,
    );
    if (!workflow) return { skipped: 'no_workflow' };
    if (workflow.status !== 'active') return { skipped: 'workflow_inactive' };
    let config;
    try {
      config = parseMissedCallConfig(workflow.config);
    } catch (error) {
      log.warn(`Missed-call text not sent for business ${call.businessId}: ${String(error)}`);
      return { skipped: 'config_invalid' };
    }
    const key = `missed-call:${call.callSid}`;
    // Serialised per business and caller: two rings at once plan one text.
    await tx.execute(
      sql`SELECT pg_advisory_xact_lock(hashtextextended(${`text-back:${call.businessId}:${call.callerPhone}`}, 0))`,
    );
    const [planned] = await queryRows<{ sms_log_id: string }>(
      tx,
      sql`SELECT sms_log_id::text FROM outbound_texts WHERE idempotency_key = ${key}`,
    );
    if (planned) return { skipped: 'already_planned' };
    if (await isSuppressed(tx, call.businessId, call.callerPhone)) return { skipped: 'opted_out' };
    const windowStart = new Date(now.getTime() - config.once_per_caller_hours * 3_600_000);
    const [recent] = await queryRows<{ n: number }>(
      tx,
      sql`SELECT count(*)::int AS n FROM outbound_texts o JOIN sms_logs s ON s.id = o.sms_log_id
           WHERE o.user_id = ${call.businessId} AND o.purpose = 'missed_call'
             AND s.to_phone = ${call.callerPhone} AND o.created_at > ${windowStart.toISOString()}
             AND o.state <> 'cancelled'`,
    );
    if ((recent?.n ?? 0) > 0) return { skipped: 'recently_texted' };

    const [lead] = await queryRows<{ customer_name: string | null }>(
      tx,
      sql`SELECT customer_name FROM leads WHERE id = ${call.leadId}`,
    );
    const body = missedCallText(config, now, {
      businessName: call.trackingNumber.businessName,
      customerName: lead?.customer_name ?? null,
    });
    const earliest = new Date(now.getTime() + config.delay_seconds * 1_000);
    const sendAt = quietHoursDecision(
      call.callerPhone,
      earliest,
      call.trackingNumber.businessZone,
    ).sendAt;
    const [sms] = await queryRows<{ id: string }>(
      tx,
      sql`INSERT INTO sms_logs (user_id, lead_id, direction, from_phone, to_phone, message_text,
                                status, provider)
          VALUES (${call.businessId}, ${call.leadId}, 'outbound',
                  ${call.trackingNumber.phoneNumber}, ${call.callerPhone}, ${body}, 'queued',
                  'twilio')
          RETURNING id::text`,
    );
    await tx.execute(
      sql`INSERT INTO outbound_texts (sms_log_id, user_id, idempotency_key, purpose, workflow_id,
                                      send_at)
          VALUES (${sms!.id}, ${call.businessId}, ${key}, 'missed_call', ${workflow.id},
                  ${sendAt.toISOString()})`,
    );
    await tx.execute(
      sql`UPDATE workflows SET total_triggered = total_triggered + 1 WHERE id = ${workflow.id}`,
    );
    return { planned: { smsLogId: sms!.id, sendAt, idempotencyKey: key } };
  });
}
