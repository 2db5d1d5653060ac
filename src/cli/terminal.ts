import { styleText } from 'node:util';

/**
 * How output is read: on a terminal times are relative ("3 minutes ago") and statuses coloured
 * (unless NO_COLOR is set, https://no-color.org); piped or redirected, times stay ISO and text plain.
 */
export interface Terminal {
  tty: boolean;
  color: boolean;
  now: Date;
}

export function currentTerminal(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): Terminal {
  const tty = stream.isTTY === true;
  return { tty, color: tty && !env.NO_COLOR, now: new Date() };
}

export const PLAIN_TERMINAL: Terminal = { tty: false, color: false, now: new Date(0) };

const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
  ['second', 1000],
];
/** Built on first use: making it loads ICU's data, which a `wg` start that never prints a time on a terminal does not need. */
let relative: Intl.RelativeTimeFormat | undefined;

/** An ISO time as a person reads it here: relative on a terminal, as stored otherwise. */
export function when(iso: string | null, term: Terminal): string {
  if (iso === null) return '';
  if (!term.tty) return iso;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const diff = ms - term.now.getTime();
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size || unit === 'second') {
      relative ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
      return relative.format(Math.round(diff / size), unit);
    }
  }
  return iso;
}

type Style = Parameters<typeof styleText>[0];

/**
 * Colour is decided once, by currentTerminal. styleText must not decide again: since Node 20.18 and
 * 22.13 it checks the stream and the environment itself, and under CI=true Node counts a terminal
 * as colourless, so the same `wg show` was coloured on one machine and plain on another.
 */
export function paint(text: string, style: Style, term: Terminal): string {
  return term.color ? styleText(style, text, { validateStream: false }) : text;
}

const STATUS_STYLES: Record<string, Style> = {
  done: 'green',
  failed: 'red',
  'failed-pending-eval': 'red',
  abandoned: 'gray',
  'in-progress': 'blue',
  'pending-eval': 'magenta',
  'pending-validation': 'magenta',
  waiting: 'cyan',
  blocked: 'yellow',
};

export function paintStatus(status: string, term: Terminal): string {
  const style = STATUS_STYLES[status];
  return style ? paint(status, style, term) : status;
}
