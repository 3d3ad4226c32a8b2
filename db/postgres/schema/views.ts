import { bigint, integer, numeric, pgView, uuid, varchar } from 'drizzle-orm/pg-core';

/*
 * The three analytics views are written in SQL (custom migration 0001) and declared here as
 * `.existing()` so queries over them are typed. db/README.md says how ours differ from the seed's.
 */

export const userDashboard = pgView('user_dashboard', {
  userId: uuid('user_id').notNull(),
  businessName: varchar('business_name').notNull(),
  status: varchar('status').notNull(),
  planName: varchar('plan_name'),
  monthlyFee: numeric('monthly_fee'),
  subscriptionStatus: varchar('subscription_status'),
  monthlyAdSpend: numeric('monthly_ad_spend'),
  monthlyLeads: bigint('monthly_leads', { mode: 'number' }),
  monthlyBookings: bigint('monthly_bookings', { mode: 'number' }),
  monthlyRevenue: numeric('monthly_revenue'),
  avgCpl: numeric('avg_cpl'),
  avgConversionRate: numeric('avg_conversion_rate'),
  avgRoi: numeric('avg_roi'),
  activeCampaigns: bigint('active_campaigns', { mode: 'number' }).notNull(),
  monthlyCpl: numeric('monthly_cpl'),
  monthlyConversionRate: numeric('monthly_conversion_rate'),
  monthlyRoi: numeric('monthly_roi'),
}).existing();

export const leadPipeline = pgView('lead_pipeline', {
  userId: uuid('user_id').notNull(),
  status: varchar('status').notNull(),
  count: bigint('count', { mode: 'number' }).notNull(),
  totalQuoted: numeric('total_quoted'),
  totalActual: numeric('total_actual'),
  avgDaysToClose: numeric('avg_days_to_close'),
}).existing();

export const campaignPerformance = pgView('campaign_performance', {
  id: uuid('id').notNull(),
  userId: uuid('user_id').notNull(),
  campaignName: varchar('campaign_name').notNull(),
  dailyBudget: numeric('daily_budget').notNull(),
  totalSpend: numeric('total_spend').notNull(),
  totalClicks: integer('total_clicks').notNull(),
  totalConversions: integer('total_conversions').notNull(),
  cpl: numeric('cpl').notNull(),
  conversionRate: numeric('conversion_rate').notNull(),
}).existing();
