import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkpoint } from '../../shared/agent-loop';
import { replaceFile } from '../files/no-follow';
import { readToml } from '../config/toml-file';
import type { ProjectPaths } from '../project';

/*
 * Upstream's checkpoints: JSON files named by their time in `<agent>/checkpoints/` of the agent's
 * folder (this app's run folder for the agent, `runs/agent-N/`), the newest `max_checkpoints` kept.
 * The prompt of a task's next run carries the newest one of its earlier runs (spawn's context).
 */

const checkpointDir = (runsDir: string, agentId: string) => join(runsDir, agentId, 'checkpoints');

/** `[checkpoint] max_checkpoints` (the project's, else the global), upstream's default 5. */
export function maxCheckpoints(paths: Pick<ProjectPaths, 'config' | 'globalConfig'>): number {
  for (const file of [paths.config, paths.globalConfig]) {
    const value = (readToml(file).checkpoint as { max_checkpoints?: unknown } | undefined)?.max_checkpoints;
    if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  }
  return 5;
}

function files(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((name) => name.endsWith('.json'))
      .sort();
  } catch {
    return [];
  }
}

function read(path: string): Checkpoint | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Checkpoint;
    return typeof value.summary === 'string' && typeof value.task_id === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Writes the checkpoint and prunes the oldest beyond `max`; returns its file. */
export function saveCheckpoint(runsDir: string, checkpoint: Checkpoint, max: number): string {
  const dir = checkpointDir(runsDir, checkpoint.agent_id);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${checkpoint.timestamp.replace(/:/g, '-')}.json`);
  replaceFile(file, JSON.stringify(checkpoint, null, 2), { mode: 0o600 });
  const all = files(dir);
  for (const old of all.slice(0, Math.max(0, all.length - max))) rmSync(join(dir, old), { force: true });
  return file;
}

/** The agent's checkpoints (of one task, when given), oldest first. */
export function listCheckpoints(runsDir: string, agentId: string, taskId: string | null): Checkpoint[] {
  const dir = checkpointDir(runsDir, agentId);
  return files(dir)
    .map((name) => read(join(dir, name)))
    .filter((c): c is Checkpoint => c !== null && (taskId === null || c.task_id === taskId))
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
}

/** The newest checkpoint of the agent, whatever its task (upstream's load_latest). */
function latestCheckpoint(runsDir: string, agentId: string): Checkpoint | null {
  const dir = checkpointDir(runsDir, agentId);
  const newest = files(dir).at(-1);
  return newest ? read(join(dir, newest)) : null;
}

/**
 * What a task's next run is told of its earlier runs' progress (upstream's find_checkpoint_for_task):
 * the newest checkpoint of the latest of its earlier runs that left one.
 */
export function checkpointForTask(runsDir: string, taskId: string, earlierRuns: readonly string[]): string | null {
  for (const agentId of [...earlierRuns].reverse()) {
    const checkpoint = latestCheckpoint(runsDir, agentId);
    if (checkpoint && checkpoint.task_id === taskId) {
      const type = checkpoint.type === 'auto' ? 'Auto' : 'Explicit';
      return `Checkpoint (${type}, agent ${checkpoint.agent_id}): ${checkpoint.summary}`;
    }
  }
  return null;
}
