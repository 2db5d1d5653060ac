/**
 * What every local run executes under on POSIX systems: a small /bin/sh that joins the run's
 * cgroup (when it has one, before anything else can fork; the run folder's `cgroup` file says it
 * did, so a cgroup is trusted to hold the whole run only then), writes its pid (= the run's process
 * group) to `pid`, runs the command, then writes the command's exit status to `exit` in the run
 * folder and exits with it. The shell is the command's parent, not the coordinator, so the status
 * reaches the file even when the coordinator is gone; a restarted coordinator reads it there.
 * `echo` writes "N\n" in one write, and readers take only a complete line. If the run is killed as
 * a whole, the shell dies too and no exit file appears (the coordinator knows it killed it).
 *
 * The join is the slowest step of a start: when no process on the machine has changed cgroups in the
 * last few ms, the kernel waits for an RCU grace period inside the write
 * (cgroup_attach_task). The cgroup2 mount option `favordynmods` removes that wait;
 * it is the machine's choice, not this app's.
 *
 * `sh -c WRAPPER_SCRIPT RUN_FOLDER CGROUP_OR_EMPTY COMMAND ARGS...`: the command and its arguments
 * are passed untouched.
 */
const WRAPPER_SCRIPT = [
  '__wg_d=$0 __wg_g=$1; shift;',
  '[ -z "$__wg_g" ] || { echo $$ 2>/dev/null >"$__wg_g/cgroup.procs" && echo "$__wg_g" >"$__wg_d/cgroup"; };',
  'echo $$ >"$__wg_d/pid";',
  '"$@";',
  '__wg_s=$?; echo "$__wg_s" >"$__wg_d/exit"; exit "$__wg_s"',
].join(' ');

/** `sh` arguments after the program name. */
export function wrapperArgs(dir: string, cgroup: string | null, command: string, args: readonly string[]): string[] {
  return ['-c', WRAPPER_SCRIPT, dir, cgroup ?? '', command, ...args];
}
