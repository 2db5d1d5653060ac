import { conflict } from '../../shared/errors';
import { TERMINAL_STATUSES } from '../../shared/task';
import { BUILTIN_EXECUTORS, readExecutors, removeExecutor } from '../config/executors';
import { loadSettings } from '../config/settings';
import type { ExecutorProfile } from '../../shared/config-types';
import type { ProjectPaths } from '../project';
import type { StoreCore } from '../store/store-core';

const DEFAULT_KEYS = ['coordinator.executor', 'agent.executor'] as const;
const SHOWN_TASKS = 5;

/**
 * What still names a profile: the default executor settings and the tasks not yet finished. A built-in's name
 * stays good after its profile goes (the built-in takes its place), so nothing depends on it.
 */
async function usersOf(core: StoreCore, paths: ProjectPaths, name: string): Promise<string[]> {
  if (BUILTIN_EXECUTORS.some((p) => p.name === name)) return [];
  const settings = (await loadSettings(paths)).entries
    .filter((e) => (DEFAULT_KEYS as readonly string[]).includes(e.key) && e.value === name)
    .map((e) => e.key);
  const tasks = (
    await core.all(
      core.build.selectFrom('tasks').select('id').where('executor', '=', name).where('status', 'not in', TERMINAL_STATUSES).orderBy('seq'),
    )
  ).map((r) => r.id);
  const shown = tasks.slice(0, SHOWN_TASKS).join(', ') + (tasks.length > SHOWN_TASKS ? ', …' : '');
  return [...settings, ...(tasks.length > 0 ? [`${tasks.length} unfinished task${tasks.length === 1 ? '' : 's'} (${shown})`] : [])];
}

/**
 * `wg executor remove`: a profile the default executor or an unfinished task still names is refused, naming them,
 * unless `force`, as `wg model remove` refuses a model in use. Removed anyway, each such task fails at its start,
 * and a running coordinator whose default it was keeps the profile it had, ignoring every later change to
 * config.toml (it keeps its last good configuration) until the default is set again.
 */
export async function removeExecutorProfile(
  core: StoreCore,
  paths: ProjectPaths,
  name: string,
  force: boolean,
): Promise<ExecutorProfile[]> {
  // One that is not there is refused by removeExecutor, saying so, before any talk of who names it.
  const own = (await readExecutors(paths)).some((p) => p.name === name && !p.builtin);
  const users = force || !own ? [] : await usersOf(core, paths, name);
  if (users.length > 0) {
    throw conflict(`Cannot remove '${name}': named by ${users.join(', ')}; use --force to remove it anyway, or change them first`);
  }
  return removeExecutor(paths, name);
}
