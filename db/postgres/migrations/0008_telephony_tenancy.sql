-- Telephony (beyond the seed; db/postgres/schema/telephony.ts): what drizzle cannot express for
-- tracking numbers, Twilio's call records and the suppression list — updated_at, tenant checks,
-- a fixed tenant key, row-level security. None of these tables is synced or captured.

-- ============================================ tenant checks
-- 0004's parent/child check, extended to the telephony references: Twilio's record of a call
-- belongs to its call log's business, a suppression's source text to the suppressing business.
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
CREATE TRIGGER tracking_numbers_campaign_tenant BEFORE INSERT OR UPDATE OF campaign_id, user_id ON tracking_numbers
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('campaigns', 'campaign_id');
--> statement-breakpoint
CREATE TRIGGER provider_calls_call_log_tenant BEFORE INSERT OR UPDATE OF call_log_id, user_id ON provider_calls
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('call_logs', 'call_log_id');
--> statement-breakpoint
CREATE TRIGGER sms_suppressions_source_tenant BEFORE INSERT OR UPDATE OF source_sms_id, user_id ON sms_suppressions
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('sms_logs', 'source_sms_id');
--> statement-breakpoint
-- ============================================ updated_at, fixed tenant
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['tracking_numbers', 'provider_calls', 'sms_suppressions'] LOOP
    EXECUTE format('CREATE TRIGGER update_%1$s_updated_at BEFORE UPDATE ON %1$I
                      FOR EACH ROW EXECUTE FUNCTION update_updated_at_column()', t);
    EXECUTE format('CREATE TRIGGER %1$s_tenant_fixed BEFORE UPDATE OF user_id ON %1$I
                      FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
                      EXECUTE FUNCTION prevent_tenant_change()', t);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- ============================================ row-level security
-- A tenant request may read and manage its numbers and its suppression list; Twilio's call records
-- are written by the webhooks (the server's own role) and only read by a tenant.
DO $$
DECLARE
  t text;
BEGIN
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON tracking_numbers, sms_suppressions TO fieldline_tenant';
  EXECUTE 'GRANT SELECT ON provider_calls TO fieldline_tenant';
  FOREACH t IN ARRAY ARRAY['tracking_numbers', 'provider_calls', 'sms_suppressions'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO fieldline_tenant
                      USING (user_id = app_tenant_id()) WITH CHECK (user_id = app_tenant_id())', t);
  END LOOP;
END;
$$;
