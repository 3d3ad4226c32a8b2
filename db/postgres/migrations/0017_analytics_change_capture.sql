-- ============================================ analytics change capture
-- The server's cached analytics (sync-server/analytics/) tell a stale answer from a fresh one by
-- the change log: an answer is stored with the log position it was computed at. The dashboard
-- also shows the business's own row (name, status) and its subscription, which no desktop
-- replicates; numbering their changes in the same log makes every path that writes them (accounts,
-- billing webhooks, psql) invalidate what depends on them, with no call site to remember it.

-- Subscriptions: the synced tables' statement-level capture (migration 0011's capture_changes).
CREATE TRIGGER subscriptions_capture_insert AFTER INSERT ON subscriptions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION capture_changes();
--> statement-breakpoint
CREATE TRIGGER subscriptions_capture_update AFTER UPDATE ON subscriptions
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION capture_changes();
--> statement-breakpoint
CREATE TRIGGER subscriptions_capture_delete AFTER DELETE ON subscriptions
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION capture_changes();
--> statement-breakpoint
CREATE TRIGGER subscriptions_capture_truncate AFTER TRUNCATE ON subscriptions
  FOR EACH STATEMENT EXECUTE FUNCTION capture_truncate();
--> statement-breakpoint

-- The business's own row, whose id is the business. One row per statement in practice (an
-- account's update), so a row trigger; it numbers the change exactly as capture_changes does.
CREATE OR REPLACE FUNCTION capture_business_change()
RETURNS TRIGGER AS $$
DECLARE
  head_seq bigint;
BEGIN
  INSERT INTO sync_heads AS h (user_id, seq) VALUES (NEW.id, 1)
    ON CONFLICT (user_id) DO UPDATE SET seq = h.seq + 1
    RETURNING h.seq INTO head_seq;
  INSERT INTO change_log (user_id, seq, table_name, op, row_id)
    VALUES (NEW.id, head_seq, 'users', 'U', NEW.id);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
-- Every sign-in stamps last_login_at on the business row: that is not a change of anything an
-- answer shows, and logging it would make every login invalidate the business's cached numbers.
CREATE TRIGGER users_capture_update AFTER UPDATE ON users FOR EACH ROW
  WHEN ((to_jsonb(OLD) - 'last_login_at' - 'updated_at')
        IS DISTINCT FROM (to_jsonb(NEW) - 'last_login_at' - 'updated_at'))
  EXECUTE FUNCTION capture_business_change();
--> statement-breakpoint

-- Platform operators (migration 0016): no tenant request reads them (nothing is granted to
-- fieldline_tenant), and row-level security without a policy keeps it so if a grant ever slips.
CREATE TRIGGER update_platform_operators_updated_at BEFORE UPDATE ON platform_operators
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
ALTER TABLE platform_operators ENABLE ROW LEVEL SECURITY;
