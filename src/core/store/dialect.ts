/**
 * Where SQLite and PostgreSQL differ, all in one place. The store's SQL is written once, in SQLite's
 * words (the default store, which runs it as it is); a PostgreSQL store runs each text through
 * `toPostgres` once, when it is first prepared. Where both databases take the same words, the shared
 * SQL uses those; what remains is listed here:
 *
 * - parameters: `?` becomes `$1`, `$2`… in order;
 * - `INSERT OR IGNORE` becomes `INSERT … ON CONFLICT DO NOTHING`;
 * - `json_each(?)` (a JSON array as a table) becomes `jsonb_array_elements_text(?)`, whose column is also `value`;
 *   `x IN (SELECT value FROM json_each(?))` becomes `x = ANY (ARRAY(…))` and `NOT IN` `<> ALL (…)`, the same test
 *   that an index answers: PostgreSQL guesses 100 rows for any set-returning function and, for that many, plans the
 *   IN as a join that reads the whole table (every agent a project ever ran, every task) for the two ids a turn asks
 *   about;
 * - `json_extract(x, '$.key')` becomes `x::jsonb ->> 'key'`;
 * - `json_set(x, '$.key', v)` becomes `jsonb_set(x::jsonb, '{key}', …)::text`, where v is text, or JSON given as `json(v)`;
 * - `json_remove(x, '$.a', '$.b'…)` becomes `(x::jsonb - 'a' - 'b')::text`;
 * - `strftime('%Y-%m-%dT%H:%M:%fZ', x)` (a time as UTC ISO text, NULL when unreadable) becomes `wg_iso_time(x)`;
 * - `CAST(x AS INTEGER)` (SQLite reads the leading digits, else 0) becomes `wg_integer(x)`;
 * - scalar `max(a, b)` / `min(a, b)` become `GREATEST` / `LEAST`; `instr` becomes `strpos`; `ifnull` becomes `coalesce`;
 * - `LIKE` is case-blind for ASCII in SQLite: `ILIKE`;
 * - `LIMIT ?` with -1 means no limit in SQLite: `LIMIT NULLIF(?, -1)`;
 * - SQLite sorts NULL first ascending and last descending, PostgreSQL the other way: every `ORDER BY`
 *   term and index column says SQLite's order (`NULLS FIRST` / `NULLS LAST`);
 * - `INDEXED BY` and a unary `+` before a column (planner hints) are dropped;
 * - a table's implicit `rowid` (the order rows were written in) is the column `wg_rowid`, which a
 *   query's rows never carry;
 * - `user` is a reserved word: `"user"`;
 * - in a table's columns: INTEGER is BIGINT (an `INTEGER PRIMARY KEY` numbers itself: an identity),
 *   REAL is DOUBLE PRECISION, TEXT compares byte by byte as SQLite's does (`COLLATE "C"`);
 *   `WITHOUT ROWID` is dropped; `DROP TABLE` cascades to the foreign keys of other tables, which the
 *   migration puts back (postgres/pg-migrate.ts), as SQLite keeps them by name;
 * - SQLite answers a comparison with 0 or 1 and PostgreSQL with a boolean: its rows carry 0 and 1
 *   (postgres/pg-worker.ts reads booleans so), and the shared SQL never uses an integer as a condition.
 *
 * What has no form here (a trigger, a pragma, `INSERT OR REPLACE`, named parameters, SQLite's other JSON functions such
 * as `json_patch`) is refused when
 * prepared, so a new SQLite-only construct fails the store's tests on PostgreSQL instead of a person's command.
 */

/** A store's own tables, by name (its catalog is where the two differ most). */
export const TABLE_NAMES = {
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  postgres:
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
} as const;

/**
 * Times judged by the store's own clock, as UTC ISO text: a lease written by one machine and read by another is
 * then the same lease whatever their clocks say. `later` is the time `?` ms from now; `msUntil(x)` the ms from now
 * until the ISO time x (negative once past). On PostgreSQL "now" is the server's (its transaction's start); an
 * SQLite project has one machine, whose clock is the store's.
 */
export const STORE_TIME = {
  sqlite: {
    later: "strftime('%Y-%m-%dT%H:%M:%fZ', 'now', (? / 1000.0) || ' seconds')",
    msUntil: (iso: string) => `CAST(round((julianday(${iso}) - julianday('now')) * 86400000) AS INTEGER)`,
  },
  postgres: {
    later: `to_char(now() AT TIME ZONE 'UTC' + CAST(? AS bigint) * interval '1 millisecond', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`,
    msUntil: (iso: string) => `CAST(round(extract(epoch FROM CAST(wg_iso_time(${iso}) AS timestamptz) - now()) * 1000) AS bigint)`,
  },
} as const;

/** The column that stands for SQLite's implicit rowid in a PostgreSQL table. */
export const ROWID_COLUMN = 'wg_rowid';

/** Functions every PostgreSQL schema of a project has, for the translations above (made before the migrations). */
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

export class DialectError extends Error {}

type Kind = 'word' | 'string' | 'ident' | 'number' | 'param' | 'op' | 'space';
interface Token {
  kind: Kind;
  text: string;
}
interface Group {
  kind: 'group';
  items: Node[];
}
type Node = Token | Group;

const space = (text = ' '): Token => ({ kind: 'space', text });
const word = (text: string): Token => ({ kind: 'word', text });
const op = (text: string): Token => ({ kind: 'op', text });

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const take = (kind: Kind, end: number) => {
    tokens.push({ kind, text: sql.slice(i, end) });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i] as string;
    const rest = sql.slice(i);
    if (/\s/.test(c)) take('space', i + (/^\s+/.exec(rest) as RegExpExecArray)[0].length);
    else if (rest.startsWith('--')) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      tokens.push(space('\n'));
    } else if (rest.startsWith('/*')) {
      const end = sql.indexOf('*/', i + 2);
      if (end === -1) throw new DialectError('an unterminated comment');
      i = end + 2;
      tokens.push(space());
    } else if (c === "'" || c === '"') {
      let end = i + 1;
      for (;;) {
        end = sql.indexOf(c, end);
        if (end === -1) throw new DialectError('an unterminated quote');
        if (sql[end + 1] === c) end += 2;
        else break;
      }
      take(c === "'" ? 'string' : 'ident', end + 1);
    } else if (/[0-9]/.test(c)) take('number', i + (/^[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(rest) as RegExpExecArray)[0].length);
    else if (/[A-Za-z_]/.test(c)) take('word', i + (/^[A-Za-z_][A-Za-z0-9_]*/.exec(rest) as RegExpExecArray)[0].length);
    else if (c === '?') {
      if (/^\?[0-9]/.test(rest)) throw new DialectError('numbered parameters (?NNN)');
      take('param', i + 1);
    } else if (c === '@' || c === ':' || c === '$') throw new DialectError(`named parameters (${c}name); use ?`);
    else {
      const two =
        rest.slice(0, 3) === '->>' ? '->>' : ['||', '<>', '<=', '>=', '!=', '==', '->', '<<', '>>'].find((o) => rest.startsWith(o));
      take('op', i + (two ?? c).length);
    }
  }
  return tokens;
}

/** Tokens into nested parenthesised groups. */
function nest(tokens: Token[]): Node[] {
  const stack: Node[][] = [[]];
  for (const token of tokens) {
    const top = stack[stack.length - 1] as Node[];
    if (token.kind === 'op' && token.text === '(') stack.push([]);
    else if (token.kind === 'op' && token.text === ')') {
      const items = stack.pop() as Node[];
      if (stack.length === 0) throw new DialectError('an unbalanced parenthesis');
      (stack[stack.length - 1] as Node[]).push({ kind: 'group', items });
    } else top.push(token);
  }
  if (stack.length !== 1) throw new DialectError('an unbalanced parenthesis');
  return stack[0] as Node[];
}

const isWord = (node: Node | undefined, ...words: string[]): node is Token =>
  node !== undefined && node.kind === 'word' && words.includes(node.text.toUpperCase());
const isOp = (node: Node | undefined, text: string): node is Token => node !== undefined && node.kind === 'op' && node.text === text;

/** The index of the next node that is not space, from `from` on. */
function nextAt(items: Node[], from: number): number {
  let i = from;
  while (i < items.length && (items[i] as Node).kind === 'space') i++;
  return i;
}

/** The items split at top-level commas (each part keeps its spaces). */
function splitAt(items: Node[], separator: string): Node[][] {
  const parts: Node[][] = [[]];
  for (const item of items) {
    if (isOp(item, separator)) parts.push([]);
    else (parts[parts.length - 1] as Node[]).push(item);
  }
  return parts;
}

function joinWith(parts: Node[][], separator: string): Node[] {
  return parts.flatMap((part, index) => (index === 0 ? part : [op(separator), ...part]));
}

const trimmed = (items: Node[]): Node[] => {
  let start = 0;
  let end = items.length;
  while (start < end && (items[start] as Node).kind === 'space') start++;
  while (end > start && (items[end - 1] as Node).kind === 'space') end--;
  return items.slice(start, end);
};

/** `'$.key'` to `key`: the only JSON paths the store uses. */
function jsonKey(path: Node[]): string {
  const [only] = trimmed(path);
  const match = only?.kind === 'string' ? /^'\$\.([A-Za-z_][A-Za-z0-9_]*)'$/.exec(only.text) : null;
  if (!match) throw new DialectError('a JSON path other than $.key');
  return match[1] as string;
}

const call = (name: string, args: Node[][]): Node[] => [word(name), { kind: 'group', items: joinWith(args, ',') }];
const asJsonb = (value: Node[]): Node[] => [word('CAST'), { kind: 'group', items: [...value, space(), word('AS jsonb')] }];
const asText = (value: Node[]): Node[] => [word('CAST'), { kind: 'group', items: [...value, space(), word('AS text')] }];

/** A function call of SQLite's, in PostgreSQL's words (null: the same in both). */
function translateCall(name: string, args: Node[][]): Node[] | null {
  switch (name.toLowerCase()) {
    case 'json_each':
      if (args.length !== 1) throw new DialectError('json_each with a path');
      return call('jsonb_array_elements_text', [
        [word('CAST'), { kind: 'group', items: [...(args[0] as Node[]), space(), word('AS jsonb')] }],
      ]);
    case 'json_extract':
      if (args.length !== 2) throw new DialectError('json_extract of several paths');
      return [
        {
          kind: 'group',
          items: [
            word('CAST'),
            { kind: 'group', items: [...(args[0] as Node[]), space(), word('AS jsonb')] },
            space(),
            op('->>'),
            space(),
            { kind: 'string', text: `'${jsonKey(args[1] as Node[])}'` },
          ],
        },
      ];
    case 'json_set': {
      if (args.length !== 3) throw new DialectError('json_set of several paths');
      const value = trimmed(args[2] as Node[]);
      const [head, group] = value;
      // json(v): v is JSON text, set as JSON; anything else is set as a JSON string, as SQLite sets text.
      const setTo =
        value.length === 2 && isWord(head, 'JSON') && group?.kind === 'group'
          ? [word('CAST'), { kind: 'group' as const, items: [...group.items, space(), word('AS jsonb')] }]
          : call('to_jsonb', [[word('CAST'), { kind: 'group', items: [...value, space(), word('AS text')] }]]);
      return asText(
        call('jsonb_set', [asJsonb(args[0] as Node[]), [{ kind: 'string', text: `'{${jsonKey(args[1] as Node[])}}'` }], setTo]),
      );
    }
    case 'json_remove': {
      if (args.length < 2) throw new DialectError('json_remove without a path');
      const removed = args.slice(1).flatMap((path) => [space(), op('-'), space(), { kind: 'string' as const, text: `'${jsonKey(path)}'` }]);
      return asText([{ kind: 'group', items: [...asJsonb(args[0] as Node[]), ...removed] }]);
    }
    case 'strftime': {
      const format = trimmed(args[0] ?? [])[0];
      if (args.length !== 2 || format?.kind !== 'string' || format.text !== "'%Y-%m-%dT%H:%M:%fZ'") {
        throw new DialectError('strftime other than an ISO time');
      }
      return call('wg_iso_time', [args[1] as Node[]]);
    }
    case 'max':
      return args.length > 1 ? call('GREATEST', args) : null;
    case 'min':
      return args.length > 1 ? call('LEAST', args) : null;
    case 'instr':
      return call('strpos', args);
    case 'ifnull':
      return call('coalesce', args);
    case 'cast': {
      const parts = trimmed(args.length === 1 ? (args[0] as Node[]) : []);
      const as = parts.findLastIndex((node) => isWord(node, 'AS'));
      const type = trimmed(parts.slice(as + 1));
      if (as < 0 || type.length !== 1) return null;
      if (isWord(type[0], 'INTEGER'))
        return call('wg_integer', [[word('CAST'), { kind: 'group', items: [...parts.slice(0, as), space(), word('AS text')] }]]);
      if (isWord(type[0], 'REAL'))
        return [word('CAST'), { kind: 'group', items: [...parts.slice(0, as), space(), word('AS double precision')] }];
      return null;
    }
    // SQLite's other JSON functions: PostgreSQL has none of these names (json_patch failed a team's `wg func apply`).
    case 'json_patch':
    case 'json_insert':
    case 'json_replace':
    case 'json_group_array':
    case 'json_group_object':
    case 'json_array_length':
    case 'json_type':
    case 'json_valid':
    case 'json_quote':
      throw new DialectError(`${name.toLowerCase()}, a JSON function of SQLite's only; read the JSON and change it in code`);
    default:
      return null;
  }
}

/** The array `?` of `IN (SELECT value FROM json_each(?))` (what the group holds, untranslated); null for any other list. */
function jsonArrayList(group: Group): Node[] | null {
  const nodes = group.items.filter((node) => node.kind !== 'space');
  const [select, value, from, each, args] = nodes;
  if (nodes.length !== 5 || !isWord(select, 'SELECT') || !isWord(value, 'VALUE') || !isWord(from, 'FROM')) return null;
  if (!isWord(each, 'JSON_EACH') || args?.kind !== 'group' || splitAt(args.items, ',').length !== 1) return null;
  return args.items;
}

/** `= ANY (ARRAY(SELECT jsonb_array_elements_text(CAST(array AS jsonb))))`, or `<> ALL (…)` for `NOT IN`. */
function inJsonArray(array: Node[], negated: boolean): Node[] {
  const elements = call('jsonb_array_elements_text', [asJsonb(translateList(array))]);
  const arrayOf: Node[] = [word('ARRAY'), { kind: 'group', items: [word('SELECT'), space(), ...elements] }];
  return [op(negated ? '<>' : '='), space(), word(negated ? 'ALL' : 'ANY'), space(), { kind: 'group', items: arrayOf }];
}

/** SQLite's order of NULLs, said: first when ascending, last when descending. */
function nullsAsSqlite(term: Node[]): Node[] {
  const nodes = trimmed(term);
  if (nodes.length === 0 || nodes.some((node) => isWord(node, 'NULLS'))) return term;
  const last = nodes[nodes.length - 1] as Node;
  const at = term.lastIndexOf(last) + 1;
  return [...term.slice(0, at), space(), word(isWord(last, 'DESC') ? 'NULLS LAST' : 'NULLS FIRST'), ...term.slice(at)];
}

/** Whether an operator here stands before its only operand (nothing that ends an operand precedes it). */
function unaryPosition(out: Node[]): boolean {
  const before = out.findLast((node) => node.kind !== 'space');
  if (before === undefined || before.kind === 'op') return true;
  return (
    before.kind === 'word' &&
    ['AND', 'OR', 'NOT', 'WHERE', 'ON', 'WHEN', 'THEN', 'ELSE', 'SELECT', 'BY'].includes(before.text.toUpperCase())
  );
}

const ORDER_ENDS = ['LIMIT', 'OFFSET', 'UNION', 'EXCEPT', 'INTERSECT'];
const UNSUPPORTED = ['PRAGMA', 'GLOB', 'TRIGGER', 'REPLACE', 'VACUUM', 'ATTACH'];

/** One list of nodes (a statement, or what one pair of parentheses holds), translated. */
function translateList(items: Node[]): Node[] {
  const out: Node[] = [];
  for (let i = 0; i < items.length; i++) {
    const node = items[i] as Node;
    if (node.kind === 'group') {
      out.push({ kind: 'group', items: translateList(node.items) });
      continue;
    }
    if (node.kind !== 'word') {
      // SQLite's unary + (a column kept out of an index's reach) has no meaning for text in PostgreSQL.
      if (node.kind === 'op' && node.text === '+' && unaryPosition(out)) continue;
      out.push(node.kind === 'op' && node.text === '==' ? op('=') : node);
      continue;
    }
    const upper = node.text.toUpperCase();
    const after = nextAt(items, i + 1);
    const following = items[after];
    const array = upper === 'IN' && following?.kind === 'group' ? jsonArrayList(following) : null;
    if (array) {
      const before = out.findLastIndex((item) => item.kind !== 'space');
      const negated = isWord(out[before], 'NOT');
      if (negated) out.splice(before);
      out.push(...inJsonArray(array, negated));
      i = after;
      continue;
    }
    if (following?.kind === 'group' && !['IN', 'VALUES', 'EXISTS', 'AS', 'ON', 'AND', 'OR', 'NOT', 'USING'].includes(upper)) {
      const args = splitAt(translateList(following.items), ',');
      const translated = translateCall(node.text, args);
      if (translated) {
        out.push(...translated);
        i = after;
        continue;
      }
    }
    if (UNSUPPORTED.includes(upper) && !(upper === 'REPLACE' && following?.kind === 'group')) {
      throw new DialectError(`${upper} has no PostgreSQL form here`);
    }
    if (upper === 'INDEXED' && isWord(following, 'BY')) {
      i = nextAt(items, after + 1);
      continue;
    }
    if (upper === 'ROWID') out.push(word(ROWID_COLUMN));
    else if (upper === 'USER') out.push({ kind: 'ident', text: '"user"' });
    else if (upper === 'LIKE') out.push(word('ILIKE'));
    else if (upper === 'LIMIT' && items[after]?.kind === 'param') {
      out.push(node, space(), word('NULLIF'), {
        kind: 'group',
        items: [word('CAST'), { kind: 'group', items: [items[after] as Node, space(), word('AS bigint')] }, op(','), word(' -1')],
      });
      i = after;
    } else if (upper === 'ORDER' && isWord(following, 'BY')) {
      out.push(node, space(), following);
      let end = after + 1;
      while (end < items.length && !isWord(items[end], ...ORDER_ENDS) && !isOp(items[end], ';')) end++;
      const terms = splitAt(translateList(items.slice(after + 1, end)), ',');
      out.push(...joinWith(terms.map(nullsAsSqlite), ','));
      i = end - 1;
    } else out.push(node);
  }
  return out;
}

/** A column's SQLite type in PostgreSQL's words (`rest` is what follows the type in its definition). */
function columnType(type: Token, rest: Node[], rowidTable: boolean): { nodes: Node[]; identity: boolean } {
  const upper = type.text.toUpperCase();
  const next = rest[nextAt(rest, 0)];
  if (upper === 'INTEGER' && rowidTable && isWord(next, 'PRIMARY')) {
    return { nodes: [word('BIGINT GENERATED BY DEFAULT AS IDENTITY')], identity: true };
  }
  if (upper === 'INTEGER') return { nodes: [word('BIGINT')], identity: false };
  if (upper === 'REAL') return { nodes: [word('DOUBLE PRECISION')], identity: false };
  if (upper === 'TEXT') return { nodes: [word('TEXT'), space(), { kind: 'ident', text: 'COLLATE "C"' }], identity: false };
  return { nodes: [type], identity: false };
}

/** A column definition (`name TYPE …`), its type translated; null for a table constraint. */
function columnDefinition(part: Node[], rowidTable: boolean): { nodes: Node[]; identity: boolean } | null {
  const start = nextAt(part, 0);
  const name = part[start];
  if (!name || isWord(name, 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN')) return null;
  const typeAt = nextAt(part, start + 1);
  const type = part[typeAt];
  if (type?.kind !== 'word') return { nodes: translateList(part), identity: false };
  const rest = part.slice(typeAt + 1);
  const mapped = columnType(type, rest, rowidTable);
  return { nodes: [...translateList(part.slice(0, typeAt)), ...mapped.nodes, ...translateList(rest)], identity: mapped.identity };
}

function createTable(items: Node[]): Node[] {
  const groupAt = items.findIndex((node) => node.kind === 'group');
  const group = items[groupAt] as Group;
  const tail = items.slice(groupAt + 1);
  const rowidTable = !tail.some((node) => isWord(node, 'ROWID'));
  let identity = false;
  const columns = splitAt(group.items, ',').map((part) => {
    const column = columnDefinition(part, rowidTable);
    if (!column) return translateList(part);
    identity ||= column.identity;
    return column.nodes;
  });
  if (rowidTable && !identity) columns.push([space(), word(`${ROWID_COLUMN} BIGINT GENERATED BY DEFAULT AS IDENTITY`)]);
  return [...translateList(items.slice(0, groupAt)), { kind: 'group', items: joinWith(columns, ',') }];
}

function createIndex(items: Node[]): Node[] {
  const on = items.findIndex((node) => isWord(node, 'ON'));
  const groupAt = items.findIndex((node, index) => index > on && node.kind === 'group');
  const group = items[groupAt] as Group;
  const columns = splitAt(translateList(group.items), ',').map(nullsAsSqlite);
  return [
    ...translateList(items.slice(0, groupAt)),
    { kind: 'group', items: joinWith(columns, ',') },
    ...translateList(items.slice(groupAt + 1)),
  ];
}

function alterTable(items: Node[]): Node[] {
  const column = items.findIndex((node) => isWord(node, 'COLUMN'));
  if (!isWord(items[nextAt(items, 0)], 'ALTER') || column < 0) return translateList(items);
  const definition = columnDefinition(items.slice(column + 1), false);
  return [...translateList(items.slice(0, column + 1)), ...(definition ? definition.nodes : [])];
}

/** One statement (no top-level `;`). */
function translateStatement(items: Node[]): Node[] {
  const words = items.filter((node) => node.kind !== 'space').slice(0, 3);
  const head = words.map((node) => (node.kind === 'word' ? node.text.toUpperCase() : '')).join(' ');
  if (head.startsWith('CREATE TABLE')) return createTable(items);
  if (/^CREATE (UNIQUE )?INDEX/.test(head)) return createIndex(items);
  if (head.startsWith('ALTER TABLE')) return alterTable(items);
  if (head.startsWith('DROP TABLE')) return [...translateList(items), space(), word('CASCADE')];
  if (head.startsWith('INSERT OR')) {
    const orAt = items.findIndex((node) => isWord(node, 'OR'));
    const what = items[nextAt(items, orAt + 1)];
    if (!isWord(what, 'IGNORE')) throw new DialectError(`INSERT OR ${(what as Token | undefined)?.text ?? ''} has no PostgreSQL form here`);
    const rest = translateList(items.slice(nextAt(items, orAt + 1) + 1));
    const returning = rest.findIndex((node) => isWord(node, 'RETURNING'));
    const conflict = [space(), word('ON CONFLICT DO NOTHING'), space()];
    const body = returning < 0 ? [...rest, ...conflict] : [...rest.slice(0, returning), ...conflict, ...rest.slice(returning)];
    return [word('INSERT'), ...body];
  }
  return translateList(items);
}

function serialize(nodes: Node[], counter: { n: number }): string {
  let text = '';
  for (const node of nodes) {
    if (node.kind === 'group') text += `(${serialize(node.items, counter)})`;
    else if (node.kind === 'param') text += `$${++counter.n}`;
    else text += node.text;
  }
  return text;
}

/** SQLite's SQL (one or more statements) in PostgreSQL's words; throws DialectError for what has no form here. */
export function toPostgres(sql: string): string {
  const statements = splitAt(nest(tokenize(sql)), ';');
  const counter = { n: 0 };
  return statements
    .map((statement) =>
      trimmed(statement).length === 0 ? serialize(statement, counter) : serialize(translateStatement(statement), counter),
    )
    .join(';');
}
