import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, uuid, varchar } from 'drizzle-orm/pg-core';
import { leadSources, leadStatuses, leadUrgencies, pipelineStages } from '../../enums.ts';
import { checkName, nonNegative, oneOf, pgE164 } from '../../sql-checks.ts';
import { createdAt, id, money, timestamptz, updatedAt } from './columns.ts';
import { users } from './users.ts';

export const leads = pgTable(
  'leads',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),

    customerPhone: varchar('customer_phone', { length: 20 }).notNull(),
    customerName: varchar('customer_name', { length: 255 }),
    customerEmail: varchar('customer_email', { length: 255 }),
    customerAddress: text('customer_address'),

    source: varchar('source', { length: 50 }).notNull(),
    serviceType: varchar('service_type', { length: 100 }),
    urgency: varchar('urgency', { length: 20 }),
    description: text('description'),

    status: varchar('status', { length: 50 }).notNull().default('new'),
    pipelineStage: varchar('pipeline_stage', { length: 50 }),

    quotedAmount: money('quoted_amount'),
    actualAmount: money('actual_amount'),

    ghlContactId: varchar('ghl_contact_id', { length: 255 }),
    ghlOpportunityId: varchar('ghl_opportunity_id', { length: 255 }),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
    contactedAt: timestamptz('contacted_at'),
    quotedAt: timestamptz('quoted_at'),
    bookedAt: timestamptz('booked_at'),
    completedAt: timestamptz('completed_at'),
    lostAt: timestamptz('lost_at'),
    lostReason: text('lost_reason'),

    // Beyond the seed: when the customer's phone opted out of the business's texts (STOP), kept
    // from the suppression list by triggers (migration 0014); null while texts are allowed.
    smsOptedOutAt: timestamptz('sms_opted_out_at'),
  },
  (t) => [
    index('idx_leads_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_leads_sync_key').on(t.userId, t.id),
    index('idx_leads_status').on(t.status),
    index('idx_leads_source').on(t.source),
    index('idx_leads_created_at').on(t.createdAt.desc().nullsFirst()),
    index('idx_leads_customer_phone').on(t.customerPhone),
    // The analytics API (migration 0018): a business's funnel counts by status without reading
    // every lead, and its pipeline window reads only the leads created in it.
    index('idx_leads_user_status').on(t.userId, t.status),
    index('idx_leads_user_created_at').on(t.userId, t.createdAt),
    check(checkName('leads', 'customer_phone'), pgE164('customer_phone')),
    check(checkName('leads', 'source'), oneOf('source', leadSources)),
    check(checkName('leads', 'urgency'), oneOf('urgency', leadUrgencies)),
    check(checkName('leads', 'status'), oneOf('status', leadStatuses)),
    check(checkName('leads', 'pipeline_stage'), oneOf('pipeline_stage', pipelineStages)),
    check(checkName('leads', 'quoted_amount'), nonNegative('quoted_amount')),
    check(checkName('leads', 'actual_amount'), nonNegative('actual_amount')),
    check(checkName('leads', 'customer_email'), sql`"customer_email" LIKE '_%@_%'`),
  ],
);
