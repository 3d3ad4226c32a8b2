-- ============================================ a cheaper users.timezone check
-- 0002's is_valid_timezone looked the name up in pg_timezone_names, which reads the whole time-zone
-- database on every call: 40-60 ms for every INSERT or UPDATE of a users row, every sign-in's
-- last_login_at stamp included (the CHECK runs on any write of the row). The same rule, by asking
-- the time-zone code to load just that zone: a name in Area/Location form (no POSIX rule string
-- can match the pattern: those need a comma before any '/') that PostgreSQL can load, or 'UTC'.
-- Unlike the catalog lookup it accepts a name in another letter case, which PostgreSQL and the
-- JavaScript Intl API both resolve to the same zone.
CREATE OR REPLACE FUNCTION is_valid_timezone(tz text)
RETURNS boolean AS $$
BEGIN
  IF tz = 'UTC' THEN
    RETURN true;
  END IF;
  IF tz IS NULL OR tz !~ '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)+$' THEN
    RETURN false;
  END IF;
  PERFORM now() AT TIME ZONE tz;
  RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN false;
END;
$$ LANGUAGE plpgsql STABLE;
