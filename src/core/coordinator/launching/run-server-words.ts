import type { SpawnRequest } from './spawner';

/**
 * What the run server (fork-server.sh) is told and tells back, as words and lines: the quoting of
 * a request's words, and which runs the shell can carry exactly.
 */

/**
 * Names a shell acts on itself or cannot set: a run whose environment has one goes through execa,
 * which passes any environment untouched.
 */
const SHELL_NAMES = /^(IFS|ENV|BASH\w*|SHELLOPTS|POSIXLY_CORRECT|PS[1-4]|OPTIND|OPTARG|PPID|UID|EUID|GROUPS|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH\w*|CDPATH|TMOUT|EXECIGNORE|GLOBIGNORE|HISTCMD|FUNCNAME|DIRSTACK|COMP_\w*|__wg_\w*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What `shellWord` must write other than as itself: a single quote, a newline, anything not ASCII. */
const NEEDS_ESCAPES = /['\n\u0080-\uffff]/;

/**
 * One shell word, in single quotes, in ASCII only: a newline becomes `$__wg_nl`, and the bytes of
 * any other character `$'\xHH...'`. A request is read as a count of bytes (framed), which bash
 * counts in characters in a UTF-8 locale: with ASCII alone, characters are bytes, and the shell
 * never has to switch its locale to read one (switching cost ~40 page faults a run when each run
 * forked a job of its own).
 */
export function shellWord(value: string): string {
  // Nearly every word of a request (paths, ids, most environment values) has none of the three:
  // one scan instead of three replacing passes (~20 words a run).
  if (!NEEDS_ESCAPES.test(value)) return `'${value}'`;
  const quoted = value
    .replace(/'/g, `'\\''`)
    .replace(/\n/g, `'"$__wg_nl"'`)
    .replace(/[^\x00-\x7f]+/g, (text) => `'$'${[...Buffer.from(text, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}''`);
  return `'${quoted}'`;
}

/** The most a request to the run server can hold (its length is written in 8 digits). */
const FRAME_MAX = 99_999_999;

/**
 * A request as the run server reads it (fork-server.sh, `__wg_read`): the text's length (8 digits)
 * and a space, then the text, ASCII only (shellWord). Read as a count, it costs bash one or two
 * read(2)s where a line costs one a byte (a run's request is ~400 bytes).
 */
export function framed(text: string): string {
  const length = text.length;
  if (length > FRAME_MAX) throw new Error(`a run's request of ${length} bytes is more than the run server takes`);
  return `${String(length).padStart(8, '0')} ${text}`;
}

/** Whether the fork server can start this run exactly as execa would (else execa starts it). */
export function canCarry(request: Pick<SpawnRequest, 'command' | 'args' | 'env' | 'cwd' | 'stdinFile' | 'files' | 'layers'>): boolean {
  // The server reads a run's stdin from the run folder's `stdin` file (where the spawner writes it).
  if (request.stdinFile !== null && request.stdinFile !== request.files.stdin) return false;
  const words = [request.command, ...request.args, request.cwd, request.files.dir, request.stdinFile ?? ''];
  if (words.some((word) => word.includes('\0'))) return false;
  const layers = request.layers;
  if (!layers) return carried(request.env);
  // The base every run shares is checked once.
  let base = carriedBases.get(layers.base);
  if (base === undefined) carriedBases.set(layers.base, (base = carried(layers.base)));
  return base && carried(layers.own);
}

const carriedBases = new WeakMap<Record<string, string>, boolean>();

function carried(env: Record<string, string>): boolean {
  for (const name in env) if (!NAME.test(name) || SHELL_NAMES.test(name) || (env[name] as string).includes('\0')) return false;
  return true;
}
