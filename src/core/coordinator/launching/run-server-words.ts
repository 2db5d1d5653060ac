import type { Socket } from 'node:net';
import type { SpawnRequest } from './spawner';

/**
 * What the run server (fork-server.sh) is told and tells back, as words and lines: the quoting of
 * a request's words, which runs the shell can carry exactly, and how its lines are read.
 */

/**
 * Names a shell acts on itself or cannot set: a run whose environment has one goes through execa,
 * which passes any environment untouched.
 */
const SHELL_NAMES = /^(IFS|ENV|BASH\w*|SHELLOPTS|POSIXLY_CORRECT|PS[1-4]|OPTIND|OPTARG|PPID|UID|EUID|GROUPS|LINENO|RANDOM|SRANDOM|SECONDS|EPOCH\w*|CDPATH|TMOUT|EXECIGNORE|GLOBIGNORE|HISTCMD|FUNCNAME|DIRSTACK|COMP_\w*|__wg_\w*)$/;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * bash's job-status notice for one of the server's own jobs (spares), never an error: "[3]+  Done
 * eval ..." for an ended one, "wg-run-server: line 103: 26061 Killed  eval ..." for one a signal ended.
 */
const JOB_NOTICE = /^(\[\d+\][+-]?|\S+: line \d+:\s+\d+)\s+\S.*\s(eval "?)?__wg_(job|spare)\b/;
export const isJobNotice = (line: string): boolean => JOB_NOTICE.test(line);

/**
 * One shell word, in single quotes, in ASCII only: a newline becomes `$__wg_nl`, and the bytes of
 * any other character `$'\xHH...'`. A request is read as a count of bytes (framed), which bash
 * counts in characters in a UTF-8 locale: with ASCII alone, characters are bytes, and the shell
 * never has to switch its locale to read one (switching cost each job ~40 page faults).
 */
export function shellWord(value: string): string {
  const quoted = value
    .replace(/'/g, `'\\''`)
    .replace(/\n/g, `'"$__wg_nl"'`)
    .replace(/[^\x00-\x7f]+/g, (text) => `'$'${[...Buffer.from(text, 'utf8')].map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`).join('')}''`);
  return `'${quoted}'`;
}

/** The most a request to the run server or a spare can hold (its length is written in 8 digits). */
const FRAME_MAX = 99_999_999;

/**
 * A request as the run server and its spares read it (fork-server.sh, `__wg_read`): `prefix`, the
 * text's length (8 digits) and a space, then the text, ASCII only (shellWord). Read as a count, it
 * costs bash one or two read(2)s where a line costs one a byte (a run's request is ~400 bytes).
 */
export function framed(text: string, prefix = ''): string {
  const length = text.length;
  if (length > FRAME_MAX) throw new Error(`a run's request of ${length} bytes is more than the run server takes`);
  return `${prefix}${String(length).padStart(8, '0')} ${text}`;
}

/** Whether the fork server can start this run exactly as execa would (else execa starts it). */
export function canCarry(request: Pick<SpawnRequest, 'command' | 'args' | 'env' | 'cwd' | 'stdinFile' | 'files'>): boolean {
  // The server reads a run's stdin from the run folder's `stdin` file (where the spawner writes it).
  if (request.stdinFile !== null && request.stdinFile !== request.files.stdin) return false;
  const words = [request.command, ...request.args, request.cwd, request.files.dir, request.stdinFile ?? '', ...Object.values(request.env)];
  if (words.some((word) => word.includes('\0'))) return false;
  return Object.keys(request.env).every((name) => NAME.test(name) && !SHELL_NAMES.test(name));
}

/**
 * Calls `line` for each line a connection sends (a spare's or a run's few short lines); one
 * without its newline beyond `limit` characters ends the connection, as nothing honest sends it.
 */
export function readLines(socket: Socket, line: (text: string) => void, limit = 4096): () => void {
  let buffer = '';
  const onData = (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let end = buffer.indexOf('\n');
    while (end >= 0) {
      const text = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      line(text);
      end = buffer.indexOf('\n');
    }
    if (buffer.length > limit) socket.destroy();
  };
  socket.on('data', onData);
  return () => socket.off('data', onData);
}
