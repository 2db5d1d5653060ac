import { stripVTControlCharacters } from 'node:util';
import { MONEY_FIELDS, roundMoney } from '../../shared/money';

/**
 * User data (a title, a log line, an agent's output) is shown on a terminal as text, never obeyed:
 * escape sequences (colours, cursor moves, OSC 8 links, a window title, "clear screen") and other
 * control characters are removed, and so are the bidi overrides and isolates (U+202A-U+202E,
 * U+2066-U+2069) that make text read in another order than it is; newlines and tabs stay. Our own
 * colours are added after this.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters and remove them
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Every sequence stripVTControlCharacters removes starts with ESC (U+001B) or a C1 control such as CSI (U+009B). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters
const ANY_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

export function plainText(text: string): string {
  // Most text has none; Node's escape-sequence pattern is slow on every string of a long list (wg list).
  if (!ANY_CONTROL.test(text)) return text;
  return stripVTControlCharacters(text).replace(CONTROLS, '');
}

/** A value a person gave, quoted in one short line of an error: plain text, its spaces and breaks one space, cut at 40. */
export function shownValue(value: string): string {
  const line = plainText(value).replace(/\s+/g, ' ');
  return `'${line.length > 40 ? `${line.slice(0, 40)}…` : line}'`;
}

/**
 * Where a result's JSON text may hold a control: one of those JSON keeps as it is, or the escape it writes for one of
 * U+0000-U+001F but a tab or a newline (`\u001b`, `\b`, `\f`, `\r`). An escaped backslash before a `b` reads as one
 * too, which only costs the walk below.
 */
const JSON_MAY_HOLD_CONTROL = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]|\\(?:[bfr]|u00(?:0[0-8b-f]|1[0-9a-f]))/;

/**
 * The same for every string in a result. An object or array is copied only where something in it
 * changed, so a long list with nothing to strip is not copied; the result is never modified.
 * Results are JSON data (the HTTP API sends them so), and most hold no control at all: one look at their JSON text,
 * made natively, tells so; walking a list of a thousand tasks string by string cost `wg list` about 40 ms of a cold
 * start (npm run bench:cli).
 */
export function withoutControls<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return plainIn(value);
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch {
    // A BigInt or a cycle: not JSON, so walked.
  }
  return text !== undefined && !JSON_MAY_HOLD_CONTROL.test(text) ? value : plainIn(value);
}

function plainIn<T>(value: T): T {
  if (typeof value === 'string') return plainText(value) as T;
  if (typeof value !== 'object' || value === null || value instanceof Date) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let index = 0; index < value.length; index++) {
      const item: unknown = value[index];
      const plain = plainIn(item);
      if (plain === item) continue;
      copy ??= [...value];
      copy[index] = plain;
    }
    return (copy ?? value) as T;
  }
  let copy: Record<string, unknown> | null = null;
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const item = object[key];
    const plain = plainIn(item);
    if (plain === item) continue;
    copy ??= { ...object };
    copy[key] = plain;
  }
  return (copy ?? value) as T;
}

const UNESCAPED = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A dollar amount rounded (shared/money.ts): its float noise is no part of the data. */
const moneyRounded = (key: string, value: unknown) =>
  typeof value === 'number' && MONEY_FIELDS.has(key) && !Number.isInteger(value) ? roundMoney(value) : value;

/**
 * `--json` output: the data exactly (dollar amounts without their float noise), but nothing in it that steers a
 * terminal. JSON.stringify escapes only characters below U+0020; DEL, the C1 controls (U+0080-U+009F: U+009B is a
 * CSI on many terminals), the line separators and the bidi overrides it leaves raw are written as \u escapes too,
 * which parse back to the same strings (they only occur inside strings: JSON's own syntax is ASCII).
 */
export function jsonText(value: unknown, space?: number): string {
  return (JSON.stringify(value, moneyRounded, space) ?? 'null').replace(
    UNESCAPED,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
