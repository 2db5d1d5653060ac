import stripAnsi from 'strip-ansi';

/** C0 control characters but tab and newline, and DEL: what a terminal acts on but a label would print as boxes. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what this removes
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f]/g;

/**
 * A run's text as plain words for anywhere outside the terminal view (cards, toasts, the inspector,
 * tables): its escape sequences removed (colours, cursor moves, links: strip-ansi, which also knows
 * the OSC sequences anser leaves in) and the other control characters with them.
 */
export function plainText(text: string): string {
  if (!CONTROL.test(text)) return text;
  CONTROL.lastIndex = 0;
  return stripAnsi(text).replace(CONTROL, '');
}
