-- ============================================ a cheaper users.timezone check
-- 0002's is_valid_timezone looked the name up in pg_timezone_names, which reads the whole time-zone
-- database on every call: 40-60 ms for every INSERT or UPDATE of a users row, every sign-in's
-- last_login_at stamp included (the CHECK runs on any write of the row). The same zones, by asking
-- the time-zone code to load just the one named: 'UTC'; the Etc/GMT offset zones, spelt out
-- (their digits would otherwise let a POSIX rule such as 'Etc/GMT+15' through); or an
-- Area/Location name of letters, '_' and '-' that PostgreSQL can load. Such a name cannot be read
-- as a POSIX rule (one needs an offset: a digit or a sign after the name), so it loads only from
-- the time-zone database. Unlike the catalog lookup it accepts another letter case
-- ('america/chicago'), which PostgreSQL and JavaScript's Intl both resolve to the same zone, and
-- not the catalog's 'posix/…' copies.
CREATE OR REPLACE FUNCTION is_valid_timezone(tz text)
RETURNS boolean AS $$
BEGIN
  IF tz = 'UTC' OR tz ~ '^Etc/GMT(0|[+-]0|\+([1-9]|1[0-2])|-([1-9]|1[0-4]))$' THEN
    RETURN true;
  END IF;
  IF tz IS NULL OR tz !~ '^[A-Za-z_]+(/[A-Za-z_-]+)+$' OR tz ~* '^posix/' THEN
    RETURN false;
  END IF;
  PERFORM now() AT TIME ZONE tz;
  RETURN true;
EXCEPTION WHEN invalid_parameter_value THEN
  RETURN false;
END;
$$ LANGUAGE plpgsql STABLE;
