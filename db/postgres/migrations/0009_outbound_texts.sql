CREATE TABLE "outbound_texts" (
	"sms_log_id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"idempotency_key" varchar(200) NOT NULL,
	"purpose" varchar(20) NOT NULL,
	"workflow_id" uuid,
	"state" varchar(12) DEFAULT 'pending' NOT NULL,
	"send_at" timestamp with time zone NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_texts_purpose_check" CHECK ("purpose" IN ('missed_call', 'desktop')),
	CONSTRAINT "outbound_texts_state_check" CHECK ("state" IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
	CONSTRAINT "outbound_texts_attempts_check" CHECK ("attempts" >= 0)
);
--> statement-breakpoint
ALTER TABLE "outbound_texts" ADD CONSTRAINT "outbound_texts_sms_log_id_sms_logs_id_fk" FOREIGN KEY ("sms_log_id") REFERENCES "public"."sms_logs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_texts" ADD CONSTRAINT "outbound_texts_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_texts" ADD CONSTRAINT "outbound_texts_workflow_id_workflows_id_fk" FOREIGN KEY ("workflow_id") REFERENCES "public"."workflows"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_texts_idempotency_key_key" ON "outbound_texts" USING btree ("idempotency_key");--> statement-breakpoint
CREATE INDEX "idx_outbound_texts_user_id" ON "outbound_texts" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "idx_outbound_texts_pending" ON "outbound_texts" USING btree ("send_at") WHERE state = 'pending';