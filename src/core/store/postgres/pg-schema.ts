/** The column that stands for SQLite's implicit rowid in a PostgreSQL table. */
export const ROWID_COLUMN = 'wg_rowid';

/** Functions every PostgreSQL schema of a project has (made before the migrations): query/functions.ts uses them. */
export const POSTGRES_FUNCTIONS = `
CREATE OR REPLACE FUNCTION wg_iso_time(value text) RETURNS text LANGUAGE plpgsql IMMUTABLE SET timezone = 'UTC' AS $fn$
BEGIN
  RETURN to_char(CAST(value AS timestamptz) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"');
EXCEPTION WHEN others THEN
  RETURN NULL;
END
$fn$;
CREATE OR REPLACE FUNCTION wg_integer(value text) RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$
  SELECT coalesce(CAST(substring(ltrim(value) FROM '^[+-]?[0-9]{1,18}') AS bigint), 0)
$fn$;
`;
