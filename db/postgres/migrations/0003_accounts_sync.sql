CREATE TABLE "auth_rate_limits" (
	"key" varchar(300) PRIMARY KEY NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL,
	"attempts" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "auth_refresh_tokens" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"session_id" uuid NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "auth_refresh_tokens_token_hash_key" UNIQUE("token_hash")
);
--> statement-breakpoint
CREATE TABLE "auth_sessions" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"member_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"device_id" varchar(100) NOT NULL,
	"device_name" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_reason" varchar(30),
	CONSTRAINT "auth_sessions_revoked_reason_check" CHECK (("revoked_at" IS NULL) = ("revoked_reason" IS NULL) AND ("revoked_reason" IN ('logout', 'refresh_token_reuse', 'member_disabled', 'password_changed')))
);
--> statement-breakpoint
CREATE TABLE "member_invitations" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"email" varchar(255) NOT NULL,
	"role" varchar(20) NOT NULL,
	"token_hash" varchar(64) NOT NULL,
	"invited_by" uuid,
	"expires_at" timestamp with time zone NOT NULL,
	"accepted_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "member_invitations_token_hash_key" UNIQUE("token_hash"),
	CONSTRAINT "member_invitations_role_check" CHECK ("role" IN ('owner', 'dispatcher', 'technician')),
	CONSTRAINT "member_invitations_email_check" CHECK ("email" = lower("email") AND "email" LIKE '_%@_%')
);
--> statement-breakpoint
CREATE TABLE "members" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"email" varchar(255) NOT NULL,
	"password_hash" varchar(255) NOT NULL,
	"name" varchar(255) NOT NULL,
	"role" varchar(20) NOT NULL,
	"status" varchar(20) DEFAULT 'active' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_login_at" timestamp with time zone,
	CONSTRAINT "members_email_key" UNIQUE("email"),
	CONSTRAINT "members_role_check" CHECK ("role" IN ('owner', 'dispatcher', 'technician')),
	CONSTRAINT "members_status_check" CHECK ("status" IN ('active', 'disabled')),
	CONSTRAINT "members_email_check" CHECK ("email" = lower("email") AND "email" LIKE '_%@_%'),
	CONSTRAINT "members_password_hash_check" CHECK ("password_hash" LIKE '$argon2id$%')
);
--> statement-breakpoint
CREATE TABLE "change_log" (
	"user_id" uuid NOT NULL,
	"seq" bigint NOT NULL,
	"table_name" varchar(63) NOT NULL,
	"op" char(1) NOT NULL,
	"row_id" uuid NOT NULL,
	"logged_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "change_log_pkey" PRIMARY KEY("user_id","seq"),
	CONSTRAINT "change_log_table_name_check" CHECK ("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs')),
	CONSTRAINT "change_log_op_check" CHECK ("op" IN ('I', 'U', 'D'))
);
--> statement-breakpoint
CREATE TABLE "sync_heads" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"seq" bigint DEFAULT 0 NOT NULL,
	"pruned_through" bigint DEFAULT 0 NOT NULL,
	"epoch" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sync_heads_pruned_through_check" CHECK ("pruned_through" <= "seq")
);
--> statement-breakpoint
ALTER TABLE "auth_refresh_tokens" ADD CONSTRAINT "auth_refresh_tokens_session_id_auth_sessions_id_fk" FOREIGN KEY ("session_id") REFERENCES "public"."auth_sessions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "auth_sessions" ADD CONSTRAINT "auth_sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_invitations" ADD CONSTRAINT "member_invitations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "member_invitations" ADD CONSTRAINT "member_invitations_invited_by_members_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "members" ADD CONSTRAINT "members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_auth_refresh_tokens_session_id" ON "auth_refresh_tokens" USING btree ("session_id");--> statement-breakpoint
CREATE INDEX "idx_auth_sessions_member_id" ON "auth_sessions" USING btree ("member_id");--> statement-breakpoint
CREATE INDEX "idx_auth_sessions_user_id" ON "auth_sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_member_invitations_user_id" ON "member_invitations" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_member_invitations_invited_by" ON "member_invitations" USING btree ("invited_by");--> statement-breakpoint
CREATE INDEX "idx_members_user_id" ON "members" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_change_log_table_seq" ON "change_log" USING btree ("user_id","table_name","seq");--> statement-breakpoint
CREATE INDEX "idx_change_log_logged_at" ON "change_log" USING btree ("logged_at");--> statement-breakpoint
CREATE INDEX "idx_leads_sync_key" ON "leads" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_call_logs_sync_key" ON "call_logs" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_sms_logs_sync_key" ON "sms_logs" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_campaigns_sync_key" ON "campaigns" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_keywords_sync_key" ON "keywords" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_financials_sync_key" ON "financials" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_sync_key" ON "ai_agent_logs" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_workflows_sync_key" ON "workflows" USING btree ("user_id","id");