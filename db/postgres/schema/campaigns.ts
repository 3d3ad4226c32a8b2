import { check, index, integer, pgTable, uuid, varchar } from 'drizzle-orm/pg-core';
import { campaignStatuses, campaignTypes, keywordStatuses, matchTypes } from '../../enums.ts';
import { between, checkName, nonNegative, oneOf } from '../../sql-checks.ts';
import { createdAt, id, money, timestamptz, updatedAt } from './columns.ts';
import { users } from './users.ts';

const performanceChecks = (table: string) =>
  ['total_spend', 'total_clicks', 'total_impressions', 'total_conversions'].map((column) =>
    check(checkName(table, column), nonNegative(column)),
  );

/** The Ads API's cached totals and sync stamps, on a campaign and on each of its keywords. */
const adTotals = () => ({
  totalSpend: money('total_spend').notNull().default('0'),
  totalClicks: integer('total_clicks').notNull().default(0),
  totalImpressions: integer('total_impressions').notNull().default(0),
  totalConversions: integer('total_conversions').notNull().default(0),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
  lastSyncedAt: timestamptz('last_synced_at'),
});

/** A Google Ads campaign; the performance columns are a cache refreshed from the Ads API. */
export const campaigns = pgTable(
  'campaigns',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),

    campaignId: varchar('campaign_id', { length: 255 }).notNull(),
    campaignName: varchar('campaign_name', { length: 255 }).notNull(),
    campaignType: varchar('campaign_type', { length: 50 }).notNull().default('search'),

    dailyBudget: money('daily_budget').notNull(),
    monthlyBudget: money('monthly_budget'),

    status: varchar('status', { length: 50 }).notNull().default('active'),

    ...adTotals(),
  },
  (t) => [
    index('idx_campaigns_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_campaigns_sync_key').on(t.userId, t.id),
    index('idx_campaigns_campaign_id').on(t.campaignId),
    index('idx_campaigns_status').on(t.status),
    check(checkName('campaigns', 'campaign_type'), oneOf('campaign_type', campaignTypes)),
    check(checkName('campaigns', 'status'), oneOf('status', campaignStatuses)),
    check(checkName('campaigns', 'daily_budget'), nonNegative('daily_budget')),
    check(checkName('campaigns', 'monthly_budget'), nonNegative('monthly_budget')),
    ...performanceChecks('campaigns'),
  ],
);

/**
 * `user_id` is added to the seed's table so every synced row carries its tenant directly; a trigger
 * (custom migration 0001) fills it from the campaign and refuses a mismatch.
 */
export const keywords = pgTable(
  'keywords',
  {
    id: id(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    campaignId: uuid('campaign_id')
      .notNull()
      .references(() => campaigns.id, { onDelete: 'cascade' }),

    keywordText: varchar('keyword_text', { length: 255 }).notNull(),
    matchType: varchar('match_type', { length: 20 }).notNull(),

    maxCpc: money('max_cpc'),
    qualityScore: integer('quality_score'),

    status: varchar('status', { length: 50 }).notNull().default('active'),

    ...adTotals(),
  },
  (t) => [
    index('idx_keywords_campaign_id').on(t.campaignId),
    index('idx_keywords_status').on(t.status),
    index('idx_keywords_keyword_text').on(t.keywordText),
    index('idx_keywords_user_id').on(t.userId),
    // Beyond the seed: a desktop's snapshot walks one business's rows in key order.
    index('idx_keywords_sync_key').on(t.userId, t.id),
    check(checkName('keywords', 'match_type'), oneOf('match_type', matchTypes)),
    check(checkName('keywords', 'status'), oneOf('status', keywordStatuses)),
    check(checkName('keywords', 'quality_score'), between('quality_score', 1, 10)),
    check(checkName('keywords', 'max_cpc'), nonNegative('max_cpc')),
    ...performanceChecks('keywords'),
  ],
);
