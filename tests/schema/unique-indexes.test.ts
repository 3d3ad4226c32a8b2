/**
 * The unique indexes beyond the seed (migrations 0007 and 0009), by behaviour; conformance.test.ts
 * pins their definitions. A provider message is stored once however often Twilio calls back about
 * it, while texts with no provider id yet are not constrained; a tracking number belongs to one
 * business; a call log has one Twilio record; an idempotency key sends one text. Each duplicate is
 * refused as UNIQUE_VIOLATION naming its index.
 */
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../db/postgres/client.ts';
import { backends } from '../support/databases.ts';
import { insertBusiness, insertValid, parentsFor, refusal, useFreshDatabase } from './fixtures.ts';

const MESSAGE_SID = 'SM0123456789abcdef0123456789abcdef';

describe.each(backends)('unique indexes beyond the seed on %s', (backend) => {
  const db = useFreshDatabase(backend);

  it('sms_logs: one row per (provider, provider_message_id), in any business; any number without one', async () => {
    const mine = await insertBusiness(db());
    const theirs = await insertBusiness(db());
    const first = await insertValid(db(), 'sms_logs', mine, { provider_message_id: MESSAGE_SID });

    for (const [business, label] of [
      [mine, 'the same business'],
      [theirs, 'another business'],
    ] as const) {
      const error = await refusal(
        insertValid(db(), 'sms_logs', business, {
          direction: 'inbound',
          provider: 'twilio',
          provider_message_id: MESSAGE_SID,
        }),
      );
      expect.soft(error.code, label).toBe('UNIQUE_VIOLATION');
      expect.soft(error.details?.constraint, label).toBe('sms_logs_provider_message_id_key');
    }
    // An UPDATE cannot make a duplicate either.
    const other = await insertValid(db(), 'sms_logs', mine, { provider_message_id: 'SMother' });
    const updated = await refusal(
      db().execute(
        sql`UPDATE sms_logs SET provider_message_id = ${MESSAGE_SID} WHERE id = ${other}`,
      ),
    );
    expect(updated.code).toBe('UNIQUE_VIOLATION');

    // The same id from another provider is another message; and texts with no provider id yet
    // (written offline, not sent) are as many as there are.
    const ghl = await insertValid(db(), 'sms_logs', mine, {
      provider: 'ghl',
      provider_message_id: MESSAGE_SID,
    });
    const unsent: string[] = [];
    for (const business of [mine, mine, theirs]) {
      unsent.push(await insertValid(db(), 'sms_logs', business, { provider_message_id: null }));
    }
    const rows = await queryRows<{ id: string }>(
      db(),
      sql`SELECT id::text FROM sms_logs ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual([first, other, ghl, ...unsent].sort());
  });

  it('tracking_numbers: a phone number belongs to one business at a time', async () => {
    const mine = await insertBusiness(db());
    const theirs = await insertBusiness(db());
    const number = await insertValid(db(), 'tracking_numbers', mine, {
      phone_number: '+15125550199',
    });
    for (const [business, label] of [
      [theirs, 'another business'],
      [mine, 'the same business'],
    ] as const) {
      const error = await refusal(
        insertValid(db(), 'tracking_numbers', business, {
          phone_number: '+15125550199',
          lead_source: 'website',
          campaign_id: null,
        }),
      );
      expect.soft(error.code, label).toBe('UNIQUE_VIOLATION');
      expect.soft(error.details?.constraint, label).toBe('tracking_numbers_phone_number_key');
    }
    // Given up by one business, it can be another's.
    await db().execute(sql`DELETE FROM tracking_numbers WHERE id = ${number}`);
    const moved = await insertValid(db(), 'tracking_numbers', theirs, {
      phone_number: '+15125550199',
    });
    expect(moved).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('provider_calls: a call log has one Twilio record', async () => {
    const business = await insertBusiness(db());
    const call = await insertValid(db(), 'call_logs', business);
    await insertValid(db(), 'provider_calls', { ...business, callLogId: call });
    const error = await refusal(
      insertValid(db(), 'provider_calls', { ...business, callLogId: call }),
    );
    expect(error.code).toBe('UNIQUE_VIOLATION');
    expect(error.details?.constraint).toBe('provider_calls_call_log_id_key');
  });

  it('outbound_texts: an idempotency key sends one text, in any business', async () => {
    const mine = await insertBusiness(db());
    const theirs = await insertBusiness(db());
    const key = 'missed-call:CA0123456789abcdef0123456789abcdef';
    const first = await insertValid(
      db(),
      'outbound_texts',
      await parentsFor(db(), 'outbound_texts', mine),
      { idempotency_key: key },
    );
    for (const [business, label] of [
      [mine, 'the same business'],
      [theirs, 'another business'],
    ] as const) {
      const error = await refusal(
        insertValid(db(), 'outbound_texts', await parentsFor(db(), 'outbound_texts', business), {
          idempotency_key: key,
          purpose: 'desktop',
        }),
      );
      expect.soft(error.code, label).toBe('UNIQUE_VIOLATION');
      expect.soft(error.details?.constraint, label).toBe('outbound_texts_idempotency_key_key');
    }
    // An UPDATE cannot make a duplicate either.
    const other = await insertValid(
      db(),
      'outbound_texts',
      await parentsFor(db(), 'outbound_texts', mine),
    );
    const updated = await refusal(
      db().execute(
        sql`UPDATE outbound_texts SET idempotency_key = ${key} WHERE sms_log_id = ${other}`,
      ),
    );
    expect(updated.code).toBe('UNIQUE_VIOLATION');
    expect(updated.details?.constraint).toBe('outbound_texts_idempotency_key_key');
    const rows = await queryRows<{ id: string }>(
      db(),
      sql`SELECT sms_log_id::text AS id FROM outbound_texts ORDER BY sms_log_id`,
    );
    expect(rows.map((r) => r.id)).toEqual([first, other].sort());
  });
});
