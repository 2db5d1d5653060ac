import { type Expression, type RawBuilder, sql } from 'kysely';
import type { StoreKind } from '../sql-connection';

/**
 * What SQLite and PostgreSQL spell differently inside a query, one function each, in each one's own words. A JSON key
 * is a word of the code, never input: written into the text, where SQLite matches an index's expression (`tasks_due`)
 * only to the same words. The query
 * builder (kysely) writes the rest of a statement for either: its parameters, quoting, `ON CONFLICT`, `NULLS FIRST`.
 * Stored JSON is text in both (SQLite has no JSON type), so PostgreSQL casts it to jsonb where it looks inside.
 */
export interface SqlFunctions {
  /** A key of a JSON object kept as text, as text (NULL where the key or the object is missing). */
  jsonText(json: Expression<string | null>, key: string): RawBuilder<string | null>;
  /** The JSON text with `key` set to `value` as a JSON string. */
  jsonSetText(json: Expression<string | null>, key: string, value: Expression<unknown> | string | null): RawBuilder<string>;
  /** The JSON text with `key` set to the JSON `value` (text holding JSON: an object, an array, a number). */
  jsonSetJson(json: Expression<string | null>, key: string, value: Expression<unknown> | string): RawBuilder<string>;
  /** The JSON text without `keys`. */
  jsonRemove(json: Expression<string | null>, ...keys: string[]): RawBuilder<string>;
  /** The elements of a JSON array of text kept as text, as a table of one column, `value`. */
  jsonElements(array: string): RawBuilder<{ value: string }>;
  /**
   * `column` is one of `values`: one parameter however many there are (a turn asks about two ids, an export about ten
   * thousand), in the form each database's index answers.
   */
  inList(column: Expression<unknown>, values: readonly (string | number)[]): RawBuilder<boolean>;
  notInList(column: Expression<unknown>, values: readonly (string | number)[]): RawBuilder<boolean>;
  /** A time as UTC ISO text with milliseconds (NULL where it is not a time). */
  isoTime(value: Expression<string | null>): RawBuilder<string | null>;
  /** Text read as an integer as SQLite reads it: its leading digits, else 0. */
  integer(value: Expression<unknown>): RawBuilder<number>;
  greatest<T>(...values: Expression<T>[]): RawBuilder<T>;
  least<T>(...values: Expression<T>[]): RawBuilder<T>;
  /** Where `needle` starts in `haystack`, from 1; 0 where it does not occur. */
  position(haystack: Expression<string | null>, needle: Expression<string> | string): RawBuilder<number>;
  /** `value` matches the LIKE pattern, ASCII letters matching either case (SQLite's LIKE). */
  like(value: Expression<string | null>, pattern: Expression<string> | string): RawBuilder<boolean>;
  /** The order rows of a table were written in (SQLite's rowid, PostgreSQL's `wg_rowid`). */
  readonly rowid: RawBuilder<number>;
  /**
   * The table read through the named index, in a FROM: SQLite's planner picks a worse one for some of the readiness
   * queries (their partial indexes' conditions are long); PostgreSQL's plans by statistics and has no such clause.
   */
  indexed(table: string, index: string): RawBuilder<unknown>;
  /**
   * `condition` not looked up through an index of its first column (SQLite's unary `+`): where a narrower one (a key
   * range) reads fewer rows than the planner's pick. PostgreSQL plans by statistics: the condition as it is.
   */
  notByIndex(condition: RawBuilder<boolean>): RawBuilder<boolean>;
  /** The store's clock (see store-time.ts): `ms` milliseconds from now, as UTC ISO text. */
  later(ms: Expression<number> | number): RawBuilder<string>;
  /** The store's clock: milliseconds from now until the ISO time `iso` (negative once past). */
  msUntil(iso: Expression<string | null>): RawBuilder<number | null>;
}

const asExpression = (value: Expression<unknown> | string | number | null) =>
  typeof value === 'object' && value !== null ? value : sql.val(value);

const sqlite: SqlFunctions = {
  jsonText: (json, key) => sql<string | null>`json_extract(${json}, ${sql.lit(`$.${key}`)})`,
  jsonSetText: (json, key, value) => sql<string>`json_set(${json}, ${sql.lit(`$.${key}`)}, ${asExpression(value)})`,
  jsonSetJson: (json, key, value) => sql<string>`json_set(${json}, ${sql.lit(`$.${key}`)}, json(${asExpression(value)}))`,
  jsonRemove: (json, ...keys) => sql<string>`json_remove(${json}, ${sql.join(keys.map((key) => sql.lit(`$.${key}`)))})`,
  jsonElements: (array) => sql<{ value: string }>`json_each(${array})`,
  inList: (column, values) => sql<boolean>`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
  notInList: (column, values) => sql<boolean>`${column} NOT IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
  isoTime: (value) => sql<string | null>`strftime('%Y-%m-%dT%H:%M:%fZ', ${value})`,
  integer: (value) => sql<number>`CAST(${value} AS INTEGER)`,
  greatest: (...values) => sql`max(${sql.join(values)})`,
  least: (...values) => sql`min(${sql.join(values)})`,
  position: (haystack, needle) => sql<number>`instr(${haystack}, ${asExpression(needle)})`,
  like: (value, pattern) => sql<boolean>`${value} LIKE ${asExpression(pattern)}`,
  rowid: sql<number>`rowid`,
  indexed: (table, index) => sql`${sql.table(table)} INDEXED BY ${sql.id(index)}`,
  notByIndex: (condition) => sql<boolean>`+${condition}`,
  later: (ms) => sql<string>`strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (${asExpression(ms)} / 1000.0) || ' seconds')`,
  msUntil: (iso) => sql<number | null>`CAST(round((julianday(${iso}) - julianday('now')) * 86400000) AS INTEGER)`,
};

/**
 * PostgreSQL's. `wg_iso_time` and `wg_integer` are the schema's own functions (postgres/pg-schema.ts): SQLite's
 * forgiving readings of a time and a number, which PostgreSQL's casts refuse with an error. A list is one array
 * parameter compared with `= ANY`, which an index answers (PostgreSQL guesses 100 rows for a set-returning function
 * and plans an IN over one as a join reading the whole table).
 */
const postgres: SqlFunctions = {
  jsonText: (json, key) => sql<string | null>`(CAST(${json} AS jsonb) ->> ${sql.lit(key)})`,
  jsonSetText: (json, key, value) =>
    sql<string>`CAST(jsonb_set(CAST(${json} AS jsonb), ${sql.lit(`{${key}}`)}, to_jsonb(CAST(${asExpression(value)} AS text))) AS text)`,
  jsonSetJson: (json, key, value) =>
    sql<string>`CAST(jsonb_set(CAST(${json} AS jsonb), ${sql.lit(`{${key}}`)}, CAST(${asExpression(value)} AS jsonb)) AS text)`,
  jsonRemove: (json, ...keys) => sql<string>`CAST(CAST(${json} AS jsonb) - ${sql.val(keys)}::text[] AS text)`,
  jsonElements: (array) => sql<{ value: string }>`jsonb_array_elements_text(CAST(${array} AS jsonb))`,
  inList: (column, values) => sql<boolean>`${column} = ANY (${sql.val(values.map(String))}::text[])`,
  notInList: (column, values) => sql<boolean>`${column} <> ALL (${sql.val(values.map(String))}::text[])`,
  isoTime: (value) => sql<string | null>`wg_iso_time(${value})`,
  integer: (value) => sql<number>`wg_integer(CAST(${value} AS text))`,
  greatest: (...values) => sql`GREATEST(${sql.join(values)})`,
  least: (...values) => sql`LEAST(${sql.join(values)})`,
  position: (haystack, needle) => sql<number>`strpos(${haystack}, ${asExpression(needle)})`,
  like: (value, pattern) => sql<boolean>`${value} ILIKE ${asExpression(pattern)}`,
  rowid: sql<number>`wg_rowid`,
  indexed: (table) => sql`${sql.table(table)}`,
  notByIndex: (condition) => condition,
  later: (ms) =>
    sql<string>`to_char(now() AT TIME ZONE 'UTC' + CAST(${asExpression(ms)} AS bigint) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
  msUntil: (iso) => sql<number | null>`CAST(round(extract(epoch FROM CAST(wg_iso_time(${iso}) AS timestamptz) - now()) * 1000) AS bigint)`,
};

export const SQL_FUNCTIONS: Readonly<Record<StoreKind, SqlFunctions>> = { sqlite, postgres };
