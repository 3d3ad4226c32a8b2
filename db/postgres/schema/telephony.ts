import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
  varchar,
} from 'drizzle-orm/pg-core';
import {
  leadSources,
  outboundPurposes,
  outboundStates,
  suppressionReasons,
  twilioCallStatuses,
} from '../../enums.ts';
import { checkName, oneOf, pgE164 } from '../../sql-checks.ts';
import { campaigns } from './campaigns.ts';
import { createdAt, id, timestamptz, updatedAt } from './columns.ts';
import { callLogs, smsLogs } from './communications.ts';
import { users } from './users.ts';
import { workflows } from './workflows.ts';

/*
 * Beyond the seed: what the telephony webhooks need. None of these tables is synced to desktops
 * (the replica's schema does not change); calls and texts still land in call_logs and sms_logs.
 */

/**
 * A business's Twilio numbers. A call or text to one says which business it is for and where the
 * lead came from: the number printed on the Google Ads campaign makes its callers `google_ads`
 * leads of that campaign. A number belongs to one business at a time.
 */
export const trackingNumbers = pgTable(
  'tracking_numbers',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    phoneNumber: varchar('phone_number', { length: 20 }).notNull(),
    leadSource: varchar('lead_source', { length: 50 }).notNull(),
    campaignId: uuid('campaign_id').references(() => campaigns.id, { onDelete: 'set null' }),
    /** The phone that rings when a customer calls; the business's primary phone when null. */
    forwardTo: varchar('forward_to', { length: 20 }),
    label: varchar('label', { length: 100 }),
    active: boolean('active').notNull().default(true),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('tracking_numbers_phone_number_key').on(t.phoneNumber),
    index('idx_tracking_numbers_user_id').on(t.userId),
    check(checkName('tracking_numbers', 'phone_number'), pgE164('phone_number')),
    check(checkName('tracking_numbers', 'forward_to'), pgE164('forward_to')),
    check(checkName('tracking_numbers', 'lead_source'), oneOf('lead_source', leadSources)),
  ],
);

/**
 * Twilio's side of a call log: its CallSid, and the newest callback applied. Callbacks repeat and
 * arrive out of order; keyed on CallSid, each call is one row in its latest state.
 */
export const providerCalls = pgTable(
  'provider_calls',
  {
    callSid: varchar('call_sid', { length: 64 }).primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    callLogId: uuid('call_log_id')
      .notNull()
      .references(() => callLogs.id, { onDelete: 'cascade' }),
    /** Twilio's CallStatus as last applied (queued … completed), finer than call_logs.call_status. */
    providerStatus: varchar('provider_status', { length: 20 }).notNull(),
    /** The SequenceNumber of the last applied status callback (-1 before any). */
    lastSequence: integer('last_sequence').notNull().default(-1),
    /** The forwarded leg's outcome (DialCallStatus), which decides answered or missed. */
    dialStatus: varchar('dial_status', { length: 20 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('provider_calls_call_log_id_key').on(t.callLogId),
    index('idx_provider_calls_user_id').on(t.userId),
    check(
      checkName('provider_calls', 'provider_status'),
      oneOf('provider_status', twilioCallStatuses),
    ),
    check(checkName('provider_calls', 'last_sequence'), sql.raw('"last_sequence" >= -1')),
  ],
);

/**
 * Numbers that said stop. Nothing is texted to one (the send is refused with the reason before it
 * reaches Twilio) until the same number says START; the row stays, with `lifted_at`, as the record.
 */
export const smsSuppressions = pgTable(
  'sms_suppressions',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    phone: varchar('phone', { length: 20 }).notNull(),
    reason: varchar('reason', { length: 20 }).notNull(),
    /** The words that decided ("STOP", "stop texting me"), for the audit trail. */
    matched: text('matched'),
    sourceSmsId: uuid('source_sms_id').references(() => smsLogs.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    liftedAt: timestamptz('lifted_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'sms_suppressions_pkey', columns: [t.userId, t.phone] }),
    check(checkName('sms_suppressions', 'phone'), pgE164('phone')),
    check(checkName('sms_suppressions', 'reason'), oneOf('reason', suppressionReasons)),
  ],
);

/**
 * Texts the server sends (a missed-call text-back, a text written on a desktop), beside their
 * sms_logs row: each exactly once. The idempotency key (`missed-call:<CallSid>`) makes a replayed
 * webhook or a retried job find the text already planned; the state is claimed before Twilio is
 * called, so a crash mid-send never sends it twice.
 */
export const outboundTexts = pgTable(
  'outbound_texts',
  {
    smsLogId: uuid('sms_log_id')
      .primaryKey()
      .references(() => smsLogs.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    idempotencyKey: varchar('idempotency_key', { length: 200 }).notNull(),
    purpose: varchar('purpose', { length: 20 }).notNull(),
    workflowId: uuid('workflow_id').references(() => workflows.id, { onDelete: 'set null' }),
    state: varchar('state', { length: 12 }).notNull().default('pending'),
    /** Not before: the workflow's delay, moved out of the recipient's quiet hours. */
    sendAt: timestamptz('send_at').notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('outbound_texts_idempotency_key_key').on(t.idempotencyKey),
    index('idx_outbound_texts_user_id').on(t.userId),
    // The no-Redis sender's scan for what is due.
    index('idx_outbound_texts_pending')
      .on(t.sendAt)
      .where(sql`state = 'pending'`),
    check(checkName('outbound_texts', 'purpose'), oneOf('purpose', outboundPurposes)),
    check(checkName('outbound_texts', 'state'), oneOf('state', outboundStates)),
    check(checkName('outbound_texts', 'attempts'), sql.raw('"attempts" >= 0')),
  ],
);
