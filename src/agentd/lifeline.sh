#!/bin/sh
# The lifeline every `wg agentd` job runs under, so nothing a job started outlives its daemon.
#
#   sh lifeline.sh RUN_ID CGROUP_OR_EMPTY COMMAND ARGS...
#
# File descriptor 3 is a pipe from the daemon, which never writes to it. However the daemon ends
# (exit, crash, SIGKILL, out of memory), the kernel closes its end and the watcher below reads
# end-of-file; it then stops the whole job: its process group, every process carrying the run's
# marker in its environment (those that left the group with setsid), and the run's cgroup where
# the daemon could make one. A daemon that dies cannot do this itself (Node has no parent-death
# signal), and a job that runs on unwatched is a job the coordinator dispatches twice.
#
# This shell leads the job's process group (the daemon starts it detached). It joins the cgroup
# before anything forks, starts the watcher, then runs the command in the foreground (keeping its
# stdin, which holds the prompt) with WG_RUN_ID set for the command alone, so neither this shell
# nor the watcher carries the marker the watcher searches for. On a normal end the watcher is
# killed and this shell exits with the command's status.

run_id=$1 cg=$2
shift 2
[ -z "$cg" ] || echo $$ 2>/dev/null >"$cg/cgroup.procs" || cg=

# Pids of the live processes carrying this run's marker: /proc on Linux (grep -z reads the
# NUL-separated environment block, -x matches the whole variable), `ps -E` on macOS.
marked() {
  if [ -d /proc/self ]; then
    grep -lzx "WG_RUN_ID=$run_id" /proc/[0-9]*/environ 2>/dev/null | sed 's,^/proc/,,;s,/environ$,,'
  else
    ps -axwwE -o pid=,command= 2>/dev/null | awk -v m="WG_RUN_ID=$run_id" '{ for (i = 2; i <= NF; i++) if ($i == m) print $1 }'
  fi
}

stop_job() {
  # The watcher stays until the end: the group signals below would otherwise end it half way.
  trap '' TERM
  kill -TERM 0 2>/dev/null
  for pid in $(marked); do kill -TERM "$pid" 2>/dev/null; done
  sleep 1
  for pid in $(marked); do kill -KILL "$pid" 2>/dev/null; done
  [ -z "$cg" ] || echo 1 2>/dev/null >"$cg/cgroup.kill"
  kill -KILL 0 2>/dev/null
}

(
  # read fails only at end-of-file: the daemon's end of the pipe is closed.
  while read -r _ <&3; do :; done
  stop_job
) </dev/null &
watcher=$!
exec 3<&-

WG_RUN_ID=$run_id "$@"
status=$?
kill -KILL "$watcher" 2>/dev/null
exit "$status"
