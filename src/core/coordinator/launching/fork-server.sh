# Workgraph's run server. The spawner process (spawner-main.ts, through fork-server.ts) starts ONE
# of these on POSIX systems with bash 4+. It forks the runs' jobs AHEAD of the runs ("spares"): a
# fork of this small shell costs a fraction of a fork of Node, and a spare has forked and joined its
# cgroup before any run needs it. Joining a cgroup waits for a kernel RCU grace period (measured on
# this VM, kernel 6.18: 7-15 ms at load ~8), the largest single cost before a run's command, so it is
# kept off the path from "a task is ready" to "its command runs". Run by bash, not sh: each job needs
# a process group of its own (`set -m`), and dash refuses job control without a terminal.
#
# It is started as `bash --norc --noprofile -c SCRIPT NAME PORT TRACE` (TRACE: see below) with the environment most runs
# share (the spawner's choice), and reads requests on stdin, each its length in bytes (8 digits and a
# space, see __wg_read) and then the request, made only of words the spawner quoted:
#   __wg_spare CGROUP HELLO KEY   fork a spare: it joins CGROUP (a folder, or empty), connects to
#                                 127.0.0.1:PORT (the spawner) and says "HELLO PID JOINED"
#   __wg_status PID               answers "x PID STATUS": how the job PID ended (128+N for signal N)
# HELLO and KEY are random, fresh for each spare, and travel only through this shell's stdin: the
# spawner knows the connection is its spare's by HELLO, and the spare takes a request only if it
# starts with KEY (were the port ever someone else's, they could not make a spare run anything).
#
# A spare reads ONE request from its connection ("KEY LENGTH ", then that many bytes) and becomes that run's job:
#   WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
# STDIN is 1 when the run folder has a `stdin` file to read, else empty; N variables to export and M
# to unset on top of this shell's own environment; MODE as the wrapper's (wrapper.ts): `l LINE`
# evaluates a bash line in a subshell of the job, `c LINE` one plain command in the job itself,
# `x COMMAND ARGS...` runs a program. A newline
# inside a word is written "$__wg_nl". The job does what the execa path's wrapper does
# (wrapper.ts): notes its cgroup and pid in the run folder, then (after its environment and folder)
# says "s" and runs the command, writes the exit status to the run folder and says "e STATUS" (the
# run's end: the spawner tells it at once, without waiting for the job to be gone).
# It cannot start: "f REASON". The command never holds the connection (fd 7), so the connection
# closes exactly when the job dies, however it dies: a run killed as a whole (no "e") is noticed by
# that close, at once, and the spawner asks this shell for its status (`wait` keeps it).
# Runs outlive this shell and the spawner: they are in their own process groups and record their
# own ends for the next coordinator. On end of input this shell exits and leaves them running; a
# spare still waiting for its request ends when its connection does.

__wg_umask=$(umask)
umask 077
# Nothing of this shell's own bookkeeping reaches the runs' environments.
unset OLDPWD PWD SHLVL
__wg_nl='
'
__wg_port=$1
# WG_TRACE_RUNS (run-trace.ts): the file each job appends its hops' times to, or empty.
__wg_trace=$2

# A spare, in its own process group. Arguments: CGROUP HELLO KEY
__wg_spare() {
  [ -z "$__wg_trace" ] || __wg_t j-fork "${2:0:12}"
  # First, before anything forks: the cgroup (the run notes it in its folder only when joined).
  [ -z "$1" ] || echo "$BASHPID" 2>/dev/null >"$1/cgroup.procs" || set -- "" "$2" "$3"
  set +m
  [ -z "$__wg_trace" ] || __wg_t j-joined "${2:0:12}"
  exec 7<>"/dev/tcp/127.0.0.1/$__wg_port" || exit 0
  echo "$2 $BASHPID ${1:+1}" >&7
  # KEY, then the request's length in bytes (8 digits), then the request: read as two blocks (see __wg_read).
  __wg_read 42 <&7 || exit 0
  case $__wg_line in "$3 "[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]' ') ;; *) exit 0 ;; esac
  __wg_read "$((10#${__wg_line:33:8}))" <&7 || exit 0
  __wg_g=$1
  eval "__wg_job $__wg_line"
}

# The run itself. Arguments: WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
__wg_job() {
  __wg_c=$1 __wg_d=$2 __wg_i=/dev/null
  [ -z "$__wg_trace" ] || __wg_t j-got
  [ -z "$3" ] || __wg_i=$2/stdin
  shift 3
  if [ ! -d "$__wg_c" ]; then
    echo "f no such working folder: $__wg_c" >&7
    exit 0
  fi
  if ! { exec 4<"$__wg_i" 5>>"$__wg_d/stdout" 6>>"$__wg_d/stderr"; } 2>/dev/null; then
    echo "f cannot open the run's files in $__wg_d" >&7
    exit 0
  fi
  exec <&4 >&5 2>&6 4<&- 5>&- 6>&-
  [ -z "$__wg_g" ] || echo "$__wg_g" >"$__wg_d/cgroup"
  echo "$BASHPID" >"$__wg_d/pid"
  # A spawner gone meanwhile does not stop the run (its write would raise SIGPIPE); the command gets SIGPIPE back.
  trap '' PIPE
  echo s 2>/dev/null >&7
  cd "$__wg_c" || exit 127
  __wg_n=$1
  shift
  while [ "$__wg_n" -gt 0 ]; do export "$1"; shift; __wg_n=$((__wg_n - 1)); done
  __wg_n=$1
  shift
  while [ "$__wg_n" -gt 0 ]; do unset "$1"; shift; __wg_n=$((__wg_n - 1)); done
  umask "$__wg_umask"
  trap - PIPE
  [ -z "$__wg_trace" ] || __wg_t j-cmd
  # A line in a subshell: its own `exit`, `exec` and traps stay its own, and the status comes back.
  # One plain command (wrapper.ts, plainCommand) has none of those: the job evaluates it itself.
  case $1 in l) (eval "$2") 7>&- ;; c) eval "$2" 7>&- ;; *) shift; "$@" 7>&- ;; esac
  __wg_s=$?
  [ -z "$__wg_trace" ] || __wg_t j-cmdend
  echo "$__wg_s" >"$__wg_d/exit"
  trap '' PIPE
  [ -z "$__wg_trace" ] || __wg_t j-exit
  echo "e $__wg_s" 2>/dev/null >&7
  exit "$__wg_s"
}

# One trace line (run-trace.ts): wall-clock µs from $EPOCHREALTIME (no fork), the hop, the key (by default the run folder's name).
__wg_t() {
  echo "${EPOCHREALTIME/./} j $1 ${2:-${__wg_d##*/}}" 2>/dev/null >>"$__wg_trace"
}

# Reads exactly $1 characters of stdin into __wg_line (fails at an end of input before them). A line
# read from a pipe or a socket costs bash one read(2) a byte (it must not read past the newline), a
# count one or two: everything this shell and its spares are told comes as its length and then the
# text, in ASCII only (any other byte is quoted as $'\xHH'), where characters are bytes in any locale.
__wg_read() {
  IFS= read -r -N "$1" __wg_line
}

__wg_status() {
  wait "$1" 2>/dev/null
  echo "x $1 $?"
}

set -m
# Each request: its length in bytes (8 digits and a space), then the request.
while __wg_read 9 && __wg_read "$((10#${__wg_line% }))"; do
  case $__wg_line in
    "__wg_spare "*) eval "__wg_spare ${__wg_line#__wg_spare }" </dev/null >/dev/null 2>/dev/null & ;;
    "__wg_status "*) eval "__wg_status ${__wg_line#__wg_status }" ;;
  esac
done
