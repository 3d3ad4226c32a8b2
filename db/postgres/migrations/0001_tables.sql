CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" varchar(255) NOT NULL,
	"business_name" varchar(255) NOT NULL,
	"owner_name" varchar(255) NOT NULL,
	"primary_phone" varchar(20) NOT NULL,
	"business_address" text,
	"city" varchar(100),
	"state" varchar(50),
	"zip_code" varchar(10),
	"country" varchar(2) DEFAULT 'US' NOT NULL,
	"timezone" varchar(50) DEFAULT 'America/Chicago' NOT NULL,
	"service_types" text[] NOT NULL,
	"service_area" varchar(255),
	"years_in_business" integer,
	"license_number" varchar(100),
	"ghl_location_id" varchar(255),
	"ghl_access_token" text,
	"ghl_refresh_token" text,
	"ghl_token_expires_at" timestamp with time zone,
	"google_ads_customer_id" varchar(255),
	"google_ads_refresh_token" text,
	"stripe_customer_id" varchar(255),
	"status" varchar(50) DEFAULT 'active' NOT NULL,
	"onboarding_completed" boolean DEFAULT false NOT NULL,
	"onboarding_step" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "users_email_key" UNIQUE("email"),
	CONSTRAINT "users_status_check" CHECK ("status" IN ('active', 'suspended', 'cancelled')),
	CONSTRAINT "users_email_check" CHECK ("email" = lower("email") AND "email" LIKE '_%@_%'),
	CONSTRAINT "users_password_hash_check" CHECK ("password_hash" LIKE '$argon2id$%'),
	CONSTRAINT "users_primary_phone_check" CHECK ("primary_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "users_country_check" CHECK ("country" ~ '^[A-Z]{2}$'),
	CONSTRAINT "users_service_types_check" CHECK (cardinality("service_types") > 0),
	CONSTRAINT "users_onboarding_step_check" CHECK ("onboarding_step" >= 1),
	CONSTRAINT "users_years_in_business_check" CHECK ("years_in_business" >= 0),
	CONSTRAINT "users_ghl_access_token_check" CHECK ("ghl_access_token" IS NULL OR "ghl_access_token" LIKE 'enc:v1:%'),
	CONSTRAINT "users_ghl_refresh_token_check" CHECK ("ghl_refresh_token" IS NULL OR "ghl_refresh_token" LIKE 'enc:v1:%'),
	CONSTRAINT "users_google_ads_refresh_token_check" CHECK ("google_ads_refresh_token" IS NULL OR "google_ads_refresh_token" LIKE 'enc:v1:%')
);
--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"customer_phone" varchar(20) NOT NULL,
	"customer_name" varchar(255),
	"customer_email" varchar(255),
	"customer_address" text,
	"source" varchar(50) NOT NULL,
	"service_type" varchar(100),
	"urgency" varchar(20),
	"description" text,
	"status" varchar(50) DEFAULT 'new' NOT NULL,
	"pipeline_stage" varchar(50),
	"quoted_amount" numeric(10, 2),
	"actual_amount" numeric(10, 2),
	"ghl_contact_id" varchar(255),
	"ghl_opportunity_id" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"contacted_at" timestamp with time zone,
	"quoted_at" timestamp with time zone,
	"booked_at" timestamp with time zone,
	"completed_at" timestamp with time zone,
	"lost_at" timestamp with time zone,
	"lost_reason" text,
	CONSTRAINT "leads_customer_phone_check" CHECK ("customer_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "leads_source_check" CHECK ("source" IN ('missed_call', 'google_ads', 'referral', 'website')),
	CONSTRAINT "leads_urgency_check" CHECK ("urgency" IN ('high', 'medium', 'low')),
	CONSTRAINT "leads_status_check" CHECK ("status" IN ('new', 'contacted', 'quoted', 'booked', 'completed', 'lost')),
	CONSTRAINT "leads_pipeline_stage_check" CHECK ("pipeline_stage" IN ('lead', 'opportunity', 'proposal', 'negotiation', 'closed')),
	CONSTRAINT "leads_quoted_amount_check" CHECK ("quoted_amount" >= 0),
	CONSTRAINT "leads_actual_amount_check" CHECK ("actual_amount" >= 0),
	CONSTRAINT "leads_customer_email_check" CHECK ("customer_email" LIKE '_%@_%')
);
--> statement-breakpoint
CREATE TABLE "call_logs" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"lead_id" uuid,
	"caller_phone" varchar(20) NOT NULL,
	"called_phone" varchar(20) NOT NULL,
	"call_status" varchar(50) NOT NULL,
	"call_direction" varchar(20) NOT NULL,
	"call_duration" integer DEFAULT 0 NOT NULL,
	"recording_url" text,
	"recording_duration" integer,
	"ghl_call_id" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"ended_at" timestamp with time zone,
	CONSTRAINT "call_logs_caller_phone_check" CHECK ("caller_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "call_logs_called_phone_check" CHECK ("called_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "call_logs_call_status_check" CHECK ("call_status" IN ('answered', 'no_answer', 'busy', 'voicemail', 'failed')),
	CONSTRAINT "call_logs_call_direction_check" CHECK ("call_direction" IN ('inbound', 'outbound')),
	CONSTRAINT "call_logs_call_duration_check" CHECK ("call_duration" >= 0),
	CONSTRAINT "call_logs_recording_duration_check" CHECK ("recording_duration" >= 0)
);
--> statement-breakpoint
CREATE TABLE "sms_logs" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"lead_id" uuid,
	"direction" varchar(20) NOT NULL,
	"from_phone" varchar(20) NOT NULL,
	"to_phone" varchar(20) NOT NULL,
	"message_text" text NOT NULL,
	"status" varchar(50) DEFAULT 'sent' NOT NULL,
	"error_message" text,
	"reply_to_sms_id" uuid,
	"provider" varchar(50) DEFAULT 'twilio' NOT NULL,
	"provider_message_id" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	"replied_at" timestamp with time zone,
	CONSTRAINT "sms_logs_direction_check" CHECK ("direction" IN ('inbound', 'outbound')),
	CONSTRAINT "sms_logs_from_phone_check" CHECK ("from_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "sms_logs_to_phone_check" CHECK ("to_phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "sms_logs_status_check" CHECK ("status" IN ('queued', 'sent', 'delivered', 'failed', 'replied', 'received')),
	CONSTRAINT "sms_logs_provider_check" CHECK ("provider" IN ('twilio', 'ghl'))
);
--> statement-breakpoint
CREATE TABLE "campaigns" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"campaign_id" varchar(255) NOT NULL,
	"campaign_name" varchar(255) NOT NULL,
	"campaign_type" varchar(50) DEFAULT 'search' NOT NULL,
	"daily_budget" numeric(10, 2) NOT NULL,
	"monthly_budget" numeric(10, 2),
	"status" varchar(50) DEFAULT 'active' NOT NULL,
	"total_spend" numeric(10, 2) DEFAULT '0' NOT NULL,
	"total_clicks" integer DEFAULT 0 NOT NULL,
	"total_impressions" integer DEFAULT 0 NOT NULL,
	"total_conversions" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_synced_at" timestamp with time zone,
	CONSTRAINT "campaigns_campaign_type_check" CHECK ("campaign_type" IN ('search', 'display', 'video')),
	CONSTRAINT "campaigns_status_check" CHECK ("status" IN ('active', 'paused', 'ended')),
	CONSTRAINT "campaigns_daily_budget_check" CHECK ("daily_budget" >= 0),
	CONSTRAINT "campaigns_monthly_budget_check" CHECK ("monthly_budget" >= 0),
	CONSTRAINT "campaigns_total_spend_check" CHECK ("total_spend" >= 0),
	CONSTRAINT "campaigns_total_clicks_check" CHECK ("total_clicks" >= 0),
	CONSTRAINT "campaigns_total_impressions_check" CHECK ("total_impressions" >= 0),
	CONSTRAINT "campaigns_total_conversions_check" CHECK ("total_conversions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "keywords" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"campaign_id" uuid NOT NULL,
	"keyword_text" varchar(255) NOT NULL,
	"match_type" varchar(20) NOT NULL,
	"max_cpc" numeric(10, 2),
	"quality_score" integer,
	"status" varchar(50) DEFAULT 'active' NOT NULL,
	"total_spend" numeric(10, 2) DEFAULT '0' NOT NULL,
	"total_clicks" integer DEFAULT 0 NOT NULL,
	"total_impressions" integer DEFAULT 0 NOT NULL,
	"total_conversions" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_synced_at" timestamp with time zone,
	CONSTRAINT "keywords_match_type_check" CHECK ("match_type" IN ('exact', 'phrase', 'broad')),
	CONSTRAINT "keywords_status_check" CHECK ("status" IN ('active', 'paused', 'removed')),
	CONSTRAINT "keywords_quality_score_check" CHECK ("quality_score" BETWEEN 1 AND 10),
	CONSTRAINT "keywords_max_cpc_check" CHECK ("max_cpc" >= 0),
	CONSTRAINT "keywords_total_spend_check" CHECK ("total_spend" >= 0),
	CONSTRAINT "keywords_total_clicks_check" CHECK ("total_clicks" >= 0),
	CONSTRAINT "keywords_total_impressions_check" CHECK ("total_impressions" >= 0),
	CONSTRAINT "keywords_total_conversions_check" CHECK ("total_conversions" >= 0)
);
--> statement-breakpoint
CREATE TABLE "financials" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"date" date NOT NULL,
	"ad_spend" numeric(10, 2) DEFAULT '0' NOT NULL,
	"platform_fee" numeric(10, 2) DEFAULT '0' NOT NULL,
	"other_costs" numeric(10, 2) DEFAULT '0' NOT NULL,
	"leads_generated" integer DEFAULT 0 NOT NULL,
	"leads_contacted" integer DEFAULT 0 NOT NULL,
	"leads_quoted" integer DEFAULT 0 NOT NULL,
	"leads_booked" integer DEFAULT 0 NOT NULL,
	"leads_completed" integer DEFAULT 0 NOT NULL,
	"leads_lost" integer DEFAULT 0 NOT NULL,
	"revenue" numeric(10, 2) DEFAULT '0' NOT NULL,
	"cpl" numeric(10, 2) GENERATED ALWAYS AS (CASE WHEN "leads_generated" > 0 THEN "ad_spend" / "leads_generated" ELSE 0 END) STORED,
	"conversion_rate" numeric(14, 2) GENERATED ALWAYS AS (CASE WHEN "leads_generated" > 0 THEN ("leads_booked"::DECIMAL / "leads_generated") * 100 ELSE 0 END) STORED,
	"roi" numeric(14, 2) GENERATED ALWAYS AS (CASE WHEN "ad_spend" > 0 THEN (("revenue" - "ad_spend") / "ad_spend") * 100 ELSE 0 END) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "financials_user_id_date_key" UNIQUE("user_id","date"),
	CONSTRAINT "financials_leads_generated_check" CHECK ("leads_generated" >= 0),
	CONSTRAINT "financials_leads_contacted_check" CHECK ("leads_contacted" >= 0),
	CONSTRAINT "financials_leads_quoted_check" CHECK ("leads_quoted" >= 0),
	CONSTRAINT "financials_leads_booked_check" CHECK ("leads_booked" >= 0),
	CONSTRAINT "financials_leads_completed_check" CHECK ("leads_completed" >= 0),
	CONSTRAINT "financials_leads_lost_check" CHECK ("leads_lost" >= 0),
	CONSTRAINT "financials_ad_spend_check" CHECK ("ad_spend" >= 0),
	CONSTRAINT "financials_platform_fee_check" CHECK ("platform_fee" >= 0),
	CONSTRAINT "financials_other_costs_check" CHECK ("other_costs" >= 0),
	CONSTRAINT "financials_revenue_check" CHECK ("revenue" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ai_agent_logs" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"agent_name" varchar(50) NOT NULL,
	"action_type" varchar(100) NOT NULL,
	"action_data" jsonb NOT NULL,
	"result" varchar(50) NOT NULL,
	"result_message" text,
	"estimated_impact" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone,
	CONSTRAINT "ai_agent_logs_agent_name_check" CHECK ("agent_name" IN ('monitor', 'cx', 'diagnostic', 'optimizing', 'retention')),
	CONSTRAINT "ai_agent_logs_result_check" CHECK ("result" IN ('success', 'failed', 'pending')),
	CONSTRAINT "ai_agent_logs_action_data_check" CHECK (jsonb_typeof("action_data") = 'object'),
	CONSTRAINT "ai_agent_logs_estimated_impact_check" CHECK (jsonb_typeof("estimated_impact") = 'object')
);
--> statement-breakpoint
CREATE TABLE "subscriptions" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"stripe_subscription_id" varchar(255) NOT NULL,
	"stripe_price_id" varchar(255) NOT NULL,
	"plan_name" varchar(100) NOT NULL,
	"amount" numeric(10, 2) NOT NULL,
	"currency" varchar(3) DEFAULT 'USD' NOT NULL,
	"status" varchar(50) DEFAULT 'active' NOT NULL,
	"current_period_start" timestamp with time zone NOT NULL,
	"current_period_end" timestamp with time zone NOT NULL,
	"cancel_at_period_end" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"cancelled_at" timestamp with time zone,
	CONSTRAINT "subscriptions_stripe_subscription_id_key" UNIQUE("stripe_subscription_id"),
	CONSTRAINT "subscriptions_plan_name_check" CHECK ("plan_name" IN ('Basic', 'Pro', 'Enterprise')),
	CONSTRAINT "subscriptions_status_check" CHECK ("status" IN ('active', 'past_due', 'cancelled', 'unpaid')),
	CONSTRAINT "subscriptions_amount_check" CHECK ("amount" >= 0),
	CONSTRAINT "subscriptions_currency_check" CHECK ("currency" ~ '^[A-Z]{3}$'),
	CONSTRAINT "subscriptions_current_period_end_check" CHECK ("current_period_end" >= "current_period_start")
);
--> statement-breakpoint
CREATE TABLE "workflows" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"workflow_name" varchar(255) NOT NULL,
	"workflow_type" varchar(50) NOT NULL,
	"ghl_workflow_id" varchar(255),
	"config" jsonb NOT NULL,
	"status" varchar(50) DEFAULT 'active' NOT NULL,
	"total_triggered" integer DEFAULT 0 NOT NULL,
	"total_completed" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflows_workflow_type_check" CHECK ("workflow_type" IN ('missed_call', 'offer_quote', 'booking_confirmation', 'review_request', 'amc_offer')),
	CONSTRAINT "workflows_status_check" CHECK ("status" IN ('active', 'paused', 'draft')),
	CONSTRAINT "workflows_config_check" CHECK (jsonb_typeof("config") = 'object'),
	CONSTRAINT "workflows_total_triggered_check" CHECK ("total_triggered" >= 0),
	CONSTRAINT "workflows_total_completed_check" CHECK ("total_completed" >= 0)
);
--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "call_logs" ADD CONSTRAINT "call_logs_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_logs" ADD CONSTRAINT "sms_logs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_logs" ADD CONSTRAINT "sms_logs_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_logs" ADD CONSTRAINT "sms_logs_reply_to_sms_id_sms_logs_id_fk" FOREIGN KEY ("reply_to_sms_id") REFERENCES "public"."sms_logs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "campaigns" ADD CONSTRAINT "campaigns_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keywords" ADD CONSTRAINT "keywords_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keywords" ADD CONSTRAINT "keywords_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "financials" ADD CONSTRAINT "financials_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ai_agent_logs" ADD CONSTRAINT "ai_agent_logs_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD CONSTRAINT "subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "workflows" ADD CONSTRAINT "workflows_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_users_email" ON "users" USING btree ("email");--> statement-breakpoint
CREATE INDEX "idx_users_ghl_location_id" ON "users" USING btree ("ghl_location_id");--> statement-breakpoint
CREATE INDEX "idx_users_status" ON "users" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_leads_user_id" ON "leads" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_leads_status" ON "leads" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_leads_source" ON "leads" USING btree ("source");--> statement-breakpoint
CREATE INDEX "idx_leads_created_at" ON "leads" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_leads_customer_phone" ON "leads" USING btree ("customer_phone");--> statement-breakpoint
CREATE INDEX "idx_call_logs_user_id" ON "call_logs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_call_logs_lead_id" ON "call_logs" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "idx_call_logs_call_status" ON "call_logs" USING btree ("call_status");--> statement-breakpoint
CREATE INDEX "idx_call_logs_created_at" ON "call_logs" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_sms_logs_user_id" ON "sms_logs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_sms_logs_lead_id" ON "sms_logs" USING btree ("lead_id");--> statement-breakpoint
CREATE INDEX "idx_sms_logs_direction" ON "sms_logs" USING btree ("direction");--> statement-breakpoint
CREATE INDEX "idx_sms_logs_created_at" ON "sms_logs" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_sms_logs_reply_to_sms_id" ON "sms_logs" USING btree ("reply_to_sms_id");--> statement-breakpoint
CREATE INDEX "idx_campaigns_user_id" ON "campaigns" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_campaigns_campaign_id" ON "campaigns" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "idx_campaigns_status" ON "campaigns" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_keywords_campaign_id" ON "keywords" USING btree ("campaign_id");--> statement-breakpoint
CREATE INDEX "idx_keywords_status" ON "keywords" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_keywords_keyword_text" ON "keywords" USING btree ("keyword_text");--> statement-breakpoint
CREATE INDEX "idx_keywords_user_id" ON "keywords" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_financials_user_id" ON "financials" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_financials_date" ON "financials" USING btree ("date" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_financials_cpl" ON "financials" USING btree ("cpl");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_user_id" ON "ai_agent_logs" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_agent_name" ON "ai_agent_logs" USING btree ("agent_name");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_action_type" ON "ai_agent_logs" USING btree ("action_type");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_created_at" ON "ai_agent_logs" USING btree ("created_at" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_action_data" ON "ai_agent_logs" USING gin ("action_data");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_user_id" ON "subscriptions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_status" ON "subscriptions" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_subscriptions_stripe_subscription_id" ON "subscriptions" USING btree ("stripe_subscription_id");--> statement-breakpoint
CREATE INDEX "idx_workflows_user_id" ON "workflows" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_workflows_workflow_type" ON "workflows" USING btree ("workflow_type");--> statement-breakpoint
CREATE INDEX "idx_workflows_status" ON "workflows" USING btree ("status");