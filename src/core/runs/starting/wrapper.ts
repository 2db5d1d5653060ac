import { readFileSync } from 'node:fs';

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
 * A run on a team's graph may begin only while its coordinator's lease holds (StartGate): the wrapper is told by
 * when (BEGIN_BY, the machine's uptime in hundredths of a second, as /proc/uptime counts it) and runs nothing
 * past it. A coordinator frozen after its last check and before its fork forks on waking, when another may have
 * taken the run over and run it: that late wrapper exits 75 without running the command, and no exit file
 * appears (the run is judged as one that vanished). Where there is no /proc/uptime, nothing is checked.
 *
 * `sh -c WRAPPER_SCRIPT RUN_FOLDER CGROUP_OR_EMPTY BEGIN_BY_OR_EMPTY COMMAND ARGS...`: the command and its
 * arguments are passed untouched.
 */
const WRAPPER_SCRIPT = [
  '__wg_d=$0 __wg_g=$1 __wg_t=$2; shift 2;',
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the shell's own parameter expansion (the uptime without its dot)
  '[ -z "$__wg_t" ] || ! read __wg_u __wg_x 2>/dev/null </proc/uptime || [ "${__wg_u%.*}${__wg_u#*.}" -le "$__wg_t" ] ||',
  '{ echo "wg: not started: the lease of its coordinator may have lapsed before the run could begin" >&2; exit 75; };',
  '[ -z "$__wg_g" ] || { echo $$ 2>/dev/null >"$__wg_g/cgroup.procs" && echo "$__wg_g" >"$__wg_d/cgroup"; };',
  'echo $$ >"$__wg_d/pid";',
  '"$@";',
  '__wg_s=$?; echo "$__wg_s" >"$__wg_d/exit"; exit "$__wg_s"',
].join(' ');

/** The machine's uptime in hundredths of a second, as the wrapper reads it (/proc/uptime); null where there is none. */
export function uptimeHundredths(): number | null {
  try {
    const [seconds = ''] = readFileSync('/proc/uptime', 'utf8').split(' ');
    const [whole = '', hundredths = ''] = seconds.split('.');
    const value = Number(`${whole}${hundredths}`);
    return /^\d+$/.test(`${whole}${hundredths}`) && Number.isSafeInteger(value) ? value : null;
  } catch {
    return null;
  }
}

/**
 * The BEGIN_BY of a run that may begin within `windowMs` of `uptime` (uptimeHundredths, read before the window
 * was asked for): '' for no limit, or where the uptime is not to be read.
 */
export function beginBy(uptime: number | null, windowMs: number): string {
  return uptime === null || !Number.isFinite(windowMs) ? '' : String(uptime + Math.floor(windowMs / 10));
}

/** `sh` arguments after the program name (`by`: the BEGIN_BY, '' for none). */
export function wrapperArgs(dir: string, cgroup: string | null, by: string, command: string, args: readonly string[]): string[] {
  return ['-c', WRAPPER_SCRIPT, dir, cgroup ?? '', by, command, ...args];
}
