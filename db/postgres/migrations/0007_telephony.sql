CREATE TABLE "provider_calls" (
	"call_sid" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"call_log_id" uuid NOT NULL,
	"provider_status" varchar(20) NOT NULL,
	"last_sequence" integer DEFAULT -1 NOT NULL,
	"dial_status" varchar(20),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "provider_calls_provider_status_check" CHECK ("provider_status" IN ('queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled')),
	CONSTRAINT "provider_calls_last_sequence_check" CHECK ("last_sequence" >= -1)
);
--> statement-breakpoint
CREATE TABLE "sms_suppressions" (
	"user_id" uuid NOT NULL,
	"phone" varchar(20) NOT NULL,
	"reason" varchar(20) NOT NULL,
	"matched" text,
	"source_sms_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifted_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sms_suppressions_pkey" PRIMARY KEY("user_id","phone"),
	CONSTRAINT "sms_suppressions_phone_check" CHECK ("phone" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "sms_suppressions_reason_check" CHECK ("reason" IN ('keyword', 'language', 'provider', 'manual'))
);
--> statement-breakpoint
CREATE TABLE "tracking_numbers" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"phone_number" varchar(20) NOT NULL,
	"lead_source" varchar(50) NOT NULL,
	"campaign_id" uuid,
	"forward_to" varchar(20),
	"label" varchar(100),
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tracking_numbers_phone_number_check" CHECK ("phone_number" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "tracking_numbers_forward_to_check" CHECK ("forward_to" ~ '^\+[1-9][0-9]{6,14}$'),
	CONSTRAINT "tracking_numbers_lead_source_check" CHECK ("lead_source" IN ('missed_call', 'google_ads', 'referral', 'website'))
);
--> statement-breakpoint
ALTER TABLE "provider_calls" ADD CONSTRAINT "provider_calls_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "provider_calls" ADD CONSTRAINT "provider_calls_call_log_id_call_logs_id_fk" FOREIGN KEY ("call_log_id") REFERENCES "public"."call_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_suppressions" ADD CONSTRAINT "sms_suppressions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sms_suppressions" ADD CONSTRAINT "sms_suppressions_source_sms_id_sms_logs_id_fk" FOREIGN KEY ("source_sms_id") REFERENCES "public"."sms_logs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD CONSTRAINT "tracking_numbers_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tracking_numbers" ADD CONSTRAINT "tracking_numbers_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "provider_calls_call_log_id_key" ON "provider_calls" USING btree ("call_log_id");--> statement-breakpoint
CREATE INDEX "idx_provider_calls_user_id" ON "provider_calls" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "tracking_numbers_phone_number_key" ON "tracking_numbers" USING btree ("phone_number");--> statement-breakpoint
CREATE INDEX "idx_tracking_numbers_user_id" ON "tracking_numbers" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "sms_logs_provider_message_id_key" ON "sms_logs" USING btree ("provider","provider_message_id") WHERE provider_message_id IS NOT NULL;