-- Texts the server sends (beyond the seed; db/postgres/schema/telephony.ts): what drizzle cannot
-- express for outbound_texts — tenant checks, updated_at, a fixed tenant key, row-level security.
-- Not synced or captured: the text itself is its sms_logs row, which is.

-- 0008's parent/child check, extended: an outbound text is its sms_logs row's business's, and the
-- workflow that sent it is the same business's.
CREATE OR REPLACE FUNCTION enforce_parent_tenant()
RETURNS TRIGGER AS $$
DECLARE
  fk_column text := TG_ARGV[1];
  parent_id uuid;
  parent_user uuid;
BEGIN
  -- Static lookups, one branch per reference: plpgsql caches their plans, where a dynamic EXECUTE
  -- would be planned again for every inserted row (it halved bulk-load speed).
  CASE fk_column
    WHEN 'campaign_id' THEN
      parent_id := NEW.campaign_id;
      SELECT user_id INTO parent_user FROM campaigns WHERE id = parent_id;
    WHEN 'lead_id' THEN
      parent_id := NEW.lead_id;
      SELECT user_id INTO parent_user FROM leads WHERE id = parent_id;
    WHEN 'reply_to_sms_id' THEN
      parent_id := NEW.reply_to_sms_id;
      SELECT user_id INTO parent_user FROM sms_logs WHERE id = parent_id;
    WHEN 'member_id' THEN
      parent_id := NEW.member_id;
      SELECT user_id INTO parent_user FROM members WHERE id = parent_id;
    WHEN 'invited_by' THEN
      parent_id := NEW.invited_by;
      SELECT user_id INTO parent_user FROM members WHERE id = parent_id;
    WHEN 'call_log_id' THEN
      parent_id := NEW.call_log_id;
      SELECT user_id INTO parent_user FROM call_logs WHERE id = parent_id;
    WHEN 'source_sms_id' THEN
      parent_id := NEW.source_sms_id;
      SELECT user_id INTO parent_user FROM sms_logs WHERE id = parent_id;
    WHEN 'sms_log_id' THEN
      parent_id := NEW.sms_log_id;
      SELECT user_id INTO parent_user FROM sms_logs WHERE id = parent_id;
    WHEN 'workflow_id' THEN
      parent_id := NEW.workflow_id;
      SELECT user_id INTO parent_user FROM workflows WHERE id = parent_id;
  END CASE;
  IF parent_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF parent_user IS NULL THEN
    RAISE EXCEPTION '%.% points at no % row (%)', TG_TABLE_NAME, fk_column, TG_ARGV[0], parent_id
      USING ERRCODE = 'foreign_key_violation',
            TABLE = TG_TABLE_NAME,
            COLUMN = fk_column;
  END IF;
  IF NEW.user_id IS NULL THEN
    NEW.user_id := parent_user;
  ELSIF NEW.user_id <> parent_user THEN
    RAISE EXCEPTION '%.% points at a row of another business', TG_TABLE_NAME, fk_column
      USING ERRCODE = 'check_violation',
            TABLE = TG_TABLE_NAME,
            COLUMN = fk_column,
            CONSTRAINT = TG_TABLE_NAME || '_' || fk_column || '_check';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
CREATE TRIGGER outbound_texts_sms_log_tenant BEFORE INSERT OR UPDATE OF sms_log_id, user_id ON outbound_texts
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('sms_logs', 'sms_log_id');
--> statement-breakpoint
CREATE TRIGGER outbound_texts_workflow_tenant BEFORE INSERT OR UPDATE OF workflow_id, user_id ON outbound_texts
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('workflows', 'workflow_id');
--> statement-breakpoint
CREATE TRIGGER update_outbound_texts_updated_at BEFORE UPDATE ON outbound_texts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER outbound_texts_tenant_fixed BEFORE UPDATE OF user_id ON outbound_texts
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
-- Written by the server's sender only; a tenant request may read where its texts stand.
GRANT SELECT ON outbound_texts TO fieldline_tenant;
--> statement-breakpoint
ALTER TABLE outbound_texts ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON outbound_texts TO fieldline_tenant
  USING (user_id = app_tenant_id()) WITH CHECK (user_id = app_tenant_id());
