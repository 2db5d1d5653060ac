# Workgraph's run server. The coordinator itself (run-launcher.ts, through fork-server.ts; the spawner
# process where that one drives it) starts ONE of these on POSIX systems with bash 4+, and it forks each run's job when the run's request
# arrives: a fork of this small shell costs a fraction of a fork of Node, and nothing is made ahead
# of demand (the spares it once kept made every start wait in this one shell's queue: 6 ms p50 on
# the 2,000-task DAG, notes/issue-12h.md). Run by bash, not sh: the run's command needs a process
# group of its own (`set -m`), and dash refuses job control without a terminal.
#
# It is started as `bash --norc --noprofile -c SCRIPT NAME TRACE` (TRACE: see below) with the
# environment most runs share (its client's choice), and reads requests on stdin, each its length
# in bytes (8 digits and a space, see __wg_read) and then the request, made only of words the
# client quoted; several may come in one write. A request is one run:
#   REF CGROUP WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
# REF names the run in the reports; CGROUP is the run's cgroup folder, or empty; STDIN is 1 when
# the run folder has a `stdin` file to read, else empty; N variables to export and M to unset on
# top of this shell's own environment; MODE as the wrapper's (wrapper.ts): `b LINE` a harmless
# builtin (`true`), evaluated by the job itself with no fork; `c LINE` one plain command of a
# program, exec'd; `l LINE` a bash line; `x COMMAND ARGS...` a program. A newline inside a word is
# written "$__wg_nl".
#
# The job is a WAITING PARENT outside the run: it opens the run's files, then starts the command as
# its own child, which joins the run's cgroup before anything else runs and leads a process group
# of its own; the job writes the command's pid (the run's pid and process group) to the run folder,
# reports "s REF PID JOB_PID", waits, writes the exit status (128+N for signal N) to the run folder and
# reports "e REF STATUS"; one that cannot start reports "f REF REASON". Being in neither the run's
# process group nor its cgroup, and without the run's marker in /proc/PID/environ (it is a fork of
# this shell, never exec'd), no kill of a run reaches its job: a run killed as a whole has its end
# reported as any other, at once. Reports go to this shell's stdout (kept as fd 3 in every job; the
# command never holds it), one line of far less than PIPE_BUF each, so writes never interleave. Runs
# and their jobs outlive this shell and its client: their reports still arrive while the client
# reads, and each records its own end in the run folder for the next coordinator. On end of input
# this shell exits and leaves them running.

__wg_umask=$(umask)
umask 077
# Nothing of this shell's own bookkeeping reaches the runs' environments.
unset OLDPWD PWD SHLVL
__wg_nl='
'
# WG_TRACE_RUNS (run-trace.ts): the file each job appends its hops' times to, or empty.
__wg_trace=$1
exec 3>&1 >/dev/null

# One report to the coordinator. One gone meanwhile does not stop the job (SIGPIPE is ignored in
# it; the failed write's complaint goes to the job's stderr, /dev/null, as every error of its own).
__wg_say() {
  echo "$1" >&3
}

# The run's job. Arguments: REF CGROUP WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
__wg_job() {
  __wg_r=$1 __wg_g=$2 __wg_c=$3 __wg_d=$4 __wg_i=/dev/null
  trap '' PIPE
  [ -z "$__wg_trace" ] || __wg_t j-got
  [ -z "$5" ] || __wg_i=$4/stdin
  shift 5
  if [ ! -d "$__wg_c" ] || ! cd "$__wg_c"; then
    __wg_c=${__wg_c//$__wg_nl/ }
    __wg_say "f $__wg_r no such working folder: ${__wg_c:0:1024}"
    exit 0
  fi
  if ! exec 4<"$__wg_i" 5>>"$__wg_d/stdout" 6>>"$__wg_d/stderr"; then
    __wg_say "f $__wg_r cannot open the run's files"
    exit 0
  fi
  # All in one builtin call each (a loop of one `export` a variable cost each job ~14 rounds of it).
  [ "$1" = 0 ] || export -- "${@:2:$1}"
  shift "$(($1 + 1))"
  [ "$1" = 0 ] || unset -v -- "${@:2:$1}"
  shift "$(($1 + 1))"
  umask "$__wg_umask"
  if [ "$1" = b ]; then
    # A builtin that only sets a status: it runs here, as `bash -c` would run it, and is over
    # before anyone learns its pid (this job's, which leads no process group: a kill finds nothing).
    echo "$BASHPID" >"$__wg_d/pid"
    __wg_say "s $__wg_r $BASHPID $BASHPID"
    [ -z "$__wg_trace" ] || __wg_t j-cmd
    # (It reads and writes nothing: no redirection to set up and undo.)
    eval "$2"
    __wg_s=$?
  else
    # Job control only for the fork: the command leads its own process group. Off again for the
    # wait, which then returns only when the command is gone (a stopped one is still running).
    set -m
    # In parentheses: still one fork, and bash's `exec` then leaves SHLVL as the run has it (in a
    # bare `&` child it lowers it by one, or sets it when unset).
    ( __wg_run "$@" ) <&4 >&5 2>&6 3>&- 4>&- 5>&- 6>&- &
    __wg_p=$!
    set +m
    echo "$__wg_p" >"$__wg_d/pid"
    __wg_say "s $__wg_r $__wg_p $BASHPID"
    wait "$__wg_p"
    __wg_s=$?
  fi
  [ -z "$__wg_trace" ] || __wg_t j-cmdend
  echo "$__wg_s" >"$__wg_d/exit"
  [ -z "$__wg_trace" ] || __wg_t j-exit
  __wg_say "e $__wg_r $__wg_s"
  exit 0
}

# The run itself, the job's child: first its cgroup (noted in the run folder only when joined),
# before anything of the run can fork, then the command.
__wg_run() {
  [ -z "$__wg_trace" ] || __wg_t j-forked
  [ -z "$__wg_g" ] || { echo "$BASHPID" 2>/dev/null >"$__wg_g/cgroup.procs" && echo "$__wg_g" >"$__wg_d/cgroup"; }
  trap - PIPE
  [ -z "$__wg_trace" ] || __wg_t j-cmd
  __wg_m=$1
  shift
  case $__wg_m in
    l) __wg_l=$1; set --; eval "$__wg_l" ;;
    c) eval "exec $1" ;;
    *) exec "$@" ;;
  esac
}

# One trace line (run-trace.ts): wall-clock µs from $EPOCHREALTIME (no fork), the hop, the key (the run folder's name).
__wg_t() {
  echo "${EPOCHREALTIME/./} j $1 ${__wg_d##*/}" 2>/dev/null >>"$__wg_trace"
}

# Reads exactly $1 characters of stdin into __wg_line (fails at an end of input before them). A line
# read from a pipe costs bash one read(2) a byte (it must not read past the newline), a count one or
# two: everything this shell is told comes as its length and then the text, in ASCII only (any
# other byte is quoted as $'\xHH'), where characters are bytes in any locale.
__wg_read() {
  IFS= read -r -N "$1" __wg_line
}

# Each request: its length in bytes (8 digits and a space), then the request. The job leaves this
# shell's job table at once: nothing here waits for it, and the table would grow with every run.
while __wg_read 9 && __wg_read "$((10#${__wg_line% }))"; do
  eval "__wg_job $__wg_line" </dev/null 2>/dev/null &
  disown $!
done
