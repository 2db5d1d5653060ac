import { readFileSync } from 'node:fs';
import type { RunArchive } from '../../shared/agent';
import type { Store } from '../store/store';
import { runDir } from './run-log';
import { runFiles } from './run-files';

function readOrNull(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * The runs of a task, oldest first, with the prompt each was given (its stdin) and what it wrote (its stdout),
 * from their run folders (upstream keeps copies under its archive; a run here keeps its folder).
 */
export async function runArchives(store: Store, runsDir: string, taskId: string): Promise<RunArchive[]> {
  await store.get(taskId);
  return (await store.agents.forTask(taskId)).map((agent) => {
    const files = runFiles(runDir(runsDir, agent.id));
    return { timestamp: agent.started_at, agent: agent.id, prompt: readOrNull(files.stdin), output: readOrNull(files.stdout) };
  });
}
