import {
  type AnyPgColumn,
  check,
  index,
  uniqueIndex,
  integer,
  pgTable,
  text,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { callStatuses, directions, messageProviders, smsStatuses } from '../../enums.ts';
import { checkName, nonNegative, oneOf, pgE164 } from '../../sql-checks.ts';
import { createdAt, id, timestamptz } from './columns.ts';
import { leads } from './leads.ts';
import { users } from './users.ts';

/** Append-only: a call is a fact, so there is no updated_at (as in the seed). */
export const callLogs = pgTable(
  'call_logs',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),

    callerPhone: varchar('caller_phone', { length: 20 }).notNull(),
    calledPhone: varchar('called_phone', { length: 20 }).notNull(),
    callStatus: varchar('call_status', { length: 50 }).notNull(),
    callDirection: varchar('call_direction', { length: 20 }).notNull(),
    callDuration: integer('call_duration').notNull().default(0),

    recordingUrl: text('recording_url'),
    recordingDuration: integer('recording_duration'),

    ghlCallId: varchar('ghl_call_id', { length: 255 }),

    createdAt: createdAt(),
    endedAt: timestamptz('ended_at'),
  },
  (t) => [
    index('idx_call_logs_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_call_logs_sync_key').on(t.userId, t.id),
    index('idx_call_logs_lead_id').on(t.leadId),
    index('idx_call_logs_call_status').on(t.callStatus),
    index('idx_call_logs_created_at').on(t.createdAt.desc().nullsFirst()),
    check(checkName('call_logs', 'caller_phone'), pgE164('caller_phone')),
    check(checkName('call_logs', 'called_phone'), pgE164('called_phone')),
    check(checkName('call_logs', 'call_status'), oneOf('call_status', callStatuses)),
    check(checkName('call_logs', 'call_direction'), oneOf('call_direction', directions)),
    check(checkName('call_logs', 'call_duration'), nonNegative('call_duration')),
    check(checkName('call_logs', 'recording_duration'), nonNegative('recording_duration')),
  ],
);

export const smsLogs = pgTable(
  'sms_logs',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    leadId: uuid('lead_id').references(() => leads.id, { onDelete: 'set null' }),

    direction: varchar('direction', { length: 20 }).notNull(),
    fromPhone: varchar('from_phone', { length: 20 }).notNull(),
    toPhone: varchar('to_phone', { length: 20 }).notNull(),
    messageText: text('message_text').notNull(),

    status: varchar('status', { length: 50 }).notNull().default('sent'),
    errorMessage: text('error_message'),

    // The seed leaves ON DELETE unset (NO ACTION), so deleting one text would be refused while a
    // reply points at it; a reply outlives what it answered.
    replyToSmsId: uuid('reply_to_sms_id').references((): AnyPgColumn => smsLogs.id, {
      onDelete: 'set null',
    }),

    provider: varchar('provider', { length: 50 }).notNull().default('twilio'),
    providerMessageId: varchar('provider_message_id', { length: 255 }),

    createdAt: createdAt(),
    deliveredAt: timestamptz('delivered_at'),
    repliedAt: timestamptz('replied_at'),
  },
  (t) => [
    index('idx_sms_logs_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_sms_logs_sync_key').on(t.userId, t.id),
    index('idx_sms_logs_lead_id').on(t.leadId),
    index('idx_sms_logs_direction').on(t.direction),
    index('idx_sms_logs_created_at').on(t.createdAt.desc().nullsFirst()),
    // Not in the seed: without it, deleting a text (or a business) scans all texts for replies.
    index('idx_sms_logs_reply_to_sms_id').on(t.replyToSmsId),
    // Beyond the seed: one row per provider message (MessageSid), however often Twilio calls back.
    uniqueIndex('sms_logs_provider_message_id_key')
      .on(t.provider, t.providerMessageId)
      .where(sql`provider_message_id IS NOT NULL`),
    // Beyond the seed: an inbound text is a reply to the business's last text to that number, and
    // finding it must not walk every outbound text of every business (idx_sms_logs_direction).
    index('idx_sms_logs_last_outbound')
      .on(t.userId, t.toPhone, t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`direction = 'outbound'`),
    check(checkName('sms_logs', 'direction'), oneOf('direction', directions)),
    check(checkName('sms_logs', 'from_phone'), pgE164('from_phone')),
    check(checkName('sms_logs', 'to_phone'), pgE164('to_phone')),
    check(checkName('sms_logs', 'status'), oneOf('status', smsStatuses)),
    check(checkName('sms_logs', 'provider'), oneOf('provider', messageProviders)),
  ],
);
