import { readdirSync, readFileSync } from 'node:fs';

/** Agents run in their own process group (spawned detached); these act on the whole group. */

/**
 * Whether a process exists and has not finished. A finished child of a dead daemon is reparented
 * to init; where init does not reap (some containers) it lingers as a zombie, which `kill(pid, 0)`
 * still reports, so on Linux the state in /proc is checked too.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  if (process.platform !== 'linux') return true;
  const state = processState(pid);
  return state !== null && state !== 'Z' && state !== 'X';
}

/**
 * Whether a process is stopped (SIGSTOP, SIGTSTP or a debugger): it acts on no signal but SIGKILL and SIGCONT until it
 * is continued, so whoever waits for it to stop should say so. Linux only; elsewhere never judged stopped.
 */
export function processStopped(pid: number): boolean {
  const state = process.platform === 'linux' ? processState(pid) : null;
  return state === 'T' || state === 't';
}

/** The process's state letter in /proc/PID/stat (R, S, D, T, t, Z, X…), or null when it has none. */
function processState(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 3 follows the command name in parentheses, which may itself contain spaces or ")".
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return null;
  }
}

/** Clock ticks a second in /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const USER_HZ = 100;
let bootMs: number | null | undefined;

/**
 * When a process started (ms since the epoch), from /proc on Linux; null elsewhere or when it is
 * gone. Good to about a second (the boot time is kept in whole seconds): enough to tell a pid the
 * system gave to a new process from the run that had it.
 */
export function processStartMs(pid: number): number | null {
  if (process.platform !== 'linux') return null;
  try {
    if (bootMs === undefined) {
      const btime = /^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1];
      bootMs = btime === undefined ? null : Number(btime) * 1000;
    }
    if (bootMs === null) return null;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime) is the 20th after the command name's closing parenthesis.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    return Number.isFinite(ticks) ? bootMs + (ticks * 1000) / USER_HZ : null;
  } catch {
    return null;
  }
}

/**
 * Whether any process of the group is still running. Zombies do not count: a group whose
 * processes all finished under a non-reaping init would otherwise look alive forever.
 */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return true;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // After the command name: state, ppid, pgrp.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[2] === String(pgid) && fields[0] !== 'Z' && fields[0] !== 'X') return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}
