CREATE TABLE "field_clocks" (
	"user_id" uuid NOT NULL,
	"table_name" varchar(63) NOT NULL,
	"row_id" uuid NOT NULL,
	"field" varchar(63) NOT NULL,
	"hlc" varchar(100) NOT NULL,
	"edited_by" varchar(300),
	"client_id" varchar(64),
	"mutation_id" integer,
	CONSTRAINT "field_clocks_pkey" PRIMARY KEY("table_name","row_id","field")
);
--> statement-breakpoint
CREATE TABLE "field_conflicts" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"table_name" varchar(63) NOT NULL,
	"row_id" uuid NOT NULL,
	"field" varchar(63) NOT NULL,
	"kept_value" text,
	"superseded_value" text,
	"kept_hlc" varchar(100) NOT NULL,
	"superseded_hlc" varchar(100) NOT NULL,
	"kept_by" varchar(300),
	"superseded_by" varchar(300),
	"superseded_client_id" varchar(64),
	"superseded_mutation_id" integer,
	"outcome" varchar(20) NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "field_conflicts_outcome_check" CHECK ("outcome" IN ('overwritten', 'overtaken'))
);
--> statement-breakpoint
CREATE TABLE "lead_notes" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"lead_id" uuid NOT NULL,
	"member_id" uuid,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_notes_body_check" CHECK (length(btrim("body")) > 0)
);
--> statement-breakpoint
CREATE TABLE "mutation_clients" (
	"client_id" varchar(64) PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"member_id" uuid,
	"last_mutation_id" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutation_clients_last_mutation_id_check" CHECK ("last_mutation_id" >= 0)
);
--> statement-breakpoint
CREATE TABLE "mutation_rejections" (
	"id" uuid PRIMARY KEY DEFAULT uuid_generate_v4() NOT NULL,
	"user_id" uuid NOT NULL,
	"client_id" varchar(64) NOT NULL,
	"mutation_id" integer NOT NULL,
	"member_id" uuid,
	"name" varchar(64) NOT NULL,
	"args" jsonb NOT NULL,
	"code" varchar(64) NOT NULL,
	"reason" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "mutation_rejections_client_id_mutation_id_key" UNIQUE("client_id","mutation_id")
);
--> statement-breakpoint
ALTER TABLE "change_log" DROP CONSTRAINT "change_log_table_name_check";--> statement-breakpoint
ALTER TABLE "field_clocks" ADD CONSTRAINT "field_clocks_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "field_conflicts" ADD CONSTRAINT "field_conflicts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_notes" ADD CONSTRAINT "lead_notes_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutation_clients" ADD CONSTRAINT "mutation_clients_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutation_clients" ADD CONSTRAINT "mutation_clients_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutation_rejections" ADD CONSTRAINT "mutation_rejections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "mutation_rejections" ADD CONSTRAINT "mutation_rejections_member_id_members_id_fk" FOREIGN KEY ("member_id") REFERENCES "public"."members"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_field_clocks_user_id" ON "field_clocks" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_field_conflicts_sync_key" ON "field_conflicts" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_field_conflicts_row" ON "field_conflicts" USING btree ("table_name","row_id");--> statement-breakpoint
CREATE INDEX "idx_lead_notes_sync_key" ON "lead_notes" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "idx_lead_notes_lead_id" ON "lead_notes" USING btree ("lead_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_mutation_clients_user_id" ON "mutation_clients" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_mutation_rejections_sync_key" ON "mutation_rejections" USING btree ("user_id","id");--> statement-breakpoint
ALTER TABLE "change_log" ADD CONSTRAINT "change_log_table_name_check" CHECK ("table_name" IN ('leads', 'call_logs', 'sms_logs', 'financials', 'campaigns', 'keywords', 'workflows', 'ai_agent_logs', 'lead_notes', 'mutation_rejections', 'field_conflicts'));