import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { prepareRunWorktree } from '../../../src/core/worktrees/run-worktree';
import { GIT_ENV } from '../../worktrees/git-project';
import type { Workgraph } from './workgraph';

/** Git in `cwd`, as a person runs it (never the machine's own settings). */
function gitIn(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
}

export function writeIn(folder: string, path: string, text: string): void {
  mkdirSync(dirname(join(folder, path)), { recursive: true });
  writeFileSync(join(folder, path), text);
}

/**
 * The project's folder made a git repository (`main`, its files committed; the project's private home left
 * out), as a person's project is: runs of agent executors then work in worktrees of their own.
 */
export function makeProjectRepo(project: Workgraph, files: Record<string, string>): void {
  gitIn(project.folder, ['init', '-q', '-b', 'main']);
  writeIn(project.folder, '.gitignore', 'home/\n');
  for (const [path, text] of Object.entries(files)) writeIn(project.folder, path, text);
  gitIn(project.folder, ['add', '-A']);
  gitIn(project.folder, ['commit', '-q', '-m', 'initial']);
}

/** The worktree a run of `agentId` on `taskId` is given before it starts, as the coordinator makes it (its path). */
export async function runWorktree(project: Workgraph, agentId: string, taskId: string): Promise<string> {
  const made = await prepareRunWorktree({
    store: project.store,
    paths: project.coordinator.paths,
    settings: (await project.coordinator.engine.config.current()).settings,
    taskId,
    agentId,
    executorType: 'claude',
  });
  if (!made) throw new Error(`no worktree for ${agentId}: is ${project.folder} a git repository?`);
  return made.path;
}

/** Work committed in a worktree, as an agent commits it. */
export function commitIn(worktree: string, files: Record<string, string>, message: string): void {
  for (const [path, text] of Object.entries(files)) writeIn(worktree, path, text);
  gitIn(worktree, ['add', '-A']);
  gitIn(worktree, ['commit', '-q', '-m', message]);
}
