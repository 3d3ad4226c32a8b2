-- The read path's change capture and the second layer of tenant isolation (row-level security).
-- Beyond the seed; db/README.md says why each part exists.

-- ============================================ members
CREATE TRIGGER update_members_updated_at BEFORE UPDATE ON members
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER members_tenant_fixed BEFORE UPDATE OF user_id ON members
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER auth_sessions_tenant_fixed BEFORE UPDATE OF user_id ON auth_sessions
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
CREATE TRIGGER member_invitations_tenant_fixed BEFORE UPDATE OF user_id ON member_invitations
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
-- 0002's parent/child tenant check, extended to the accounts tables: a session belongs to its
-- member's business, and an invitation names an inviter of the same business.
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
CREATE TRIGGER auth_sessions_member_tenant BEFORE INSERT OR UPDATE OF member_id, user_id ON auth_sessions
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('members', 'member_id');
--> statement-breakpoint
CREATE TRIGGER member_invitations_inviter_tenant BEFORE INSERT OR UPDATE OF invited_by, user_id ON member_invitations
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('members', 'invited_by');
--> statement-breakpoint
-- Every business that exists before members did is logged into by its owner, with the business's
-- own email and password.
INSERT INTO members (user_id, email, password_hash, name, role)
  SELECT id, email, password_hash, owner_name, 'owner' FROM users
  ON CONFLICT (email) DO NOTHING;
--> statement-breakpoint

-- ============================================ change capture
-- Every business has a head from the start, so a TRUNCATE (which bumps the heads' epochs) reaches
-- businesses whose rows predate this migration too.
INSERT INTO sync_heads (user_id) SELECT id FROM users ON CONFLICT (user_id) DO NOTHING;
--> statement-breakpoint
-- A synced row keeps its key for life: replicas address rows by id, and the change log records ids.
CREATE OR REPLACE FUNCTION prevent_key_change()
RETURNS TRIGGER AS $$
BEGIN
  RAISE EXCEPTION '%.id cannot change: replicas address a row by its id', TG_TABLE_NAME
    USING ERRCODE = 'check_violation',
          TABLE = TG_TABLE_NAME,
          COLUMN = 'id',
          CONSTRAINT = TG_TABLE_NAME || '_id_check';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Numbers each changed row per business and records it in change_log, once per statement.
-- The upsert on sync_heads row-locks the business's counter until commit, so a second writer of the
-- same business waits: numbers are handed out in commit order and a reader that sees number n has
-- already seen every number below it. One NOTIFY per business and table wakes waiting readers on
-- every server instance when the transaction commits (NOTIFY is delivered only then).
-- SECURITY DEFINER: the tenant role may not write the log itself.
CREATE OR REPLACE FUNCTION capture_changes()
RETURNS TRIGGER AS $$
DECLARE
  tenant_ids uuid[];
  row_ids uuid[];
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT array_agg(user_id ORDER BY user_id, id), array_agg(id ORDER BY user_id, id)
      INTO tenant_ids, row_ids FROM old_rows;
  ELSE
    SELECT array_agg(user_id ORDER BY user_id, id), array_agg(id ORDER BY user_id, id)
      INTO tenant_ids, row_ids FROM new_rows;
  END IF;
  IF tenant_ids IS NULL THEN
    RETURN NULL;
  END IF;

  WITH changed AS (
    SELECT c.user_id, c.row_id, c.ord
      FROM unnest(tenant_ids, row_ids) WITH ORDINALITY AS c(user_id, row_id, ord)
  ), per_tenant AS (
    SELECT user_id, count(*) AS n, min(ord) AS first_ord FROM changed GROUP BY user_id
  ), heads AS (
    INSERT INTO sync_heads AS h (user_id, seq)
      SELECT user_id, n FROM per_tenant ORDER BY user_id
      ON CONFLICT (user_id) DO UPDATE SET seq = h.seq + excluded.seq
      RETURNING h.user_id, h.seq
  )
  INSERT INTO change_log (user_id, seq, table_name, op, row_id)
    SELECT c.user_id, h.seq - t.n + (c.ord - t.first_ord) + 1, TG_TABLE_NAME, left(TG_OP, 1), c.row_id
      FROM changed c JOIN per_tenant t USING (user_id) JOIN heads h USING (user_id);

  PERFORM pg_notify('fieldline_changes', user_id::text || ':' || TG_TABLE_NAME)
    FROM (SELECT DISTINCT user_id FROM unnest(tenant_ids) AS u(user_id)) AS tenants;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- TRUNCATE names no rows, so nothing can be logged row by row: every business's epoch moves on and
-- every desktop re-snapshots (409 must-refetch), which is exact, if not cheap.
CREATE OR REPLACE FUNCTION capture_truncate()
RETURNS TRIGGER AS $$
BEGIN
  UPDATE sync_heads SET epoch = epoch + 1;
  PERFORM pg_notify('fieldline_changes', user_id::text || ':' || TG_TABLE_NAME) FROM sync_heads;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['leads', 'call_logs', 'sms_logs', 'financials', 'campaigns',
                           'keywords', 'workflows', 'ai_agent_logs'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF id ON %I FOR EACH ROW
                      WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION prevent_key_change()',
                   t || '_key_fixed', t);
    EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS new_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION capture_changes()', t || '_capture_insert', t);
    EXECUTE format('CREATE TRIGGER %I AFTER UPDATE ON %I REFERENCING NEW TABLE AS new_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION capture_changes()', t || '_capture_update', t);
    EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS old_rows
                      FOR EACH STATEMENT EXECUTE FUNCTION capture_changes()', t || '_capture_delete', t);
    EXECUTE format('CREATE TRIGGER %I AFTER TRUNCATE ON %I
                      FOR EACH STATEMENT EXECUTE FUNCTION capture_truncate()', t || '_capture_truncate', t);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Retention: drops log entries older than the cut-off and records, in the same statement, how far
-- each business's log now starts. A desktop further behind than that must re-snapshot. The cut
-- goes through the highest old number, so it can take a few younger entries with it (logged_at is
-- when a transaction began, not when it committed): the log stays a contiguous suffix.
CREATE OR REPLACE FUNCTION prune_change_log(retention interval)
RETURNS bigint AS $$
  WITH cut AS (
    SELECT l.user_id, max(l.seq) AS through FROM change_log l
     WHERE l.logged_at < now() - retention
       AND EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id)
     GROUP BY l.user_id
  ), removed AS (
    DELETE FROM change_log l USING cut WHERE l.user_id = cut.user_id AND l.seq <= cut.through
    RETURNING 1
  ), moved AS (
    UPDATE sync_heads h SET pruned_through = greatest(h.pruned_through, cut.through)
      FROM cut WHERE h.user_id = cut.user_id
    RETURNING 1
  ), orphans AS (
    -- A deleted business's desktops can no longer sign in: its log and head go too.
    DELETE FROM change_log l WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = l.user_id)
    RETURNING 1
  ), orphan_heads AS (
    DELETE FROM sync_heads h WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = h.user_id)
    RETURNING 1
  )
  SELECT (SELECT count(*) FROM removed) + (SELECT count(*) FROM orphans);
$$ LANGUAGE sql;
--> statement-breakpoint

-- ============================================ row-level security
-- The server runs every tenant request as this role, with the business id set per transaction
-- (fieldline.tenant_id). A query without that setting sees no rows. The migrating role owns the
-- tables and bypasses these policies: it is the one the server uses for login and webhooks.
DO $$
BEGIN
  CREATE ROLE fieldline_tenant NOLOGIN;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are per cluster: another database of this cluster already made it
END;
$$;
--> statement-breakpoint
-- The server's role must be able to SET ROLE to it. A superuser already can; anyone else is made
-- a member, and a failure to do so fails the migration rather than every tenant request later.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'fieldline_tenant', 'MEMBER') THEN
    EXECUTE format('GRANT fieldline_tenant TO %I', current_user);
  END IF;
END;
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION app_tenant_id()
RETURNS uuid AS $$
  SELECT nullif(current_setting('fieldline.tenant_id', true), '')::uuid;
$$ LANGUAGE sql STABLE;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO fieldline_tenant;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION app_tenant_id() TO fieldline_tenant;
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  -- The business's own working data: read and written by its members.
  FOREACH t IN ARRAY ARRAY['leads', 'call_logs', 'sms_logs', 'financials', 'campaigns',
                           'keywords', 'workflows', 'ai_agent_logs'] LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO fieldline_tenant', t);
  END LOOP;
  -- Read-only to a tenant request; written by the server's own paths (billing, accounts, capture).
  FOREACH t IN ARRAY ARRAY['subscriptions', 'auth_sessions', 'change_log', 'sync_heads'] LOOP
    EXECUTE format('GRANT SELECT ON %I TO fieldline_tenant', t);
  END LOOP;
  FOREACH t IN ARRAY ARRAY['leads', 'call_logs', 'sms_logs', 'financials', 'campaigns',
                           'keywords', 'workflows', 'ai_agent_logs', 'subscriptions', 'members',
                           'member_invitations', 'auth_sessions', 'change_log', 'sync_heads'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO fieldline_tenant
                      USING (user_id = app_tenant_id()) WITH CHECK (user_id = app_tenant_id())', t);
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Column by column where a table holds secrets: a tenant request never reads a password hash, an
-- invitation's token hash or a sealed integration token, even its own business's.
GRANT SELECT (id, email, business_name, owner_name, primary_phone, business_address, city, state,
              zip_code, country, timezone, service_types, service_area, years_in_business,
              license_number, ghl_location_id, ghl_token_expires_at, google_ads_customer_id,
              stripe_customer_id, status, onboarding_completed, onboarding_step, created_at,
              updated_at, last_login_at)
  ON users TO fieldline_tenant;
--> statement-breakpoint
GRANT SELECT (id, user_id, email, name, role, status, created_at, updated_at, last_login_at)
  ON members TO fieldline_tenant;
--> statement-breakpoint
GRANT SELECT (id, user_id, email, role, invited_by, expires_at, accepted_at, revoked_at, created_at)
  ON member_invitations TO fieldline_tenant;
--> statement-breakpoint
ALTER TABLE users ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON users TO fieldline_tenant USING (id = app_tenant_id());
--> statement-breakpoint
-- The views are security_invoker: a tenant reading them sees its own rows through the policies above.
GRANT SELECT ON user_dashboard, lead_pipeline, campaign_performance TO fieldline_tenant;
--> statement-breakpoint
-- Neither auth_refresh_tokens, auth_rate_limits nor schema_migrations is granted: a tenant request
-- never reads them.
ALTER TABLE auth_refresh_tokens ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE auth_rate_limits ENABLE ROW LEVEL SECURITY;
