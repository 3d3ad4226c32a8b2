CREATE TABLE "platform_operators" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"status" varchar(20) DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "platform_operators_email_key" UNIQUE("email"),
	CONSTRAINT "platform_operators_status_check" CHECK ("status" IN ('active', 'disabled')),
	CONSTRAINT "platform_operators_email_check" CHECK ("email" = lower("email") AND "email" LIKE '_%@_%'),
	CONSTRAINT "platform_operators_password_hash_check" CHECK ("password_hash" LIKE '$argon2id$%')
);
--> statement-breakpoint
ALTER TABLE "change_log" DROP CONSTRAINT "change_log_table_name_check";--> statement-breakpoint
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_table_name_check" CHECK ("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts', 'users', 'subscriptions'));