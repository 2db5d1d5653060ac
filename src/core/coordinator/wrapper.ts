/**
 * What every local agent runs under: a shell that runs the command, then writes its exit status to
 * `exit` in the run folder and reports "x <run folder> <status>" on fd 3 (a pipe to the daemon, where
 * there is one). The shell is the command's parent, not the daemon, so the status reaches the file
 * even when the daemon is gone. `echo` writes "N\n" in one write; readers take only a complete line.
 * If the group is killed by a signal, the shell dies too and no exit file appears.
 *
 * Expects `__wg_d` (the run folder) and `__wg_c` (the working folder) set, and in "$@" either
 * `l LINE` (a shell line, run in a subshell: a fork rather than a second shell to exec, and the
 * line's own `exit` and traps stay its own) or `x COMMAND ARGS...`. The command never sees fd 3, and
 * SIGPIPE is ignored only after it, so a daemon that died meanwhile costs nothing but that line.
 */
export const WRAPPER_BODY = [
  'if cd "$__wg_c"; then',
  'if [ "$1" = l ]; then (eval "$2") 3>&-; else shift; "$@" 3>&-; fi; __wg_s=$?;',
  'else __wg_s=126; fi;',
  'echo $__wg_s > "$__wg_d/exit"; trap \'\' PIPE; echo "x $__wg_d $__wg_s" 2>/dev/null >&3',
].join(' ');

/** As its own program (`sh -c SCRIPT RUN_FOLDER WORKING_FOLDER l|x ...`): records its pid (= process group) first. */
export const WRAPPER_SCRIPT = `__wg_d=$0 __wg_c=$1; shift; echo $$ > "$__wg_d/pid"; ${WRAPPER_BODY}`;

/** The `l LINE` or `x COMMAND ARGS...` that tells the wrapper what to run. */
export function wrapperCommand(command: string, args: readonly string[]): string[] {
  return command === '/bin/sh' && args.length === 2 && args[0] === '-c' ? ['l', args[1] as string] : ['x', command, ...args];
}

/** `sh` arguments after the program name, for a run started without the spawn helper. */
export function wrapperArgs(dir: string, cwd: string, command: string, args: readonly string[]): string[] {
  return ['-c', WRAPPER_SCRIPT, dir, cwd, ...wrapperCommand(command, args)];
}
