import { sql } from 'drizzle-orm';
import { boolean, check, index, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { planNames, subscriptionStatuses } from '../../enums.ts';
import { checkName, nonNegative, oneOf } from '../../sql-checks.ts';
import { createdAt, id, money, timestamptz, updatedAt } from './columns.ts';
import { users } from './users.ts';

/** A business's Stripe subscription to the platform. Server-side only: never synced. */
export const subscriptions = pgTable(
  'subscriptions',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),

    stripeSubscriptionId: varchar('stripe_subscription_id', { length: 255 })
      .notNull()
      .unique('subscriptions_stripe_subscription_id_key'),
    stripePriceId: varchar('stripe_price_id', { length: 255 }).notNull(),

    planName: varchar('plan_name', { length: 100 }).notNull(),
    amount: money('amount').notNull(),
    currency: varchar('currency', { length: 3 }).notNull().default('USD'),

    status: varchar('status', { length: 50 }).notNull().default('active'),

    currentPeriodStart: timestamptz('current_period_start').notNull(),
    currentPeriodEnd: timestamptz('current_period_end').notNull(),
    cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),

    createdAt: createdAt(),
    updatedAt: updatedAt(),
    cancelledAt: timestamptz('cancelled_at'),
  },
  (t) => [
    index('idx_subscriptions_user_id').on(t.userId),
    index('idx_subscriptions_status').on(t.status),
    index('idx_subscriptions_stripe_subscription_id').on(t.stripeSubscriptionId),
    check(checkName('subscriptions', 'plan_name'), oneOf('plan_name', planNames)),
    check(checkName('subscriptions', 'status'), oneOf('status', subscriptionStatuses)),
    check(checkName('subscriptions', 'amount'), nonNegative('amount')),
    check(checkName('subscriptions', 'currency'), sql`"currency" ~ '^[A-Z]{3}$'`),
    check(
      checkName('subscriptions', 'current_period_end'),
      sql`"current_period_end" >= "current_period_start"`,
    ),
  ],
);
