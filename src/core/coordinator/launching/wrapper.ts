/**
 * What every local agent runs under: a shell that runs the command, then writes its exit status to
 * `exit` in the run folder and reports "x <run folder> <status>" on fd 3 (a pipe to the daemon, where
 * there is one). The shell is the command's parent, not the daemon, so the status reaches the file
 * even when the daemon is gone. `echo` writes "N\n" in one write; readers take only a complete line.
 * If the group is killed by a signal, the shell dies too and no exit file appears.
 *
 * Expects `__wg_d` (the run folder) and `__wg_c` (the working folder) set, and in "$@" one of:
 * - `i LINE`: a plain line that cannot end the shell early (see `runsInline`), run by the wrapper itself
 *   (bash only);
 * - `l LINE`: any other shell line, in a subshell: a fork rather than a second shell to exec, and the
 *   line's own `exit`, `exec` and traps stay its own;
 * - `x COMMAND ARGS...`.
 * The command never sees fd 3, and SIGPIPE is ignored only after it, so a daemon that died meanwhile
 * costs nothing but that line.
 */
export const WRAPPER_BODY = [
  'if cd "$__wg_c"; then',
  'case $1 in i) eval "$2" 3>&-;; l) (eval "$2") 3>&-;; *) shift; "$@" 3>&-;; esac; __wg_s=$?;',
  'else __wg_s=126; fi;',
  'echo "$__wg_s" > "$__wg_d/exit"; trap \'\' PIPE; echo "x $__wg_d $__wg_s" 2>/dev/null >&3',
].join(' ');

/** As its own program (`sh -c SCRIPT RUN_FOLDER WORKING_FOLDER i|l|x ...`): records its pid (= process group) first. */
export const WRAPPER_SCRIPT = `__wg_d=$0 __wg_c=$1; shift; echo $$ > "$__wg_d/pid"; ${WRAPPER_BODY}`;

/**
 * Words that can end or replace the shell, or change how it ends: the POSIX special builtins (an error
 * in one ends a POSIX shell) and their bash cousins.
 */
const SHELL_ENDERS = new Set([
  'break', ':', '.', 'continue', 'eval', 'exec', 'exit', 'export', 'readonly', 'return', 'set', 'shift', 'times', 'trap', 'unset',
  'builtin', 'command', 'declare', 'enable', 'local', 'logout', 'shopt', 'source', 'typeset',
]);

/**
 * Whether a shell line can run in the wrapper itself, saving the subshell's fork (about half a
 * millisecond of a short task's cost): one line of plain words and operators, with no expansion that
 * can fail fatally (`$`, backquotes), no grouping, function or here-document, and none of the words
 * above anywhere. Such a line ends only when its last command does, so the wrapper always gets to
 * write the status. Anything else takes the subshell; in doubt, that is only slower.
 */
export function runsInline(line: string): boolean {
  // The wrapper's own variables stay its own.
  if (!/^[\w \t./=:,+@%~^'"\\*?[\]&|;<>!#-]*$/.test(line) || line.includes('<<') || line.includes('__wg_')) return false;
  return !line.split(/[\s;&|<>!'"\\]+/).some((word) => SHELL_ENDERS.has(word));
}

/**
 * The `i|l LINE` or `x COMMAND ARGS...` that tells the wrapper what to run. `inline` only where the
 * wrapper is bash outside POSIX mode: a POSIX shell such as dash ends at a syntax error in `eval`.
 */
export function wrapperCommand(command: string, args: readonly string[], inline: boolean): string[] {
  if (command !== '/bin/sh' || args.length !== 2 || args[0] !== '-c') return ['x', command, ...args];
  const line = args[1] as string;
  // `$$` and `$PPID` in a subshell name the wrapper's shell, shared by every run of the spawn helper: a shell of its own.
  if (/\$\{?(\$|PPID)/.test(line)) return ['x', command, ...args];
  return [inline && runsInline(line) ? 'i' : 'l', line];
}

/** `sh` arguments after the program name, for a run started without the spawn helper. */
export function wrapperArgs(dir: string, cwd: string, command: string, args: readonly string[]): string[] {
  return ['-c', WRAPPER_SCRIPT, dir, cwd, ...wrapperCommand(command, args, false)];
}
