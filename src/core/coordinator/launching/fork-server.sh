# Workgraph's run server. The spawner process (spawner-main.ts, through fork-server.ts) starts ONE
# of these on POSIX systems with bash 4+ and has it start every run it can carry: a fork of this
# small shell costs a fraction of a fork of Node, and each run costs ONE fork of it (the job), with
# no exec of another shell. Run by bash, not sh: each run needs a process group of its own
# (`set -m`), and dash refuses job control without a terminal.
#
# It is started as `bash --norc --noprofile -c SCRIPT NAME` with the environment most runs share
# (the spawner's choice), and reads one request a line on stdin, made only of words the spawner
# quoted:
#   __wg_start REF WORKING_FOLDER RUN_FOLDER STDIN CGROUP N NAME=VALUE... M NAME... MODE ARGS...
# STDIN is 1 when the run folder has a `stdin` file to read, else empty; CGROUP the run's cgroup
# folder or empty; N variables to export and M to unset on top of this shell's own environment;
# MODE as the wrapper's (wrapper.ts): `l LINE` evaluates a bash line in a subshell of the job,
# `x COMMAND ARGS...` runs a program. A newline inside a word is written "$__wg_nl", as `read` ends
# at one. It answers on stdout, one line each:
#   s REF PID      the run started; PID is its job, which leads the run's process group
#   e REF STATUS   the job ended with STATUS (128+N when signal N ended it, as `wait` tells)
#   f REF REASON   the run could not start
#
# The job does what the execa path's wrapper does (wrapper.ts), in the same order: joins the
# cgroup before anything forks, writes its pid, then (after its environment and folder) runs the
# command, writes the exit status to the run folder and reports its end itself on this shell's
# stdout (which it holds, so the report gets through even if this shell died meanwhile). A run
# killed as a whole leaves no exit file and reports nothing: this shell reaps every job and reports
# the end of those without an exit file, with the status `wait` gives. bash 5.2 runs the CHLD trap
# only once `read` returns (it restarts the read(2) a SIGCHLD interrupts), so the spawner, which
# checks its runs' pids while any run is under way, sends `__wg_reap` when one is gone unreported.
# Runs outlive this shell and the spawner: they are in their own process groups and record their
# own ends for the next coordinator. On end of input this shell exits and leaves them running.

__wg_umask=$(umask)
umask 077
# Nothing of this shell's own bookkeeping reaches the runs' environments.
unset OLDPWD PWD SHLVL
__wg_nl='
'
# Jobs not reaped yet: pid -> request ref, and pid -> run folder.
declare -A __wg_refs=() __wg_dirs=()

# Reports every job that ended without an exit file (killed as a whole; the others reported their
# own ends). bash has reaped it already (so `kill -0` fails) and keeps its status for `wait`. Safe
# to re-enter (a CHLD trap may run in the middle of a call from the loop): a job is taken off the
# table before its status is read.
__wg_reap() {
  local __wg_p __wg_r __wg_x __wg_s
  for __wg_p in "${!__wg_refs[@]}"; do
    kill -0 "$__wg_p" 2>/dev/null && continue
    __wg_r=${__wg_refs[$__wg_p]-}
    [ -n "$__wg_r" ] || continue
    __wg_x=${__wg_dirs[$__wg_p]}/exit
    unset "__wg_refs[$__wg_p]" "__wg_dirs[$__wg_p]"
    wait "$__wg_p"
    __wg_s=$?
    [ -e "$__wg_x" ] || echo "e $__wg_r $__wg_s"
  done
}

# The run itself, in its own process group. Arguments: CGROUP N NAME=VALUE... M NAME... MODE ARGS...
__wg_job() {
  # First, before anything forks: the cgroup (noted in the run folder only when joined), the pid.
  [ -z "$1" ] || { echo "$BASHPID" 2>/dev/null >"$1/cgroup.procs" && echo "$1" >"$__wg_d/cgroup"; }
  echo "$BASHPID" >"$__wg_d/pid"
  trap - CHLD
  set +m
  cd "$__wg_c" || exit 127
  shift
  __wg_n=$1
  shift
  while [ "$__wg_n" -gt 0 ]; do export "$1"; shift; __wg_n=$((__wg_n - 1)); done
  __wg_n=$1
  shift
  while [ "$__wg_n" -gt 0 ]; do unset "$1"; shift; __wg_n=$((__wg_n - 1)); done
  umask "$__wg_umask"
  # A line in a subshell: its own `exit`, `exec` and traps stay its own, and the status comes back.
  case $1 in l) (eval "$2") 3>&- ;; *) shift; "$@" 3>&- ;; esac
  __wg_s=$?
  echo "$__wg_s" >"$__wg_d/exit"
  echo "e $__wg_ref $__wg_s" >&3
  exit "$__wg_s"
}

__wg_start() {
  local __wg_ref=$1 __wg_c=$2 __wg_d=$3 __wg_i=/dev/null
  [ -z "$4" ] || __wg_i=$3/stdin
  shift 4
  if [ ! -d "$__wg_c" ]; then
    echo "f $__wg_ref no such working folder: $__wg_c"
    return
  fi
  if ! { exec 4<"$__wg_i" 5>>"$__wg_d/stdout" 6>>"$__wg_d/stderr"; } 2>/dev/null; then
    echo "f $__wg_ref cannot open the run's files in $__wg_d"
    return
  fi
  # (fd 3 first: a copy of the report pipe, before stdout becomes the run's file.)
  __wg_job "$@" 3>&1 <&4 >&5 2>&6 4<&- 5>&- 6>&- &
  __wg_refs[$!]=$__wg_ref __wg_dirs[$!]=$__wg_d
  echo "s $__wg_ref $!"
  exec 4<&- 5>&- 6>&-
  # A job that ended before it was in the table (its CHLD trap found nothing to report).
  __wg_reap
}

set -m
trap __wg_reap CHLD
__wg_part=
while :; do
  IFS= read -r __wg_line
  __wg_rc=$?
  # A read cut short by a signal: keep what it read and go on reading the line.
  if [ "$__wg_rc" -gt 128 ]; then __wg_part=$__wg_part$__wg_line; continue; fi
  [ "$__wg_rc" -eq 0 ] || exit 0
  eval "$__wg_part$__wg_line"
  __wg_part=
done
