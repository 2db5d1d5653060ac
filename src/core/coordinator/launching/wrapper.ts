/**
 * What every local run executes under: a small /bin/sh that joins the run's cgroup (when it has
 * one, before anything else can fork; the run folder's `cgroup` file says it did, so a cgroup is
 * trusted to hold the whole run only then), writes its pid (= the run's process group) to `pid`, runs
 * the command, then writes the command's exit status to `exit` in the run folder and exits with it.
 * The shell is the command's parent, not the daemon, so the status reaches the file even when the
 * daemon is gone; a restarted coordinator reads it there. `echo` writes "N\n" in one write, and
 * readers take only a complete line. If the run is killed as a whole, the shell dies too and no
 * exit file appears (the coordinator knows it killed it).
 *
 * `sh -c WRAPPER_SCRIPT RUN_FOLDER CGROUP_OR_EMPTY MODE ...`, MODE one of:
 * - `l LINE`: a shell line, in a subshell: a fork rather than a second shell to exec, and the
 *   line's own `exit`, `exec` and traps stay its own;
 * - `x COMMAND ARGS...`: a program with its arguments, untouched.
 */
export const WRAPPER_SCRIPT = [
  '__wg_d=$0 __wg_g=$1; shift;',
  '[ -z "$__wg_g" ] || { echo $$ 2>/dev/null >"$__wg_g/cgroup.procs" && echo "$__wg_g" >"$__wg_d/cgroup"; };',
  'echo $$ >"$__wg_d/pid";',
  'case $1 in l) (eval "$2");; *) shift; "$@";; esac;',
  '__wg_s=$?; echo "$__wg_s" >"$__wg_d/exit"; exit "$__wg_s"',
].join(' ');

/**
 * The `l LINE`, `c LINE`, `b LINE` or `x COMMAND ARGS...` that tells the wrapper what to run. A
 * `SHELL -c LINE` is run by the wrapper's own subshell, saving an exec, when the wrapper is that
 * same shell (`sh`: the execa path's /bin/sh wrapper; `bash`: the run server, fork-server.sh) and
 * the line does not name the shell it runs in. In the run server, a line that is one plain command
 * of a program (`c`) is exec'd by the run's own process, saving a fork, and a line that is only a
 * builtin that sets a status (`b`: `true`, `false`, `:`) is evaluated by the run server's worker itself, with no
 * fork at all: nothing in it can end or change the worker, and it is over at once.
 */
export function wrapperCommand(command: string, args: readonly string[], shell: 'sh' | 'bash' = 'sh'): string[] {
  const names = shell === 'sh' ? ['/bin/sh'] : ['bash', '/bin/bash', '/usr/bin/bash'];
  if (!names.includes(command) || args.length !== 2 || args[0] !== '-c') return ['x', command, ...args];
  const line = args[1] as string;
  // `$$` and `$PPID` in a subshell would name the wrapper, not a shell of the line's own.
  if (/\$\{?(\$|PPID)/.test(line) || line.includes('__wg_')) return ['x', command, ...args];
  if (shell === 'sh') return ['l', line];
  if (STATUS_ONLY.test(line)) return ['b', line];
  return [plainCommand(line) && !SHELL_WORDS.has(firstWord(line)) ? 'c' : 'l', line];
}

/** A line that is one builtin doing nothing but set a status, with no words or redirections. */
const STATUS_ONLY = /^[ \t]*(true|false|:)[ \t]*$/;

const firstWord = (line: string): string => line.trimStart().split(/[ \t]/, 1)[0] ?? '';

/** bash 5.2's builtins and keywords (`compgen -b`, `compgen -k`). */
const SHELL_WORDS = new Set(
  ('. : [ alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown echo enable eval exec ' +
    'exit export false fc fg getopts hash help history jobs kill let local logout mapfile popd printf pushd pwd read readarray readonly ' +
    'return set shift shopt source suspend test times trap true type typeset ulimit umask unalias unset wait ' +
    'if then else elif fi case esac for select while until do done in function time { } ! [[ ]] coproc').split(' '),
);
/** Builtins that only print or test: they cannot end, replace or reconfigure the shell that runs them. */
const HARMLESS = new Set(['true', 'false', ':', 'echo', 'printf', 'test', 'pwd']);

/**
 * Whether a line is one plain command: a program (or a harmless builtin) with words and
 * redirections, and nothing that could end the shell running it, replace it (`exec`), leave a
 * trap or option behind, or run more than that one command (`;`, `&`, `|`, subshells,
 * substitutions, special parameters). Anything else runs in a subshell, as before.
 */
export function plainCommand(line: string): boolean {
  if (line.length > 4096) return false;
  const first = firstWord(line);
  if (!/^[A-Za-z0-9_./+-]+$/.test(first) || (SHELL_WORDS.has(first) && !HARMLESS.has(first))) return false;
  // Descriptor copies (`2>&1`, `>&2`, `<&-`) are the only `&` allowed, `$NAME` and `${NAME}` the only expansions.
  const rest = line.replace(/\d*[<>]&(\d+|-)/g, ' ').replace(/\$\{[A-Za-z_][A-Za-z0-9_]*\}/g, ' ');
  return !/[\n;&|()`{}\\!#]|<<|\$[^A-Za-z_]|\$$/.test(rest);
}

/** `sh` arguments after the program name. */
export function wrapperArgs(dir: string, cgroup: string | null, command: string, args: readonly string[]): string[] {
  return ['-c', WRAPPER_SCRIPT, dir, cgroup ?? '', ...wrapperCommand(command, args)];
}
