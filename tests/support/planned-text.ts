import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/postgres/client.ts';
import { buildTestApp, signupBusiness } from './app.ts';
import type { TestDatabase } from './databases.ts';

/**
 * A business and one outbound text already planned for sending, as a server that has since
 * stopped left them (its sms_logs row queued, its outbound_texts row in `state`), for testing what
 * the next server does with it at start.
 */
export async function textPlannedBeforeStart(
  t: TestDatabase,
  text: {
    from: string;
    to: string;
    body: string;
    key: string;
    purpose: 'missed_call' | 'desktop';
    state: 'pending' | 'sending';
    sendAt: Date;
    /** When the row was last touched (a claim this old was interrupted). */
    updatedAt?: Date;
  },
): Promise<{ businessId: string; smsLogId: string }> {
  const setup = buildTestApp(t);
  const owner = await signupBusiness(setup, { primaryPhone: '+15125551234' });
  await setup.close();
  const businessId = owner.business.id;
  const [sms] = await queryRows<{ id: string }>(
    t.db,
    sql`INSERT INTO sms_logs (user_id, direction, from_phone, to_phone, message_text, status)
        VALUES (${businessId}, 'outbound', ${text.from}, ${text.to}, ${text.body}, 'queued')
        RETURNING id::text`,
  );
  await t.db.execute(
    sql`INSERT INTO outbound_texts (sms_log_id, user_id, idempotency_key, purpose, state, send_at,
                                    updated_at)
        VALUES (${sms!.id}::uuid, ${businessId}, ${text.key}, ${text.purpose}, ${text.state},
                ${text.sendAt.toISOString()}, ${(text.updatedAt ?? new Date()).toISOString()})`,
  );
  return { businessId, smsLogId: sms!.id };
}
