import { isSystemTaskId } from '../../shared/task';
import { requireExecutor } from '../config/executors';
import type { Handlers } from './context';

type TaskOps =
  | 'task:add' | 'task:edit' | 'task:addDep' | 'task:rmDep' | 'task:show' | 'task:list' | 'task:ready' | 'task:claim'
  | 'task:unclaim' | 'task:done' | 'task:fail' | 'task:log' | 'task:artifact' | 'task:pause' | 'task:publish'
  | 'task:retry' | 'task:abandon' | 'task:heartbeat' | 'eval:record' | 'eval:show';

export const taskHandlers: Handlers<TaskOps> = {
  'task:add': (input, { store, actor, paths }) => {
    if (input.executor !== undefined) requireExecutor(paths, input.executor);
    return store.tasks.add(input, actor);
  },
  'task:edit': ({ id, ...patch }, { store, paths }) => {
    if (patch.executor !== undefined) requireExecutor(paths, patch.executor);
    return store.tasks.edit(id, patch);
  },
  'task:addDep': ({ task, dependency }, { store }) => store.tasks.addDependency(task, dependency),
  'task:rmDep': ({ task, dependency }, { store }) => store.tasks.removeDependency(task, dependency),
  'task:show': ({ id }, { store }) => store.detail(id),
  'task:list': ({ all, ...filter }, { store }) => store.list({ ...filter, system: all === true }),
  'task:ready': ({ all }, { store }) => (all ? store.ready() : store.ready().filter((task) => !isSystemTaskId(task.id))),
  'task:claim': ({ id, agent, force }, { store, actor }) => store.tasks.claim(id, agent, actor, force === true),
  'task:unclaim': ({ id }, { store, actor }) => store.tasks.unclaim(id, actor),
  'task:done': ({ id, agent, artifacts }, { store, actor }) => store.tasks.done(id, { agent, artifacts }, actor),
  'task:fail': ({ id, reason }, { store, actor }) => store.tasks.fail(id, reason, actor),
  'task:log': ({ id, message, actor: given }, { store, actor }) => store.tasks.log(id, message, given ?? actor),
  'task:artifact': ({ id, value }, { store, actor }) => store.tasks.artifact(id, value, actor),
  'task:pause': ({ id }, { store, actor }) => store.tasks.setPaused(id, true, actor),
  'task:publish': ({ id }, { store, actor }) => store.tasks.setPaused(id, false, actor),
  'task:retry': ({ id }, { store, actor }) => store.tasks.retry(id, actor),
  'task:abandon': ({ id, reason }, { store, actor }) => store.tasks.abandon(id, reason, actor),
  'task:heartbeat': ({ agent }, { store }) => store.agents.heartbeat(agent),
  'eval:record': ({ id, ...evaluation }, { store, actor }) => store.tasks.evaluate(id, evaluation, actor),
  'eval:show': ({ id }, { store }) => store.get(id).evaluation,
};
