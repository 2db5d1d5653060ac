/**
 * The wrapper shell every local agent runs under; `$0` is the run folder. It records its pid (the
 * process group id: it runs in its own session), runs the command, then writes the exit status
 * to `exit`. The shell is the command's parent, not the daemon, so the status reaches the file
 * even when the daemon is gone. `echo` writes "N\n" in one write; readers take only a complete
 * line. If the group is killed by a signal, the wrapper dies too and no exit file appears.
 *
 * `report`: also tell the daemon at once, as "x <run folder> <status>" on fd 3 (a pipe to it).
 * The command itself never sees fd 3, and SIGPIPE is ignored only after the command, so a daemon
 * that died meanwhile costs nothing but that line.
 *
 * For `/bin/sh -c LINE` (the shell executor) the line runs in a subshell of the wrapper: a fork
 * instead of a second shell to exec; the subshell keeps the line's `exit` and traps to itself.
 */
export function wrapperScript(options: { shellLine: boolean; report: boolean }): string {
  const run = options.shellLine ? '__wg_line=$1; shift; (eval "$__wg_line")' : '"$@"';
  const close = options.report ? ' 3>&-' : '';
  const report = options.report ? `; trap '' PIPE; echo "x $0 $__wg_status" >&3 2>/dev/null` : '';
  return `echo $$ > "$0/pid"; ${run}${close}; __wg_status=$?; echo $__wg_status > "$0/exit"${report}`;
}

/** `sh` arguments after the program name: `-c SCRIPT RUN_FOLDER COMMAND...`. */
export function wrapperArgs(dir: string, command: string, args: readonly string[], report: boolean): string[] {
  const shellLine = command === '/bin/sh' && args.length === 2 && args[0] === '-c';
  const script = wrapperScript({ shellLine, report });
  return shellLine ? ['-c', script, dir, args[1] as string] : ['-c', script, dir, command, ...args];
}
