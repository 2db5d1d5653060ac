import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One git command's share of a traced piece of work. */
export interface GitStep {
  command: string;
  ms: number;
}

/**
 * Runs `work` with git's own trace2 event log on (GIT_TRACE2_EVENT to a folder: one file per git
 * process) and returns each git command it ran with its run time as git measured it, in start order.
 * Commands run side by side (Promise.all) overlap, so their sum can exceed the wall time.
 */
export async function traceGit<T>(work: () => Promise<T>): Promise<{ value: T; steps: GitStep[] }> {
  const folder = mkdtempSync(join(tmpdir(), 'wg-trace2-'));
  const before = process.env.GIT_TRACE2_EVENT;
  process.env.GIT_TRACE2_EVENT = folder;
  try {
    const value = await work();
    return { value, steps: readSteps(folder) };
  } finally {
    if (before === undefined) delete process.env.GIT_TRACE2_EVENT;
    else process.env.GIT_TRACE2_EVENT = before;
    rmSync(folder, { recursive: true, force: true });
  }
}

interface Trace2Event {
  event: string;
  time?: string;
  argv?: string[];
  t_abs?: number;
}

function readSteps(folder: string): GitStep[] {
  const steps: Array<GitStep & { at: string }> = [];
  for (const file of readdirSync(folder)) {
    let command = '';
    let at = '';
    let ms = 0;
    for (const line of readFileSync(join(folder, file), 'utf8').split('\n')) {
      if (!line) continue;
      const event = JSON.parse(line) as Trace2Event;
      if (event.event === 'start' && event.argv) {
        command = event.argv
          .slice(1)
          .filter((arg) => !arg.startsWith('--') && !arg.startsWith('-'))
          .slice(0, 1)
          .join(' ');
        at = event.time ?? '';
      }
      if (event.event === 'exit' && event.t_abs !== undefined) ms = event.t_abs * 1000;
    }
    if (command) steps.push({ command, ms, at });
  }
  return steps.sort((a, b) => a.at.localeCompare(b.at)).map(({ command, ms }) => ({ command, ms }));
}
