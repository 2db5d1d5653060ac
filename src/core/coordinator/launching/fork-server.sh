# Workgraph's run server. The coordinator itself (run-launcher.ts, through fork-server.ts; the spawner
# process where that one drives it) starts ONE of these on POSIX systems with bash 4+. It keeps a pool
# of WORKERS, bash processes forked from it once each, and hands each run's request to the worker its
# client names: a worker serves one run at a time and then waits for its next, so a run costs no fork
# but its command's (a fork of a shell and its exit cost ~0.4 ms of CPU, as much as everything else a
# run server does for a run: notes/issue-12n.md). Nothing is made ahead of demand: a worker is forked
# when a request first names it (the spares once kept ahead made every start wait in this one shell's
# queue, notes/issue-12h.md). Run by bash, not sh: the run's command needs a process group of its own
# (`set -m`), and dash refuses job control without a terminal.
#
# It is started as `bash --norc --noprofile -c SCRIPT NAME TRACE` (TRACE: see below) with the
# environment most runs share (its client's choice), and reads on stdin, each its length in bytes
# (8 digits and a space, see __wg_read) and then the text; several may come in one write (and values
# to keep, see the loop at the end):
#   W REQUEST   hand REQUEST (itself framed so) to worker W (a number), forked first unless it runs
#   W           worker W is no longer needed: it exits once its input ends (at once when idle)
# The client names only a worker whose last run it heard end. A request is one run, made only of
# words the client quoted:
#   REF CGROUP WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
# REF names the run in the reports; CGROUP is the run's cgroup folder, or empty; STDIN is 1 when
# the run folder has a `stdin` file to read, else empty; N variables to export and M to unset on
# top of this shell's own environment; MODE as the wrapper's (wrapper.ts): `b LINE` a harmless
# builtin (`true`), evaluated by the worker itself with no fork; `c LINE` one plain command of a
# program, exec'd; `l LINE` a bash line; `x COMMAND ARGS...` a program. A newline inside a word is
# written "$__wg_nl".
#
# The worker is a WAITING PARENT outside the run: it opens the run's files, then starts the command
# as its own child, which joins the run's cgroup before anything else runs, leads a process group of
# its own, and only then enters the run's folder and environment (the worker's own stay as they were
# for the next run); the worker writes the command's pid (the run's pid and process group) to the run
# folder, reports "s REF PID WORKER_PID", waits, writes the exit status (128+N for signal N) to the
# run folder and reports "e REF STATUS"; a run that cannot start reports "f REF REASON". Being in
# neither the run's process group nor its cgroup, and without the run's marker in
# /proc/PID/environ (it is a fork of this shell, never exec'd), no kill of a run reaches its worker:
# a run killed as a whole has its end reported as any other, at once. Reports go to this shell's
# stdout (kept as fd 3 in every worker; the command never holds it), one line of far less than
# PIPE_BUF each, so writes never interleave. Runs and their workers outlive this shell and its
# client: a worker's input ends with this shell, after which it finishes its run, records its end in
# the run folder for the next coordinator, reports it to a client that may still read, and exits.

__wg_umask=$(umask)
umask 077
# Nothing of this shell's own bookkeeping reaches the runs' environments.
unset OLDPWD PWD SHLVL
__wg_nl='
'
# WG_TRACE_RUNS (run-trace.ts): the file each worker appends its hops' times to, or empty.
__wg_trace=$1
exec 3>&1 >/dev/null
# A worker gone (killed on its own) fails the write of its next request instead of ending this
# shell; the workers inherit it: a report the client is gone for fails alone (its complaint goes to
# the worker's stderr, /dev/null, as every error of its own).
trap '' PIPE

# One report to the coordinator.
__wg_say() {
  echo "$1" >&3
}

# One run, in its worker. Arguments: REF CGROUP WORKING_FOLDER RUN_FOLDER STDIN N NAME=VALUE... M NAME... MODE ARGS...
__wg_job() {
  __wg_r=$1 __wg_g=$2 __wg_c=$3 __wg_d=$4 __wg_i=/dev/null
  [ -z "$__wg_trace" ] || __wg_t j-got
  [ -z "$5" ] || __wg_i=$4/stdin
  shift 5
  # The command enters the folder (cd needs search permission, -x) once forked: this shell stays where it is.
  if [ ! -d "$__wg_c" ] || [ ! -x "$__wg_c" ]; then
    __wg_c=${__wg_c//$__wg_nl/ }
    __wg_say "f $__wg_r no such working folder: ${__wg_c:0:1024}"
    return
  fi
  if ! exec 4<"$__wg_i" 5>>"$__wg_d/stdout" 6>>"$__wg_d/stderr"; then
    exec 4<&- 5>&- 6>&-
    __wg_say "f $__wg_r cannot open the run's files"
    return
  fi
  # MODE's position: after the N variables to set and the M to unset.
  __wg_k=$(($1 + 2))
  __wg_k=$((__wg_k + ${!__wg_k} + 1))
  if [ "${!__wg_k}" = b ]; then
    # A builtin that only sets a status: it runs here, as `bash -c` would run it, and is over
    # before anyone learns its pid (this worker's, which leads no process group: a kill finds
    # nothing). It reads and writes nothing and depends on no variable, folder or umask: none is set.
    echo "$BASHPID" >"$__wg_d/pid"
    __wg_say "s $__wg_r $BASHPID $BASHPID"
    [ -z "$__wg_trace" ] || __wg_t j-cmd
    __wg_k=$((__wg_k + 1))
    eval "${!__wg_k}"
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
  exec 4<&- 5>&- 6>&-
  [ -z "$__wg_trace" ] || __wg_t j-cmdend
  echo "$__wg_s" >"$__wg_d/exit"
  [ -z "$__wg_trace" ] || __wg_t j-exit
  __wg_say "e $__wg_r $__wg_s"
}

# The run itself, the worker's child: first its cgroup (noted in the run folder only when joined),
# before anything of the run can fork, then its folder, environment and umask, then the command.
# Arguments: N NAME=VALUE... M NAME... MODE ARGS...
__wg_run() {
  [ -z "$__wg_trace" ] || __wg_t j-forked
  [ -z "$__wg_g" ] || { echo "$BASHPID" 2>/dev/null >"$__wg_g/cgroup.procs" && echo "$__wg_g" >"$__wg_d/cgroup"; }
  trap - PIPE
  # Before the variables: a request that sets PWD or OLDPWD has the last word.
  cd -- "$__wg_c" || exit 126
  # All in one builtin call each (a loop of one `export` a variable cost each run ~14 rounds of it).
  [ "$1" = 0 ] || export -- "${@:2:$1}"
  shift "$(($1 + 1))"
  [ "$1" = 0 ] || unset -v -- "${@:2:$1}"
  shift "$(($1 + 1))"
  umask "$__wg_umask"
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

# A worker: its stdin is the pipe this shell hands it requests on, and it closes the other workers'
# pipes it was forked holding (else their input would not end with this shell's).
__wg_worker() {
  for __wg_f in "${__wg_fds[@]}"; do exec {__wg_f}>&-; done
  unset __wg_fds
  while __wg_read 9; do
    # Values to keep (see the loop at the end): its length is marked `=` in place of its first digit.
    case $__wg_line in
      =*)
        __wg_read "$((10#${__wg_line:1:7}))" || break
        eval "export -- $__wg_line"
        continue
        ;;
    esac
    __wg_read "$((10#${__wg_line% }))" || break
    eval "__wg_job $__wg_line"
  done
}

# Worker $__wg_w, forked; its pipe's end kept in __wg_fds.
__wg_fork() {
  exec {__wg_f}> >(__wg_worker 2>/dev/null)
  __wg_fds[__wg_w]=$__wg_f
}

# Each request to this shell: its length (8 digits and a space), then "W REQUEST" or "W"; or, its
# length marked `=` in place of its first digit, values to keep: NAME=VALUE words (themselves so
# framed and marked) that this shell exports itself, for every worker forked later to inherit, and
# hands to every worker it has, which exports them before its next run (the client keeps a few KB
# at most, far less than a pipe holds: a busy worker's pipe never fills). Values the client saw two
# runs in a row set: its runs' requests then no longer carry them, nor their commands export them.
__wg_fds=()
while __wg_read 9; do
  case $__wg_line in
    =*)
      __wg_read "$((10#${__wg_line:1:7}))" || break
      eval "export -- ${__wg_line:9}"
      for __wg_f in "${__wg_fds[@]}"; do echo -n "$__wg_line" 2>/dev/null >&"$__wg_f"; done
      continue
      ;;
  esac
  __wg_read "$((10#${__wg_line% }))" || break
  __wg_w=${__wg_line%% *}
  if [ "$__wg_w" = "$__wg_line" ]; then
    __wg_f=${__wg_fds[__wg_w]}
    [ -z "$__wg_f" ] || exec {__wg_f}>&-
    unset '__wg_fds[__wg_w]'
    continue
  fi
  __wg_line=${__wg_line#* }
  [ -n "${__wg_fds[__wg_w]}" ] || __wg_fork
  # A worker killed on its own (its run is then the client's to call lost) is replaced.
  echo -n "$__wg_line" 2>/dev/null >&"${__wg_fds[__wg_w]}" || {
    __wg_f=${__wg_fds[__wg_w]}
    exec {__wg_f}>&-
    __wg_fork
    echo -n "$__wg_line" 2>/dev/null >&"${__wg_fds[__wg_w]}"
  }
done
