-- The read path's change capture and the second layer of tenant isolation (row-level security).
-- Beyond the seed; db/README.md says why each part exists.

-- ============================================ members
CREATE TRIGGER update_members_updated_at BEFORE UPDATE ON members
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER members_tenant_fixed BEFORE UPDATE OF user_id ON members
  FOR EACH ROW WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id) EXECUTE FUNCTION prevent_tenant_change();
--> statement-breakpoint
-- Every business that exists before members did is logged into by its owner, with the business's
-- own email and password.
INSERT INTO members (user_id, email, password_hash, name, role)
  SELECT id, email, password_hash, owner_name, 'owner' FROM users
  ON CONFLICT (email) DO NOTHING;
--> statement-breakpoint

-- ============================================ change capture
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
  END LOOP;
END;
$$;
--> statement-breakpoint
-- Retention: drops log entries older than the cut-off and records, in the same statement, how far
-- each business's log now starts. A desktop further behind than that must re-snapshot.
CREATE OR REPLACE FUNCTION prune_change_log(retention interval)
RETURNS bigint AS $$
  WITH cut AS (
    SELECT user_id, max(seq) AS through FROM change_log
     WHERE committed_at < now() - retention GROUP BY user_id
  ), removed AS (
    DELETE FROM change_log l USING cut WHERE l.user_id = cut.user_id AND l.seq <= cut.through
    RETURNING 1
  ), moved AS (
    UPDATE sync_heads h SET pruned_through = greatest(h.pruned_through, cut.through)
      FROM cut WHERE h.user_id = cut.user_id
    RETURNING 1
  )
  SELECT count(*) FROM removed;
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
DO $$
BEGIN
  EXECUTE format('GRANT fieldline_tenant TO %I', current_user);
EXCEPTION WHEN others THEN
  NULL; -- already a member, or a superuser (who may SET ROLE to any role)
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
  FOREACH t IN ARRAY ARRAY['subscriptions', 'members', 'member_invitations', 'auth_sessions',
                           'change_log', 'sync_heads'] LOOP
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
GRANT SELECT ON users TO fieldline_tenant;
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
