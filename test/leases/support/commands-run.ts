import { readFileSync } from 'node:fs';

/** How often each command of a fault test's DAG ran: each appends its task's id, one line, to `file`. */
export function commandsRun(file: string): { counts: Map<string, number>; twice: string[] } {
  const counts = new Map<string, number>();
  for (const line of readFileSync(file, 'utf8').trim().split('\n')) counts.set(line, (counts.get(line) ?? 0) + 1);
  return { counts, twice: [...counts].filter(([, n]) => n > 1).map(([id]) => id) };
}
