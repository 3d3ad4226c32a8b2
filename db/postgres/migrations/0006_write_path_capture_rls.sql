-- The write path (beyond the seed; db/README.md): what drizzle cannot express for the tables of
-- db/postgres/schema/mutations.ts — tenant checks, change capture, field clocks, row-level security.

-- ============================================ tenant checks
CREATE TRIGGER update_lead_notes_updated_at BEFORE UPDATE ON lead_notes
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
CREATE TRIGGER update_mutation_clients_updated_at BEFORE UPDATE ON mutation_clients
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
--> statement-breakpoint
-- A note belongs to its lead's business (the user_id is filled from the lead when omitted), and
-- its author to the same business.
CREATE TRIGGER lead_notes_lead_tenant BEFORE INSERT OR UPDATE OF lead_id, user_id ON lead_notes
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('leads', 'lead_id');
--> statement-breakpoint
CREATE TRIGGER lead_notes_member_tenant BEFORE INSERT OR UPDATE OF member_id, user_id ON lead_notes
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('members', 'member_id');
--> statement-breakpoint
-- The member a desktop outbox or a rejection names is one of the business's own.
CREATE TRIGGER mutation_clients_member_tenant BEFORE INSERT OR UPDATE OF member_id, user_id ON mutation_clients
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('members', 'member_id');
--> statement-breakpoint
CREATE TRIGGER mutation_rejections_member_tenant BEFORE INSERT OR UPDATE OF member_id, user_id ON mutation_rejections
  FOR EACH ROW EXECUTE FUNCTION enforce_parent_tenant('members', 'member_id');
--> statement-breakpoint
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['lead_notes', 'mutation_clients', 'mutation_rejections',
                           'field_conflicts', 'field_clocks'] LOOP
    EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OF user_id ON %I FOR EACH ROW
                      WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id)
                      EXECUTE FUNCTION prevent_tenant_change()', t || '_tenant_fixed', t);
  END LOOP;
END;
$$;
--> statement-breakpoint

-- ============================================ change capture (0004) for the new synced tables
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['lead_notes', 'mutation_rejections', 'field_conflicts'] LOOP
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

-- ============================================ cheaper change capture
-- 0004's capture_changes, with a fast path for the usual statement: rows of one business. Every
-- desktop mutation is such a statement, and the general path (unnest, group, join) cost about as
-- much again as the write it logged. Same numbering: per business, in key order within a statement.
CREATE OR REPLACE FUNCTION capture_changes()
RETURNS TRIGGER AS $$
DECLARE
  tenant_ids uuid[];
  row_ids uuid[];
  only_tenant uuid;
  changed_count int;
  head_seq bigint;
BEGIN
  IF TG_OP = 'DELETE' THEN
    SELECT min(user_id::text)::uuid, count(*)
      INTO only_tenant, changed_count FROM old_rows HAVING count(DISTINCT user_id) = 1;
  ELSE
    SELECT min(user_id::text)::uuid, count(*)
      INTO only_tenant, changed_count FROM new_rows HAVING count(DISTINCT user_id) = 1;
  END IF;
  IF only_tenant IS NOT NULL THEN
    INSERT INTO sync_heads AS h (user_id, seq) VALUES (only_tenant, changed_count)
      ON CONFLICT (user_id) DO UPDATE SET seq = h.seq + excluded.seq
      RETURNING h.seq INTO head_seq;
    IF TG_OP = 'DELETE' THEN
      INSERT INTO change_log (user_id, seq, table_name, op, row_id)
        SELECT only_tenant, head_seq - changed_count + row_number() OVER (ORDER BY id), TG_TABLE_NAME, 'D', id
          FROM old_rows;
    ELSE
      INSERT INTO change_log (user_id, seq, table_name, op, row_id)
        SELECT only_tenant, head_seq - changed_count + row_number() OVER (ORDER BY id), TG_TABLE_NAME,
               left(TG_OP, 1), id
          FROM new_rows;
    END IF;
    PERFORM pg_notify('fieldline_changes', only_tenant::text || ':' || TG_TABLE_NAME);
    RETURN NULL;
  END IF;

  -- Several businesses in one statement (a bulk job, a cascade): 0004's general path.
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

-- ============================================ field clocks for every writer
-- A desktop's edit is ordered against the field's last edit by clock (sync-server/mutations). The
-- mutation path stamps the fields it sets itself, with the edit's clock and author; every other
-- writer (a webhook, an agent, a psql session) is stamped here with the server's clock at the
-- time, so a desktop edit made before it, arriving later, does not undo it.
CREATE OR REPLACE FUNCTION stamp_field_clocks()
RETURNS TRIGGER AS $$
DECLARE
  server_hlc text;
BEGIN
  IF current_setting('fieldline.applying_mutations', true) = 'on' THEN
    RETURN NULL;
  END IF;
  server_hlc := lpad(floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint::text, 15, '0')
                || '-000000-server';
  INSERT INTO field_clocks AS c (user_id, table_name, row_id, field, hlc, edited_by)
  SELECT NEW.user_id, TG_TABLE_NAME, NEW.id, n.key, server_hlc, 'server'
    FROM jsonb_each(to_jsonb(NEW)) AS n JOIN jsonb_each(to_jsonb(OLD)) AS o USING (key)
   WHERE n.value IS DISTINCT FROM o.value
     AND n.key NOT IN ('id', 'user_id', 'created_at', 'updated_at')
  -- A clock never moves back (a desktop's clock may run up to five minutes ahead of ours), and the
  -- author goes with the clock. Clocks compare byte by byte, as db/hlc.ts compares them.
  ON CONFLICT (table_name, row_id, field) DO UPDATE
    SET hlc = excluded.hlc, edited_by = excluded.edited_by, client_id = NULL, mutation_id = NULL
    WHERE excluded.hlc COLLATE "C" > c.hlc COLLATE "C";
  RETURN NULL;
END;
$$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp;
--> statement-breakpoint
CREATE TRIGGER leads_stamp_field_clocks AFTER UPDATE ON leads
  FOR EACH ROW EXECUTE FUNCTION stamp_field_clocks();
--> statement-breakpoint

-- ============================================ row-level security (0004's policy, same rules)
DO $$
DECLARE
  t text;
BEGIN
  -- Synced tables, like 0004's: a member may also dismiss a rejection or a conflict they have seen.
  EXECUTE 'GRANT SELECT, INSERT, UPDATE, DELETE ON lead_notes, mutation_rejections, field_conflicts
             TO fieldline_tenant';
  -- The write path's bookkeeping: written by the push, never deleted by a tenant request.
  EXECUTE 'GRANT SELECT, INSERT, UPDATE ON mutation_clients, field_clocks TO fieldline_tenant';
  FOREACH t IN ARRAY ARRAY['lead_notes', 'mutation_clients', 'mutation_rejections',
                           'field_conflicts', 'field_clocks'] LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('CREATE POLICY tenant_isolation ON %I TO fieldline_tenant
                      USING (user_id = app_tenant_id()) WITH CHECK (user_id = app_tenant_id())', t);
  END LOOP;
END;
$$;
