/** CPU times from /proc (Linux), for the benchmarks: less noisy than wall time on a shared machine. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Sums fields of /proc/PID/stat, numbered as in proc(5) from 1 (pid). */
export function ticksOf(statFile: string, fieldNumbers: number[]): number {
  const stat = readFileSync(statFile, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // from field 3 (state) on
  return fieldNumbers.reduce((sum, n) => sum + Number(fields[n - 3]), 0);
}

/** utime + stime (fields 14, 15). */
export const cpuTicks = (pid: number) => ticksOf(`/proc/${pid}/stat`, [14, 15]);

/** A process's own CPU plus, for each child (the spawn helper), its own and its collected children's. */
export function treeTicks(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean);
  return cpuTicks(pid) + children.reduce((sum, child) => {
    try {
      return sum + ticksOf(`/proc/${child}/stat`, [14, 15, 16, 17]);
    } catch {
      return sum; // gone meanwhile
    }
  }, 0);
}

export const clockTicks = () => Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** CPU time (ms) this process has collected from children it waited for (make and its recipes). */
export function childrenCpuMs(): number {
  return (ticksOf(`/proc/self/stat`, [16, 17]) / clockTicks()) * 1000;
}
