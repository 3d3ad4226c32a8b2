CREATE INDEX "idx_leads_user_status" ON "leads" USING btree ("user_id","status");--> statement-breakpoint
CREATE INDEX "idx_leads_user_created_at" ON "leads" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_ai_agent_logs_user_recent" ON "ai_agent_logs" USING btree ("user_id","created_at" DESC NULLS FIRST,"id");