import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ServiceStatus } from '../../src/shared/service-types';
import { TempProject } from './wg-cli';

/*
 * A team's graph as the process tests have it: several folders (machines, in a test) whose projects name one
 * PostgreSQL store, each a git repository with its own coordinator.
 */

/** Folders named `prefix` + each name, each a git repository with a project made by `wg init --store URL ARGS`. */
export async function teamFolders(url: string, prefix: string, initArgs: string[] = [], names = ['a', 'b']): Promise<TempProject[]> {
  const folders: TempProject[] = [];
  for (const name of names) {
    const p = new TempProject(`${prefix}${name}-`);
    folders.push(p);
    execFileSync('git', ['init', '-q'], { cwd: p.root });
    const made = await p.wg(['init', '--store', url, ...initArgs]);
    expect(made.exitCode, made.stderr).toBe(0);
  }
  return folders;
}

/** Stops each folder's coordinator with its runs, then removes the folder. */
export async function removeTeamFolders(folders: TempProject[]): Promise<void> {
  for (const p of folders) {
    await p.wgProcess(['service', 'stop', '--kill-agents']);
    p.remove();
  }
}

/** Starts a folder's coordinator as a real process; the address its API answers on (the window's token cut off). */
export async function startCoordinator(p: TempProject): Promise<string> {
  const started = await p.wgProcess(['service', 'start', '--json']);
  expect(started.exitCode, started.stderr).toBe(0);
  return ((JSON.parse(started.stdout) as ServiceStatus).url ?? '').replace(/\/#token=.*$/, '');
}

/** The id a folder's coordinator keeps across its restarts there (its row in the team's lease table). */
export const coordinatorIdOf = (p: TempProject): string =>
  readFileSync(join(p.root, '.workgraph/service/coordinator-id'), 'utf8').split('\n')[0] ?? '';

/** The pid of a folder's running coordinator (its daemon's pid file). */
export const coordinatorPidOf = (p: TempProject): number => Number(readFileSync(join(p.root, '.workgraph/service/daemon.pid'), 'utf8'));
