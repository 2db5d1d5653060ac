import { stripVTControlCharacters } from 'node:util';

/**
 * User data (a title, a log line, an agent's output) is shown on a terminal as text, never obeyed:
 * escape sequences (colours, cursor moves, OSC 8 links, a window title, "clear screen") and other
 * control characters are removed; newlines and tabs stay. Our own colours are added after this.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: this pattern exists to find control characters and remove them
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export function plainText(text: string): string {
  return stripVTControlCharacters(text).replace(CONTROLS, '');
}

/** The same for every string in a result (objects and arrays copied, other values kept). */
export function withoutControls<T>(value: T): T {
  if (typeof value === 'string') return plainText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => withoutControls(item)) as T;
  if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutControls(item)])) as T;
  }
  return value;
}
