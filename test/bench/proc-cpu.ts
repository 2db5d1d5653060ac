/** CPU times from /proc (Linux), for the benchmarks: less noisy than wall time on a shared machine. */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Sums fields of /proc/PID/stat, numbered as in proc(5) from 1 (pid). */
function ticksOf(statFile: string, fieldNumbers: number[]): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return fieldNumbers.reduce((sum, n) => sum + Number(fields[n - 3]), 0);
}

/** utime + stime (fields 14, 15). */
export const cpuTicks = (pid: number) => ticksOf(`/proc/${pid}/stat`, [14, 15]);

/**
 * A process's own CPU, its collected children's (the runs a coordinator started and reaped) and, the
 * same way down, its live descendants' (a helper process that outlives many runs is counted too); 0
 * once it is gone.
 */
export function treeTicks(pid: number): number {
  try {
    return ticksOf(`/proc/${pid}/stat`, [14, 15, 16, 17]) + childrenOf(pid).reduce((sum, child) => sum + treeTicks(child), 0);
  } catch {
    return 0; // gone meanwhile
  }
}

/** The live children of a process, of any of its threads. */
export function childrenOf(pid: number): number[] {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number),
    );
  } catch {
    return [];
  }
}

export const clockTicks = () => Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (ms) this process has collected from children it waited for (make and its recipes). */
export function childrenCpuMs(): number {
  return (ticksOf(`/proc/self/stat`, [16, 17]) / clockTicks()) * 1000;
}
