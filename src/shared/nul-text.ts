/**
 * A NUL character (U+0000) in text a person gives. PostgreSQL cannot store one in text (nor read `\u0000` in JSON as
 * jsonb), SQLite can: it is refused at input on every store alike, so a project holds the same text on either and a copy
 * between them never meets one. Nothing wg takes needs it; it comes from a binary file or a stray `\0`.
 */
export const NUL_HELD = 'holds a NUL character (a zero byte), which wg does not store in any text; remove it';

const NUL = '\u0000';

/** A key as a person reads it: its NUL (when that is what is wrong with it) shown as \0. */
const shownKey = (key: string) => key.replaceAll(NUL, '\\0');

/** A text of many lines (a file read into a field, as `wg import` does) is named with the line that holds it. */
function inText(text: string, named: string): string {
  const before = text.slice(0, text.indexOf(NUL));
  const line = before.split('\n').length;
  return text.includes('\n') ? `line ${line} of ${named}` : named;
}

/**
 * Where the first NUL is in a parsed value, as "field 'log[2].message'" (or "a field name in 'extra'" when a key holds
 * it, "the text" for a bare string), or null when none is there. Walked without recursion, as nestedTooDeeply.
 */
export function nulAt(value: unknown): string | null {
  if (typeof value === 'string') return value.includes(NUL) ? inText(value, 'the text') : null;
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [current, path] = stack.pop() as [unknown, string];
    if (typeof current !== 'object' || current === null) continue;
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((child, index) => [`${path}[${index}]`, child])
      : Object.entries(current).map(([key, child]) => [path === '' ? shownKey(key) : `${path}.${shownKey(key)}`, child]);
    if (!Array.isArray(current)) {
      const key = Object.keys(current).find((k) => k.includes(NUL));
      if (key !== undefined) return path === '' ? `a field name ('${shownKey(key)}')` : `a field name in '${path}'`;
    }
    for (const [at, child] of entries) {
      if (typeof child === 'string' && child.includes(NUL)) return inText(child, `field '${at}'`);
      if (typeof child === 'object' && child !== null) stack.push([child, at]);
    }
  }
  return null;
}
