-- What drizzle-kit cannot express: the seed's updated_at function and its seven triggers, the
-- tenant-consistency triggers, the time-zone check, and the three analytics views.

-- ============================================ updated_at (as the seed writes it)
CREATE OR REPLACE FUNCTION update_updated_at_column()
RETURNS TRIGGER AS $$
BEGIN
  NEW.updated_at = NOW();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER update_users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_leads_updated_at BEFORE UPDATE ON leads
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_campaigns_updated_at BEFORE UPDATE ON campaigns
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_keywords_updated_at BEFORE UPDATE ON keywords
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_financials_updated_at BEFORE UPDATE ON financials
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_subscriptions_updated_at BEFORE UPDATE ON subscriptions
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_workflows_updated_at BEFORE UPDATE ON workflows
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint

-- ============================================ tenant consistency
-- A row that points at a parent row (a keyword at its campaign, a call or text at its lead, a reply
-- at the text it answers) must belong to the same business. The child's user_id is filled from the
-- parent when omitted, and a mismatch is refused as a check violation naming the column.
-- SECURITY DEFINER: the parent lookup must see the parent even when row-level security hides it,
-- or a cross-tenant reference would slip through unchecked.
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
  END CASE;
  IF parent_id IS NULL THEN
    RETURN NEW;
  END IF;
  IF parent_user IS NULL THEN
    -- No such parent. Say so here: with user_id omitted, NOT NULL would otherwise fire first and
    -- blame the wrong column.
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
CREATE TRIGGER keywords_campaign_tenant BEFORE INSERT OR UPDATE OF campaign_id, user_id ON keywords
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('campaigns', 'campaign_id');
--> statement-breakpoint
CREATE TRIGGER call_logs_lead_tenant BEFORE INSERT OR UPDATE OF lead_id, user_id ON call_logs
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('leads', 'lead_id');
--> statement-breakpoint
CREATE TRIGGER sms_logs_lead_tenant BEFORE INSERT OR UPDATE OF lead_id, user_id ON sms_logs
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('leads', 'lead_id');
--> statement-breakpoint
CREATE TRIGGER sms_logs_reply_tenant BEFORE INSERT OR UPDATE OF reply_to_sms_id, user_id ON sms_logs
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('sms_logs', 'reply_to_sms_id');
--> statement-breakpoint
-- A row never moves to another business: its tenant key is fixed at insert. That keeps the
-- parent/child checks above sound from both sides (a lead cannot leave its calls behind in another
-- business) and lets every replica treat user_id as immutable.
CREATE OR REPLACE FUNCTION prevent_tenant_change()
RETURNS TRIGGER AS $$
BEGIN
  RAISE EXCEPTION '%.user_id cannot change: a row never moves to another business', TG_TABLE_NAME
    USING ERRCODE = 'check_violation',
          TABLE = TG_TABLE_NAME,
          COLUMN = 'user_id',
          CONSTRAINT = TG_TABLE_NAME || '_user_id_check';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER leads_tenant_fixed BEFORE UPDATE OF user_id ON leads
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER call_logs_tenant_fixed BEFORE UPDATE OF user_id ON call_logs
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER sms_logs_tenant_fixed BEFORE UPDATE OF user_id ON sms_logs
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER campaigns_tenant_fixed BEFORE UPDATE OF user_id ON campaigns
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER keywords_tenant_fixed BEFORE UPDATE OF user_id ON keywords
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER financials_tenant_fixed BEFORE UPDATE OF user_id ON financials
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER ai_agent_logs_tenant_fixed BEFORE UPDATE OF user_id ON ai_agent_logs
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER subscriptions_tenant_fixed BEFORE UPDATE OF user_id ON subscriptions
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER workflows_tenant_fixed BEFORE UPDATE OF user_id ON workflows
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint

-- ============================================ time zones
-- The dashboard computes "this month" in the business's own zone; an unknown zone name would make
-- every query over that business fail, so it is refused at the door.
-- Only named IANA zones: AT TIME ZONE also takes POSIX strings ('UTC+5' is five hours *behind*)
-- and silently reads a typo like 'America/Chicag0' as UTC.
CREATE OR REPLACE FUNCTION is_valid_timezone(tz text)
RETURNS boolean AS $$
  SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = tz AND name LIKE '%/%')
      OR tz = 'UTC';
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
ALTER TABLE users ADD CONSTRAINT users_timezone_check CHECK (is_valid_timezone(timezone));
--> statement-breakpoint

-- ============================================ views
-- security_invoker: a view reads with the querying role's rights, so row-level security on the
-- tables applies through it.

-- The seed's version joins financials and campaigns (and every active subscription) in one
-- GROUP BY, so each financial row is repeated once per active campaign and the sums multiply.
-- Each part is aggregated on its own here. "This month" is the business's month in its own zone.
CREATE VIEW user_dashboard WITH (security_invoker = true) AS
SELECT
  u.id AS user_id,
  u.business_name,
  u.status,
  s.plan_name,
  s.amount AS monthly_fee,
  s.status AS subscription_status,
  f.monthly_ad_spend,
  f.monthly_leads,
  f.monthly_bookings,
  f.monthly_revenue,
  f.avg_cpl,
  f.avg_conversion_rate,
  f.avg_roi,
  c.active_campaigns,
  -- Ratios of the month's sums: what the month actually cost per lead, converted and returned.
  CASE WHEN f.monthly_leads > 0 THEN round(f.monthly_ad_spend / f.monthly_leads, 2) END AS monthly_cpl,
  CASE WHEN f.monthly_leads > 0
    THEN round(f.monthly_bookings::DECIMAL / f.monthly_leads * 100, 2) END AS monthly_conversion_rate,
  CASE WHEN f.monthly_ad_spend > 0
    THEN round((f.monthly_revenue - f.monthly_ad_spend) / f.monthly_ad_spend * 100, 2) END AS monthly_roi
FROM users u
LEFT JOIN LATERAL (
  SELECT sub.plan_name, sub.amount, sub.status
  FROM subscriptions sub
  WHERE sub.user_id = u.id AND sub.status = 'active'
  ORDER BY sub.current_period_end DESC, sub.created_at DESC, sub.id
  LIMIT 1
) s ON true
LEFT JOIN LATERAL (
  SELECT
    SUM(fin.ad_spend) AS monthly_ad_spend,
    SUM(fin.leads_generated) AS monthly_leads,
    SUM(fin.leads_booked) AS monthly_bookings,
    SUM(fin.revenue) AS monthly_revenue,
    AVG(fin.cpl) AS avg_cpl,
    AVG(fin.conversion_rate) AS avg_conversion_rate,
    AVG(fin.roi) AS avg_roi
  FROM financials fin
  WHERE fin.user_id = u.id
    AND fin.date >= date_trunc('month', now() AT TIME ZONE u.timezone)::date
    AND fin.date < (date_trunc('month', now() AT TIME ZONE u.timezone) + INTERVAL '1 month')::date
) f ON true
LEFT JOIN LATERAL (
  SELECT COUNT(*) AS active_campaigns
  FROM campaigns camp
  WHERE camp.user_id = u.id AND camp.status = 'active'
) c ON true;
--> statement-breakpoint

-- As the seed's, with the 30-day window measured from now() rather than from CURRENT_DATE in
-- whatever zone the session happens to have.
CREATE VIEW lead_pipeline WITH (security_invoker = true) AS
SELECT
  user_id,
  status,
  COUNT(*) AS count,
  SUM(quoted_amount) AS total_quoted,
  SUM(actual_amount) AS total_actual,
  AVG(EXTRACT(EPOCH FROM (completed_at - created_at)) / 86400) AS avg_days_to_close
FROM leads
WHERE created_at >= now() - INTERVAL '30 days'
GROUP BY user_id, status;
--> statement-breakpoint

-- As the seed's, plus the campaign's own id so a row can be linked back to it.
CREATE VIEW campaign_performance WITH (security_invoker = true) AS
SELECT
  c.id,
  c.user_id,
  c.campaign_name,
  c.daily_budget,
  c.total_spend,
  c.total_clicks,
  c.total_conversions,
  CASE WHEN c.total_conversions > 0
    THEN c.total_spend / c.total_conversions
    ELSE 0 END AS cpl,
  CASE WHEN c.total_clicks > 0
    THEN (c.total_conversions::DECIMAL / c.total_clicks) * 100
    ELSE 0 END AS conversion_rate
FROM campaigns c
WHERE c.status = 'active';
