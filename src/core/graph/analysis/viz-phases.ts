import type { RunPurpose } from '../../../shared/agent';
import type { Task, TaskStatus } from '../../../shared/task';

/*
 * The phase `wg viz` writes after a task (upstream's `wg viz`: its filter_internal_tasks and
 * add_parent_state_annotations): what its pipeline is doing while its system tasks are hidden.
 */

const ASSIGNING = '[⊞ assigning]';
const EVALUATING = '[∴ evaluating]';
const VALIDATING = '[∴ validating]';

/** A system task's status that means its stage is running (upstream's is_pipeline_active). */
const ACTIVE: readonly TaskStatus[] = ['in-progress', 'pending-validation', 'pending-eval', 'failed-pending-eval'];

/** The task a system task works for and the phase it stands for: `.assign-X` assigning, `.verify-X` validating, the rest evaluating. */
function phaseOf(id: string): { parent: string; phase: string } | null {
  const match = /^\.?(assign|evaluate|verify|flip|respond-to|place)-(.+)$/.exec(id);
  if (!match) return null;
  const kind = match[1] as string;
  return { parent: match[2] as string, phase: kind === 'assign' ? ASSIGNING : kind === 'verify' ? VALIDATING : EVALUATING };
}

/** The task's own state that is a phase for its whole span, helper task or not. */
const OWN_PHASE: Partial<Record<TaskStatus, string>> = {
  'pending-eval': EVALUATING,
  'failed-pending-eval': '[∴ rescue eval]',
  'pending-validation': VALIDATING,
};

/**
 * Each task's phase text ("[⊞ assigning]", "[∴ evaluating] …"): from its running system tasks, from this
 * app's own assigner and evaluator runs working on it (`runs`, which upstream does as system tasks), and
 * from its own state. `tasks`: the whole graph, hidden system tasks included.
 */
export function phaseAnnotations(
  tasks: readonly Task[],
  runs: ReadonlyArray<{ task_id: string; purpose: RunPurpose }> = [],
): Map<string, string> {
  const phases = new Map<string, string[]>();
  const add = (id: string, phase: string) => {
    const list = phases.get(id) ?? [];
    if (!list.includes(phase)) list.push(phase);
    phases.set(id, list);
  };
  for (const task of tasks) {
    const stage = task.id.startsWith('.') || /^(assign|evaluate|verify|flip)-/.test(task.id) ? phaseOf(task.id) : null;
    if (stage && ACTIVE.includes(task.status)) add(stage.parent, stage.phase);
  }
  for (const run of runs) {
    if (run.purpose === 'assign') add(run.task_id, ASSIGNING);
    else if (run.purpose === 'evaluate') add(run.task_id, EVALUATING);
  }
  for (const task of tasks) {
    const own = OWN_PHASE[task.status];
    if (own && !task.id.startsWith('.')) add(task.id, own);
  }
  return new Map([...phases].map(([id, list]) => [id, list.join(' ')]));
}
