import { WgError } from '../../shared/errors';
import type { TaskTemplate, TraceFunction } from '../../shared/functions';
import type { Task } from '../../shared/task';
import type { Store } from '../store/store';
import { buildOutputs, buildTemplate, collectSubgraph, isCoordinatorNoise, roleHintFrom } from './extract';
import { detectParameters, sanitizeId, titleCase } from './parameter-detection';

/*
 * Upstream's multi-trace extraction (`wg func extract A B --generative`): several done traces of the
 * same kind of work compared, giving a version 2 function whose planner task lays out the graph for
 * each application within the constraints the traces share (their task counts, common skills, depth,
 * loops), with the median trace as the static fallback. Traces of one shape give a static function.
 */

function skillsOf(task: Task): string[] {
  const value = task.extra.skills;
  return Array.isArray(value) ? value.filter((s): s is string => typeof s === 'string') : [];
}

/** The longest chain of dependencies inside the tasks (upstream's compute_max_depth). */
export function maxDepth(tasks: readonly Task[]): number {
  const ids = new Set(tasks.map((t) => t.id));
  const depths = new Map(tasks.map((t) => [t.id, 0]));
  let changed = true;
  while (changed) {
    changed = false;
    for (const task of tasks) {
      const deepest = Math.max(0, ...task.after.filter((d) => ids.has(d)).map((d) => (depths.get(d) ?? 0) + 1));
      if (deepest > (depths.get(task.id) ?? 0)) {
        depths.set(task.id, deepest);
        changed = true;
      }
    }
  }
  return Math.max(0, ...depths.values());
}

function sameShape(traces: readonly Task[][]): boolean {
  const counts = traces.map((t) => t.length);
  if (!counts.every((c) => c === counts[0])) return false;
  const patterns = traces.map((trace) => JSON.stringify(trace.map((t) => [...skillsOf(t)].sort())));
  return patterns.every((p) => p === patterns[0]);
}

const commonOf = (sets: ReadonlyArray<ReadonlySet<string>>): string[] =>
  [...(sets[0] ?? [])].filter((item) => sets.every((set) => set.has(item))).sort();

export type GenerativeOutcome = { kind: 'static'; root: string } | { kind: 'generative'; func: TraceFunction; commonSkills: string[] };

/** The generative function of the traces, or `static` when they all have one shape (upstream falls back). */
export async function extractGenerative(
  store: Store,
  taskIds: readonly string[],
  options: { name?: string; includeEvaluations: boolean },
  now: string,
): Promise<GenerativeOutcome> {
  if (taskIds.length < 2) throw new WgError('invalid', '--generative requires at least 2 task IDs for multi-trace extraction');
  for (const id of taskIds) {
    const task = await store.get(id);
    if (task.status !== 'done')
      throw new WgError('invalid', `Task '${id}' is '${task.status}'. --generative requires all tasks to be Done.`);
  }
  const all = await store.list();
  const traces = taskIds.map((id) => {
    const trace = collectSubgraph(id, all);
    return options.includeEvaluations ? trace : trace.filter((t) => !isCoordinatorNoise(t.id));
  });
  if (sameShape(traces)) return { kind: 'static', root: taskIds[0] as string };

  const counts = traces.map((t) => t.length);
  const minTasks = Math.min(...counts);
  const maxTasks = Math.max(...counts);
  const skillSets = traces.map((trace) => new Set(trace.flatMap(skillsOf)));
  const allSkills = [...new Set(skillSets.flatMap((s) => [...s]))].sort();
  const commonSkills = commonOf(skillSets);
  const commonTags = commonOf(traces.map((trace) => new Set(trace.flatMap((t) => t.tags))));
  const byLength = traces.map((_, i) => i).sort((a, b) => (traces[a] as Task[]).length - (traces[b] as Task[]).length);
  const median = byLength[Math.floor(byLength.length / 2)] as number;
  const depth = Math.max(0, ...traces.map(maxDepth));
  const cycles = traces.flatMap((trace) => trace.map((t) => t.extra.cycle_config)).filter((c) => typeof c === 'object' && c !== null);
  const medianTasks = traces[median] as Task[];
  const medianRoot = taskIds[median] as string;
  const medianIds = new Set(medianTasks.map((t) => t.id));
  const byId = new Map(all.map((t) => [t.id, t]));
  const hint = roleHintFrom(store);
  const listed = (items: string[]) => (items.length === 0 ? 'none' : items.join(', '));
  const planner: TaskTemplate = {
    template_id: 'planner',
    title: 'Plan task graph',
    description: [
      'Analyze the inputs and produce a task graph in workgraph-yaml format.',
      '',
      `This function was extracted from ${taskIds.length} similar traces with ${minTasks} to ${maxTasks} tasks each.`,
      '',
      `Common skills observed: ${listed(commonSkills)}`,
      `All skills observed: ${listed(allSkills)}`,
      '',
      'The generated plan should follow similar patterns but adapt the number and structure of tasks to the specific inputs provided.',
      '',
      'Each task in the output should have: template_id, title, description, skills, and after (dependencies).',
    ].join('\n'),
    skills: ['analysis', 'planning'],
    after: [],
    loops_to: [],
    role_hint: 'architect',
    deliverables: [],
    tags: [],
  };
  const iterations = cycles
    .map((c) => (c as { max_iterations?: unknown }).max_iterations)
    .filter((n): n is number => typeof n === 'number');
  const funcId = options.name ?? sanitizeId(`${taskIds[0]}-generative`);
  const func: TraceFunction = {
    kind: 'trace-function',
    version: 2,
    id: funcId,
    name: titleCase(options.name ?? funcId),
    description: `Generative function synthesized from ${taskIds.length} traces (${minTasks} to ${maxTasks} tasks)`,
    extracted_from: taskIds.map((task_id) => ({ task_id, timestamp: now })),
    extracted_at: now,
    tags: commonTags,
    inputs: detectParameters(traces.flat()),
    tasks: await Promise.all(medianTasks.map((t) => buildTemplate(t, medianRoot, medianIds, byId, hint))),
    outputs: buildOutputs(medianTasks),
    planning: { planner_template: planner, output_format: 'workgraph-yaml', static_fallback: true, validate_plan: true },
    constraints: {
      min_tasks: minTasks,
      max_tasks: maxTasks,
      required_skills: commonSkills,
      ...(depth > 0 ? { max_depth: depth } : {}),
      allow_cycles: cycles.length > 0,
      ...(cycles.length > 0 && iterations.length > 0 ? { max_total_iterations: Math.max(...iterations) } : {}),
      required_phases: commonSkills,
      forbidden_patterns: [],
    },
    visibility: 'internal',
    redacted_fields: [],
  };
  return { kind: 'generative', func, commonSkills };
}
