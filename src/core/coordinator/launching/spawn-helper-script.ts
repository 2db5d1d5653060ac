import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { WRAPPER_BODY, WRAPPER_SCRIPT } from './wrapper';

/** How the helper gives each run its own process group (see spawn-helper.ts). */
export type HelperMode = 'group' | 'session';

/**
 * The line the daemon gives the helper now and then while a started run is not yet collected (see
 * `SpawnHelper.reap`): dash collects its finished children only when it runs something, and keeps
 * them in its job table until `jobs` has shown them (every new job then walks a longer table).
 */
export const REAP_LINE = 'jobs >/dev/null\n';

export const quote = (value: string) => `'${value.replace(/'/g, `'\\''`)}'`;

export function onPath(program: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir !== '' && existsSync(join(dir, program))) return join(dir, program);
  }
  return null;
}

/**
 * The helper's definitions, sent once. `__wg_job RUN STDIN i|l LINE | x COMMAND ARGS...` starts one run in
 * the background, in `$__wg_r/RUN` (the runs folder, set when it changes, like the working folder
 * `$__wg_cwd`: job lines stay short), with its output appended to the run folder's files, and answers
 * "s RUN <pid>". fd 3 of the job is the helper's stdout, for the wrapper's report.
 */
export function helperScript(mode: HelperMode): string {
  const redirects = '3>&1 <"$2" >>"$__wg_d/stdout" 2>>"$__wg_d/stderr"';
  if (mode === 'group') {
    // Job control: each background job leads its own process group, and the job (a function call in a
    // forked shell) is the wrapper. Not POSIX mode (POSIXLY_CORRECT in the environment would turn it on):
    // there a syntax error in `eval` ends the shell. The wrapper is a function of its own rather than a
    // `( ... )` inside `__wg_job`: bash copies a function's body at every call, and a run cost a quarter
    // more CPU with the wrapper inlined (measured with 2,000 runs).
    return [
      'set -m +o posix',
      `__wg_run() { __wg_c=$__wg_cwd; shift 2; ${WRAPPER_BODY}; }`,
      '__wg_job() {',
      '  __wg_d=$__wg_r/$1',
      `  __wg_run "$@" ${redirects} &`,
      // Out of the job table at once: bash still reaps it, and a table of every run ever started made
      // each new run slower (0.97 ms a run after 2,000 of them, 1.93 ms after 8,000; 0.7 ms flat without).
      '  echo $! > "$__wg_d/pid"; echo "s $1 $!"; disown $!',
      '}',
      '',
    ].join('\n');
  }
  return [
    `__wg_w=${quote(WRAPPER_SCRIPT)}`,
    '__wg_job() {',
    '  __wg_d=$__wg_r/$1',
    `  ( shift 2; exec setsid /bin/sh -c "$__wg_w" "$__wg_d" "$__wg_cwd" "$@" ) ${redirects} &`,
    '  echo "s $1 $!"',
    '}',
    '',
  ].join('\n');
}
