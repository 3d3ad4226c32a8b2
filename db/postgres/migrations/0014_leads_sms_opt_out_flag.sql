-- ============================================ a lead shows that its phone opted out of texts
-- The suppression list (sms_suppressions) is what sending obeys; leads.sms_opted_out_at is its
-- reflection on each of the business's leads with that phone, so a desktop (which syncs leads, not
-- the list) can show it and refuse to queue a text. Kept here, whichever path changes the list or
-- the lead: a STOP webhook, Twilio's 21610, an owner's edit, psql.

-- The list changed: flag (with when the opt-out took effect) or unflag the leads with that phone.
CREATE OR REPLACE FUNCTION reflect_sms_suppression()
RETURNS TRIGGER AS $$
BEGIN
  IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND OLD.phone IS DISTINCT FROM NEW.phone) THEN
    UPDATE leads SET sms_opted_out_at = NULL
     WHERE user_id = OLD.user_id AND customer_phone = OLD.phone AND sms_opted_out_at IS NOT NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN NULL;
  END IF;
  IF NEW.lifted_at IS NULL THEN
    UPDATE leads SET sms_opted_out_at = NEW.updated_at
     WHERE user_id = NEW.user_id AND customer_phone = NEW.phone AND sms_opted_out_at IS NULL;
  ELSE
    UPDATE leads SET sms_opted_out_at = NULL
     WHERE user_id = NEW.user_id AND customer_phone = NEW.phone AND sms_opted_out_at IS NOT NULL;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER sms_suppressions_reflect_on_leads AFTER INSERT OR UPDATE OR DELETE ON sms_suppressions
  FOR EACH ROW EXECUTE FUNCTION reflect_sms_suppression();
--> statement-breakpoint

-- A new lead, or a lead whose phone changed, takes the flag from the list (whatever was written).
CREATE OR REPLACE FUNCTION flag_lead_opted_out()
RETURNS TRIGGER AS $$
BEGIN
  SELECT s.updated_at INTO NEW.sms_opted_out_at
    FROM sms_suppressions s
   WHERE s.user_id = NEW.user_id AND s.phone = NEW.customer_phone AND s.lifted_at IS NULL;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER leads_flag_opted_out BEFORE INSERT OR UPDATE OF customer_phone ON leads
  FOR EACH ROW EXECUTE FUNCTION flag_lead_opted_out();
--> statement-breakpoint

-- The numbers that opted out before this migration.
UPDATE leads l SET sms_opted_out_at = s.updated_at
  FROM sms_suppressions s
 WHERE s.user_id = l.user_id AND s.phone = l.customer_phone AND s.lifted_at IS NULL;
